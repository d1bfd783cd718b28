"""Administrative units (with the 2025 reform), hamlets and mobile cell sites."""
import datetime

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate
from django.utils.translation import gettext_lazy as _

from qrmap.collation import VI_COLLATION


def reform_date():
    return datetime.date.fromisoformat(settings.QRMAP_REFORM_DATE)


def reform_eve() -> datetime.date:
    """The last day the units before the 2025 reform were in force."""
    return reform_date() - datetime.timedelta(days=1)


class AdminUnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Units in force on `day` (valid_from/valid_to are inclusive, NULL is open)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def current(self):
        return self.valid_on(datetime.date.today())

    def before_reform(self):
        return self.valid_on(reform_eve())

    def communes(self):
        return self.filter(level=AdminUnit.Level.COMMUNE)

    def in_name_order(self):
        """By name in Vietnamese alphabetical order ("Bắc Sơn" before "Bình Gia")."""
        return self.order_by(Collate("name", VI_COLLATION), "code")

    def districts(self):
        return self.filter(level=AdminUnit.Level.DISTRICT)

    def containing(self, point):
        """Units whose boundary covers the point (units without polygons never match).

        Asked of geodata_unitpart, the boundaries cut into small parts (migration 0006):
        the same answer as ST_Covers on the whole polygon, which walks thousands of edges
        per test (a province outline: 10 ms; a part: well under one)."""
        if point.srid is None:
            point = point.clone()
            point.srid = settings.QRMAP_SRID
        elif point.srid != settings.QRMAP_SRID:
            point = point.transform(settings.QRMAP_SRID, clone=True)
        parts = RawSQL("SELECT unit_id FROM geodata_unitpart WHERE ST_Covers(geom, %s::geometry)",
                       [point.ewkt])
        return self.filter(pk__in=parts)


class AdminUnit(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        DISTRICT = "district", _("district")
        COMMUNE = "commune", _("commune / ward")

    # GSO codes are reused across the reform (a new commune keeps one old commune's code),
    # so a code is unique only together with its level and validity.
    code = models.CharField(_("GSO code"), max_length=10, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=200, blank=True)
    unit_type = models.CharField(_("type"), max_length=50, blank=True)  # Tỉnh, Huyện, Xã, Phường...
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent unit"),
    )
    boundary = models.MultiPolygonField(_("boundary"), srid=settings.QRMAP_SRID, null=True,
                                        blank=True)
    # Its province (itself for a province): derived by the trigger of migration 0009.
    province = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", editable=False, verbose_name=_("province"))
    label_point = models.PointField(_("label point"), srid=settings.QRMAP_SRID, null=True,
                                    blank=True)
    admin_center = models.CharField(_("administrative centre"), max_length=300, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # through_fields: without them Django takes the first FK of UnitSuccession (predecessor)
    # as this side, and unit.predecessors would list the successors.
    predecessors = models.ManyToManyField(
        "self", through="UnitSuccession", through_fields=("successor", "predecessor"),
        symmetrical=False, related_name="successors", blank=True,
        verbose_name=_("merged from"),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "valid_to"],
                name="adminunit_code_unique_per_period",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="adminunit_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class UnitSuccession(models.Model):
    """One edge of the 2025 merger: an old unit (all or part of it) went into a new one."""

    class Kind(models.TextChoices):
        FULL = "full", _("whole unit")
        PARTIAL = "partial", _("part of the unit")

    predecessor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("former unit"))
    successor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("new unit"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FULL)
    effective_on = models.DateField(_("effective on"), default=reform_date)

    class Meta:
        verbose_name = _("unit merger")
        verbose_name_plural = _("unit mergers")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique")
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()})"


class Availability(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("unknown")


class HamletQuerySet(models.QuerySet):
    def within(self, unit):
        return self.filter(location__within=unit.boundary) if unit.boundary else self.none()


class Hamlet(models.Model):
    """A thôn/bản/khối with its declared 3G/4G and broadband status."""

    name = models.CharField(_("name"), max_length=200)
    commune = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="hamlets", null=True, blank=True,
        verbose_name=_("commune"),
    )
    # The district that held the location before 2025-07-01, for the per-old-district
    # figures. Derived, never typed: the triggers of migration 0007 keep it (and the commune,
    # when none is given) equal to the location and the unit boundaries; DO_NOTHING because
    # the trigger moves the hamlets of a deleted district to the next one in the database.
    district_before = models.ForeignKey(
        AdminUnit, on_delete=models.DO_NOTHING, related_name="+", null=True, blank=True,
        editable=False, verbose_name=_("district before 2025"),
    )
    # Migration 0009 adds location_metric, this point in UTM 48N that PostgreSQL computes
    # (a generated column without a field): the coverage model's planar distance tests.
    location = models.PointField(_("location"), srid=settings.QRMAP_SRID)
    households = models.PositiveIntegerField(_("households"), default=0)
    population = models.PositiveIntegerField(_("population"), default=0)
    mobile_status = models.CharField(
        _("3G/4G declared"), max_length=10, choices=Availability.choices,
        default=Availability.UNKNOWN,
    )
    broadband_status = models.CharField(
        _("broadband declared"), max_length=10, choices=Availability.choices,
        default=Availability.UNKNOWN,
    )
    survey_date = models.DateField(_("survey date"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)
    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HamletQuerySet.as_manager()

    class Meta:
        ordering = ["commune__code", "name"]
        verbose_name = _("hamlet")
        verbose_name_plural = _("hamlets")
        # The coverage list's keyset pages (geodata.coverage.listing), per commune.
        indexes = [models.Index(models.F("commune"), Collate("name", VI_COLLATION),
                                models.F("id"), name="hamlet_list_order")]

    def __str__(self):
        return self.name


class CellSiteQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=CellSite.Status.ACTIVE)


class CellSite(models.Model):
    class Operator(models.TextChoices):
        VIETTEL = "viettel", "Viettel"
        VINAPHONE = "vinaphone", "VinaPhone"
        MOBIFONE = "mobifone", "MobiFone"
        VIETNAMOBILE = "vietnamobile", "Vietnamobile"

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("active")
        RETIRED = "retired", _("retired")

    class Terrain(models.TextChoices):
        URBAN = "urban", _("urban")
        RURAL = "rural", _("rural")
        MOUNTAIN = "mountain", _("mountain")

    TECHNOLOGIES = ["2G", "3G", "4G", "5G"]

    name = models.CharField(_("name"), max_length=200, blank=True)
    operator = models.CharField(_("operator"), max_length=20, choices=Operator.choices)
    technologies = ArrayField(models.CharField(max_length=2), verbose_name=_("technologies"))
    terrain = models.CharField(
        _("terrain"), max_length=10, choices=Terrain.choices, default=Terrain.RURAL
    )
    # Per-technology radius overrides in metres, e.g. {"4G": 3500}; defaults in radio.py.
    radius_overrides = models.JSONField(_("radius overrides (m)"), default=dict, blank=True)
    # The effective 3G-or-better radius, kept on the row so that coverage queries can use
    # ST_DWithin with a constant prefilter (DESIGN.md, "Mind the index"). Null: 2G only.
    coverage_radius_m = models.FloatField(_("3G+ coverage radius (m)"), null=True, blank=True)
    # Like the hamlet's, with location_metric beside it (migration 0009).
    location = models.PointField(_("location"), srid=settings.QRMAP_SRID)
    commune = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="cell_sites", null=True, blank=True,
        verbose_name=_("commune"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    commissioned_on = models.DateField(_("commissioned on"), null=True, blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)
    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CellSiteQuerySet.as_manager()

    class Meta:
        ordering = ["operator", "id"]
        verbose_name = _("cell site")
        verbose_name_plural = _("cell sites")

    def __str__(self):
        return self.name or f"{self.get_operator_display()} #{self.pk}"


class DataLoad(models.Model):
    """Fingerprint of a bundled data set loaded into this database (makes reloads no-ops)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        verbose_name = _("data load")
        verbose_name_plural = _("data loads")

    def __str__(self):
        return self.name


class AnalysisJob(models.Model):
    """A scenario or proposal of the planner dashboard run by a Celery worker (geodata.jobs),
    and its result, kept for the data it was computed on: the same parameters on the same
    coverage fingerprint give the same result, which any planner may reuse."""

    class Kind(models.TextChoices):
        SCENARIO = "scenario", _("scenario")
        PROPOSAL = "proposal", _("proposal")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The checked form data as plain JSON (sites as [lon, lat, radius_m, label] lists), and
    # its hash with kind and commune: the key reuse looks up.
    parameters = models.JSONField(_("parameters"), default=dict)
    parameters_key = models.CharField(_("parameters key"), max_length=64)
    commune = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+", verbose_name=_("commune"))
    fingerprint = models.CharField(_("coverage data fingerprint"), max_length=32)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="+", verbose_name=_("asked by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveIntegerField(_("progress"), default=0)
    total = models.PositiveIntegerField(_("steps"), default=0)
    message = models.TextField(_("message"), blank=True)
    # Written by the worker while it runs the job; a stale heartbeat means the worker died.
    heartbeat_at = models.DateTimeField(_("heartbeat"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("coverage analysis job")
        verbose_name_plural = _("coverage analysis jobs")
        indexes = [models.Index(fields=["parameters_key", "fingerprint"],
                                name="analysisjob_reuse")]

    def __str__(self):
        return _("%(kind)s %(id)s (%(status)s)") % {
            "kind": self.get_kind_display(), "id": self.pk, "status": self.get_status_display()}
