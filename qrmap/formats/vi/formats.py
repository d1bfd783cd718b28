# Vietnamese figures: "188.813", "54,7" (Django's vi module has no grouping).
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
# Dates in tables: 01/07/2025 (GLOSSARY.md, "Dates"); Django's vi module writes 01-07-2025.
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
