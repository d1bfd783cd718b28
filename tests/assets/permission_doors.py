"""The doors of the permission matrix: every way a write reaches the database over HTTP
(admin, API, import, print centre, plaque page), each a small function that performs one
write through the real endpoint, and what "it worked" means for it in the database.

The table of who may use which door lives in test_permission_matrix.py; this module only
knows how to knock and how to tell that something changed.
"""
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from assets.models import Asset, Plaque, PrintBatch, Report
from tests.assets.staff_fixtures import inside
from tests.assets.write_outcome import HistoricalAsset, HistoricalPlaque, new_rows, row
from tests.factories import PlaqueFactory

NEW_NAME = "Tên mới do ma trận đặt"
ADD_NAME = "Nhà văn hóa ma trận"
IMPORT_NAME = "Nhà văn hóa nhập từ tệp"
NOTE = "Ghi chú của ma trận"


@dataclass
class World:
    """One cell's data: a verified asset with one printed plaque and one report in each of
    commune A and B; `target` is the side the write aims at."""

    units: dict
    assets: dict
    plaques: dict
    reports: dict
    target: str
    user: object = None
    scratch: dict = field(default_factory=dict)

    @property
    def other(self):
        return "B" if self.target == "A" else "A"

    @property
    def unit(self):
        return self.units[self.target]

    @property
    def asset(self):
        return self.assets[self.target]

    @property
    def plaque(self):
        return self.plaques[self.target]

    @property
    def report(self):
        return self.reports[self.target]


# --- Admin form data ---------------------------------------------------------------------
def asset_form(asset: Asset, **changes) -> dict:
    """What the admin's asset form posts for this asset (no plaque inline rows)."""
    data = {
        "kind": asset.kind, "category": asset.category, "heritage_rank": asset.heritage_rank,
        "status": asset.status, "replaced_by": asset.replaced_by_id or "",
        "name_vi": asset.name_vi, "name_en": asset.name_en, "name_zh": asset.name_zh,
        "description_vi": asset.description_vi, "description_en": asset.description_en,
        "description_zh": asset.description_zh, "location": asset.location.json,
        "shape": asset.shape.json if asset.shape else "", "source": asset.source,
        "external_id": asset.external_id,
        "plaques-TOTAL_FORMS": "0", "plaques-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0",
        "plaques-MIN_NUM_FORMS": "0", "plaques-MAX_NUM_FORMS": "1000",
    }
    if asset.synthetic:
        data["synthetic"] = "on"
    return {**data, **changes}


def plaque_form(plaque: Plaque, **changes) -> dict:
    data = {
        "asset": plaque.asset_id, "template": plaque.template, "width_mm": plaque.width_mm,
        "height_mm": plaque.height_mm, "languages": plaque.languages,
        "mount_distance_m": plaque.mount_distance_m,
        "installed_on": plaque.installed_on.isoformat() if plaque.installed_on else "",
        "notes": plaque.notes,
    }
    return {**data, **changes}


def report_form(report: Report, **changes) -> dict:
    data = {
        "asset": report.asset_id, "plaque": report.plaque_id or "", "code": report.code,
        "problem": report.problem, "text": report.text, "contact": report.contact,
        "status": report.status, "handled_by": report.handled_by_id or "",
        "handled_at_0": "", "handled_at_1": "", "staff_note": report.staff_note,
    }
    return {**data, **changes}


def admin_url(model: str, *parts) -> str:
    return "/".join([f"/admin/assets/{model}", *map(str, parts)]) + "/"


# --- Admin doors -------------------------------------------------------------------------
def admin_asset_add(client, w):
    new = Asset(kind=Asset.Kind.PUBLIC_WORK, category=Asset.Category.CULTURAL_HOUSE,
                name_vi=ADD_NAME, location=inside(w.unit), synthetic=True)
    return client.post(admin_url("asset", "add"), asset_form(new))


def admin_asset_change(client, w):
    return client.post(admin_url("asset", w.asset.pk, "change"),
                       asset_form(w.asset, name_vi=NEW_NAME))


def admin_asset_delete(client, w):
    return client.post(admin_url("asset", w.asset.pk, "delete"), {"post": "yes"})


def asset_renamed(w):
    """History to revert: created, verified, then renamed; the revert goes back to the
    verified version (the original name)."""
    w.scratch["original"] = w.asset.name_vi
    asset = Asset.objects.get(pk=w.asset.pk)
    asset.name_vi = NEW_NAME
    asset.save()


def admin_asset_revert(client, w):
    version = HistoricalAsset.objects.filter(id=w.asset.pk).order_by("history_id")[1]
    assert version.name_vi == w.scratch["original"]
    return client.post(admin_url("asset", w.asset.pk, "history", version.history_id),
                       asset_form(version.instance))


def admin_plaque_add(client, w):
    new = Plaque(asset=w.asset, template=Plaque.Template.STICKER, width_mm=80, height_mm=100,
                 notes=NOTE)
    return client.post(admin_url("plaque", "add"), plaque_form(new))


def admin_plaque_change(client, w):
    return client.post(admin_url("plaque", w.plaque.pk, "change"),
                       plaque_form(w.plaque, notes=NOTE))


def admin_plaque_move(client, w):
    """The target commune's plaque is put on the other commune's asset."""
    return client.post(admin_url("plaque", w.plaque.pk, "change"),
                       plaque_form(w.plaque, asset=w.assets[w.other].pk))


def plaque_designed(w):
    """Deleting is asked of a plaque that was only designed: a printed one is kept by a domain
    rule (its code may be on a wall) whoever asks, which is not what this matrix tests."""
    w.plaques[w.target] = PlaqueFactory(asset=w.asset, status=Plaque.Status.DESIGNED)


def admin_plaque_delete(client, w):
    return client.post(admin_url("plaque", w.plaque.pk, "delete"), {"post": "yes"})


def plaque_noted(w):
    """History to revert: printed, then a note; the revert goes back to no note."""
    plaque = Plaque.objects.get(pk=w.plaque.pk)
    plaque.notes = NOTE
    plaque.save()


def admin_plaque_revert(client, w):
    version = HistoricalPlaque.objects.filter(id=w.plaque.pk).order_by("history_id")[0]
    assert version.notes == ""
    return client.post(admin_url("plaque", w.plaque.pk, "history", version.history_id),
                       plaque_form(version.instance))


def admin_report_moderate(client, w):
    return client.post(admin_url("report", w.report.pk, "change"),
                       report_form(w.report, status=Report.Status.TRIAGED, staff_note=NOTE))


# --- API doors ---------------------------------------------------------------------------
def _json(client, method, url, body=None):
    return getattr(client, method)(url, data=json.dumps(body or {}),
                                   content_type="application/json")


def api_asset_create(client, w):
    point = inside(w.unit)
    return _json(client, "post", "/api/assets/", {
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
        "properties": {"kind": "public_work", "category": "school", "name_vi": ADD_NAME}})


def api_asset_patch(client, w):
    return _json(client, "patch", f"/api/assets/{w.asset.code}/",
                 {"properties": {"name_vi": NEW_NAME}})


def asset_unverified(w):
    """Verifying needs something to verify: the point is in doubt again (no history row)."""
    Asset.objects.filter(pk=w.asset.pk).update(position_verified=False, verified_by=None,
                                               verified_at=None)


def api_asset_verify(client, w):
    return _json(client, "post", f"/api/assets/{w.asset.code}/verify/")


def api_asset_retire(client, w):
    return _json(client, "post", f"/api/assets/{w.asset.code}/retire/")


# --- Staff screens -----------------------------------------------------------------------
def import_commit(client, w):
    """Upload a one-row CSV located in the target commune, then commit it (all or nothing:
    a refused row makes the commit refuse)."""
    point = inside(w.unit)
    text = f"Tên công trình,Loại,Vĩ độ,Kinh độ\n{IMPORT_NAME},cultural_house,{point.y},{point.x}\n"
    upload = SimpleUploadedFile("mot-dong.csv", text.encode(), content_type="text/csv")
    response = client.post("/staff/import/", {"layer": "assets", "file": upload})
    location = response.get("Location", "")
    if response.status_code != 302 or not location.startswith("/staff/import/"):
        return response
    return client.post(location + "confirm/", {})


def print_plaques(client, w):
    return client.post("/staff/print/", {"codes": w.asset.code, "template": "auto",
                                         "paper": "A4", "copies": 1, "status": ""})


def plaque_install(client, w):
    return client.post(f"/staff/plaques/{w.plaque.code}/",
                       {"event": "install", "day": "2026-03-02"})


def plaque_damaged(client, w):
    return client.post(f"/staff/plaques/{w.plaque.code}/", {"event": "damaged", "note": NOTE})


# --- What "it worked" means --------------------------------------------------------------
def _asset_after(w, after):
    return row(after, Asset, w.asset.pk) or {}


def _plaque_after(w, after):
    return row(after, Plaque, w.plaque.pk) or {}


def _one_new_asset_in_target(name):
    def check(w, before, after):
        made = new_rows(before, after, Asset)
        return (len(made) == 1 and made[0]["name_vi"] == name
                and made[0]["commune_id"] == w.unit.pk)
    return check


def _history_grew(model, before, after):
    return after.count(model) == before.count(model) + 1


EFFECTS: dict[str, Callable] = {
    "admin-asset-add": _one_new_asset_in_target(ADD_NAME),
    "admin-asset-change": lambda w, b, a: (_asset_after(w, a).get("name_vi") == NEW_NAME
                                           and _history_grew(HistoricalAsset, b, a)),
    # The asset has a plaque, so deleting retires it (its code keeps answering).
    "admin-asset-delete": lambda w, b, a: _asset_after(w, a).get("status") == "retired",
    "admin-asset-revert": lambda w, b, a: (
        _asset_after(w, a).get("name_vi") == w.scratch["original"]
        and _history_grew(HistoricalAsset, b, a)),
    "admin-plaque-add": lambda w, b, a: [(p["asset_id"], p["notes"]) for p in new_rows(
        b, a, Plaque)] == [(w.asset.pk, NOTE)],
    "admin-plaque-change": lambda w, b, a: _plaque_after(w, a).get("notes") == NOTE,
    "admin-plaque-move": lambda w, b, a: (
        _plaque_after(w, a).get("asset_id") == w.assets[w.other].pk),
    "admin-plaque-delete": lambda w, b, a: row(a, Plaque, w.plaque.pk) is None,
    "admin-plaque-revert": lambda w, b, a: (_plaque_after(w, a).get("notes") == ""
                                            and _history_grew(HistoricalPlaque, b, a)),
    "admin-report-moderate": lambda w, b, a: (row(a, Report, w.report.pk) or {}).get(
        "status") == "triaged",
    "api-asset-create": _one_new_asset_in_target(ADD_NAME),
    "api-asset-patch": lambda w, b, a: _asset_after(w, a).get("name_vi") == NEW_NAME,
    "api-asset-verify": lambda w, b, a: (_asset_after(w, a).get("position_verified") is True
                                         and _asset_after(w, a).get("verified_by_id")
                                         == w.user.pk),
    "api-asset-retire": lambda w, b, a: _asset_after(w, a).get("status") == "retired",
    "import-commit": _one_new_asset_in_target(IMPORT_NAME),
    "print": lambda w, b, a: (a.count(PrintBatch) == b.count(PrintBatch) + 1 and [
        (p["asset_id"], p["status"]) for p in new_rows(b, a, Plaque)] == [
        (w.asset.pk, "printed")]),
    "plaque-install": lambda w, b, a: _plaque_after(w, a).get("status") == "installed",
    "plaque-damaged": lambda w, b, a: _plaque_after(w, a).get("status") == "damaged",
}


@dataclass(frozen=True)
class Door:
    act: Callable
    effect: Callable
    prepare: Callable | None = None


def _doors():
    acts = {
        "admin-asset-add": (admin_asset_add, None),
        "admin-asset-change": (admin_asset_change, None),
        "admin-asset-delete": (admin_asset_delete, None),
        "admin-asset-revert": (admin_asset_revert, asset_renamed),
        "admin-plaque-add": (admin_plaque_add, None),
        "admin-plaque-change": (admin_plaque_change, None),
        "admin-plaque-move": (admin_plaque_move, None),
        "admin-plaque-delete": (admin_plaque_delete, plaque_designed),
        "admin-plaque-revert": (admin_plaque_revert, plaque_noted),
        "admin-report-moderate": (admin_report_moderate, None),
        "api-asset-create": (api_asset_create, None),
        "api-asset-patch": (api_asset_patch, None),
        "api-asset-verify": (api_asset_verify, asset_unverified),
        "api-asset-retire": (api_asset_retire, None),
        "import-commit": (import_commit, None),
        "print": (print_plaques, None),
        "plaque-install": (plaque_install, None),
        "plaque-damaged": (plaque_damaged, None),
    }
    return {name: Door(act, EFFECTS[name], prepare) for name, (act, prepare) in acts.items()}


DOORS = _doors()
