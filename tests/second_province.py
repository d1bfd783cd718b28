"""A second, synthetic province beside the real Lạng Sơn geography: four square communes
around 105.0°E 22.8°N (west of Lạng Sơn's bounding box, where Hà Giang lies), written as the
loader writes units (level, parent, validity), so that the province trigger, the commune
lookup and every scope see it as they would a loaded province.
Import the fixture into a test module (pytest finds it by name)."""
from dataclasses import dataclass

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from geodata import reference
from geodata.models import AdminUnit

CODE = "02"
SIDE = 0.1  # degrees: about 11 km


def square(lon: float, lat: float, side: float = SIDE) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((lon, lat, lon + side, lat + side)), srid=4326)


@dataclass
class SecondProvince:
    province: AdminUnit
    communes: list[AdminUnit]

    def point(self, index: int = 0) -> Point:
        """The middle of one of its communes."""
        return self.communes[index].boundary.point_on_surface


def second_province_create() -> SecondProvince:
    province = AdminUnit.objects.create(
        level=AdminUnit.Level.PROVINCE, code=CODE, name="Tỉnh Thử Nghiệm",
        unit_type="Tỉnh", boundary=square(104.9, 22.7, 2 * SIDE), source="test")
    communes = [
        AdminUnit.objects.create(
            level=AdminUnit.Level.COMMUNE, code=f"0099{i}", name=f"Xã Thử Nghiệm {i}",
            unit_type="Xã", parent=province, valid_from=reference.REFORM_DAY,
            boundary=square(104.9 + SIDE * (i % 2), 22.7 + SIDE * (i // 2)), source="test")
        for i in range(4)
    ]
    # The trigger set their province in the database; read it back.
    for unit in (province, *communes):
        unit.refresh_from_db()
    return SecondProvince(province=province, communes=communes)


@pytest.fixture
def second_province(geography):
    """Lạng Sơn (loaded) and the synthetic province "02" beside it."""
    return second_province_create()
