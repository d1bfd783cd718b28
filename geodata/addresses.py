"""Addresses written from administrative units, in Vietnamese, English and Chinese."""
from geodata.models import AdminUnit

# Type words as they read inside an address after its first element (Vietnamese writes
# "phường Chi Lăng, thành phố Lạng Sơn, tỉnh Lạng Sơn"), and the English forms.
_TYPES_EN = {"Tỉnh": "Province", "Thành phố": "City", "Huyện": "District", "Thị trấn": "Town",
             "Phường": "Ward", "Xã": "Commune"}
# Chinese: the unit types (GLOSSARY: 社 for a commune, 坊 for a ward) and the few names that
# have an established Chinese form; every other name stays in Vietnamese, before its type.
_TYPES_ZH = {"Tỉnh": "省", "Thành phố": "市", "Huyện": "县", "Thị trấn": "镇", "Phường": "坊",
             "Xã": "社", "Đặc khu": "特区"}
_NAMES_ZH = {"Lạng Sơn": "谅山", "Đồng Đăng": "同登", "Chi Lăng": "支棱"}


def address_format(*, units: list[AdminUnit], language: str = "vi") -> str:
    """An address from the smallest unit to the province: "Phường Chi Lăng, thành phố Lạng
    Sơn, tỉnh Lạng Sơn" (vi), "Chi Lăng Ward, Lạng Sơn City, Lạng Sơn Province" (en), or
    from the province down in Chinese: "谅山省，谅山市，支棱坊" (zh)."""
    ordered = sorted(units, key=lambda unit: _LEVEL_ORDER[unit.level])
    if language == "zh":
        return "，".join(_name_zh(unit) for unit in reversed(ordered))
    if language != "vi":
        return ", ".join(_name_en(unit) for unit in ordered)
    parts = []
    for index, unit in enumerate(ordered):
        name = unit.name
        if index and unit.unit_type and name.startswith(unit.unit_type):
            name = unit.unit_type.lower() + name[len(unit.unit_type):]
        parts.append(name)
    return ", ".join(parts)


_LEVEL_ORDER = {AdminUnit.Level.COMMUNE: 0, AdminUnit.Level.DISTRICT: 1,
                AdminUnit.Level.PROVINCE: 2}


def _name_zh(unit: AdminUnit) -> str:
    """谅山省, "Tam Thanh 坊": Chinese addresses run from the province down."""
    kind = _TYPES_ZH.get(unit.unit_type)
    short = unit.short_name or unit.name
    if not kind:
        return unit.name
    established = _NAMES_ZH.get(short)
    return f"{established}{kind}" if established else f"{short} {kind}"


def _name_en(unit: AdminUnit) -> str:
    kind = _TYPES_EN.get(unit.unit_type)
    short = unit.short_name or unit.name
    return f"{short} {kind}" if kind else unit.name
