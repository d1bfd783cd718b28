"""Streets of Lạng Sơn city: real names, synthetic shapes.

No open street geometry is bundled, so each street is drawn from a hand-placed start near
where it runs, a bearing and a length, with small seeded bends; the shape is clipped to the
city wards. The plaque point is the first end. Fields: name, (lon, lat), bearing in degrees
from north, length in metres, Chinese rendering of the name (blank for Tày place names).
Personal names take their established Chinese form, never a character-by-character calque
(Bà Triệu is 赵妪, not 婆赵; GLOSSARY.md). A "Đường" is a 路 and a "Phố" a 街.
"""
import math
import random

from django.conf import settings
from django.contrib.gis.geos import LineString, Point

STREETS = [
    ("Trần Đăng Ninh", (106.7585, 21.8580), 20, 1200, "陈登宁"),
    ("Lê Lợi", (106.7620, 21.8545), 75, 2500, "黎利"),
    ("Bà Triệu", (106.7600, 21.8560), 160, 700, "赵妪"),
    ("Hùng Vương", (106.7560, 21.8440), 100, 1800, "雄王"),
    ("Lý Thái Tổ", (106.7650, 21.8400), 140, 2200, "李太祖"),
    ("Tam Thanh", (106.7540, 21.8555), 280, 1000, "三清"),
    ("Ngô Quyền", (106.7600, 21.8620), 10, 900, "吴权"),
    ("Trần Hưng Đạo", (106.7480, 21.8450), 200, 1800, "陈兴道"),
    ("Bắc Sơn", (106.7630, 21.8530), 350, 800, "北山"),
    ("Lê Đại Hành", (106.7660, 21.8500), 60, 900, "黎大行"),
    ("Phai Vệ", (106.7700, 21.8440), 120, 1100, ""),
    ("Minh Khai", (106.7570, 21.8600), 300, 700, "明开"),
    ("Tông Đản", (106.7510, 21.8470), 80, 800, "宗亶"),
    ("Văn Vỉ", (106.7530, 21.8500), 40, 600, ""),
    ("Đinh Tiên Hoàng", (106.7530, 21.8420), 170, 700, "丁先皇"),
    ("Nguyễn Du", (106.7660, 21.8430), 20, 800, "阮攸"),
    ("Lê Hồng Phong", (106.7470, 21.8600), 330, 1300, "黎鸿峰"),
    ("Hoàng Văn Thụ", (106.7560, 21.8590), 50, 900, "黄文树"),
    ("Lương Văn Tri", (106.7610, 21.8465), 250, 1000, ""),
    ("Tô Thị", (106.7500, 21.8580), 200, 700, "苏氏"),
    ("Nhị Thanh", (106.7455, 21.8650), 350, 600, "二清"),
    ("Bến Bắc", (106.7550, 21.8505), 90, 800, ""),
    ("Ngô Gia Tự", (106.7700, 21.8530), 30, 900, ""),
    ("Đèo Giang", (106.7650, 21.8590), 80, 700, ""),
    ("Mỹ Sơn", (106.7690, 21.8490), 150, 600, "美山"),
    ("Nguyễn Thái Học", (106.7590, 21.8475), 120, 700, "阮太学"),
    ("Hoàng Hoa Thám", (106.7540, 21.8470), 300, 600, "黄花探"),
    ("Chu Văn An", (106.7520, 21.8575), 10, 600, "朱文安"),
    ("Quang Trung", (106.7670, 21.8565), 100, 600, "光中"),
    ("Lý Thường Kiệt", (106.7720, 21.8470), 45, 1000, "李常杰"),
    ("Trần Quang Khải", (106.7735, 21.8405), 110, 800, "陈光启"),
    ("Kỳ Lừa", (106.7625, 21.8600), 60, 500, ""),
]

M_PER_DEG_LAT = 110_574
M_PER_DEG_LON = 111_320 * math.cos(math.radians(21.85))


def street_shape(*, start, bearing: float, length: float, seed: int) -> LineString:
    """A gently bending line of 4 segments from `start`, deterministic for a seed."""
    rng = random.Random(seed)
    lon, lat = start
    coords = [(round(lon, 6), round(lat, 6))]
    for _ in range(4):
        heading = math.radians(bearing + rng.uniform(-12, 12))
        step = length / 4
        lon += step * math.sin(heading) / M_PER_DEG_LON
        lat += step * math.cos(heading) / M_PER_DEG_LAT
        coords.append((round(lon, 6), round(lat, 6)))
    return LineString(coords, srid=settings.QRMAP_SRID)


def street_clip(line: LineString, area) -> LineString:
    """Keep the line inside the city wards: drop end vertices that fall outside."""
    coords = list(line.coords)
    while len(coords) > 2 and not area.contains(Point(*coords[-1], srid=settings.QRMAP_SRID)):
        coords.pop()
    return LineString(coords, srid=settings.QRMAP_SRID)
