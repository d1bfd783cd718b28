"""Which column feeds which field: guesses from Vietnamese and English headers.

Headers are compared folded (no accents, no case, `_`/`-`/spaces alike), so `Vĩ độ`,
`VI_DO` and `vido` all meet the alias `vi do`/`vido`.

>>> from geodata.importers.layers import COORDINATE_FIELDS
>>> mapping_guess(["STT", "Tên", "Vĩ độ", "Kinh độ"], COORDINATE_FIELDS, has_geometry=False)
{'x': 'Kinh độ', 'y': 'Vĩ độ', 'wkt': ''}
"""
from geodata.importers.text import fold


def _aliases(field) -> set[str]:
    names = {fold(alias) for alias in (field.name, *field.aliases)}
    return names | {name.replace(" ", "") for name in names}


def mapping_guess(columns: list[str], fields, *, has_geometry: bool) -> dict[str, str]:
    """{field name: column or ""}; exact folded matches first, then whole-word matches."""
    folded = {column: fold(column) for column in columns}
    guess, used = {}, set()
    fields = [f for f in fields if not (has_geometry and f.name in ("x", "y", "wkt"))]
    for exact in (True, False):
        for field in fields:
            if guess.get(field.name):
                continue
            aliases = _aliases(field)
            for column in columns:
                if column in used:
                    continue
                name = folded[column]
                hit = (name in aliases or name.replace(" ", "") in aliases) if exact else any(
                    f" {alias} " in f" {name} " for alias in aliases if len(alias) > 2)
                if hit:
                    guess[field.name], used = column, used | {column}
                    break
    return {field.name: guess.get(field.name, "") for field in fields}
