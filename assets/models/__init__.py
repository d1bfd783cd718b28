"""Assets (streets, public works, heritage sites), their plaques, scans and reports."""
from assets.models.field import FieldAction
from assets.models.jobs import ImportJob
from assets.models.photos import AssetPhoto
from assets.models.plaques import Plaque, PrintBatch
from assets.models.public import Report, Scan
from assets.models.registry import (
    Asset,
    AssetSearch,
    AssetSearchWord,
    IssuedCode,
)
from assets.models.staff import StaffScope

__all__ = ["Asset", "AssetPhoto", "AssetSearch", "AssetSearchWord", "FieldAction", "ImportJob",
           "IssuedCode", "Plaque", "PrintBatch", "Report", "Scan", "StaffScope"]
