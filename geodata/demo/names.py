"""Hamlet names in the style of Lạng Sơn: Tày-Nùng place words for the uplands, Sino-Vietnamese
names for the lowland villages, numbered and named blocks (khối) in the wards.

The names are made up from real naming patterns; they are not the province's hamlet list.
Tày place names are built from a landscape word and a qualifier: nà (rice field), khuổi
(stream), pác (mouth of a stream), lũng (enclosed valley), kéo (mountain pass), pò (hill),
phai (weir), nặm (water), còn (ridge), cốc (foot of a slope), bó (spring), khòn (hillock).
"""

TAY_HEADS = [
    "Nà", "Khuổi", "Pác", "Lũng", "Kéo", "Pò", "Phai", "Nặm", "Còn", "Cốc", "Bó", "Khòn",
    "Tềnh", "Nà", "Khau", "Pắc", "Bản", "Slằng", "Co", "Pàn",
]
TAY_TAILS = [
    "Lầu", "Pàn", "Phầy", "Khuông", "Sla", "Mò", "Thoong", "Rọ", "Hin", "Tàu", "Slam", "Làng",
    "Cà", "Chang", "Giàng", "Mạ", "Nưa", "Đeng", "Pè", "Riềng", "Nọi", "Cáy", "Pục", "Khe",
    "Hẩu", "Lệnh", "Mần", "Pheo", "Quân", "Sác", "Thình", "Vài", "Pàng", "Cằm", "Lạn", "Muổng",
    "Pha", "Hắng", "Noọc", "Bang", "Tát", "Cháo", "Đuông", "Phường", "Kham", "Luông", "Lừa",
]
KINH_NAMES = [
    "Tân Lập", "Đồng Tâm", "Thanh Bình", "Hòa Bình", "Tân Tiến", "Quyết Thắng", "Đồng Tiến",
    "Thống Nhất", "Hợp Tiến", "Bình Minh", "Tân Sơn", "Đoàn Kết", "Trung Tâm", "Đồng Bục",
    "Làng Chữ", "Đồng Mỏ", "Hữu Nghị", "Phố Mới", "Đại Đồng", "Yên Thịnh", "Hạ Lũng",
    "Thượng Phố", "Tiến Bộ", "Quang Trung", "Minh Khai", "Làng Giữa", "Đồng Đình", "An Bình",
    "Tân Hòa", "Phú Xá", "Đồng Quang", "Nam Lân", "Khánh Khê", "Vân Thủy", "Lân Hòa",
    "Đông Hưng", "Hòa Lạc", "Bắc Hà", "Trung Thành", "Thanh Sơn",
]
WARD_BLOCK_NAMES = [
    "Đại Thắng", "Hoàng Hoa Thám", "Ngọc Tuyền", "Tam Thanh", "Đại Tiến", "Phai Trần",
    "Đèo Giang", "Lê Lợi", "Tây Sơn", "Hội Hoan", "Phai Luông", "Bà Triệu", "Đông Kinh",
    "Nam Thành", "Lê Hồng Phong", "Trần Quang Khải", "Mai Pha", "Chi Mai", "Ngã Ba",
]


def hamlet_names(rng, *, count: int, ward: bool, upland: float) -> list[str]:
    """`count` distinct names for one commune. `upland` (0..1) favours Tày names and "Bản"."""
    names: list[str] = []
    seen: set[str] = set()
    block = 0
    while len(names) < count:
        if ward and rng.random() < 0.7:
            block += 1
            name = f"Khối {block}" if rng.random() < 0.75 else (
                "Khối " + rng.choice(WARD_BLOCK_NAMES))
        elif rng.random() < 0.35 + 0.55 * upland:
            head, tail = rng.choice(TAY_HEADS), rng.choice(TAY_TAILS)
            prefix = "Bản" if head != "Bản" and rng.random() < 0.15 + 0.45 * upland else "Thôn"
            name = f"{prefix} {head} {tail}" if head != "Bản" else f"Thôn Bản {tail}"
        else:
            name = "Thôn " + rng.choice(KINH_NAMES)
        if name in seen:
            # Two hamlets of one name in a commune exist (Nà Lầu 1, Nà Lầu 2) but a third
            # would look like a generator artefact: retry instead.
            if f"{name} 2" in seen:
                continue
            name = f"{name} 2"
        seen.add(name)
        names.append(name)
    return names
