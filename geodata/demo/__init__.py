"""The deterministic demo generator for hamlets and cell sites (DESIGN.md, "Data").

No public source lists Lạng Sơn's hamlets or cell sites, so the demo makes them up inside the
real commune polygons from a fixed seed (settings.QRMAP_DEMO_SEED): the same seed and the
same geography give the same records, every one marked synthetic.
"""
import hashlib
import random
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone

from geodata import loaders, reference
from geodata.demo import space
from geodata.demo.hamlets import CommuneInfo, HamletDraft, hamlets_generate
from geodata.demo.sites import SiteDraft, sites_generate
from geodata.models import AdminUnit, CellSite, DataLoad, Hamlet
from geodata.unit_lookup import communes_at_points

GENERATOR_VERSION = "demo-geodata-3"
DATASET = "demo_geodata"
SOURCE = "synthetic demo (qrmap)"
PREFIX_HAMLET, PREFIX_SITE = "demo:hamlet:", "demo:site:"
# The simplified commune polygons leave slivers between neighbours (and along the province
# edge): a site in one belongs to the nearest commune.
_NEAREST_COMMUNE_SQL = (
    "SELECT id FROM geodata_adminunit WHERE level = 'commune' AND valid_to IS NULL "
    "AND boundary IS NOT NULL ORDER BY boundary <-> ST_SetSRID(ST_MakePoint(%s, %s), %s) "
    "LIMIT 1")


@dataclass
class DemoGeodata:
    hamlets: list[HamletDraft]
    sites: list[SiteDraft]

    def digest(self) -> str:
        """sha256 over every generated name, place and status: equal digests, equal data."""
        text = "\n".join(
            [f"{h.external_id}|{h.name}|{h.lonlat}|{h.households}|{h.population}|"
             f"{h.mobile_status}|{h.broadband_status}|{h.survey_date}" for h in self.hamlets]
            + [f"{s.external_id}|{s.name}|{s.operator}|{s.technologies}|{s.lonlat}|{s.status}|"
               f"{sorted(s.radius_overrides.items())}|{s.radius_km}" for s in self.sites])
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class DemoLoad:
    loaded: bool
    counts: dict


def demo_seed() -> int:
    return int(settings.QRMAP_DEMO_SEED)


def demo_geodata_generate(*, seed: int) -> DemoGeodata:
    """Generate (without writing) the demo hamlets and cell sites for the loaded geography."""
    rng = random.Random(seed)
    province = AdminUnit.objects.get(level=AdminUnit.Level.PROVINCE, valid_to__isnull=True)
    communes = _communes_info()
    towns = [space.to_km(town.location.x, town.location.y) for town in reference.towns_read()]
    hamlets = hamlets_generate(rng, communes=communes, towns_km=towns,
                               border_km=space.border_line_km(province.boundary))
    terrain = {c.code: _terrain(c) for c in communes}
    sites = sites_generate(rng, hamlets=hamlets, terrain_of=terrain,
                           province_km=space.geometry_km(province.boundary))
    return DemoGeodata(hamlets=hamlets, sites=sites)


def _communes_info() -> list[CommuneInfo]:
    communes = (AdminUnit.objects.current().communes().exclude(boundary__isnull=True)
                .prefetch_related("predecessors").order_by("code"))
    infos = []
    for commune in communes:
        # The old district most of its predecessors belonged to.
        districts = Counter(old.parent_id for old in commune.predecessors.all())
        district = AdminUnit.objects.get(pk=districts.most_common(1)[0][0]) if districts else None
        infos.append(CommuneInfo(
            code=commune.code, name=commune.name, ward=commune.unit_type == "Phường",
            population=commune.population or 5000, area_km2=commune.area_km2 or 100.0,
            district_code=district.code if district else "",
            boundary_km=space.geometry_km(commune.boundary),
        ))
    return infos


def _terrain(commune: CommuneInfo) -> str:
    """Wards are urban; dense lowland communes rural; the rest of the uplands mountain."""
    if commune.ward:
        return CellSite.Terrain.URBAN
    density = commune.population / max(commune.area_km2, 1.0)
    return CellSite.Terrain.RURAL if density >= 150 else CellSite.Terrain.MOUNTAIN


def demo_fingerprint(*, seed: int) -> str:
    geography = reference.files_fingerprint(version=loaders.LOADER_VERSION)
    return hashlib.sha256(f"{GENERATOR_VERSION}|{seed}|{geography}".encode()).hexdigest()


def demo_geodata_load(*, seed: int | None = None, force: bool = False) -> DemoLoad:
    """Write the demo hamlets and sites; a no-op when this seed and version are loaded."""
    seed = demo_seed() if seed is None else seed
    fingerprint = demo_fingerprint(seed=seed)
    if not force:
        done = (DataLoad.objects.filter(name=DATASET, fingerprint=fingerprint)
                .values_list("counts", flat=True).first())
        if done is not None:
            return DemoLoad(loaded=False, counts=done)
    demo = demo_geodata_generate(seed=seed)
    commune_ids = dict(AdminUnit.objects.current().communes().values_list("code", "pk"))
    site_communes = _site_communes(demo.sites)
    with transaction.atomic():
        _rows_sync(Hamlet, PREFIX_HAMLET, [_hamlet_row(h, commune_ids) for h in demo.hamlets])
        _rows_sync(CellSite, PREFIX_SITE, [_site_row(s, commune_id) for s, commune_id
                                           in zip(demo.sites, site_communes, strict=True)])
        counts = demo_counts()
        DataLoad.objects.update_or_create(
            name=DATASET, defaults={"fingerprint": fingerprint, "counts": counts})
    return DemoLoad(loaded=True, counts=counts)


def _hamlet_row(draft: HamletDraft, commune_ids: dict[str, int]) -> dict:
    return {
        "external_id": draft.external_id, "name": draft.name,
        "commune_id": commune_ids[draft.commune_code],
        "location": Point(*draft.lonlat, srid=settings.QRMAP_SRID),
        "households": draft.households, "population": draft.population,
        "mobile_status": draft.mobile_status, "broadband_status": draft.broadband_status,
        "survey_date": draft.survey_date, "source": SOURCE, "synthetic": True,
    }


def _site_row(draft: SiteDraft, commune_id: int | None) -> dict:
    radius = draft.radius_km * 1000 or None
    return {
        "external_id": draft.external_id, "name": draft.name, "commune_id": commune_id,
        "operator": draft.operator,
        "technologies": draft.technologies, "terrain": draft.terrain,
        "radius_overrides": draft.radius_overrides, "coverage_radius_m": radius,
        "location": Point(*draft.lonlat, srid=settings.QRMAP_SRID), "status": draft.status,
        "commissioned_on": draft.commissioned_on, "source": SOURCE, "synthetic": True,
    }


def _rows_sync(model, prefix: str, rows: list[dict]) -> None:
    """Update demo rows in place by external_id, create the missing, drop demo rows that the
    generator no longer makes (rows without the demo prefix are never touched). Only rows
    whose values differ are written: a bulk UPDATE of every row costs seconds."""
    fields = [name for name in rows[0] if name != "external_id"]
    existing = {
        values[0]: values[1:]
        for values in model.objects.filter(external_id__startswith=prefix)
        .values_list("external_id", "pk", *fields)
    }
    # bulk_update skips auto_now, so the timestamp is set here.
    now = timezone.now()
    to_create, to_update = [], []
    for row in rows:
        found = existing.get(row["external_id"])
        if found is None:
            to_create.append(model(**row))
        elif list(found[1:]) != [row[name] for name in fields]:
            to_update.append(model(pk=found[0], updated_at=now, **row))
    model.objects.bulk_update(to_update, [*fields, "updated_at"], batch_size=100)
    model.objects.bulk_create(to_create, batch_size=1000)
    wanted = {row["external_id"] for row in rows}
    stale = [found[0] for external_id, found in existing.items() if external_id not in wanted]
    model.objects.filter(pk__in=stale).delete()


def _site_communes(sites: list[SiteDraft]) -> list[int | None]:
    """Today's commune of each site (communes_at_points), the nearest for a site in a sliver."""
    found = communes_at_points(Point(*site.lonlat) for site in sites)
    with connection.cursor() as cursor:
        for index, site in enumerate(sites):
            if found[index] is None:
                cursor.execute(_NEAREST_COMMUNE_SQL, [*site.lonlat, settings.QRMAP_SRID])
                row = cursor.fetchone()
                found[index] = row[0] if row else None
    return found


def demo_counts() -> dict:
    """Counts and the agreement of declarations with the modelled coverage, as stored."""
    hamlets = Hamlet.objects.filter(synthetic=True)
    return {
        "hamlets": hamlets.count(),
        "mobile_no": hamlets.filter(mobile_status="no").count(),
        "broadband_no": hamlets.filter(broadband_status="no").count(),
        "cell_sites": CellSite.objects.filter(synthetic=True).count(),
        "planned_sites": CellSite.objects.filter(synthetic=True, status="planned").count(),
        "agreement_pct": demo_agreement(),
    }


def demo_agreement() -> float:
    """Per cent of hamlets declared yes/no whose declaration matches the modelled coverage
    (an active site with 3G+ within its radius, ST_DWithin on geography)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            WITH big AS (SELECT coalesce(max(coverage_radius_m), 0) r FROM geodata_cellsite
                         WHERE status = 'active' AND coverage_radius_m > 0)
            SELECT count(*), count(*) FILTER (WHERE (h.mobile_status = 'yes') = EXISTS (
                SELECT 1 FROM geodata_cellsite s, big
                WHERE s.status = 'active' AND s.coverage_radius_m > 0
                  AND ST_DWithin(s.location::geography, h.location::geography, big.r)
                  AND ST_DWithin(s.location::geography, h.location::geography,
                                 s.coverage_radius_m)))
            FROM geodata_hamlet h WHERE h.mobile_status IN ('yes', 'no')""")
        total, agree = cursor.fetchone()
    return round(100.0 * agree / total, 1) if total else 0.0
