"""The domain rules of the registry, as pure functions over values: the services apply them to
one object, the bulk importer and the print job to thousands of rows at once, so a rule is
written once whatever the door.
"""
from django.utils.translation import gettext as _

from assets.models import Asset
from geodata.distance import distance_m

# Beyond this a moved point is a different place: the verification no longer holds.
VERIFIED_TOLERANCE_M = 25.0

# What a write may set on an asset; the rest is derived (code, commune) or has its own
# service (verification, retirement).
ASSET_EDITABLE = (
    "kind", "category", "name_vi", "name_en", "name_zh", "description_vi", "description_en",
    "description_zh", "location", "shape", "heritage_rank", "source", "synthetic",
    "external_id", *(f"{name}_{suffix}" for name in ("opening_hours", "fee", "access",
                                                     "accessibility")
                     for suffix in ("vi", "en", "zh")),
    "heritage_inscription", "heritage_year",
)
# The practical information a visitor reads on the asset page, in the page's order.
PRACTICAL_FIELDS = ("opening_hours", "fee", "access", "accessibility")
PLAQUE_EDITABLE = ("template", "width_mm", "height_mm", "languages", "mount_distance_m",
                   "notes")


def position_moved(old, new) -> bool:
    """Did a point move far enough that its verification no longer holds?

    >>> from django.contrib.gis.geos import Point
    >>> position_moved(Point(106.76, 21.85), Point(106.76, 21.8502))
    False
    >>> position_moved(Point(106.76, 21.85), Point(106.76, 21.8504))
    True
    """
    if old is None or new is None:
        return False
    return distance_m(old, new) > VERIFIED_TOLERANCE_M


def verification_after_move(*, verified: bool, old, new) -> bool:
    """Whether an asset stays verified when its point goes from `old` to `new`."""
    return verified and not position_moved(old, new)


def print_refusal(*, status: str, position_verified: bool) -> str:
    """Why an asset may not get a plaque now, or '' when it may."""
    if status == Asset.Status.RETIRED:
        return _("the asset is retired")
    if not position_verified:
        return _("position not verified")
    return ""


def heritage_rank_refusal(*, kind: str, heritage_rank: str) -> str:
    """Only heritage sites have a rank (the database refuses it too)."""
    if heritage_rank and kind != Asset.Kind.HERITAGE:
        return _("Only heritage sites have a heritage rank.")
    return ""


# A position measured less precisely than this cannot move an asset: the fix would be no
# better than the tolerance the move is judged by.
FIELD_MOVE_MAX_ACCURACY_M = VERIFIED_TOLERANCE_M


def field_move_refusal(*, accuracy_m: float) -> str:
    """Why a measured position may not become the asset's position, or ''."""
    if accuracy_m > FIELD_MOVE_MAX_ACCURACY_M:
        return _("The measured position is too imprecise (±%(acc)d m) to move the asset: "
                 "wait for a better fix, at most ±%(max)d m.") % {
            "acc": round(accuracy_m), "max": round(FIELD_MOVE_MAX_ACCURACY_M)}
    return ""
