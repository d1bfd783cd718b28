"""Synthetic hamlets: spread over the 65 communes by population, with the province's exact
numbers of declared gaps (268 without 3G/4G, 405 without broadband) in remote and border
places. Pure computation on plain records; `geodata.demo` writes them."""
import datetime
import math
from collections import Counter
from dataclasses import dataclass

from django.contrib.gis.geos import Point

from geodata.demo import names, space

TOTAL_HAMLETS = 1650
MOBILE_GAPS = 268
BROADBAND_GAPS = 405
MOBILE_UNKNOWN = 18
BROADBAND_UNKNOWN = 24
MIN_PER_COMMUNE = 6
MIN_SPACING_KM = 0.45
# No commune loses signal everywhere: at most this share of its hamlets is a declared gap.
MOBILE_GAP_CAP = 0.5
BROADBAND_GAP_CAP = 0.7
# Old districts away from National Road 1A and the city, where the gaps concentrate.
REMOTE_DISTRICTS = {"180": 1.9, "181": 1.7, "182": 1.5, "183": 1.2, "185": 1.6, "188": 1.5,
                    "189": 1.9, "184": 1.1, "186": 0.6, "187": 0.8, "178": 0.2}


@dataclass
class CommuneInfo:
    code: str
    name: str
    ward: bool
    population: int
    area_km2: float
    district_code: str
    boundary_km: object  # GEOS (Multi)Polygon in the kilometre plane


@dataclass
class HamletDraft:
    external_id: str
    commune_code: str
    name: str
    x: float
    y: float
    households: int
    population: int
    remoteness: float = 0.0
    mobile_status: str = "yes"
    broadband_status: str = "yes"
    survey_date: datetime.date | None = None

    @property
    def lonlat(self):
        return space.to_lonlat(self.x, self.y)


def hamlet_counts(communes: list[CommuneInfo]) -> dict[str, int]:
    """Hamlets per commune: proportional to population (urban blocks are bigger, so a ward
    counts half), at least MIN_PER_COMMUNE, summing to TOTAL_HAMLETS (largest remainder)."""
    weight = {c.code: c.population * (0.5 if c.ward else 1.0) for c in communes}
    spare = TOTAL_HAMLETS - MIN_PER_COMMUNE * len(communes)
    total = sum(weight.values())
    quotas = {code: spare * w / total for code, w in weight.items()}
    counts = {code: MIN_PER_COMMUNE + math.floor(q) for code, q in quotas.items()}
    left = TOTAL_HAMLETS - sum(counts.values())
    for code in sorted(quotas, key=lambda code: (quotas[code] % 1, code), reverse=True)[:left]:
        counts[code] += 1
    return counts


def hamlets_generate(rng, *, communes: list[CommuneInfo], border_km,
                     towns_km: list[tuple[float, float]]) -> list[HamletDraft]:
    """All hamlets with locations, sizes and declared statuses."""
    counts = hamlet_counts(communes)
    hamlets = []
    for commune in sorted(communes, key=lambda c: c.code):
        hamlets.extend(_commune_hamlets(rng, commune=commune, count=counts[commune.code],
                                        border_km=border_km, towns_km=towns_km))
    _statuses_assign(rng, hamlets, communes)
    return hamlets


def _commune_hamlets(rng, *, commune, count, border_km, towns_km):
    prepared = commune.boundary_km.prepared
    xmin, ymin, xmax, ymax = commune.boundary_km.extent
    points: list[tuple[float, float]] = []
    tries = 0
    while len(points) < count:
        tries += 1
        x, y = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
        if not prepared.contains(Point(x, y)):
            continue
        # Keep hamlets apart, but never loop forever in a small crowded ward.
        if tries < 400 * count and any(
                space.distance_km((x, y), p) < MIN_SPACING_KM for p in points):
            continue
        points.append((x, y))
    upland = min(1.0, max(0.0, 1.0 - commune.population / max(commune.area_km2, 1) / 300))
    hamlet_names = names.hamlet_names(rng, count=count, ward=commune.ward, upland=upland)
    shares = [rng.lognormvariate(0, 0.45) for _ in range(count)]
    drafts = []
    for index, ((x, y), name, share) in enumerate(zip(points, hamlet_names, shares, strict=True)):
        population = max(60, round(commune.population * share / sum(shares)))
        household_size = rng.uniform(3.3, 3.9) if commune.ward else rng.uniform(3.8, 4.7)
        drafts.append(HamletDraft(
            external_id=f"demo:hamlet:{commune.code}:{index + 1:03d}",
            commune_code=commune.code, name=name, x=round(x, 4), y=round(y, 4),
            households=max(15, round(population / household_size)), population=population,
            remoteness=_remoteness((x, y), commune, border_km, towns_km),
        ))
    return drafts


def _remoteness(point, commune, border_km, towns_km) -> float:
    """A weight that grows with the distance from the city and near the China border, and
    drops close to a town (the old district seats have had 3G/4G for years)."""
    from_city = min(space.distance_km(point, (0.0, 0.0)) / 55.0, 1.3)
    from_border = border_km.distance(Point(*point))
    from_town = min(space.distance_km(point, town) for town in towns_km)
    weight = math.exp(2.0 * from_city) * (1.0 + 1.4 * math.exp(-from_border / 7.0))
    weight *= 0.1 + 0.9 * min(1.0, from_town / 7.0)
    return weight * REMOTE_DISTRICTS.get(commune.district_code, 1.0)


def _statuses_assign(rng, hamlets, communes) -> None:
    """Exactly MOBILE_GAPS and BROADBAND_GAPS declared "no", drawn by weighted sampling
    without replacement (Efraimidis-Spirakis keys u^(1/w)): remote hamlets are likelier,
    and a per-commune factor clusters the gaps the way real survey results cluster."""
    effect = {c.code: rng.lognormvariate(0, 0.5) * (0.05 if c.ward else 1.0) for c in communes}
    for hamlet in hamlets:
        # Urban blocks of a ward are almost never without signal.
        block = 0.1 if hamlet.name.startswith("Khối") else 1.0
        hamlet.remoteness *= effect[hamlet.commune_code] * block
    mobile_no = _weighted_pick(rng, hamlets, MOBILE_GAPS, lambda h: h.remoteness ** 1.4,
                               cap=MOBILE_GAP_CAP)
    for hamlet in mobile_no:
        hamlet.mobile_status = "no"
    # Fixed broadband follows the same roads and poles: most mobile gaps lack it too.
    broadband_no = _weighted_pick(
        rng, hamlets, BROADBAND_GAPS,
        lambda h: h.remoteness * (25.0 if h.mobile_status == "no" else 1.0),
        cap=BROADBAND_GAP_CAP)
    for hamlet in broadband_no:
        hamlet.broadband_status = "no"
    rest = [h for h in hamlets if h.mobile_status == "yes"]
    for hamlet in rng.sample(rest, MOBILE_UNKNOWN):
        hamlet.mobile_status = "unknown"
    rest = [h for h in hamlets if h.broadband_status == "yes"]
    for hamlet in rng.sample(rest, BROADBAND_UNKNOWN):
        hamlet.broadband_status = "unknown"
    for hamlet in hamlets:
        hamlet.survey_date = datetime.date(2025, 3, 1) + datetime.timedelta(
            days=rng.randrange(0, 120))


def _weighted_pick(rng, hamlets, count, weight, *, cap):
    keyed = sorted(((rng.random() ** (1.0 / max(weight(h), 1e-9)), h.external_id, h)
                    for h in hamlets), key=lambda item: (item[0], item[1]), reverse=True)
    size = Counter(h.commune_code for h in hamlets)
    taken: Counter = Counter()
    picked = []
    for _key, _id, hamlet in keyed:
        if taken[hamlet.commune_code] >= math.ceil(cap * size[hamlet.commune_code]):
            continue
        taken[hamlet.commune_code] += 1
        picked.append(hamlet)
        if len(picked) == count:
            break
    return picked
