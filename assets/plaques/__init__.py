"""Plaque engine: QR symbol (qr), geometry in millimetres (layout), and the PDF, SVG and PNG
renderers that draw the same layout, plus the decode check of a finished PDF (verify).

Nothing here touches the database: printing.py feeds it plain data.
"""
