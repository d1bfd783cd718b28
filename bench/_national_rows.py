"""The synthetic rows of the national benchmark database, as plain tuples for COPY: asset
names built from the demo's Lạng Sơn naming patterns (geodata.demo.names), valid unique
codes, hamlets and cell sites of the four operators. Positions are drawn in SQL (_national).
"""
import datetime
import random

from assets import codes
from geodata import radio
from geodata.demo import names
from geodata.demo.sites import OPERATORS

# (share, kind, category, Vietnamese pattern, English pattern): the public works a province
# plaques, streets first. {p} is a place name.
ASSET_PATTERNS = [
    (30, "street", "street", "Đường {p}", "{p} Road"),
    (12, "street", "street", "Phố {p}", "{p} Street"),
    (8, "public_work", "school", "Trường Tiểu học {p}", "{p} Primary School"),
    (5, "public_work", "school", "Trường THCS {p}", "{p} Lower Secondary School"),
    (5, "public_work", "school", "Trường Mầm non {p}", "{p} Kindergarten"),
    (5, "public_work", "market", "Chợ {p}", "{p} Market"),
    (5, "public_work", "clinic", "Trạm Y tế {p}", "{p} Health Station"),
    (8, "public_work", "cultural_house", "Nhà văn hóa {p}", "{p} Cultural House"),
    (8, "public_work", "bridge", "Cầu {p}", "{p} Bridge"),
    (3, "public_work", "office", "Ủy ban nhân dân xã {p}", "{p} Commune People's Committee"),
    (2, "public_work", "post_office", "Bưu điện {p}", "{p} Post Office"),
    (2, "public_work", "bus_station", "Bến xe {p}", "{p} Bus Station"),
    (2, "public_work", "stadium", "Sân vận động {p}", "{p} Stadium"),
    (2, "heritage", "pagoda", "Chùa {p}", "{p} Pagoda"),
    (2, "heritage", "temple", "Đền {p}", "{p} Temple"),
    (1, "heritage", "cave", "Động {p}", "{p} Cave"),
]
# A province has many "Cầu Nà Lầu"s: a number tells a second bridge or street from the first.
NUMBERED = 0.25
# Codes are a bijection of the row number (an odd multiplier modulo 32^7), so they are unique
# without a lookup and look as random as issued ones.
_BODIES = 32 ** codes.BODY_LENGTH
_MULTIPLIER = 0x5DEECE66D % _BODIES | 1
HAMLET_CHUNK = 300  # hamlet_names draws distinct names per commune; a few hundred at a time


def place_names(rng: random.Random) -> list[str]:
    """Distinct place names (hamlet names without "Thôn"/"Bản"/"Khối") of upland and lowland
    communes and city wards."""
    drawn = (names.hamlet_names(rng, count=1500, ward=False, upland=0.8)
             + names.hamlet_names(rng, count=200, ward=False, upland=0.0)
             + names.hamlet_names(rng, count=200, ward=True, upland=0.0))
    places = {name.split(" ", 1)[1] for name in drawn if not name[-1].isdigit()}
    return sorted(places | set(names.WARD_BLOCK_NAMES) | set(names.KINH_NAMES))


def code_of(n: int) -> str:
    body, value = "", (n * _MULTIPLIER) % _BODIES
    for _ in range(codes.BODY_LENGTH):
        value, digit = divmod(value, 32)
        body += codes.ALPHABET[digit]
    return codes.with_check(body)


def asset_rows(count: int, *, seed: int):
    """(n, code, kind, category, name_vi, name_en, name_zh, external_id) for n in 1..count."""
    rng = random.Random(seed)
    places = place_names(rng)
    weights = [p[0] for p in ASSET_PATTERNS]
    for n in range(1, count + 1):
        _, kind, category, vi, en = rng.choices(ASSET_PATTERNS, weights)[0]
        place = rng.choice(places)
        if rng.random() < NUMBERED:
            place = f"{place} {rng.randint(2, 9)}"
        yield (n, code_of(n), kind, category, vi.format(p=place), en.format(p=place), "",
               f"bench:asset:{n}")


def hamlet_rows(count: int, *, seed: int):
    """(n, name, households, population, mobile_status, broadband_status, external_id)."""
    rng = random.Random(seed)
    n = 0
    while n < count:
        ward = rng.random() < 0.1
        batch = names.hamlet_names(rng, count=min(HAMLET_CHUNK, count - n), ward=ward,
                                   upland=rng.random())
        for name in batch:
            n += 1
            households = rng.randint(25, 320)
            mobile = rng.choices(["yes", "no", "unknown"], [78, 14, 8])[0]
            broadband = rng.choices(["yes", "no", "unknown"], [55, 30, 15])[0]
            yield (n, name, households, round(households * rng.uniform(3.6, 4.8)), mobile,
                   broadband, f"bench:hamlet:{n}")


TECHNOLOGIES = [(["2G", "3G", "4G"], 55), (["2G", "4G"], 25), (["2G", "3G", "4G", "5G"], 12),
                (["2G"], 8)]
TERRAINS = [("urban", 15), ("rural", 45), ("mountain", 40)]


def site_rows(count: int, *, seed: int):
    """(n, name, operator, technologies, terrain, coverage_radius_m, status, commissioned_on,
    external_id), the radius from geodata.radio like every saved site's."""
    rng = random.Random(seed)
    first = datetime.date(2005, 1, 1)
    for n in range(1, count + 1):
        operator, short, _ = rng.choices(OPERATORS, [o[2] for o in OPERATORS])[0]
        technologies = rng.choices(*zip(*TECHNOLOGIES, strict=True))[0]
        terrain = rng.choices(*zip(*TERRAINS, strict=True))[0]
        radius = radio.effective_radius(technologies=technologies, terrain=terrain)
        planned = rng.random() < 0.03
        commissioned = None if planned else first + datetime.timedelta(days=rng.randint(0, 7000))
        yield (n, f"{short}-{n:05d}", operator, "{" + ",".join(technologies) + "}", terrain,
               radius, "planned" if planned else "active", commissioned, f"bench:site:{n}")
