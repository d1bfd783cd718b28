# Chinese figures in mainland use: "188,813" (Django's zh_Hans groups by four, with no mark).
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
