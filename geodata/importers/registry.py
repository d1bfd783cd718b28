"""The one list of importable layers, which the import command and the staff screen offer.

Each app registers its own layers in its AppConfig.ready() (geodata: hamlets, cell sites,
units; assets: assets), so that geodata never imports assets and a new layer needs no
change here.
"""
from geodata.importers.layers import Layer

_LAYERS: dict[str, tuple[int, Layer]] = {}


def layer_register(layer: Layer, *, order: int) -> None:
    """Offer a layer for import; lower `order` lists first. Registering a name again
    replaces it (ready() may run more than once in tests)."""
    _LAYERS[layer.name] = (order, layer)


def import_layers() -> dict[str, Layer]:
    """{name: layer} of every registered layer, by order then name."""
    ranked = sorted(_LAYERS.items(), key=lambda item: (item[1][0], item[0]))
    return {name: layer for name, (_order, layer) in ranked}
