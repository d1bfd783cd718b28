"""Asset import and export on top of the generic engine in geodata.importers.

`import_layers()` is the one list of layers the command and the staff screen offer.
"""
from geodata.importers.geolayers import CellSiteLayer, HamletLayer, UnitLayer


def import_layers() -> dict:
    """{name: layer} for every importable layer, assets first."""
    from assets.importers.layer import AssetLayer

    layers = [AssetLayer(), HamletLayer(), CellSiteLayer(), UnitLayer()]
    return {layer.name: layer for layer in layers}
