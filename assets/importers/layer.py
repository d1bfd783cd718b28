"""The asset layer of the import engine: how a row's values become an Asset (the columns
themselves are fields.py), how a row finds the asset it updates (its code, or the external
id column), and how thousands of new or changed assets are written at once (bulk.py)."""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, LineString, MultiLineString
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assets import access, rules
from assets.importers.bulk import assets_copy, assets_update
from assets.importers.fields import FIELDS, C, kind_of
from assets.models import Asset, IssuedCode
from assets.services.codes import code_issue_bulk
from geodata.importers.duplicates import NEW, UPDATED
from geodata.importers.layers import Layer, RowError
from geodata.importers.points import LonLat
from geodata.importers.text import fold
from geodata.sqlarrays import number_array, text_array
from geodata.unit_lookup import asset_units_at_xy, communes_at_points, units_at_xy

# Character limits of the text fields, looked up once rather than per row and field.
_MAX_LENGTHS = {f.name: f.max_length for f in Asset._meta.concrete_fields if f.max_length}


_STORED_FIELDS = [f for f in Asset._meta.concrete_fields if f.name != "location"]


class StoredAsset:
    """A stored asset as a re-import reads it: its columns by attribute name (pk, code,
    commune_id, ...), its point as location_x and location_y. Not a model instance: Django
    builds one in some 20 µs, and a re-import reads 100,000 of them (2 s); the values stay
    the cursor's tuple (a dict per row would take four times the memory)."""

    __slots__ = ("_row",)
    NAMES = [f.attname for f in _STORED_FIELDS] + ["location_x", "location_y"]
    _INDEX = {**{name: i for i, name in enumerate(NAMES)}, "pk": NAMES.index("id")}

    def __init__(self, row: tuple):
        self._row = row

    def __getattr__(self, name):
        index = StoredAsset._INDEX.get(name)
        if index is None or name == "_row":
            raise AttributeError(name)
        return self._row[index]

    def __getstate__(self):
        return self._row

    def __setstate__(self, state):
        self._row = state

    def __str__(self):
        return f"{self.name_vi} ({self.code})"


def _stored_column(field) -> str:
    """A stored column as _stored selects it. Timestamps come as PostgreSQL's own text: a
    re-import never compares them, only writes some back unchanged (verified_at of a moved
    asset), and building two aware datetimes per row was a third of reading 100,000."""
    if field.get_internal_type() in ("DateTimeField", "DateField"):
        return f'"{field.column}"::text'
    return f'"{field.column}"'


def _stored(column: str, keys: list[str]) -> list[StoredAsset]:
    """Stored assets whose `column` is one of `keys` (one array parameter, not an IN list
    of 100,000), their point as two numbers: GEOS would parse every location, and a
    re-import compares 100,000 of them (stored_value)."""
    columns = ", ".join(_stored_column(f) for f in _STORED_FIELDS)
    shape = StoredAsset.NAMES.index("shape")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, ST_X(location), ST_Y(location) "
            f'FROM assets_asset WHERE "{column}" = ANY(%s::text[])', [text_array(keys)])
        # The shape comes as hex EWKB; the file's shape, which it is compared with, is GEOS.
        return [StoredAsset(row if row[shape] is None else
                            (*row[:shape], GEOSGeometry(row[shape]), *row[shape + 1:]))
                for row in cursor.fetchall()]


def _location_of(shape):
    """The plaque point of a street (its middle) or a site (a point inside it)."""
    if isinstance(shape, MultiLineString):
        shape = max(shape, key=lambda part: part.length)
    if isinstance(shape, LineString):
        point = shape.interpolate_normalized(0.5)
    else:
        point = shape.point_on_surface
    point.srid = shape.srid
    return point


@dataclass
class AssetLayer(Layer):
    name: str = "assets"
    label: str = gettext_lazy("assets (streets, public works, heritage sites)")
    permission: str = "assets.add_asset"
    bulk_points: bool = True

    def __post_init__(self):
        self.fields = FIELDS

    def row_build(self, values, geometry, *, source):
        if geometry is None:
            raise RowError(_("no coordinates"))
        fields = {k: v for k, v in values.items() if k != "kind"}
        if geometry.geom_type == "Point":
            fields["location"] = geometry
        elif geometry.geom_type in ("LineString", "MultiLineString", "Polygon",
                                    "MultiPolygon"):
            fields["shape"], fields["location"] = geometry, _location_of(geometry)
        else:
            raise RowError(_("unsupported geometry %s") % geometry.geom_type)
        kind, kind_category = values.get("kind") or (None, None)
        fields["category"] = fields.get("category") or kind_category
        if fields["category"] is None and kind is None:
            raise RowError(_("neither kind nor category is given"))
        fields["category"] = fields["category"] or (
            C.STREET if kind == Asset.Kind.STREET else C.OTHER)
        fields["kind"] = kind or kind_of(fields["category"])
        if fields.get("heritage_rank") and fields["kind"] != Asset.Kind.HERITAGE:
            raise RowError(_("a heritage rank is given but the asset is not a heritage site"))
        fields["_source"] = source
        self._check_lengths(fields)
        return fields

    def _check_lengths(self, fields):
        for name, value in fields.items():
            if type(value) is str:
                limit = _MAX_LENGTHS.get(name)
                if limit and len(value) > limit:
                    raise RowError(_("%(field)s is longer than %(n)d characters")
                                   % {"field": name, "n": limit})

    def row_label(self, fields):
        return fields.get("name_vi", "")

    def row_keys(self, fields):
        return [(k, fields[k]) for k in ("code", "external_id") if fields.get(k)]

    def existing_find(self, rows):
        by_code = list({r["code"] for r in rows if r.get("code")})
        by_ext = list({r["external_id"] for r in rows if r.get("external_id")})
        # One array parameter each (= ANY), not an IN list of 100,000 parameters.
        found_code = {a.code: a for a in _stored("code", by_code)} if by_code else {}
        found_ext = {a.external_id: a for a in _stored("external_id", by_ext)} \
            if by_ext else {}
        other = {issued.code for issued in IssuedCode.objects.raw(
            "SELECT code FROM assets_issuedcode WHERE code = ANY(%s::text[])",
            [text_array(set(by_code) - set(found_code))])} if by_code else set()
        found = {}
        for index, row in enumerate(rows):
            if row.get("code") in other:
                found[index] = RowError(_("code %s was issued to another record") % row["code"])
            elif row.get("code") in found_code:
                found[index] = found_code[row["code"]]
            elif row.get("external_id") in found_ext:
                found[index] = found_ext[row["external_id"]]
        return found

    def stored_value(self, instance, name):
        if name == "location" and hasattr(instance, "location_x"):
            return LonLat(instance.location_x, instance.location_y)
        return getattr(instance, name)

    def rows_authorize(self, rows, *, user=None):
        """The services' role and scope rules, set-wise: a new row needs the right to register
        in the commune its point falls in, an update the right to edit the stored asset and
        the new commune. One query for every row's commune."""
        if user is None or user is access.SYSTEM:
            return  # the operator at the command line
        pending = [r for r in rows if r.status in (NEW, UPDATED) and r.fields]
        commune_ids = communes_at_points(r.fields["location"] for r in pending)
        for row, commune_id in zip(pending, commune_ids, strict=True):
            if row.status == UPDATED and not access.asset_can_edit(user=user,
                                                                   asset=row.instance):
                row.refuse(_("this asset belongs to a commune you do not work in"))
            elif row.status == NEW and not access.asset_can_create(user=user,
                                                                    commune_id=commune_id):
                row.refuse(_("outside the communes you work in"))
            elif not access.commune_in_scope(user=user, commune_id=commune_id):
                row.refuse(_("the new position lies outside the communes you work in"))

    def existing_close(self, points, metres):
        """Stored assets within about `metres` of the points: one GiST probe per point in
        SQL, then only those assets are loaded (a province holds far more assets than a
        file's neighbourhoods)."""
        pad = 2 * metres / 111_320  # degrees, generous: _near measures exactly
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT a.id FROM unnest(%s::float8[], %s::float8[]) AS p(x, y) "
                "JOIN assets_asset a ON a.location && "
                "ST_Expand(ST_SetSRID(ST_MakePoint(p.x, p.y), %s), %s)",
                [number_array(p.x for p in points), number_array(p.y for p in points),
                 settings.QRMAP_SRID, pad])
            ids = [pk for (pk,) in cursor.fetchall()]
        if not ids:
            return
        for asset in Asset.objects.raw("SELECT * FROM assets_asset WHERE id = ANY(%s::bigint[])",
                                       [number_array(ids)]):
            yield fold(asset.name_vi), asset.location.x, asset.location.y, asset

    def rows_write(self, new, updates, *, user=None):
        if new:
            self._create(new, user)
        if updates:
            self._update(updates, user)

    def _create(self, rows, user):
        wanted = [r["code"] for r in rows if r.get("code")]
        if wanted:
            IssuedCode.objects.bulk_create(
                [IssuedCode(code=c, owner=IssuedCode.Owner.ASSET) for c in wanted])
        fresh = iter(code_issue_bulk(owner=IssuedCode.Owner.ASSET,
                                     count=len(rows) - len(wanted)))
        # Today's units and those before 2025 by the table trigger's rules, for the whole
        # file at once: the trigger then keeps them (assets 0026) instead of a polygon lookup
        # per row.
        units = asset_units_at_xy([r["location"].x for r in rows],
                                  [r["location"].y for r in rows])
        for row, found in zip(rows, units, strict=True):
            row["code"] = row.get("code") or next(fresh)
            row["source"] = row.get("source") or row["_source"]
            row.update(found._asdict())
        assets_copy(rows=rows, user=user)

    def _update(self, updates, user):
        """Set-wise: each row's changes, the services' rule on moved verified points, the
        commune of the moved points in one query, then one UPDATE and its history."""
        changes = [self.row_changes(instance, row) for instance, row in updates]
        columns = sorted({name for names in changes for name in names})
        moved = [i for i, names in enumerate(changes) if "location" in names]
        units = dict(zip(moved, units_at_xy(
            [updates[i][1]["location"].x for i in moved],
            [updates[i][1]["location"].y for i in moved]), strict=True))
        if moved:
            columns += ["commune_id", "province_id", "position_verified", "verified_by_id",
                        "verified_at"]
        rows = []
        for i, ((instance, row), names) in enumerate(zip(updates, changes, strict=True)):
            values = {"id": instance.pk}
            for name in columns:
                values[name] = row[name] if name in names else self.stored_value(instance, name)
            if i in units:
                values["commune_id"], values["province_id"] = units[i]
                if instance.position_verified and rules.position_moved(
                        self.stored_value(instance, "location"), row["location"]):
                    values.update(position_verified=False, verified_by_id=None,
                                  verified_at=None)
            rows.append(values)
        assets_update(rows=rows, columns=columns, user=user)
