"""Field mode's reads: the to-do list of a clerk's communes for the phone (assets to verify,
plaques printed but not installed, plaques damaged or reported damaged or missing), with the
counts per commune and the outlines of those communes, as one JSON document the phone keeps
for offline work. Every row comes through the scoped selectors of assets.scope."""
import json

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import FloatField, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from assets import access, codes, scope
from assets.models import Asset, Plaque, Report

VERIFY = "verify"
INSTALL = "install"
REPAIR = "repair"
# A phone keeps the list in memory and sorts it on each fix: a commune's work, with room.
ITEM_CAP = 2000
# About 10 m at Lạng Sơn's latitude: enough for a light outline on a phone map.
OUTLINE_TOLERANCE_DEG = 0.0001


def _latest(model):
    # 0 for a row without history (the national bench inserts rows in raw SQL).
    return Coalesce(Subquery(model.history.filter(id=OuterRef("pk")).order_by("-history_id")
                             .values("history_id")[:1]), 0)


def _xy(prefix: str = "") -> dict:
    # Coordinates straight from SQL: building a GEOS point per row costs more than the query.
    field = f"{prefix}location"
    return {"lon": Func(field, function="ST_X", output_field=FloatField()),
            "lat": Func(field, function="ST_Y", output_field=FloatField())}


def _asset_items(*, user) -> list[dict]:
    if not access.user_can_verify(user=user):
        return []
    rows = (scope.verification_queue(user=user).annotate(version=_latest(Asset), **_xy())
            .values("pk", "name_vi", "code", "commune_id", "lon", "lat", "version")[:ITEM_CAP])
    return [{"type": VERIFY, "key": f"a{a['pk']}", "asset": a["pk"], "plaque": None,
             "name": a["name_vi"], "code": codes.group(a["code"]), "plaque_code": "",
             "commune": a["commune_id"], "lon": a["lon"], "lat": a["lat"],
             "version": a["version"], "verified": False} for a in rows]


def _plaque_rows(*, user):
    reported = Report.objects.filter(status=Report.Status.NEW, plaque=OuterRef("pk"),
                                     problem__in=[Report.Problem.DAMAGED,
                                                  Report.Problem.MISSING])
    return (scope.plaque_list(user=user).filter(asset__status=Asset.Status.ACTIVE)
            .alias(reported=Subquery(reported.values("pk")[:1]))
            .filter(Q(status__in=[Plaque.Status.PRINTED, Plaque.Status.DAMAGED])
                    | Q(status=Plaque.Status.INSTALLED, reported__isnull=False))
            .annotate(version=_latest(Plaque), **_xy("asset__"))
            .order_by("asset__name_vi", "pk")
            .values("pk", "code", "status", "version", "asset_id", "asset__name_vi",
                    "asset__code", "asset__commune_id", "asset__position_verified", "lon",
                    "lat")[:ITEM_CAP])


def _plaque_items(*, user) -> list[dict]:
    if not user.has_perm("assets.change_plaque"):
        return []
    return [{"type": INSTALL if p["status"] == Plaque.Status.PRINTED else REPAIR,
             "key": f"p{p['pk']}", "asset": p["asset_id"], "plaque": p["pk"],
             "name": p["asset__name_vi"], "code": codes.group(p["asset__code"]),
             "plaque_code": p["code"], "commune": p["asset__commune_id"], "lon": p["lon"],
             "lat": p["lat"], "version": p["version"], "status": p["status"],
             "verified": p["asset__position_verified"]} for p in _plaque_rows(user=user)]


def _communes(*, user, items: list[dict]) -> list[dict]:
    """The communes that have work, in Vietnamese name order, with counts and outlines."""
    counts: dict[int, dict[str, int]] = {}
    for item in items:
        row = counts.setdefault(item["commune"], {VERIFY: 0, INSTALL: 0, REPAIR: 0})
        row[item["type"]] += 1
    units = (scope.user_communes(user=user).filter(pk__in=[k for k in counts if k])
             .annotate(outline=AsGeoJSON(Func(
                 "boundary", Value(OUTLINE_TOLERANCE_DEG), function="ST_SimplifyPreserveTopology",
                 output_field=GeometryField()), precision=5))
             .defer("boundary").in_name_order())
    return [{"id": u.pk, "code": u.code, "name": u.name, "counts": counts[u.pk],
             "outline": json.loads(u.outline)} for u in units]


def field_todo(*, user) -> dict:
    """The clerk's to-do list: items (each with the version it shows) and communes."""
    items = _asset_items(user=user) + _plaque_items(user=user)
    return {"items": items, "communes": _communes(user=user, items=items)}
