"""Asset import and export on top of the generic engine in geodata.importers.

The asset layer (layer.py) is registered with geodata.importers.registry in
assets.apps.AssetsConfig.ready(), next to the geodata layers.
"""
