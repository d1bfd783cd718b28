"""GeoJSON Features written by PostgreSQL, one JSON text per row, for the lists whose Python
serializing cost more than their query: the OGC items (assets.ogc.encoding) and the asset
list API (assets.api.features).

Each piece writes a value the way the Python it replaces would, so that a client sees the
same JSON either way: a point's coordinates as the two floats (PointGeometryField), a
timestamp as Python's isoformat() in a time zone (DRF's DateTimeField), a choice as its
translated label.
"""
import re

from django.db.models import Case, F, Func, TextField, Value, When
from django.db.models.functions import Cast

_PIECE = re.compile(r"\{(\w+)\}")


class JsonObject(Func):
    """json_build_object over (name, expression) pairs, a dict a nested object: `json`, so
    the keys keep the order given (jsonb would sort them), the names bound as parameters."""

    output_field = TextField()

    def __init__(self, pairs: dict):
        self.names = list(pairs)
        super().__init__(*(JsonObject(value) if isinstance(value, dict) else value
                           for value in pairs.values()))

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for name, expression in zip(self.names, self.source_expressions, strict=True):
            sql, values = compiler.compile(expression)
            parts.append(f"%s::text, {sql}")
            params += [name, *values]
        return f"json_build_object({', '.join(parts)})", params


def _fill(template: str, pieces: dict) -> tuple[str, list]:
    """The template with each {name} replaced by its (sql, params), the params in the order
    the pieces occur (a piece may occur several times)."""
    sql, params = [], []
    for i, part in enumerate(_PIECE.split(template)):
        if i % 2:
            piece_sql, piece_params = pieces[part]
            sql.append(piece_sql)
            params += piece_params
        else:
            sql.append(part)
    return "".join(sql), params


class PointGeoJSON(Func):
    """A point as GeoJSON from its two coordinates, as geodata.serializers.PointGeometryField
    writes it. float8 is printed in its shortest exact form (extra_float_digits 1, the
    default since PostgreSQL 12), so the floats read back are the stored ones, digit for
    digit what Python's repr prints."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        return _fill("json_build_object('type', 'Point', 'coordinates', "
                     "json_build_array(ST_X({g}), ST_Y({g})))",
                     {"g": compiler.compile(self.source_expressions[0])})


# Python's isoformat() of an aware datetime: the fraction only when there is one, the
# offset as ±HH:MM, with :SS when it has seconds (local mean time before 1906); DRF then
# writes a zero offset as Z.
_ISO_DATETIME = """CASE WHEN {t} IS NULL THEN NULL ELSE
 to_char({l}, 'YYYY-MM-DD"T"HH24:MI:SS')
 || CASE WHEN date_trunc('second', {l}) = {l} THEN '' ELSE to_char({l}, '.US') END
 || CASE WHEN {o} = interval '0' THEN 'Z'
    ELSE CASE WHEN {o} < interval '0' THEN '-' ELSE '+' END || to_char({a}, 'HH24:MI')
         || CASE WHEN extract(second FROM {a}) = 0 THEN '' ELSE to_char({a}, ':SS') END
    END
END"""


class IsoDateTime(Func):
    """A timestamptz as DRF's DateTimeField writes it in `zone` (an IANA name, its current
    time zone): ISO 8601 with the offset, Z for UTC."""

    output_field = TextField()

    def __init__(self, expression, *, zone: str):
        self.zone = zone
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra_context):
        t = compiler.compile(self.source_expressions[0])
        local = _fill("({t} AT TIME ZONE %s)", {"t": t})
        local = (local[0], [*local[1], self.zone])
        offset = _fill("({l} - ({t} AT TIME ZONE 'UTC'))", {"l": local, "t": t})
        magnitude = _fill("(CASE WHEN {o} < interval '0' THEN -{o} ELSE {o} END)",
                          {"o": offset})
        return _fill(_ISO_DATETIME, {"t": t, "l": local, "o": offset, "a": magnitude})


def choice_label(field: str, choices) -> Case:
    """The label of a choice field's value in the active language; the value itself when it
    is not one of the choices (as a model's `<field>_label` properties do)."""
    return Case(*(When(**{field: value}, then=Value(str(label))) for value, label in choices),
                default=F(field), output_field=TextField())


def feature_texts(rows, feature: dict):
    """The rows as JSON texts of `feature` ((name, expression) pairs, a dict a nested
    object), in the rows' order: one query, no model instances."""
    return (rows.annotate(_feature=Cast(JsonObject(feature), TextField()))
            .values_list("_feature", flat=True))
