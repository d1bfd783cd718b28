"""Public works of Lạng Sơn for the demo: real names, approximate positions.

Markets, schools, clinics, offices, stations, bridges and parks in the city and the old
district towns. The positions are placed by hand near where each one is, not surveyed, and
are loaded unverified. Fields: key, category, (lon, lat), (name vi, en, zh).
"""
# ruff: noqa: E501 - a data table; Chinese text counts double in the line width.
from assets.models import Asset

C = Asset.Category

PUBLIC_WORKS = [
    ("cho-dong-kinh", C.MARKET, (106.7628, 21.8475), ("Chợ Đông Kinh", "Đông Kinh Market", "东京市场")),
    ("cho-ky-lua", C.MARKET, (106.7610, 21.8615), ("Chợ Kỳ Lừa", "Kỳ Lừa Market", "奇骡市场")),
    ("cho-chi-lang", C.MARKET, (106.7520, 21.8440), ("Chợ Chi Lăng", "Chi Lăng Market", "支棱市场")),
    ("cho-gieng-vuong", C.MARKET, (106.7580, 21.8562),
     ("Chợ Giếng Vuông", "Giếng Vuông Market", "")),
    ("cho-dong-dang", C.MARKET, (106.6988, 21.9510), ("Chợ Đồng Đăng", "Đồng Đăng Market", "同登市场")),
    ("cho-that-khe", C.MARKET, (106.4735, 22.2545), ("Chợ Thất Khê", "Thất Khê Market", "七溪市场")),
    ("cho-na-sam", C.MARKET, (106.6150, 22.0565), ("Chợ Na Sầm", "Na Sầm Market", "")),
    ("cho-loc-binh", C.MARKET, (106.9225, 21.7590), ("Chợ Lộc Bình", "Lộc Bình Market", "禄平市场")),
    ("cho-bac-son", C.MARKET, (106.3210, 21.9000), ("Chợ Bắc Sơn", "Bắc Sơn Market", "北山市场")),
    ("cho-binh-gia", C.MARKET, (106.3645, 21.9605), ("Chợ Bình Gia", "Bình Gia Market", "平嘉市场")),
    ("cho-van-quan", C.MARKET, (106.5390, 21.8650), ("Chợ Văn Quan", "Văn Quan Market", "文关市场")),
    ("cho-dong-mo", C.MARKET, (106.5785, 21.6570), ("Chợ Đồng Mỏ", "Đồng Mỏ Market", "")),
    ("cho-dinh-lap", C.MARKET, (107.0975, 21.5465), ("Chợ Đình Lập", "Đình Lập Market", "亭立市场")),
    ("cho-huu-lung", C.MARKET, (106.3450, 21.5060), ("Chợ Hữu Lũng", "Hữu Lũng Market", "友陇市场")),
    ("cau-ky-cung", C.BRIDGE, (106.7590, 21.8500), ("Cầu Kỳ Cùng", "Kỳ Cùng Bridge", "奇穷桥")),
    ("cau-17-thang-10", C.BRIDGE, (106.7672, 21.8488),
     ("Cầu 17 Tháng 10", "17 October Bridge", "十月十七日桥")),
    ("cau-that-khe", C.BRIDGE, (106.4712, 22.2530), ("Cầu Thất Khê", "Thất Khê Bridge", "七溪桥")),
    ("cau-na-sam", C.BRIDGE, (106.6132, 22.0552), ("Cầu Na Sầm", "Na Sầm Bridge", "")),
    ("benh-vien-da-khoa-tinh", C.CLINIC, (106.7705, 21.8290),
     ("Bệnh viện Đa khoa tỉnh Lạng Sơn", "Lạng Sơn Provincial General Hospital", "谅山省综合医院")),
    ("benh-vien-y-hoc-co-truyen", C.CLINIC, (106.7598, 21.8592),
     ("Bệnh viện Y học cổ truyền tỉnh Lạng Sơn",
      "Lạng Sơn Traditional Medicine Hospital", "谅山省传统医学医院")),
    ("ttyt-trang-dinh", C.CLINIC, (106.4750, 22.2570),
     ("Trung tâm Y tế Tràng Định", "Tràng Định Health Centre", "长定医疗中心")),
    ("ttyt-bac-son", C.CLINIC, (106.3195, 21.8990),
     ("Trung tâm Y tế Bắc Sơn", "Bắc Sơn Health Centre", "北山医疗中心")),
    ("ttyt-loc-binh", C.CLINIC, (106.9240, 21.7600),
     ("Trung tâm Y tế Lộc Bình", "Lộc Bình Health Centre", "禄平医疗中心")),
    ("ttyt-huu-lung", C.CLINIC, (106.3440, 21.5050),
     ("Trung tâm Y tế Hữu Lũng", "Hữu Lũng Health Centre", "友陇医疗中心")),
    ("ttyt-dinh-lap", C.CLINIC, (107.0970, 21.5455),
     ("Trung tâm Y tế Đình Lập", "Đình Lập Health Centre", "亭立医疗中心")),
    ("thpt-chuyen-chu-van-an", C.SCHOOL, (106.7545, 21.8575),
     ("Trường THPT Chuyên Chu Văn An", "Chu Văn An High School for the Gifted", "朱文安专科高中")),
    ("thpt-viet-bac", C.SCHOOL, (106.7640, 21.8530),
     ("Trường THPT Việt Bắc", "Việt Bắc High School", "越北高中")),
    ("cao-dang-su-pham", C.SCHOOL, (106.7745, 21.8600),
     ("Trường Cao đẳng Sư phạm Lạng Sơn", "Lạng Sơn Teacher Training College", "谅山师范高等专科学校")),
    ("ptdt-noi-tru-tinh", C.SCHOOL, (106.7690, 21.8350),
     ("Trường PT Dân tộc Nội trú tỉnh Lạng Sơn", "Lạng Sơn Ethnic Boarding School", "谅山省民族寄宿学校")),
    ("thpt-dong-dang", C.SCHOOL, (106.6990, 21.9480),
     ("Trường THPT Đồng Đăng", "Đồng Đăng High School", "同登高中")),
    ("thpt-trang-dinh", C.SCHOOL, (106.4720, 22.2555),
     ("Trường THPT Tràng Định", "Tràng Định High School", "长定高中")),
    ("thpt-van-lang", C.SCHOOL, (106.6140, 22.0580),
     ("Trường THPT Văn Lãng", "Văn Lãng High School", "文朗高中")),
    ("thpt-bac-son", C.SCHOOL, (106.3230, 21.9020),
     ("Trường THPT Bắc Sơn", "Bắc Sơn High School", "北山高中")),
    ("thpt-loc-binh", C.SCHOOL, (106.9200, 21.7575),
     ("Trường THPT Lộc Bình", "Lộc Bình High School", "禄平高中")),
    ("thpt-huu-lung", C.SCHOOL, (106.3470, 21.5075),
     ("Trường THPT Hữu Lũng", "Hữu Lũng High School", "友陇高中")),
    ("thpt-dinh-lap", C.SCHOOL, (107.0950, 21.5480),
     ("Trường THPT Đình Lập", "Đình Lập High School", "亭立高中")),
    ("thpt-chi-lang", C.SCHOOL, (106.5790, 21.6590),
     ("Trường THPT Chi Lăng", "Chi Lăng High School", "支棱高中")),
    ("ubnd-tinh", C.OFFICE, (106.7580, 21.8540),
     ("Trụ sở UBND tỉnh Lạng Sơn", "Lạng Sơn Provincial People's Committee", "谅山省人民委员会")),
    ("hanh-chinh-cong-tinh", C.OFFICE, (106.7650, 21.8420),
     ("Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn",
      "Lạng Sơn Public Administration Service Centre", "谅山省公共行政服务中心")),
    ("ubnd-xa-dong-dang", C.OFFICE, (106.6995, 21.9500),
     ("UBND xã Đồng Đăng", "Đồng Đăng Commune People's Committee", "同登社人民委员会")),
    ("ubnd-xa-ba-son", C.OFFICE, (107.0150, 21.9033),
     ("UBND xã Ba Sơn", "Ba Sơn Commune People's Committee", "巴山社人民委员会")),
    ("ben-xe-phia-bac", C.BUS_STATION, (106.7720, 21.8700),
     ("Bến xe phía Bắc Lạng Sơn", "Lạng Sơn Northern Bus Station", "谅山北客运站")),
    ("ga-lang-son", C.OTHER, (106.7640, 21.8490),
     ("Ga Lạng Sơn", "Lạng Sơn Railway Station", "谅山火车站")),
    ("ga-dong-dang", C.OTHER, (106.6975, 21.9490),
     ("Ga Đồng Đăng", "Đồng Đăng Railway Station", "同登火车站")),
    ("buu-dien-tinh", C.POST_OFFICE, (106.7602, 21.8532),
     ("Bưu điện tỉnh Lạng Sơn", "Lạng Sơn Provincial Post Office", "谅山省邮局")),
    ("buu-dien-dong-dang", C.POST_OFFICE, (106.6985, 21.9505),
     ("Bưu điện Đồng Đăng", "Đồng Đăng Post Office", "同登邮局")),
    ("san-van-dong-tinh", C.STADIUM, (106.7680, 21.8440),
     ("Sân vận động tỉnh Lạng Sơn", "Lạng Sơn Provincial Stadium", "谅山省体育场")),
    ("nha-thi-dau-tinh", C.STADIUM, (106.7700, 21.8428),
     ("Nhà thi đấu thể thao tỉnh Lạng Sơn", "Lạng Sơn Provincial Sports Hall", "谅山省体育馆")),
    ("cong-vien-ho-phong-thanh", C.PARK, (106.7520, 21.8470),
     ("Công viên hồ Phòng Thành", "Phòng Thành Lake Park", "防城湖公园")),
    ("tuong-dai-hoang-van-thu", C.MONUMENT, (106.7590, 21.8575),
     ("Tượng đài Hoàng Văn Thụ", "Hoàng Văn Thụ Monument", "黄文树纪念像")),
    ("bao-tang-tinh", C.CULTURAL_HOUSE, (106.7620, 21.8550),
     ("Bảo tàng tỉnh Lạng Sơn", "Lạng Sơn Provincial Museum", "谅山省博物馆")),
    ("thu-vien-tinh", C.CULTURAL_HOUSE, (106.7630, 21.8520),
     ("Thư viện tỉnh Lạng Sơn", "Lạng Sơn Provincial Library", "谅山省图书馆")),
    ("nha-van-hoa-thieu-nhi", C.CULTURAL_HOUSE, (106.7595, 21.8510),
     ("Nhà Văn hóa Thiếu nhi tỉnh Lạng Sơn", "Lạng Sơn Children's Cultural House", "谅山省少年儿童文化宫")),
]

# One or two sentences per category, in the three languages; {place} is the commune.
DESCRIPTIONS = {
    C.MARKET: ("Chợ phục vụ người dân {place} và các vùng lân cận.",
               "A market serving the people of {place} and the surrounding area.",
               "服务于{place}及周边地区居民的市场。"),
    C.BRIDGE: ("Cầu trên tuyến giao thông chính của {place}.",
               "A bridge on a main road of {place}.", "位于{place}主要交通线上的桥梁。"),
    C.CLINIC: ("Cơ sở khám chữa bệnh công lập ở {place}.",
               "A public hospital or health centre in {place}.", "位于{place}的公立医疗机构。"),
    C.SCHOOL: ("Cơ sở giáo dục công lập ở {place}.", "A public school in {place}.",
               "位于{place}的公立学校。"),
    C.OFFICE: ("Trụ sở cơ quan nhà nước ở {place}.", "A public office in {place}.",
               "位于{place}的国家机关办公楼。"),
    C.BUS_STATION: ("Bến xe khách liên tỉnh ở {place}.", "An intercity bus station in {place}.",
                    "位于{place}的长途客运站。"),
    C.OTHER: ("Nhà ga trên tuyến đường sắt Hà Nội – Đồng Đăng, ở {place}.",
              "A station on the Hà Nội – Đồng Đăng railway, in {place}.",
              "河内—同登铁路上的车站，位于{place}。"),
    C.POST_OFFICE: ("Bưu cục phục vụ người dân {place}.", "A post office serving {place}.",
                    "服务于{place}的邮局。"),
    C.STADIUM: ("Công trình thể thao ở {place}.", "A sports venue in {place}.",
                "位于{place}的体育设施。"),
    C.PARK: ("Không gian công cộng ở {place}.", "A public open space in {place}.",
             "位于{place}的公共休闲空间。"),
    C.MONUMENT: ("Công trình tưởng niệm ở {place}.", "A memorial in {place}.",
                 "位于{place}的纪念建筑。"),
    C.CULTURAL_HOUSE: ("Thiết chế văn hóa công cộng ở {place}.",
                       "A public cultural institution in {place}.", "位于{place}的公共文化设施。"),
}
APPROXIMATE = ("Vị trí trên bản đồ là gần đúng, chờ cán bộ xác minh.",
               "The position on the map is approximate and awaits verification by staff.",
               "地图上的位置为近似位置，有待工作人员核实。")

# Place names with an established Chinese form (GLOSSARY.md, "Chinese place names"); a name
# without one stays in Vietnamese rather than being calqued.
ZH_PLACE_NAMES = {"Lạng Sơn": "谅山", "Đồng Đăng": "同登", "Tam Thanh": "三清",
                  "Nhị Thanh": "二清", "Chi Lăng": "支棱", "Đông Kinh": "东京"}
ZH_UNIT_TYPES = {"tỉnh": "省", "xã": "社", "phường": "坊", "đặc khu": "特区"}


def unit_name_zh(name: str) -> str:
    """A unit's name inside a Chinese sentence.

    >>> unit_name_zh("Xã Đồng Đăng"), unit_name_zh("tỉnh Lạng Sơn")
    ('同登社', '谅山省')
    >>> unit_name_zh("Xã Bình Gia")
    'Xã Bình Gia'
    """
    for unit_type, type_zh in ZH_UNIT_TYPES.items():
        if name.lower().startswith(unit_type + " "):
            proper = name[len(unit_type) + 1:]
            if proper in ZH_PLACE_NAMES:
                return ZH_PLACE_NAMES[proper] + type_zh
    return name
