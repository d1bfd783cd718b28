"""Plaque contents for engine tests (no database)."""
from assets.plaques.layout import PlaqueContent, layout_plaque
from assets.plaques.qr import qr_payload, qr_symbol

DESCRIPTION = ("Động Tam Thanh nằm trong quần thể di tích danh thắng Nhị - Tam Thanh, hang động "
               "đá vôi tự nhiên có chùa Tam Thanh, bia thơ Ngô Thì Sĩ và tượng Phật tạc vào vách.")


def sample(template, code, **overrides):
    fields = dict(
        template=template, payload=qr_payload(code=code),
        grouped_code=f"{code[:4]}-{code[4:]}", plus_code="7PH8VQ36+6J",
        name_vi="Động Tam Thanh" if template != "street_sign" else "Đường Trần Đăng Ninh",
        name_en="Tam Thanh Cave", name_zh="三清洞", rank="Di tích quốc gia đặc biệt",
        description=DESCRIPTION, place="Phường Tam Thanh", label=f"{code} Động Tam Thanh",
    )
    fields.update(overrides)
    return PlaqueContent(**fields)


def sample_layout(template, code, **overrides):
    content = sample(template, code, **overrides)
    return layout_plaque(content, qr_symbol(content.payload))
