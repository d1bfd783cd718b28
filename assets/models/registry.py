"""The registry: issued codes and assets (their photos: assets.models.photos)."""
from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, Q, Value
from django.db.models.functions import Collate, Replace
from django.utils.translation import gettext_lazy as _

from assets import codes
from assets.models.history import LeanHistoricalRecords
from geodata.models import AdminUnit
from qrmap.collation import VI_COLLATION


class IssuedCode(models.Model):
    """Every digital-address code ever handed out, asset or plaque: the table only grows,
    so a code can never be issued twice, even after its asset or plaque is deleted."""

    class Owner(models.TextChoices):
        ASSET = "asset", _("asset")
        PLAQUE = "plaque", _("plaque")

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    owner = models.CharField(_("issued for"), max_length=10, choices=Owner.choices)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9A-HJKMNP-TV-Z]{8}$"),
                                   name="issuedcode_crockford"),
        ]
        verbose_name = _("issued code")
        verbose_name_plural = _("issued codes")

    def __str__(self):
        return self.code


def _practical(label, max_length=300):
    # db_default too: the bulk importer and the national benchmark insert rows in raw SQL
    # without these columns, which must then read as blank, not fail as NOT NULL.
    return models.CharField(label, max_length=max_length, blank=True, default="",
                            db_default="")


def _unit_before(label):
    # DO_NOTHING and no index, as on hamlets: a unit's deletion re-derives the assets that
    # named it, found by place and lineage (migration 0025), not by this column.
    return models.ForeignKey(AdminUnit, on_delete=models.DO_NOTHING, null=True, blank=True,
                             related_name="+", editable=False, db_index=False,
                             verbose_name=label)


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

    # Unique by a constraint in Meta, not unique=True: that would add a second, LIKE-only
    # index (varchar_pattern_ops) that no query uses; codes are only ever looked up whole.
    code = models.CharField(_("code"), max_length=8, editable=False)
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
    location = models.PointField(_("location"), srid=settings.QRMAP_SRID)
    shape = models.GeometryField(_("shape"), srid=settings.QRMAP_SRID, null=True, blank=True)
    commune = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="assets",
        editable=False, verbose_name=_("commune"),
    )
    # The province that holds the point, set with the commune by the same service (and
    # re-derived on a move): scopes by province and each province's plaque link read it.
    province = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("province"),
    )
    # Where the point lay before the 2025-07-01 reform: derived, never typed, by the triggers
    # of migration 0025 whatever writes the row (approximate: the old commune was the nearest
    # label point among several, as the old communes have no polygons).
    district_before = _unit_before(_("district before 2025"))
    commune_before = _unit_before(_("commune before 2025"))
    commune_before_approximate = models.BooleanField(
        _("commune before 2025 approximate"), default=False, db_default=False,
        editable=False)
    heritage_rank = models.CharField(
        _("heritage rank"), max_length=20, choices=HeritageRank.choices, blank=True, default=""
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.ACTIVE)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces",
        verbose_name=_("replaced by"), db_index=False,  # a partial index in Meta
    )
    # Practical information for visitors, per language like the names (blank: not shown).
    opening_hours_vi = _practical(_("opening hours (Vietnamese)"))
    opening_hours_en = _practical(_("opening hours (English)"))
    opening_hours_zh = _practical(_("opening hours (Chinese)"))
    fee_vi = _practical(_("fee (Vietnamese)"))
    fee_en = _practical(_("fee (English)"))
    fee_zh = _practical(_("fee (Chinese)"))
    access_vi = _practical(_("access (Vietnamese)"), 1000)
    access_en = _practical(_("access (English)"), 1000)
    access_zh = _practical(_("access (Chinese)"), 1000)
    accessibility_vi = _practical(_("accessibility (Vietnamese)"), 1000)
    accessibility_en = _practical(_("accessibility (English)"), 1000)
    accessibility_zh = _practical(_("accessibility (Chinese)"), 1000)
    # A ranked relic: the decision that put it on the list, and the year.
    heritage_inscription = models.CharField(
        _("ranking decision"), max_length=300, blank=True, default="", db_default="",
        help_text=_("The decision that inscribed the relic on the list, e.g. its number and "
                    "date."))
    heritage_year = models.PositiveSmallIntegerField(
        _("year ranked"), null=True, blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)])
    position_verified = models.BooleanField(_("position verified"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False, verbose_name=_("verified by"),
        db_index=False,  # a partial index in Meta
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    # A verifier's "needs correction" (asset_reject), read by the clerk on the change page;
    # the asset leaves the verification queue until an edit answers it (asset_update).
    correction_reason = models.CharField(_("correction requested"), max_length=500, blank=True,
                                         default="", db_default="", editable=False)
    correction_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False, verbose_name=_("correction requested by"),
        db_index=False)  # a partial index in Meta
    correction_requested_at = models.DateTimeField(_("correction requested at"), null=True,
                                                   blank=True, editable=False)
    source = models.CharField(_("source"), max_length=300, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)
    # Indexed in Meta (a plain b-tree): db_index=True would add a LIKE-only twin that no
    # query uses (the admin's search is a contains, which neither index serves).
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The history is read per asset (id, history_date) and never searched by code, commune,
    # external id, place or verifier: those indexes cost an import a third of its history
    # time and serve nothing.
    history = LeanHistoricalRecords(
        no_db_index=["code", "commune", "external_id", "replaced_by", "verified_by",
                     "correction_requested_by", "district_before", "commune_before"],
        no_spatial_index=["location", "shape"])

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        constraints = [
            models.CheckConstraint(
                condition=~Q(heritage_rank="") & Q(kind="heritage") | Q(heritage_rank=""),
                name="asset_rank_only_for_heritage",
            ),
            models.UniqueConstraint(fields=["code"], name="asset_code_unique"),
        ]
        indexes = [
            models.Index(fields=["kind", "category"]),
            # The default order: a page of a list that many assets match (a common word in
            # ?q=) walks this index instead of sorting every match.
            models.Index(fields=["name_vi", "id"], name="asset_name_vi_order"),
            # The importer matches re-imported rows by external id (= ANY).
            models.Index(fields=["external_id"], name="asset_external_id"),
            # Only deleting a user or an asset looks these up (SET NULL), and almost every
            # asset has neither: a partial index is a few pages, not one entry per asset.
            models.Index(fields=["verified_by"], name="asset_verified_by",
                         condition=Q(verified_by__isnull=False)),
            models.Index(fields=["replaced_by"], name="asset_replaced_by",
                         condition=Q(replaced_by__isnull=False)),
            models.Index(fields=["correction_requested_by"], name="asset_correction_by",
                         condition=Q(correction_requested_by__isnull=False)),
            models.Index(fields=["commune", "created_at"], name="asset_unverified_queue",
                         condition=Q(position_verified=False, correction_reason="",
                                     status="active")),  # the queue, oldest first
            # The public list (/maps/assets/list/): Vietnamese order, keyset pages.
            models.Index(Collate("name_vi", VI_COLLATION), F("code"), name="asset_list_order",
                         condition=Q(status="active")),
        ]

    def __str__(self):
        return f"{self.name_vi} ({self.code})"

    @property
    def grouped_code(self):
        return codes.group(self.code) if self.code else ""

    # Not get_kind_display() / get_category_display(): they hash every lazily translated
    # choice on each call, a third of the time a list of 100 assets took to render.
    @property
    def kind_label(self) -> str:
        return str(_KIND_LABELS.get(self.kind, self.kind))

    @property
    def category_label(self) -> str:
        return str(_CATEGORY_LABELS.get(self.category, self.category))


# Lazy labels: str() translates them into the active language.
_KIND_LABELS = dict(Asset.Kind.choices)
_CATEGORY_LABELS = dict(Asset.Category.choices)


class AssetSearch(models.Model):
    """An asset's three names folded for search (assets.search), in a narrow table of its own
    so that a trigram candidate costs a few bytes to check, not a read of the wide asset row.
    A database trigger (migration 0008) keeps it, whatever writes the asset: the ORM, COPY,
    raw SQL."""

    asset = models.OneToOneField(Asset, on_delete=models.CASCADE, primary_key=True,
                                 related_name="search", verbose_name=_("asset"))
    text = models.TextField(_("folded names"))
    # The asset's own name_vi, the API's default order: a name search sorts its first
    # thousand matches by it without reading their wide asset rows (migration 0027).
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300, default="")

    class Meta:
        verbose_name = _("search text")
        verbose_name_plural = _("search texts")
        # The text with its spaces made letters (assets.search.JOINER says why); the
        # expression must stay the one assets.search.joined() writes, or the index is unused.
        indexes = [GinIndex(OpClass(Replace("text", Value(" "), Value("é"),
                                            output_field=models.TextField()),
                                    name="gin_trgm_ops"),
                            name="assetsearch_joined_trgm")]

    def __str__(self):
        return self.text


class AssetSearchWord(models.Model):
    """A folded word of some asset's name: the vocabulary a mistyped word is corrected against
    (assets.search). Kept by triggers on AssetSearch (migration 0009); a word whose last name was
    renamed stays, which costs nothing but a correction that finds no asset."""

    word = models.TextField(_("word"), primary_key=True)
    # How many names held the word when last counted (migration 0010, a bulk load); null for
    # a word added since. Only a hint to name search for the rarest word of a query: a stale
    # figure makes a search slower, never wrong.
    names = models.IntegerField(_("names"), null=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"],
                            name="assetsearchword_trgm")]

    def __str__(self):
        return self.word
