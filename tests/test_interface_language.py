"""Every page a superuser, a planner or a visitor opens, rendered in Vietnamese and Chinese,
shows no English model name, no English plural "s" glued to a Vietnamese or Chinese word, and
no five-digit figure without its thousands separator (GLOSSARY.md, "Numbers" and "Admin").

What the figure check leaves alone, because it is not a figure: numbers with a leading zero
(GSO unit codes such as 06151), digits touching a letter, "-", "/", ":", "#", "." or "," (plaque
and asset codes, dates, times, coordinates and decimal places), and anything inside tags
(attributes, URLs, JSON in <script>): only the visible text is read."""
import csv
import html
import io
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from assets.demo import demo_assets_load
from assets.models import Asset, Plaque, PrintBatch, Report, StaffScope
from geodata.demo import demo_geodata_load, demo_seed
from geodata.models import AdminUnit
from qrmap.collation import VI_COLLATION, vietnamese_key

pytestmark = pytest.mark.django_db

LANGUAGES = ["vi", "zh-hans"]

# A letter of Vietnamese (with a diacritic) or a CJK character, then a bare "s": Django's
# English plural glued to a translated name ("Tài sảns", "设施s"). Vietnamese words never
# end in "s".
MANGLED_PLURAL = re.compile(r"\b[^\W\d_]*[À-ỹ][^\W\d_]*s\b|[\u4e00-\u9fff]s\b")
# Five or more digits standing alone as a figure (see the module docstring for the rest).
UNGROUPED = re.compile(r"(?<![\w.,:/#\-])[1-9]\d{4,}(?![\w.,:/\-])")


def visible_text(page: str) -> str:
    """The text a reader sees: no scripts, styles, tags or attributes."""
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page))


def english_names() -> set[str]:
    """The English names of the project's apps and models and of every model and app in the
    admin (Django's, DRF's): none of them may show on a vi/zh page."""
    models = set(admin.site._registry)
    with translation.override("en"):
        for config in apps.get_app_configs():
            if config.name in ("assets", "geodata"):
                models.update(config.get_models())
        names = {str(model._meta.app_config.verbose_name) for model in models}
        names.update(str(name) for model in models for name in (
            model._meta.verbose_name, model._meta.verbose_name_plural))
    return {name for name in names if len(name) > 3}


def english_labels() -> set[str]:
    """The English labels of the project's fields, the way the admin writes them."""
    labels = set()
    with translation.override("en"):
        for config in apps.get_app_configs():
            if config.name in ("assets", "geodata"):
                for model in config.get_models():
                    for field in model._meta.get_fields():
                        if hasattr(field, "verbose_name"):
                            labels.add(str(field.verbose_name).lower())
    return labels


def label_texts(page: str) -> list[str]:
    """What stands as a label: form labels, column headers, filter and fieldset titles."""
    found = re.findall(r"<(label|th|h2|h3)\b[^>]*>(.*?)</\1>", page, flags=re.S | re.I)
    return [visible_text(inner).strip().rstrip(":").strip() for _tag, inner in found]


def problems(page: str, english: set[str], labels: frozenset[str] = frozenset()) -> list[str]:
    found = [f"English label: {text!r}" for text in label_texts(page)
             if text.lower() in labels]
    found += [f"raw value in a cell: {cell!r}" for cell in re.findall(
        r"<td\b[^>]*>\s*(yes|no|unknown|true|false|none)\s*</td>", page, flags=re.I)]
    text = visible_text(page)
    found += [f"plural: {m.group(0)!r} in …{text[max(0, m.start() - 30):m.end() + 5]}…"
              for m in MANGLED_PLURAL.finditer(text)]
    found += [f"ungrouped figure: {m.group(0)} in …{text[max(0, m.start() - 40):m.end() + 5]}…"
              for m in UNGROUPED.finditer(text)]
    for name in english:
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, flags=re.I):
            found.append(f"English name: {name!r}")
    return found


@pytest.fixture
def site(geography, django_user_model):
    seed = demo_seed()
    demo_geodata_load(seed=seed)
    demo_assets_load(seed=seed)
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    asset = Asset.objects.filter(kind=Asset.Kind.HERITAGE).first()
    plaque = Plaque.objects.create(asset=asset, template="heritage", width_mm=300,
                                   height_mm=200, code="M5KTMQCE")
    report = Report.objects.create(asset=asset, plaque=plaque, code=plaque.code,
                                   problem="damaged", text="Biển bị cong.")
    batch = PrintBatch.objects.create(created_by=boss, template="heritage", paper="A4",
                                      total=12345, skipped=[["7PJ2QXRF", "not verified"]])
    StaffScope.objects.create(user=boss, all_communes=True)
    return {"boss": boss, "asset": asset, "plaque": plaque, "batch": batch,
            "report": report}


def admin_pages(site):
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        pages.append(reverse("admin:app_list", args=[model._meta.app_label]))
    asset, plaque = site["asset"], site["plaque"]
    pages += [reverse("admin:assets_asset_change", args=[asset.pk]),
              reverse("admin:assets_asset_history", args=[asset.pk]),
              reverse("admin:assets_plaque_change", args=[plaque.pk]),
              reverse("admin:geodata_adminunit_change", args=[
                  AdminUnit.objects.get(level="province", valid_to__isnull=True).pk])]
    return sorted(set(pages))


def public_and_staff_pages(site):
    code = site["asset"].code
    return ["/", reverse("public:asset", args=[code]), reverse("public:search") + "?q=chua",
            reverse("maps:assets"), reverse("maps:coverage"),
            reverse("public:asset-report", args=[code]),
            reverse("staff:print_centre"), reverse("staff:plaque_health"),
            reverse("staff:plaque_detail", args=[site["plaque"].code]),
            reverse("staff:batch_detail", args=[site["batch"].pk]),
            reverse("staff:import_upload"), reverse("staff:verify_queue"), reverse("field:page"),
            reverse("planning:dashboard"),
            reverse("planning:dashboard") + "?sort=name", reverse("planning:print"),
            reverse("public:near") + "?lat=21.8537&lon=106.7615", reverse("ogc:landing"),
            reverse("login"), reverse("admin:assets_staffscope_add"),
            reverse("admin:assets_report_change", args=[site["report"].pk])]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_admin_and_main_page_speaks_the_language(client, site, language):
    client.force_login(site["boss"])
    english = english_names()
    labels = frozenset(english_labels())
    found = {}
    for url in admin_pages(site) + public_and_staff_pages(site):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        if response.get("Content-Type", "").startswith("text/html"):
            issues = problems(response.content.decode(), english, labels)
            if issues:
                found[url] = issues
    assert not found, "\n".join(f"{url}: {issues}" for url, issues in found.items())


def test_the_checks_catch_what_they_are_for():
    english = {"asset", "assets", "Print batches"}
    assert len(problems("<h1>Tài sảns</h1><p>设施s</p>", english)) == 2
    assert problems("<p>188813 thôn</p>", english)
    assert problems("<td>Print batches</td>", english)
    assert problems("<th>Heritage rank</th>", english, frozenset({"heritage rank"}))
    assert problems("<td>unknown</td>", english)
    assert not problems('<a href="/a/12345">188.813 thôn</a> năm 2025, mã 06151, '
                        "21,8547° B, 106,76123° Đ, AJJB-MNJ1, 2025-07-01 12:34", english)


def test_python_and_the_database_agree_on_vietnamese_order(geography):
    names = list(AdminUnit.objects.values_list("name", flat=True).distinct())
    in_database = list(AdminUnit.objects.filter(name__in=names).order_by(
        Collate("name", VI_COLLATION)).values_list("name", flat=True).distinct())
    assert sorted(set(names), key=vietnamese_key) == list(dict.fromkeys(in_database))


@pytest.mark.parametrize("url", ["/staff/print/", "/planning/", "/maps/assets/",
                                 "/admin/assets/asset/", "/admin/assets/staffscope/add/"])
def test_commune_lists_follow_vietnamese_order(client, site, url):
    client.force_login(site["boss"])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    # The lists to choose from: the admin's filter sidebar, or the page's <select>s.
    if 'id="changelist-filter"' in page:
        lists = page.split('id="changelist-filter"', 1)[1]
    else:
        lists = " ".join(re.findall(r"<select\b.*?</select>", page, flags=re.S))
    shown = [re.sub(r" \(\d+\)$", "", html.unescape(name).strip()) for name in re.findall(
        r">\s*((?:Xã|Phường) [^<]+?)\s*<", lists)]
    communes = list(dict.fromkeys(shown))
    assert len(communes) > 5, url
    assert communes == sorted(communes, key=vietnamese_key), url
    assert communes.index("Phường Đông Kinh") < communes.index("Phường Tam Thanh"), communes


def test_every_model_and_field_of_the_project_has_a_translatable_name():
    untranslated = []
    for config in apps.get_app_configs():
        if config.name not in ("assets", "geodata"):
            continue
        for model in config.get_models():
            if model.__name__.startswith("Historical"):  # simple_history copies the fields
                continue
            untranslated += [f"{model.__name__}.Meta.{name}"
                             for name in ("verbose_name", "verbose_name_plural")
                             if not isinstance(model._meta.original_attrs.get(name), Promise)]
            untranslated += [f"{model.__name__}.{field.name}" for field in model._meta.get_fields()
                             if hasattr(field, "verbose_name") and not field.auto_created
                             and not isinstance(field.verbose_name, Promise)]
        assert isinstance(config.verbose_name, Promise), config.name
    assert not untranslated


@pytest.mark.parametrize("language", LANGUAGES)
def test_exports_stay_machine_readable_in_every_language(client, site, language):
    """Files for other programs keep plain figures and dot decimals: no grouping."""
    client.force_login(site["boss"])
    url = reverse("planning:export", args=["communes", "csv"])
    text = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    populations = [int(row["population"]) for row in csv.DictReader(io.StringIO(text))]
    assert max(populations) > 9999
    url = reverse("planning:export", args=["hamlets", "geojson"])
    features = client.get(url, HTTP_ACCEPT_LANGUAGE=language).json()["features"]
    assert all(isinstance(f["properties"]["population"], int) for f in features)
