"""Demo assets: the streets of Lạng Sơn city, public works and heritage sites.

Names are real, positions approximate and shapes synthetic; every asset is marked synthetic
and unverified. Each has a stable external_id ("demo:street:tran-dang-ninh"), so a second
run updates in place and never issues a new code.
"""
import hashlib
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from assets.access import SYSTEM
from assets.demo import heritage, places, streets
from assets.models import Asset, IssuedCode
from assets.services.codes import code_issue_bulk
from assets.services.registry import asset_update
from geodata import loaders, reference
from geodata.models import AdminUnit, DataLoad
from geodata.unit_lookup import asset_units_at_xy, communes_at_points

GENERATOR_VERSION = "demo-assets-2"
DATASET = "demo_assets"
SOURCE = "synthetic demo (qrmap)"
PREFIX = "demo:"
FIELDS = ["kind", "category", "name_vi", "name_en", "name_zh", "description_vi",
          "description_en", "description_zh", "location", "shape", "heritage_rank",
          "position_verified", "source", "synthetic"]
# Stands for the commune in a description until the communes of all specs are known.
PLACE = "\x00place\x00"


@dataclass
class DemoLoad:
    loaded: bool
    counts: dict


def slug(text: str) -> str:
    """ASCII slug of a Vietnamese name.

    >>> slug("Trần Đăng Ninh")
    'tran-dang-ninh'
    """
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if c.isascii()).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in text).split())


def demo_assets_specs(*, seed: int) -> list[dict]:
    """The field values of every demo asset, keyed by external_id (nothing is written)."""
    wards = AdminUnit.objects.current().communes().filter(unit_type="Phường")
    city = wards[0].boundary
    for ward in wards[1:]:
        city = city.union(ward.boundary)
    specs = _street_specs(seed, city.prepared) + _work_specs() + _heritage_specs()
    commune_ids = communes_at_points([spec["location"] for spec in specs])
    names = dict(AdminUnit.objects.filter(pk__in=set(commune_ids)).values_list("pk", "name"))
    for spec, commune_id in zip(specs, commune_ids, strict=True):
        where = names.get(commune_id, "tỉnh Lạng Sơn")
        for name in ("description_vi", "description_en"):
            spec[name] = spec[name].replace(PLACE, where)
        spec["description_zh"] = spec["description_zh"].replace(PLACE, places.unit_name_zh(where))
    return specs


def _street_specs(seed, city):
    specs = []
    for index, (name, start, bearing, length, name_zh) in enumerate(streets.STREETS):
        shape = streets.street_clip(
            streets.street_shape(start=start, bearing=bearing, length=length,
                                 seed=seed + index), city)
        location = Point(*shape.coords[0], srid=settings.QRMAP_SRID)
        where = PLACE
        name_vi = ("Đường " if length >= 1000 else "Phố ") + name
        if name_zh:
            name_zh += "路" if length >= 1000 else "街"
        specs.append(_spec(
            f"{PREFIX}street:{slug(name)}", Asset.Kind.STREET, Asset.Category.STREET,
            (name_vi, f"{name} Street", name_zh),
            (f"Tuyến phố {name} ở {where}. Đường vẽ trên bản đồ là hình dạng tổng hợp của "
             "dữ liệu mẫu, chưa phải số liệu khảo sát.",
             f"{name} Street in {where}. The line on the map is a synthetic demo shape, not "
             "a survey.",
             f"{name_zh or name_vi}位于{where}。地图上的线条是示例数据的合成形状，并非测量结果。"),
            location, shape=shape))
    return specs


def _work_specs():
    specs = []
    for key, category, lonlat, names in places.PUBLIC_WORKS:
        location = Point(*lonlat, srid=settings.QRMAP_SRID)
        where = PLACE
        texts = tuple(f"{line.format(place=where)} {note}" for line, note in
                      zip(places.DESCRIPTIONS[category], places.APPROXIMATE, strict=True))
        specs.append(_spec(f"{PREFIX}work:{key}", Asset.Kind.PUBLIC_WORK, category, names,
                           texts, location))
    return specs


def _heritage_specs():
    return [
        _spec(f"{PREFIX}heritage:{site['key']}", Asset.Kind.HERITAGE, site["category"],
              site["name"], site["text"], Point(*site["lonlat"], srid=settings.QRMAP_SRID),
              rank=site["rank"])
        for site in heritage.HERITAGE
    ]


def _spec(external_id, kind, category, names, texts, location, shape=None, rank=""):
    return {
        "external_id": external_id, "kind": kind, "category": category,
        "name_vi": names[0], "name_en": names[1], "name_zh": names[2],
        "description_vi": texts[0], "description_en": texts[1], "description_zh": texts[2],
        "location": location, "shape": shape, "heritage_rank": rank,
        # Approximate or synthetic positions: staff verify on the map before printing.
        "position_verified": False, "source": SOURCE, "synthetic": True,
    }


def demo_assets_fingerprint(*, seed: int) -> str:
    content = repr((GENERATOR_VERSION, seed, streets.STREETS, places.PUBLIC_WORKS,
                    places.DESCRIPTIONS, places.APPROXIMATE, heritage.HERITAGE,
                    reference.files_fingerprint(version=loaders.LOADER_VERSION)))
    return hashlib.sha256(content.encode()).hexdigest()


def demo_assets_load(*, seed: int, force: bool = False) -> DemoLoad:
    """Create or update the demo assets; a no-op when this content is already loaded."""
    fingerprint = demo_assets_fingerprint(seed=seed)
    if not force:
        done = (DataLoad.objects.filter(name=DATASET, fingerprint=fingerprint)
                .values_list("counts", flat=True).first())
        if done is not None:
            return DemoLoad(loaded=False, counts=done)
    specs = demo_assets_specs(seed=seed)
    with transaction.atomic():
        existing = {asset.external_id: asset
                    for asset in Asset.objects.filter(external_id__startswith=PREFIX)}
        for spec in specs:
            asset = existing.get(spec["external_id"])
            changed = {n: spec[n] for n in FIELDS if n != "position_verified"}
            if asset is not None and any(getattr(asset, n) != v for n, v in changed.items()):
                # The service keeps the code, follows the point's commune and records history.
                asset_update(user=SYSTEM, asset=asset, fields=changed, reason="demo data")
        _assets_create([spec for spec in specs if spec["external_id"] not in existing])
        counts = demo_assets_counts()
        DataLoad.objects.update_or_create(
            name=DATASET, defaults={"fingerprint": fingerprint, "counts": counts})
    return DemoLoad(loaded=True, counts=counts)


def _assets_create(specs: list[dict]) -> None:
    """New demo assets in a few queries: codes from code_issue_bulk (the same never-reused
    code space as Asset.save()), communes in one pass, rows and history rows in bulk."""
    if not specs:
        return
    issued = code_issue_bulk(owner=IssuedCode.Owner.ASSET, count=len(specs))
    xs, ys = [spec["location"].x for spec in specs], [spec["location"].y for spec in specs]
    # The units before 2025 are the table trigger's; asked here too for the history rows,
    # which bulk_create_with_history builds from these instances.
    units = asset_units_at_xy(xs, ys)
    assets = [Asset(code=code, **found._asdict(), **spec)
              for spec, code, found in zip(specs, issued, units, strict=True)]
    for asset in assets:
        asset.full_clean(exclude=["code"])
    bulk_create_with_history(assets, Asset, batch_size=200)


def demo_assets_counts() -> dict:
    demo = Asset.objects.filter(external_id__startswith=PREFIX, synthetic=True)
    return {
        "streets": demo.filter(kind=Asset.Kind.STREET).count(),
        "public_works": demo.filter(kind=Asset.Kind.PUBLIC_WORK).count(),
        "heritage": demo.filter(kind=Asset.Kind.HERITAGE).count(),
        "assets": demo.count(),
    }
