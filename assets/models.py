"""Assets (streets, public works, heritage sites), their plaques, scans and reports."""
from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assets import codes
from geodata.models import AdminUnit


class IssuedCode(models.Model):
    """Every digital-address code ever handed out, asset or plaque: the table only grows,
    so a code can never be issued twice, even after its asset or plaque is deleted."""

    class Owner(models.TextChoices):
        ASSET = "asset", _("asset")
        PLAQUE = "plaque", _("plaque")

    code = models.CharField(max_length=8, primary_key=True)
    owner = models.CharField(max_length=10, choices=Owner.choices)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9A-HJKMNP-TV-Z]{8}$"),
                                   name="issuedcode_crockford"),
        ]

    def __str__(self):
        return self.code


class Asset(models.Model):
    class Kind(models.TextChoices):
        STREET = "street", _("street")
        PUBLIC_WORK = "public_work", _("public work")
        HERITAGE = "heritage", _("heritage or scenic site")

    class Category(models.TextChoices):
        STREET = "street", _("street")
        BRIDGE = "bridge", _("bridge")
        SCHOOL = "school", _("school")
        MARKET = "market", _("market")
        CLINIC = "clinic", _("clinic / hospital")
        OFFICE = "office", _("public office")
        BUS_STATION = "bus_station", _("bus station")
        PARK = "park", _("park / square")
        STADIUM = "stadium", _("stadium / sports")
        CULTURAL_HOUSE = "cultural_house", _("cultural house")
        POST_OFFICE = "post_office", _("post office")
        RELIC = "relic", _("historical relic")
        PAGODA = "pagoda", _("pagoda")
        TEMPLE = "temple", _("temple")
        CAVE = "cave", _("cave")
        MOUNTAIN = "mountain", _("mountain")
        BORDER_GATE = "border_gate", _("border gate")
        MONUMENT = "monument", _("monument")
        LAKE = "lake", _("lake / river")
        OTHER = "other", _("other")

    class HeritageRank(models.TextChoices):
        NONE = "", _("not ranked")
        SPECIAL_NATIONAL = "special_national", _("special national relic")
        NATIONAL = "national", _("national relic")
        PROVINCIAL = "provincial", _("provincial relic")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        RETIRED = "retired", _("retired")

    code = models.CharField(_("code"), max_length=8, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=300, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    # Where the plaque stands or the entrance is; the optional shape is the street line or
    # the site outline.
    location = models.PointField(_("location"), srid=4326)
    shape = models.GeometryField(_("shape"), srid=4326, null=True, blank=True)
    commune = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="assets",
        editable=False, verbose_name=_("commune"),
    )
    heritage_rank = models.CharField(
        _("heritage rank"), max_length=20, choices=HeritageRank.choices, blank=True, default=""
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.ACTIVE)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces",
        verbose_name=_("replaced by"),
    )
    position_verified = models.BooleanField(_("position verified"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    source = models.CharField(_("source"), max_length=300, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)
    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("asset")
        constraints = [
            models.CheckConstraint(
                condition=~Q(heritage_rank="") & Q(kind="heritage") | Q(heritage_rank=""),
                name="asset_rank_only_for_heritage",
            ),
        ]
        indexes = [models.Index(fields=["kind", "category"])]

    def __str__(self):
        return f"{self.name_vi} ({self.code})"

    @property
    def grouped_code(self):
        return codes.group(self.code) if self.code else ""


class AssetPhoto(models.Model):
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("image"), upload_to="assets/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.caption or self.image.name


class PrintBatch(models.Model):
    """One print job: the PDF handed to the sign maker and the plaques it created."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    template = models.CharField(max_length=20)
    paper = models.CharField(max_length=20)
    parameters = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    skipped = models.JSONField(default=list, blank=True)
    file = models.FileField(upload_to="print/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Batch {self.pk} ({self.created_at:%Y-%m-%d})"


class Plaque(models.Model):
    class Template(models.TextChoices):
        STREET_SIGN = "street_sign", _("street sign")
        HERITAGE = "heritage", _("heritage plaque")
        STICKER = "sticker", _("small sticker")

    class Status(models.TextChoices):
        DESIGNED = "designed", _("designed")
        PRINTED = "printed", _("printed")
        INSTALLED = "installed", _("installed")
        DAMAGED = "damaged", _("damaged")
        REPLACED = "replaced", _("replaced")
        REMOVED = "removed", _("removed")

    code = models.CharField(_("code"), max_length=8, unique=True, editable=False)
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="plaques")
    template = models.CharField(_("template"), max_length=20, choices=Template.choices)
    width_mm = models.PositiveIntegerField(_("width (mm)"))
    height_mm = models.PositiveIntegerField(_("height (mm)"))
    languages = models.CharField(_("languages"), max_length=20, default="vi,en,zh")
    mount_distance_m = models.FloatField(_("scan distance (m)"), default=1.0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DESIGNED)
    batch = models.ForeignKey(PrintBatch, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="plaques")
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="replaces")
    designed_at = models.DateTimeField(auto_now_add=True)
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    install_photo = models.ImageField(_("installation photo"), upload_to="plaques/%Y/%m/",
                                      blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["asset", "id"]
        verbose_name = _("plaque")
        constraints = [
            models.CheckConstraint(condition=Q(width_mm__gte=20, height_mm__gte=20),
                                   name="plaque_min_size"),
        ]

    def __str__(self):
        return f"{self.code} ({self.get_template_display()})"

    @property
    def grouped_code(self):
        return codes.group(self.code) if self.code else ""


class Scan(models.Model):
    """Daily scan count of one code and language. Nothing about the person who scanned."""

    day = models.DateField()
    code = models.CharField(max_length=8)
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="scans")
    plaque = models.ForeignKey(Plaque, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="scans")
    language = models.CharField(max_length=10, default="vi")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "day", "language"], name="scan_daily_unique"),
        ]
        indexes = [models.Index(fields=["asset", "day"])]

    def __str__(self):
        return f"{self.code} {self.day}: {self.count}"


class Report(models.Model):
    class Problem(models.TextChoices):
        DAMAGED = "damaged", _("the plaque is damaged")
        MISSING = "missing", _("the plaque is missing")
        WRONG = "wrong_info", _("the information is wrong")
        OTHER = "other", _("something else")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        TRIAGED = "triaged", _("triaged")
        RESOLVED = "resolved", _("resolved")
        REJECTED = "rejected", _("rejected")

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="reports")
    plaque = models.ForeignKey(Plaque, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="reports")
    code = models.CharField(max_length=8, blank=True)
    problem = models.CharField(_("problem"), max_length=20, choices=Problem.choices)
    text = models.TextField(_("what is wrong"), max_length=2000, blank=True)
    photo = models.ImageField(_("photo"), upload_to="reports/%Y/%m/", blank=True)
    contact = models.CharField(_("contact (optional)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.NEW)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    staff_note = models.TextField(_("staff note"), blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_problem_display()} — {self.asset}"


class StaffScope(models.Model):
    """Which communes a staff user may edit and print for; the province office sees all."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="qrmap_scope")
    all_communes = models.BooleanField(_("all communes (province office)"), default=False)
    communes = models.ManyToManyField(AdminUnit, blank=True, related_name="+",
                                      limit_choices_to={"level": "commune",
                                                        "valid_to__isnull": True})

    def __str__(self):
        return f"{self.user}: {'all' if self.all_communes else self.communes.count()} communes"
