"""Selectors that take the user: what a staff user may read in staff screens (lists, history,
print batches, reports, exports). Every staff read goes through these, so a clerk of commune A
sees B's rows nowhere: not in a list, a history page, a print batch nor an export.

A StaffScope row limits a clerk to a list of communes and/or provinces (a province-scoped
user works in every current commune of those provinces: the province office of a national
installation deployed province by province); `all_communes` (the whole installation) and
superusers see all. A staff user without a StaffScope row sees no commune: access is granted,
never assumed. The one rule for "which communes": user_commune_ids.
"""
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Point
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest

from assets.models import Asset, FieldAction, Plaque, PrintBatch, Report, StaffScope
from assets.selectors import asset_filter
from geodata.models import AdminUnit, Hamlet


def is_staff(user) -> bool:
    return bool(user and not isinstance(user, AnonymousUser) and user.is_active
                and user.is_staff)


def user_sees_all_communes(*, user) -> bool:
    """True for superusers and the whole-installation office (StaffScope.all_communes)."""
    if not is_staff(user):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_qrmap_all_communes", None)
    if cached is None:
        scope = StaffScope.objects.filter(user=user).only("all_communes").first()
        cached = user._qrmap_all_communes = bool(scope and scope.all_communes)
    return cached


def user_province_ids(*, user) -> set[int]:
    """Ids of the provinces a staff user's scope names (empty for the whole-installation
    office: ask user_sees_all_communes first)."""
    if not is_staff(user):
        return set()
    cached = getattr(user, "_qrmap_province_ids", None)
    if cached is None:
        cached = user._qrmap_province_ids = set(
            StaffScope.provinces.through.objects.filter(staffscope__user=user)
            .values_list("adminunit_id", flat=True))
    return cached


def user_is_province_office(*, user) -> bool:
    """The whole-installation office, or the office of at least one province: those may do
    what the province office does (revert, delete plaques), within their scope."""
    return user_sees_all_communes(user=user) or bool(user_province_ids(user=user))


def user_commune_ids(*, user) -> set[int]:
    """Ids of the communes a scoped clerk works in: those listed, and every current commune
    of the provinces listed (empty for the whole-installation office: ask
    user_sees_all_communes first)."""
    if not is_staff(user):
        return set()
    cached = getattr(user, "_qrmap_commune_ids", None)
    if cached is None:
        ids = set(StaffScope.communes.through.objects.filter(staffscope__user=user)
                  .values_list("adminunit_id", flat=True))
        provinces = user_province_ids(user=user)
        if provinces:
            ids |= set(AdminUnit.objects.current().communes()
                       .filter(province_id__in=provinces).values_list("pk", flat=True))
        cached = user._qrmap_commune_ids = ids
    return cached


def user_communes(*, user) -> QuerySet[AdminUnit]:
    """The communes (2025 units) a staff user works in; all of them for the whole-installation
    office."""
    if not is_staff(user):
        return AdminUnit.objects.none()
    if user_sees_all_communes(user=user):
        return AdminUnit.objects.current().communes()
    return AdminUnit.objects.filter(pk__in=user_commune_ids(user=user))


def asset_list(*, user) -> QuerySet[Asset]:
    """Assets a staff user may see: all, or those of the user's communes."""
    if not is_staff(user):
        return Asset.objects.none()
    if user_sees_all_communes(user=user):
        return Asset.objects.all()
    return Asset.objects.filter(commune_id__in=user_commune_ids(user=user))


def verification_queue(*, user, commune: str = "", kind: str = "", order: str = "oldest",
                       near: Point | None = None) -> QuerySet[Asset]:
    """The verification queue: active assets of the user's communes whose position awaits a
    verifier (not those sent back for correction), filtered by commune code and kind;
    "oldest" registered first, or "nearest" to `near` (with `.distance_m`)."""
    queryset = asset_filter(asset_list(user=user).filter(
        position_verified=False, correction_reason="", status=Asset.Status.ACTIVE),
        commune=commune, kind=kind)
    queryset = queryset.select_related("commune").defer("commune__boundary", "shape")
    if order == "nearest" and near is not None:
        ewkt = near.ewkt
        # The KNN operator on the geometry walks the GiST index; the metres are for display.
        return queryset.annotate(distance_m=RawSQL(
            '"assets_asset"."location"::geography <-> %s::geography', [ewkt])).order_by(
            RawSQL('"assets_asset"."location" <-> %s::geometry', [ewkt]), "pk")
    return queryset.order_by("created_at", "pk")


def verification_counts(*, user) -> list[tuple[AdminUnit, int]]:
    """(commune, assets awaiting verification) for each of the user's communes that has any,
    communes in Vietnamese name order."""
    counts = dict(verification_queue(user=user).order_by().values("commune_id")
                  .annotate(n=Count("pk")).values_list("commune_id", "n"))
    communes = AdminUnit.objects.filter(pk__in=[pk for pk in counts if pk is not None])
    return [(unit, counts[unit.pk]) for unit in communes.defer("boundary").in_name_order()]


def verification_recent(*, user, limit: int = 10) -> list[Asset]:
    """The latest verifications and correction requests in the user's communes, newest
    first, each with `.reviewed_at`."""
    reviewed = asset_list(user=user).filter(
        Q(verified_at__isnull=False) | Q(correction_requested_at__isnull=False))
    # GREATEST skips NULLs in PostgreSQL: the later of the two, whichever exists.
    return list(reviewed.annotate(reviewed_at=Greatest("verified_at", "correction_requested_at"))
                .select_related("commune", "verified_by", "correction_requested_by")
                .defer("commune__boundary", "shape").order_by("-reviewed_at")[:limit])


def plaque_list(*, user) -> QuerySet[Plaque]:
    """Plaques of the assets the user may see."""
    return Plaque.objects.filter(asset__in=asset_list(user=user))


def report_list(*, user) -> QuerySet[Report]:
    """Public reports on the assets the user may see."""
    return Report.objects.filter(asset__in=asset_list(user=user))


def field_action_list(*, user) -> QuerySet[FieldAction]:
    """What clerks did in the field on the assets the user may see."""
    return FieldAction.objects.filter(asset__in=asset_list(user=user))


def report_new_count(*, user) -> int:
    """How many reports on the user's assets nobody has triaged yet (the admin index and the
    report list show it)."""
    return report_list(user=user).filter(status=Report.Status.NEW).count()


def hamlet_list(*, user) -> QuerySet[Hamlet]:
    """Hamlets of the communes a staff user works in (all for the whole installation)."""
    if not is_staff(user):
        return Hamlet.objects.none()
    if user_sees_all_communes(user=user):
        return Hamlet.objects.all()
    return Hamlet.objects.filter(commune_id__in=user_commune_ids(user=user))


def asset_history_list(*, user) -> QuerySet:
    """History rows of the assets the user may see today (a clerk does not read the story
    of another commune's asset, even of the time it lay in the clerk's commune)."""
    return Asset.history.filter(id__in=asset_list(user=user).values("pk"))


def plaque_history_list(*, user) -> QuerySet:
    return Plaque.history.filter(id__in=plaque_list(user=user).values("pk"))


def print_batch_list(*, user) -> QuerySet[PrintBatch]:
    """Print batches: the whole-installation office sees all; a clerk sees the batches the
    clerk made and those that printed plaques of the clerk's communes only."""
    if not is_staff(user):
        return PrintBatch.objects.none()
    if user_sees_all_communes(user=user):
        return PrintBatch.objects.all()
    foreign = Plaque.objects.exclude(asset__commune_id__in=user_commune_ids(user=user))
    return PrintBatch.objects.filter(created_by=user).exclude(
        pk__in=foreign.filter(batch__isnull=False).values("batch_id"))
