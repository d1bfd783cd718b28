"""Reads of an asset's photos: the published ones a public page shows, each with its caption
in the page's language (falling back to Vietnamese like every content field,
qrmap.i18n.localized), and the ones the API lists to a user."""
from dataclasses import dataclass

from django.db.models import QuerySet

from assets import access
from assets.models import Asset, AssetPhoto
from qrmap.i18n import localized


@dataclass(frozen=True)
class ShownPhoto:
    photo: AssetPhoto
    caption: str  # also the image's alt text; the page falls back to the asset's name
    caption_is_fallback: bool


def photos_published(*, asset: Asset) -> list[AssetPhoto]:
    """The asset's photos that have their variants, in gallery order."""
    return list(asset.photos.published())


def photos_shown(*, photos: list[AssetPhoto], language: str) -> list[ShownPhoto]:
    """Each photo with its caption in the language."""
    shown = []
    for photo in photos:
        caption, fallback = localized(photo, "caption", language)
        shown.append(ShownPhoto(photo=photo, caption=caption.strip(),
                                caption_is_fallback=fallback and bool(caption.strip())))
    return shown


def asset_photo_list(*, user, asset: Asset) -> QuerySet:
    """The asset's photos the user may see: the published ones, and, for those who may
    change its photos, also the ones processing or failed."""
    if access.asset_photo_can_add(user=user, asset=asset):
        return asset.photos.all()
    return asset.photos.published()
