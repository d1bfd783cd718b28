"""Generic file import through GDAL/OGR: sources, coordinate systems, repair, mapping, the
engine that checks rows and commits them in one transaction, the row report and export.

Layers (what a row becomes) live with their models: geodata.importers.geolayers for
hamlets, cell sites and units; assets.importers for assets.
"""
