"""Import layers for hamlets, cell sites and administrative units."""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geodata.importers.bulk import model_rows_update
from geodata.importers.layers import (
    EXTERNAL_ID,
    Field,
    Layer,
    RowError,
    choice_field,
    choice_synonyms,
    date_field,
    integer_field,
    number_field,
    text_parse,
)
from geodata.importers.text import fold
from geodata.models import AdminUnit, Availability, CellSite, Hamlet
from geodata.radio import effective_radius
from geodata.sqlarrays import text_array
from geodata.unit_lookup import communes_at_points

AVAILABILITY = choice_field(choice_synonyms(Availability, {
    "có": "yes", "co": "yes", "x": "yes", "1": "yes", "true": "yes", "đã có": "yes",
    "không": "no", "khong": "no", "chưa": "no", "chưa có": "no", "0": "no", "false": "no",
    "chưa rõ": "unknown", "không rõ": "unknown", "?": "unknown",
}), gettext_lazy("status"))
NAME = ("ten", "tên", "name", "ten thon", "ten ban", "thon ban", "ten tram", "ten don vi")


class PointLayer(Layer):
    """Hamlets and cell sites: a point, a name, an external id; commune derived."""

    model = None

    def row_build(self, values, geometry, *, source):
        if geometry is None:
            raise RowError(_("no coordinates"))
        if geometry.geom_type != "Point":
            raise RowError(_("a point is expected, not %s") % geometry.geom_type)
        return {**values, "location": geometry, "_source": source}

    def existing_find(self, rows):
        ids = {r["external_id"] for r in rows if r.get("external_id")}
        # One array parameter (= ANY), not an IN list of one parameter per row.
        stored = {o.external_id: o for o in self.model.objects.raw(
            f"SELECT * FROM {self.model._meta.db_table} WHERE external_id = ANY(%s::text[])",
            [text_array(ids)])} if ids else {}
        return {i: stored[r["external_id"]] for i, r in enumerate(rows)
                if r.get("external_id") in stored}

    def existing_near(self, bbox):
        area = Polygon.from_bbox(bbox)
        area.srid = settings.QRMAP_SRID
        for instance in self.model.objects.filter(location__within=area).iterator(
                chunk_size=5000):
            yield fold(self.row_label(vars(instance))), instance.location.x, \
                instance.location.y, instance

    def rows_write(self, new, updates, *, user=None):
        communes = communes_at_points(r["location"] for r in new)
        objects = []
        for row, commune_id in zip(new, communes, strict=False):
            values = {k: v for k, v in row.items() if not k.startswith("_")}
            values.setdefault("source", row["_source"])
            objects.append(self.model(commune_id=commune_id, **self.defaults(values)))
        self.model.objects.bulk_create(objects, batch_size=2000)
        if updates:
            self._update(updates)

    def _update(self, updates):
        """Set-wise, as the asset layer does: each row's changes, the commune of the moved
        points in one query, then one UPDATE ... FROM a staging table (no save per row)."""
        changes = [self.row_changes(instance, row) for instance, row in updates]
        columns = sorted({name for names in changes for name in names})
        moved = [i for i, names in enumerate(changes) if "location" in names]
        communes = dict(zip(moved, communes_at_points(updates[i][1]["location"] for i in moved),
                            strict=True))
        if moved:
            columns.append("commune_id")
        now = timezone.now()
        rows = []
        for i, ((instance, row), names) in enumerate(zip(updates, changes, strict=True)):
            values = {"id": instance.pk, "updated_at": now}
            for name in columns:
                values[name] = row[name] if name in names else getattr(instance, name)
            if i in communes:
                values["commune_id"] = communes[i]
            rows.append(values)
        model_rows_update(model=self.model, rows=rows, columns=[*columns, "updated_at"])

    def defaults(self, values):
        return values


HAMLET_FIELDS = [
    EXTERNAL_ID,
    Field("name", gettext_lazy("name"), NAME, required=True, parse=text_parse),
    Field("households", gettext_lazy("households"), ("so ho", "ho", "households"),
          parse=integer_field),
    Field("population", gettext_lazy("population"), ("dan so", "so dan", "so khau",
                                                      "population", "nhan khau"),
          parse=integer_field),
    Field("mobile_status", gettext_lazy("3G/4G declared"),
          ("3g 4g", "3g4g", "song di dong", "mobile", "mobile status", "co 3g 4g"),
          parse=AVAILABILITY),
    Field("broadband_status", gettext_lazy("broadband declared"),
          ("bang rong", "internet", "broadband", "broadband status", "cap quang"),
          parse=AVAILABILITY),
    Field("survey_date", gettext_lazy("survey date"), ("ngay khao sat", "survey date"),
          parse=date_field),
    Field("source", gettext_lazy("source"), ("nguon", "source")),
]


@dataclass
class HamletLayer(PointLayer):
    name: str = "hamlets"
    label: str = gettext_lazy("hamlets")
    permission: str = "geodata.add_hamlet"
    model = Hamlet

    def __post_init__(self):
        self.fields = HAMLET_FIELDS


OPERATORS = choice_synonyms(CellSite.Operator, {
    "vnpt": "vinaphone", "vina": "vinaphone", "mobi": "mobifone", "vnmobile": "vietnamobile"})
TERRAINS = choice_synonyms(CellSite.Terrain, {"đô thị": "urban", "thành thị": "urban",
                                              "nông thôn": "rural", "miền núi": "mountain",
                                              "núi": "mountain"})
SITE_STATUSES = choice_synonyms(CellSite.Status, {"quy hoạch": "planned", "dự kiến": "planned",
                                                  "hoạt động": "active", "đang phát": "active",
                                                  "ngừng": "retired"})


def technologies_field(value: str) -> list[str]:
    """`2G, 3G; 4G` or `4G/5G` → ["2G", "3G", "4G"]."""
    found = []
    for part in value.upper().replace(";", ",").replace("/", ",").replace("+", ",").split(","):
        part = part.strip()
        if part in ("LTE",):
            part = "4G"
        if part and part not in CellSite.TECHNOLOGIES:
            raise RowError(_("unknown technology “%s”") % part)
        if part and part not in found:
            found.append(part)
    return sorted(found)


CELL_FIELDS = [
    EXTERNAL_ID,
    Field("name", gettext_lazy("name"), NAME, parse=text_parse),
    Field("operator", gettext_lazy("operator"), ("nha mang", "doanh nghiep", "operator",
                                                 "nha cung cap"), required=True,
          parse=choice_field(OPERATORS, gettext_lazy("operator"))),
    Field("technologies", gettext_lazy("technologies"),
          ("cong nghe", "technologies", "technology", "tech"), required=True,
          parse=technologies_field),
    Field("terrain", gettext_lazy("terrain"), ("dia hinh", "terrain"),
          parse=choice_field(TERRAINS, gettext_lazy("terrain"))),
    Field("coverage_radius_m", gettext_lazy("3G+ coverage radius (m)"),
          ("ban kinh", "radius", "coverage radius m", "ban kinh phu song"),
          parse=number_field),
    Field("status", gettext_lazy("status"), ("trang thai", "status"),
          parse=choice_field(SITE_STATUSES, gettext_lazy("status"))),
    Field("commissioned_on", gettext_lazy("commissioned on"),
          ("ngay phat song", "commissioned on", "ngay hoat dong"), parse=date_field),
    Field("source", gettext_lazy("source"), ("nguon", "source")),
]


@dataclass
class CellSiteLayer(PointLayer):
    name: str = "cellsites"
    label: str = gettext_lazy("cell sites")
    permission: str = "geodata.add_cellsite"
    model = CellSite

    def __post_init__(self):
        self.fields = CELL_FIELDS

    def row_label(self, fields):
        return fields.get("name") or fields.get("external_id") or ""

    def defaults(self, values):
        # A file without a radius gets the same defaults as a site typed in the admin.
        if values.get("coverage_radius_m") is None:
            values["coverage_radius_m"] = effective_radius(
                technologies=values["technologies"], terrain=values.get("terrain", "rural"))
        return values


UNIT_FIELDS = [
    Field("code", gettext_lazy("GSO code"), ("ma", "mã", "ma don vi", "code", "ma hanh chinh",
                                             "gso code", "ma xa"), required=True),
    Field("name", gettext_lazy("name"), NAME, required=True, parse=text_parse),
    Field("level", gettext_lazy("level"), ("cap", "level", "cap hanh chinh"),
          parse=choice_field(choice_synonyms(AdminUnit.Level, {
              "tỉnh": "province", "huyện": "district", "xã": "commune", "phường": "commune",
              "thị trấn": "commune"}), gettext_lazy("level"))),
    Field("unit_type", gettext_lazy("type"), ("loai", "type", "unit type")),
    Field("population", gettext_lazy("population"), ("dan so", "population"),
          parse=integer_field),
    Field("valid_from", gettext_lazy("valid from"), ("hieu luc tu", "valid from"),
          parse=date_field),
    Field("valid_to", gettext_lazy("valid to"), ("hieu luc den", "valid to"), parse=date_field),
]


@dataclass
class UnitLayer(Layer):
    """Administrative units: a re-import with the same GSO code and level updates the unit
    in force (valid_to empty); boundaries are not checked against the province."""

    name: str = "units"
    label: str = gettext_lazy("administrative units")
    permission: str = "geodata.add_adminunit"
    check_province: bool = False

    def __post_init__(self):
        self.fields = UNIT_FIELDS

    def row_build(self, values, geometry, *, source):
        if geometry is None or geometry.geom_type not in ("Polygon", "MultiPolygon"):
            raise RowError(_("a polygon boundary is expected"))
        if isinstance(geometry, Polygon):
            geometry = MultiPolygon(geometry, srid=geometry.srid)
        values.setdefault("level", AdminUnit.Level.COMMUNE)
        return {**values, "boundary": geometry, "_source": source}

    def row_location(self, fields):
        return fields["boundary"].point_on_surface

    def row_keys(self, fields):
        return [("code", f"{fields['level']}:{fields['code']}")]

    def existing_find(self, rows):
        stored = {(u.level, u.code): u for u in AdminUnit.objects.filter(
            valid_to__isnull=True, code__in={r["code"] for r in rows})}
        return {i: stored[(r["level"], r["code"])] for i, r in enumerate(rows)
                if (r["level"], r["code"]) in stored}

    def existing_near(self, bbox):
        return []

    def rows_write(self, new, updates, *, user=None):
        for row in new:
            values = {k: v for k, v in row.items() if not k.startswith("_")}
            AdminUnit.objects.create(source=row["_source"], **values)
        for instance, row in updates:
            for name in self.row_changes(instance, row):
                setattr(instance, name, row[name])
            instance.save()
