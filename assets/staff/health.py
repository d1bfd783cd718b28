"""Plaque health for staff: which plaques nobody scans, which the public reports, and how
often each commune's plaques are scanned week by week. Reads only, scoped to the user."""
import datetime

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from assets import scope
from assets.models import Plaque, Report, Scan

OPEN_REPORTS = (Report.Status.NEW, Report.Status.TRIAGED)


def plaques_never_scanned(*, user, grace_days: int = 14) -> list[Plaque]:
    """Installed plaques without a single scan since installation (older than grace_days,
    so that a plaque hung yesterday is not flagged yet)."""
    since = timezone.localdate() - datetime.timedelta(days=grace_days)
    scanned = Scan.objects.filter(plaque=OuterRef("pk"), day__gte=OuterRef("installed_on"))
    return list(
        scope.plaque_list(user=user)
        .filter(status=Plaque.Status.INSTALLED, installed_on__lte=since)
        .annotate(scanned=Exists(scanned)).filter(scanned=False)
        .select_related("asset", "asset__commune").order_by("installed_on")[:500]
    )


def plaques_with_open_reports(*, user) -> list[Plaque]:
    """Plaques with reports that staff have not resolved yet, most reported first."""
    return list(
        scope.plaque_list(user=user)
        .annotate(open_reports=Count("reports", filter=Q(reports__status__in=OPEN_REPORTS)))
        .filter(open_reports__gt=0).select_related("asset", "asset__commune")
        .order_by("-open_reports", "code")[:500]
    )


def scans_per_commune_week(*, user, weeks: int = 8) -> tuple[list[datetime.date], list[dict]]:
    """(week starts, rows of {commune, counts per week, total}) for the last `weeks` weeks."""
    today = timezone.localdate()
    first = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    starts = [first + datetime.timedelta(weeks=i) for i in range(weeks)]
    rows = (
        Scan.objects.filter(asset__in=scope.asset_list(user=user), day__gte=first)
        .annotate(week=TruncWeek("day"))
        .values("asset__commune__name", "week").annotate(n=Sum("count"))
    )
    table: dict[str, dict] = {}
    for row in rows:
        name = row["asset__commune__name"] or "—"
        entry = table.setdefault(name, {"commune": name, "counts": dict.fromkeys(starts, 0)})
        week = row["week"].date() if hasattr(row["week"], "date") else row["week"]
        entry["counts"][week] = entry["counts"].get(week, 0) + row["n"]
    out = []
    for entry in sorted(table.values(), key=lambda e: e["commune"]):
        counts = [entry["counts"].get(s, 0) for s in starts]
        out.append({"commune": entry["commune"], "counts": counts, "total": sum(counts)})
    return starts, out
