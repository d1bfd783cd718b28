"""The project's number formats per language (FORMAT_MODULE_PATH). Only the separators are
set here; dates and the rest come from Django's own locale modules.

Grouping applies where a template asks for it (`intcomma`, which forces it); the global
USE_THOUSAND_SEPARATOR stays off so that ids, codes, years and coordinates in URLs,
attributes and JSON are never grouped (GLOSSARY.md, "Numbers")."""
