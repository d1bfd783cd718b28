"""Who may write what, through every door, in which commune: one table, one test.

Each cell is (entry point, actor, target commune). The actors are anonymous, a planner, an
editor, a verifier and a printer of commune A, and the province office (all three roles, all
communes). The targets are a verified asset with one printed plaque and one citizen report in
commune A (Đông Kinh) or in commune B (Tam Thanh).

An allowed cell must answer with a success and change the database as intended; a refused
cell must answer with a refusal (4xx, the login page, or the form again with an error) and
leave the assets, plaques, reports, print batches and both history tables exactly as they
were. Issued codes are not compared: a refused request may burn a code, which is harmless.
"""
import pytest
from django.urls import reverse

from assets.models import Plaque, Report
from tests.assets.permission_doors import DOORS, World
from tests.assets.staff_fixtures import inside, make_staff, verified_asset
from tests.assets.write_outcome import (
    answer_followed,
    answer_refuses,
    answer_succeeds,
    describe,
    snapshot,
    snapshot_diff,
)
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db

# Actor -> (roles, scope). Every clerk works in commune A only; the province office in all.
ACTORS = {
    "anonymous": None,
    "planner": (("planner",), "A"),
    "editor_a": (("editor",), "A"),
    "verifier_a": (("verifier",), "A"),
    "printer_a": (("printer",), "A"),
    "province": (("editor", "verifier", "printer"), "all"),
}
EDITOR, VERIFIER, PRINTER, PROVINCE = "editor_a", "verifier_a", "printer_a", "province"

# Entry point -> the actors who may use it, each only inside their own communes. Anyone not
# listed (anonymous and the planner are never listed) must be refused.
WHO_MAY = {
    "admin-asset-add": {EDITOR, PROVINCE},
    "admin-asset-change": {EDITOR, PROVINCE},
    "admin-asset-delete": {EDITOR, PROVINCE},  # retires: the asset has a plaque
    "admin-asset-revert": {PROVINCE},
    "admin-plaque-add": {PRINTER, PROVINCE},
    "admin-plaque-change": {PRINTER, PROVINCE},
    "admin-plaque-move": {PROVINCE},  # onto the other commune's asset: both must be in scope
    "admin-plaque-delete": {PROVINCE},  # a designed plaque; a printed one is never deleted
    "admin-plaque-revert": {PROVINCE},
    # Printers handle reports too: most are about damaged or missing plaques (roles.ROLES).
    "admin-report-moderate": {EDITOR, PRINTER, PROVINCE},
    "api-asset-create": {EDITOR, PROVINCE},
    "api-asset-patch": {EDITOR, PROVINCE},
    "api-asset-verify": {VERIFIER, PROVINCE},
    "api-asset-retire": {EDITOR, PROVINCE},
    "import-commit": {EDITOR, PROVINCE},
    "print": {PRINTER, PROVINCE},
    "plaque-install": {PRINTER, PROVINCE},
    "plaque-damaged": {PRINTER, PROVINCE},
}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Two users a cell and 200+ cells: the real password hasher would take most of the time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def allowed(door: str, actor: str, target: str) -> bool:
    if actor not in WHO_MAY[door]:
        return False
    scope = ACTORS[actor][1]
    # A move touches both communes; the target's and the other one must both be in scope.
    communes = {"A", "B"} if door == "admin-plaque-move" else {target}
    return scope == "all" or communes <= {scope}


CELLS = [
    pytest.param(door, actor, target, id=f"{door}/{actor}/{target}")
    for door in WHO_MAY for actor in ACTORS for target in ("A", "B")
]


def world_build(communes, actor, target) -> World:
    units = dict(zip("AB", communes, strict=True))
    surveyor = make_staff("surveyor", roles=("verifier",), all_communes=True)
    assets = {k: verified_asset(unit, surveyor) for k, unit in units.items()}
    plaques = {k: PlaqueFactory(asset=a, status=Plaque.Status.PRINTED) for k, a in assets.items()}
    reports = {k: Report.objects.create(asset=a, plaque=plaques[k], code=plaques[k].code,
                                        problem=Report.Problem.DAMAGED)
               for k, a in assets.items()}
    user = None
    if ACTORS[actor] is not None:
        roles, scope = ACTORS[actor]
        user = make_staff(actor, roles=roles, all_communes=scope == "all",
                          communes=[units[scope]] if scope != "all" else [])
    return World(units=units, assets=assets, plaques=plaques, reports=reports, target=target,
                 user=user)


@pytest.mark.parametrize("door_name,actor,target", CELLS)
def test_permission_matrix(door_name, actor, target, client, communes, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QRMAP_JOBS_INLINE = True
    door = DOORS[door_name]
    world = world_build(communes, actor, target)
    if door.prepare:
        door.prepare(world)
    if world.user is not None:
        client.force_login(world.user)
    before = snapshot()
    response = door.act(client, world)
    after = snapshot()
    response = answer_followed(client, response)
    changes = snapshot_diff(before, after)
    # Both halves are checked before failing, so a failure says what was answered and saved.
    if allowed(door_name, actor, target):
        problems = [] if answer_succeeds(response) else [f"answered {describe(response)}"]
        if not door.effect(world, before, after):
            problems.append(f"not saved as intended, changes: {changes}")
        assert not problems, "must be allowed: " + "; ".join(problems)
    else:
        problems = [] if answer_refuses(response) else [f"answered {describe(response)}"]
        if changes:
            problems.append(f"the database changed: {changes}")
        assert not problems, "must be refused: " + "; ".join(problems)


# --- Reads of another commune's history ------------------------------------------------------
def _history_urls(model, obj):
    history = obj.history.order_by("history_id").first()
    name = f"admin:assets_{model}_history"
    return {"history": reverse(name, args=[obj.pk]),
            "version": reverse(f"admin:assets_{model}_simple_history",
                               args=[obj.pk, history.history_id])}


@pytest.mark.parametrize("model", ["asset", "plaque"])
@pytest.mark.parametrize("page", ["history", "version"])
def test_clerk_cannot_read_another_communes_history(client, communes, clerk_a, model, page):
    """The history list and one old version of B's asset and plaque stay closed to a clerk of
    A (they show every past value, so they are reads like the change page)."""
    asset = AssetFactory(location=inside(communes[1]), name_vi="Chùa Tam Thanh bí mật")
    obj = asset if model == "asset" else PlaqueFactory(asset=asset, notes="ghi chú bí mật")
    client.force_login(clerk_a)
    response = client.get(_history_urls(model, obj)[page])
    assert response.status_code in (403, 404), describe(response)
    assert "bí mật" not in response.content.decode()
