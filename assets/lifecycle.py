"""Writes that staff make over an asset's and a plaque's life: verifying a position (and
losing the verification when the point moves), retiring instead of deleting, and a plaque
installed, damaged, replaced or removed. The admin, the staff pages and the API call these.
"""
import datetime
import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.models import Asset, IssuedCode, Plaque
from assets.services import code_issue

# Beyond this a moved point is a different place: the verification no longer holds.
VERIFIED_TOLERANCE_M = 25.0
EARTH_RADIUS_M = 6_371_008.8


def distance_m(a, b) -> float:
    """Great-circle distance between two EPSG:4326 points, in metres (haversine).

    >>> from django.contrib.gis.geos import Point
    >>> round(distance_m(Point(106.76, 21.85), Point(106.76, 21.8503)))
    33
    """
    p1, p2 = math.radians(a.y), math.radians(b.y)
    dp, dl = p2 - p1, math.radians(b.x - a.x)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def asset_position_guard(*, asset: Asset) -> bool:
    """Clear the verification of an asset whose saved point moves more than 25 m (called by
    every save path through asset_prepare); returns True when it cleared it."""
    if not asset.pk or not asset.position_verified or asset.location is None:
        return False
    saved = Asset.objects.filter(pk=asset.pk).values_list("location", flat=True).first()
    if saved is None or distance_m(saved, asset.location) <= VERIFIED_TOLERANCE_M:
        return False
    asset.position_verified = False
    asset.verified_by = None
    asset.verified_at = None
    return True


def asset_verify(*, asset: Asset, user) -> Asset:
    """Record that `user` checked the asset's position now."""
    asset.position_verified = True
    asset.verified_by = user
    asset.verified_at = timezone.now()
    asset._change_reason = _("position verified")
    asset.save()
    return asset


def asset_unverify(*, asset: Asset, user=None) -> Asset:
    """Withdraw the verification (the position is in doubt)."""
    asset.position_verified = False
    asset.verified_by = None
    asset.verified_at = None
    asset._change_reason = _("verification withdrawn")
    asset.save()
    return asset


def asset_retire(*, asset: Asset, replaced_by: Asset | None = None) -> Asset:
    """Retire an asset: it leaves the lists but its codes keep answering."""
    asset.status = Asset.Status.RETIRED
    if replaced_by is not None:
        asset.replaced_by = replaced_by
    asset._change_reason = _("retired")
    asset.save()
    return asset


@transaction.atomic
def asset_delete_or_retire(*, asset: Asset) -> str:
    """Delete an asset that never had a plaque; retire one that has (its plaques are on walls
    and their codes must keep answering). Returns "deleted" or "retired"."""
    if asset.plaques.exists():
        asset_retire(asset=asset)
        return "retired"
    asset.delete()
    return "deleted"


def _plaque_save(plaque: Plaque, reason: str, fields: list[str]) -> Plaque:
    plaque._change_reason = reason
    plaque.save(update_fields=fields)
    return plaque


def plaque_install(*, plaque: Plaque, installed_on: datetime.date | None = None,
                   photo=None) -> Plaque:
    """The plaque is on its wall or post (date, optional photo)."""
    plaque.status = Plaque.Status.INSTALLED
    plaque.installed_on = installed_on or timezone.localdate()
    fields = ["status", "installed_on"]
    if photo:
        plaque.install_photo = photo
        fields.append("install_photo")
    return _plaque_save(plaque, _("installed"), fields)


def plaque_mark_damaged(*, plaque: Plaque, note: str = "") -> Plaque:
    """The plaque is damaged (it still hangs, and may or may not scan)."""
    plaque.status = Plaque.Status.DAMAGED
    fields = ["status"]
    if note:
        plaque.notes = f"{plaque.notes}\n{timezone.localdate()}: {note}".strip()
        fields.append("notes")
    return _plaque_save(plaque, _("damaged"), fields)


@transaction.atomic
def plaque_replace(*, plaque: Plaque, note: str = "") -> Plaque:
    """Make the plaque that replaces this one: a new code (the old one keeps answering and
    points to the new plaque), same asset, template and size, ready to print."""
    new = Plaque.objects.create(
        asset=plaque.asset, template=plaque.template, width_mm=plaque.width_mm,
        height_mm=plaque.height_mm, languages=plaque.languages,
        mount_distance_m=plaque.mount_distance_m,
        code=code_issue(owner=IssuedCode.Owner.PLAQUE), notes=note,
    )
    plaque.status = Plaque.Status.REPLACED
    plaque.replaced_by = new
    plaque.removed_on = plaque.removed_on or timezone.localdate()
    _plaque_save(plaque, _("replaced by %(code)s") % {"code": new.grouped_code},
                 ["status", "replaced_by", "removed_on"])
    return new


def plaque_remove(*, plaque: Plaque, removed_on: datetime.date | None = None) -> Plaque:
    """The plaque was taken down and not replaced."""
    plaque.status = Plaque.Status.REMOVED
    plaque.removed_on = removed_on or timezone.localdate()
    return _plaque_save(plaque, _("removed"), ["status", "removed_on"])
