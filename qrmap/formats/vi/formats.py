# Vietnamese figures: "188.813", "54,7" (Django's vi module has no grouping).
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
