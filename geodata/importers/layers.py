"""What a layer is to the import engine: its fields, how a cell becomes a value, how rows
are matched with what is already stored, and how they are written.

The engine (engine.py) knows nothing of models; each layer (hamlets, cell sites, units
here, assets in the assets app) describes its own.
"""
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geodata.importers.text import fold, integer_parse, number_parse


class RowError(ValueError):
    """This row cannot be imported; the message says why, for the row report."""


@dataclass
class Field:
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    parse: Callable[[str], object] = str

# Positions this close are one position (about 1 cm, the 7 decimals the OGC API writes): a
# file exported in VN-2000 comes back through PROJ's inverse of the datum shift about 0.7 mm
# away, and must import back unchanged.
SAME_POSITION_DEG = 1e-7

# Where the coordinates come from when they are columns, not the file's geometry.
COORDINATE_FIELDS = [
    Field("x", gettext_lazy("longitude / easting (x)"),
          ("kinhdo", "kinh do", "kinh độ", "lon", "lng", "long", "longitude", "x", "easting",
           "toa do x", "kd")),
    Field("y", gettext_lazy("latitude / northing (y)"),
          ("vido", "vi do", "vĩ độ", "lat", "latitude", "y", "northing", "toa do y", "vd")),
    Field("wkt", gettext_lazy("geometry as WKT"), ("wkt", "geometry", "geom", "the geom",
                                                   "hinh hoc")),
]


def text_parse(value: str) -> str:
    return value.strip()


def integer_field(value: str) -> int:
    try:
        number = integer_parse(value)
    except ValueError:
        raise RowError(_("“%s” is not a whole number") % value) from None
    if number < 0:
        raise RowError(_("“%s” is negative") % value)
    return number


def number_field(value: str) -> float:
    try:
        return number_parse(value)
    except ValueError:
        raise RowError(_("“%s” is not a number") % value) from None


def date_field(value: str) -> datetime.date:
    """ISO dates, and the day-first dates Vietnamese spreadsheets use (31/12/2024)."""
    text = value.strip()[:10]
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(_("“%s” is not a date (use 2024-12-31 or 31/12/2024)") % value)


def choice_field(synonyms: dict[str, str], what: str) -> Callable[[str], str]:
    """A parser that maps a cell to a choice value through folded synonyms."""
    folded = {fold(k): v for k, v in synonyms.items()}

    def parse(value: str) -> str:
        key = fold(value)
        if key in folded:
            return folded[key]
        raise RowError(_("unknown %(what)s “%(value)s”") % {"what": what, "value": value})

    return parse


def choice_synonyms(choices, extra: dict[str, str]) -> dict[str, str]:
    """Synonyms from a TextChoices (its values and English labels) plus Vietnamese words."""
    synonyms = {value: value for value in choices.values}
    with_labels = {str(label): value for value, label in choices.choices}
    synonyms.update(with_labels)
    synonyms.update(extra)
    return synonyms


EXTERNAL_ID = Field("external_id", gettext_lazy("external id (updates on re-import)"),
                    ("external id", "ma ngoai", "ma", "mã", "id", "fid", "objectid",
                     "ma dinh danh", "uid"))


@dataclass
class Layer:
    """Base class; subclasses fill the hooks. `fields` excludes the coordinate fields."""

    name: str = ""
    label: str = ""
    fields: list[Field] = field(default_factory=list)
    check_province: bool = True
    # Two rows of the same name closer than this are the same thing typed twice.
    duplicate_metres: float = 25.0
    permission: str = ""
    # Its point rows may arrive as points.LonLat (checked a chunk at once) rather than GEOS
    # points; a layer that says so writes them itself (hexewkb, .x/.y).
    bulk_points: bool = False

    def all_fields(self) -> list[Field]:
        return self.fields + COORDINATE_FIELDS

    def row_build(self, values: dict, geometry, *, source: str) -> dict:
        """Model field values of a row (raise RowError)."""
        raise NotImplementedError

    def row_location(self, fields: dict):
        return fields["location"]

    def row_label(self, fields: dict) -> str:
        return fields.get("name", "")

    def row_keys(self, fields: dict) -> list[tuple[str, str]]:
        """Identifiers that must be unique in a file: [("external_id", "A12"), ...]."""
        return [("external_id", fields["external_id"])] if fields.get("external_id") else []

    def existing_find(self, rows: list[dict]) -> dict:
        """{row index: stored instance} for rows that name a stored record."""
        raise NotImplementedError

    def rows_authorize(self, rows: list, *, user=None) -> None:
        """Refuse (row.refuse) the rows this user may not write; the default is the layer's
        permission alone, checked once by the screen or the command."""

    def existing_near(self, bbox) -> list[tuple[str, float, float, str]]:
        """(folded name, lon, lat, instance) of stored records in a bbox, for duplicates."""
        raise NotImplementedError

    def existing_close(self, points: list, metres: float):
        """(folded name, lon, lat, instance) of stored records within about `metres` of
        any of the points (more is fine: the caller measures). The default reads every
        record in the points' bounding box; a layer with many records looks up only those
        close to a point."""
        pad = 0.001
        return self.existing_near((min(p.x for p in points) - pad, min(p.y for p in points) - pad,
                                   max(p.x for p in points) + pad, max(p.y for p in points) + pad))

    def stored_value(self, instance, name: str):
        """The stored record's value of a field, as row_changes compares it."""
        return getattr(instance, name)

    def row_changes(self, instance, fields: dict) -> list[str]:
        """Names of the fields a row would change on a stored record."""
        changed = []
        for name, value in fields.items():
            if name.startswith("_"):
                continue  # engine notes (the file name), not model fields
            current = self.stored_value(instance, name)
            if hasattr(value, "equals_exact"):
                # The new value asks: a LonLat compares with a GEOS point, not the reverse.
                same = current is not None and value.equals_exact(current, SAME_POSITION_DEG)
                same = same and current.geom_type == value.geom_type
            else:
                same = current == value or (current in (None, "") and value in (None, ""))
            if not same:
                changed.append(name)
        return changed

    def rows_write(self, new: list[dict], updates: list[tuple[object, dict]], *, user=None):
        """Create and update in bulk, inside the caller's transaction."""
        raise NotImplementedError
