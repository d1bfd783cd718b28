"""Synthetic cell sites of the four operators, placed so that the modelled 3G/4G coverage
agrees with most hamlets' declarations, with the few disagreements real data has."""
import datetime
import math
from dataclasses import dataclass, field

from django.contrib.gis.geos import Point

from geodata import radio
from geodata.demo import space

OPERATORS = [("viettel", "VTL", 0.42), ("vinaphone", "VNP", 0.27), ("mobifone", "MBF", 0.22),
             ("vietnamobile", "VNM", 0.09)]
# Real declarations and a radius model never agree fully, and the planners' list of
# disagreements must have something to show: a share of the "yes" hamlets is left outside
# every radius (their signal comes from beyond the modelled reach), and a few "no" hamlets
# get a site commissioned after the survey.
YES_LEFT_OUT = 0.045
NO_NEW_SITE = 0.06
PLANNED_SITES = 12
TWO_G_ONLY_SITES = 30
MIN_RADIUS_M = 800


@dataclass
class SiteDraft:
    external_id: str
    name: str
    operator: str
    technologies: list
    terrain: str
    x: float
    y: float
    status: str = "active"
    radius_overrides: dict = field(default_factory=dict)
    commissioned_on: datetime.date | None = None

    @property
    def radius_km(self) -> float:
        radius = radio.effective_radius(technologies=self.technologies, terrain=self.terrain,
                                        overrides=self.radius_overrides)
        return (radius or 0) / 1000

    @property
    def lonlat(self):
        return space.to_lonlat(self.x, self.y)


def sites_generate(rng, *, hamlets, terrain_of: dict[str, str], province_km) -> list[SiteDraft]:
    """Active 3G/4G sites covering the declared-yes hamlets, 2G-only sites and planned ones."""
    inside = province_km.prepared.contains
    yes = [h for h in hamlets if h.mobile_status == "yes"]
    left_out = {h.external_id for h in rng.sample(yes, round(YES_LEFT_OUT * len(yes)))
                if not h.name.startswith("Khối")}
    wanted = [h for h in yes if h.external_id not in left_out]
    gaps = [(h.x, h.y) for h in hamlets
            if h.mobile_status == "no" or h.external_id in left_out]
    sites: list[SiteDraft] = []
    covered: set[str] = set()
    for hamlet in rng.sample(wanted, len(wanted)):
        if hamlet.external_id in covered:
            continue
        site = _site_near(rng, hamlet, terrain_of[hamlet.commune_code], gaps, len(sites),
                          inside)
        if site is None:
            continue
        sites.append(site)
        reach = site.radius_km
        covered.update(h.external_id for h in wanted
                       if space.distance_km((h.x, h.y), (site.x, site.y)) <= reach)
    sites.extend(_co_located(rng, sites, gaps, inside))
    sites.extend(_two_g_only(rng, hamlets, terrain_of, inside, start=len(sites)))
    sites.extend(_new_since_survey(rng, hamlets, terrain_of, inside, start=len(sites)))
    sites.extend(_planned(rng, hamlets, start=len(sites)))
    return sites


def _site_near(rng, hamlet, terrain, gaps, number, inside):
    operator, prefix = _operator(rng)
    technologies = ["2G", "3G", "4G"] + (["5G"] if terrain == "urban" and rng.random() < 0.3
                                         else [])
    radius = radio.effective_radius(technologies=technologies, terrain=terrain) / 1000
    for attempt in range(6):
        spread = radius * (0.15 + 0.1 * attempt)
        angle = rng.uniform(0, 2 * math.pi)
        x = hamlet.x + spread * rng.random() * math.cos(angle)
        y = hamlet.y + spread * rng.random() * math.sin(angle)
        if not inside(Point(x, y)):
            continue
        to_hamlet = space.distance_km((x, y), (hamlet.x, hamlet.y))
        nearest_gap = min((space.distance_km((x, y), g) for g in gaps), default=1e9)
        overrides = {}
        if nearest_gap <= radius * 1.02:
            # Shrink the cell (a lower antenna tilt) to stop short of the gap hamlet.
            limit_m = math.floor(nearest_gap * 0.95 * 1000 / 50) * 50
            if limit_m < max(MIN_RADIUS_M, (to_hamlet + 0.15) * 1000):
                continue
            overrides = {tech: limit_m for tech in technologies if tech != "2G"}
        return SiteDraft(
            external_id=f"demo:site:{number + 1:04d}", name=f"{prefix}-LSN-{number + 1:04d}",
            operator=operator, technologies=technologies, terrain=terrain,
            x=round(x, 4), y=round(y, 4), radius_overrides=overrides,
            commissioned_on=_commissioned(rng, technologies),
        )
    return None


def _co_located(rng, sites, gaps, inside):
    """Other operators share towers in towns and along the main roads (not in the hills)."""
    extra = []
    for site in list(sites):
        if site.terrain == "mountain" or rng.random() > (0.8 if site.terrain == "urban" else 0.3):
            continue
        operator, prefix = _operator(rng, exclude=site.operator)
        number = len(sites) + len(extra) + 1
        x, y = site.x + rng.uniform(-0.15, 0.15), site.y + rng.uniform(-0.15, 0.15)
        radius = site.radius_km
        nearest_gap = min((space.distance_km((x, y), g) for g in gaps), default=1e9)
        if not inside(Point(x, y)) or nearest_gap <= radius:
            continue
        extra.append(SiteDraft(
            external_id=f"demo:site:{number:04d}", name=f"{prefix}-LSN-{number:04d}",
            operator=operator, technologies=list(site.technologies), terrain=site.terrain,
            x=round(x, 4), y=round(y, 4), radius_overrides=dict(site.radius_overrides),
            commissioned_on=_commissioned(rng, site.technologies),
        ))
    return extra


def _two_g_only(rng, hamlets, terrain_of, inside, *, start):
    """Old 2G-only sites near gap hamlets: a phone rings there but has no data, which is
    why the hamlet declares no 3G/4G."""
    gaps = sorted((h for h in hamlets if h.mobile_status == "no"), key=lambda h: h.external_id)
    drafts = []
    for index, hamlet in enumerate(rng.sample(gaps, min(TWO_G_ONLY_SITES, len(gaps)))):
        operator, prefix = _operator(rng)
        number = start + index + 1
        x, y = hamlet.x + rng.uniform(-1.5, 1.5), hamlet.y + rng.uniform(-1.5, 1.5)
        if not inside(Point(x, y)):
            x, y = hamlet.x, hamlet.y
        drafts.append(SiteDraft(
            external_id=f"demo:site:{number:04d}", name=f"{prefix}-LSN-{number:04d}",
            operator=operator, technologies=["2G"], terrain=terrain_of[hamlet.commune_code],
            x=round(x, 4), y=round(y, 4),
            commissioned_on=datetime.date(rng.randrange(2005, 2012), rng.randrange(1, 13), 1),
        ))
    return drafts


def _new_since_survey(rng, hamlets, terrain_of, inside, *, start):
    """4G sites switched on after the 2025 survey next to a few gap hamlets: the declaration
    says "no", the model says covered, and the dashboard lists the disagreement."""
    gaps = sorted((h for h in hamlets if h.mobile_status == "no"), key=lambda h: h.external_id)
    drafts = []
    for index, hamlet in enumerate(rng.sample(gaps, round(NO_NEW_SITE * len(gaps)))):
        operator, prefix = _operator(rng)
        number = start + index + 1
        x, y = hamlet.x + rng.uniform(-0.8, 0.8), hamlet.y + rng.uniform(-0.8, 0.8)
        if not inside(Point(x, y)):
            x, y = hamlet.x, hamlet.y
        drafts.append(SiteDraft(
            external_id=f"demo:site:{number:04d}", name=f"{prefix}-LSN-{number:04d}",
            operator=operator, technologies=["2G", "4G"], terrain=terrain_of[hamlet.commune_code],
            x=round(x, 4), y=round(y, 4),
            commissioned_on=datetime.date(2025, rng.randrange(8, 12), rng.randrange(1, 29)),
        ))
    return drafts


def _planned(rng, hamlets, *, start):
    """Planned 4G sites at gap hamlets far apart from each other (farthest-point order)."""
    gaps = sorted((h for h in hamlets if h.mobile_status == "no"), key=lambda h: h.external_id)
    if not gaps:
        return []
    chosen = [rng.choice(gaps)]
    while len(chosen) < min(PLANNED_SITES, len(gaps)):
        chosen.append(max(gaps, key=lambda h: min(
            space.distance_km((h.x, h.y), (c.x, c.y)) for c in chosen)))
    drafts = []
    for index, hamlet in enumerate(chosen):
        operator, prefix = _operator(rng)
        number = start + index + 1
        drafts.append(SiteDraft(
            external_id=f"demo:site:{number:04d}", name=f"{prefix}-LSN-{number:04d}",
            operator=operator, technologies=["2G", "4G"], terrain="mountain",
            x=hamlet.x, y=hamlet.y, status="planned",
        ))
    return drafts


def _operator(rng, exclude=None):
    choices = [(op, prefix, share) for op, prefix, share in OPERATORS if op != exclude]
    pick = rng.uniform(0, sum(share for _op, _prefix, share in choices))
    for operator, prefix, share in choices:
        pick -= share
        if pick <= 0:
            return operator, prefix
    return choices[-1][:2]


def _commissioned(rng, technologies):
    first = 2019 if "5G" in technologies else 2012
    return datetime.date(rng.randrange(first, 2025), rng.randrange(1, 13), 1)
