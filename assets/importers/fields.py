"""The columns of an asset file: the fields they fill, their Vietnamese and English header
aliases, and the words a clerk types for kinds, categories, heritage ranks and statuses."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assets import codes
from assets.models import Asset
from geodata.importers.layers import (
    EXTERNAL_ID,
    Field,
    RowError,
    choice_field,
    choice_synonyms,
    text_parse,
)
from geodata.importers.text import fold

C = Asset.Category
KINDS = choice_synonyms(Asset.Kind, {
    "đường": "street", "đường phố": "street", "phố": "street", "street": "street",
    "road": "street", "công trình": "public_work", "công trình công cộng": "public_work",
    "public work": "public_work", "di tích": "heritage", "danh thắng": "heritage",
    "di tích danh thắng": "heritage", "heritage": "heritage", "di sản": "heritage",
})
CATEGORIES = choice_synonyms(C, {
    "đường": C.STREET, "phố": C.STREET, "cầu": C.BRIDGE, "trường": C.SCHOOL,
    "trường học": C.SCHOOL, "chợ": C.MARKET, "trạm y tế": C.CLINIC, "bệnh viện": C.CLINIC,
    "trụ sở": C.OFFICE, "ủy ban": C.OFFICE, "uỷ ban": C.OFFICE, "bến xe": C.BUS_STATION,
    "công viên": C.PARK, "quảng trường": C.PARK, "sân vận động": C.STADIUM,
    "nhà văn hóa": C.CULTURAL_HOUSE, "nhà văn hoá": C.CULTURAL_HOUSE,
    "bưu điện": C.POST_OFFICE, "di tích lịch sử": C.RELIC, "di tích": C.RELIC,
    "chùa": C.PAGODA, "đền": C.TEMPLE, "miếu": C.TEMPLE, "đình": C.TEMPLE,
    "động": C.CAVE, "hang": C.CAVE, "hang động": C.CAVE, "núi": C.MOUNTAIN,
    "cửa khẩu": C.BORDER_GATE, "tượng đài": C.MONUMENT, "đài tưởng niệm": C.MONUMENT,
    "hồ": C.LAKE, "sông": C.LAKE, "khác": C.OTHER,
})
RANKS = choice_synonyms(Asset.HeritageRank, {
    "quốc gia đặc biệt": "special_national", "di tích quốc gia đặc biệt": "special_national",
    "đặc biệt": "special_national", "quốc gia": "national", "cấp quốc gia": "national",
    "di tích quốc gia": "national", "cấp tỉnh": "provincial", "tỉnh": "provincial",
    "di tích cấp tỉnh": "provincial", "không": "", "chưa xếp hạng": "",
})
STATUSES = choice_synonyms(Asset.Status, {"hoạt động": "active", "đang hoạt động": "active",
                                          "ngừng": "retired", "đã thay thế": "retired"})
# A category decides the kind when the file names only the category.
HERITAGE = {C.RELIC, C.PAGODA, C.TEMPLE, C.CAVE, C.MOUNTAIN, C.MONUMENT, C.LAKE}


def kind_parse(value: str) -> tuple[str, str | None]:
    """A kind, or a category word in the kind column (“Chùa”): (kind, category or None)."""
    key = fold(value)
    if key in _FOLDED_KINDS:
        return _FOLDED_KINDS[key], None
    category = _category_in_kind_column(value)
    return kind_of(category), category


_FOLDED_KINDS = {fold(k): v for k, v in KINDS.items()}
_category_in_kind_column = choice_field(CATEGORIES, gettext_lazy("kind"))


def kind_of(category: str) -> str:
    if category == C.STREET:
        return Asset.Kind.STREET
    return Asset.Kind.HERITAGE if category in HERITAGE else Asset.Kind.PUBLIC_WORK


def code_parse(value: str) -> str:
    code = codes.normalize(value)
    if not codes.is_valid(code):
        raise RowError(_("“%s” is not a valid code") % value)
    return code


def _geometry_field(name, label, aliases):
    fld = Field(name, label, aliases)
    fld.geometry = True
    return fld


FIELDS = [
    Field("code", gettext_lazy("code (digital address)"),
          ("code", "ma qr", "ma dia chi", "dia chi so", "digital address", "qr code"),
          parse=code_parse),
    EXTERNAL_ID,
    Field("name_vi", gettext_lazy("name (Vietnamese)"),
          ("ten", "tên", "name", "ten tieng viet", "name vi", "ten cong trinh", "ten duong",
           "ten di tich", "ten dia diem", "title"), required=True, parse=text_parse),
    Field("name_en", gettext_lazy("name (English)"),
          ("ten tieng anh", "ten_tieng_anh", "name en", "english name", "name english",
           "ten anh")),
    Field("name_zh", gettext_lazy("name (Chinese)"),
          ("ten tieng trung", "name zh", "chinese name", "ten trung", "ten tieng hoa")),
    Field("kind", gettext_lazy("kind"), ("loai", "loại", "kind", "type", "nhom", "loai hinh"),
          parse=kind_parse),
    Field("category", gettext_lazy("category"),
          ("category", "phan loai", "danh muc", "the loai", "hang muc", "loai cong trinh"),
          parse=choice_field(CATEGORIES, gettext_lazy("category"))),
    Field("description_vi", gettext_lazy("description (Vietnamese)"),
          ("mo ta", "mô tả", "description", "ghi chu", "notes", "gioi thieu", "mo ta vi",
           "description vi")),
    Field("description_en", gettext_lazy("description (English)"),
          ("mo ta tieng anh", "description en", "english description")),
    Field("description_zh", gettext_lazy("description (Chinese)"),
          ("mo ta tieng trung", "description zh", "chinese description")),
    Field("heritage_rank", gettext_lazy("heritage rank"),
          ("xep hang", "cap di tich", "heritage rank", "rank", "cap xep hang"),
          parse=choice_field(RANKS, gettext_lazy("heritage rank"))),
    Field("status", gettext_lazy("status"), ("trang thai", "status", "tinh trang"),
          parse=choice_field(STATUSES, gettext_lazy("status"))),
    Field("source", gettext_lazy("source"), ("nguon", "source", "nguon du lieu")),
    _geometry_field("shape", gettext_lazy("shape (WKT line or polygon)"),
                    ("shape wkt", "shape", "hinh dang", "hinh dang wkt")),
]
