"""Real heritage and scenic sites of Lạng Sơn for the demo, at approximate positions.

The coordinates are placed by hand from general knowledge of where each site lies, not
surveyed: every one is loaded with position_verified False, for staff to correct on the map
before a plaque is printed. Ranks are given only where the ranking is well established.
Fields: key, category, rank, (lon, lat), names (vi, en, zh), descriptions (vi, en, zh).
"""
# ruff: noqa: E501 - a data table; Chinese text counts double in the line width.
from assets.models import Asset

C, R = Asset.Category, Asset.HeritageRank

HERITAGE = [
    dict(
        key="dong-tam-thanh", category=C.CAVE, rank=R.NATIONAL, lonlat=(106.7442, 21.8590),
        name=("Động Tam Thanh", "Tam Thanh Cave", "三清洞"),
        text=(
            "Động Tam Thanh là hang đá vôi lớn ở phía tây thành phố Lạng Sơn, nằm trong quần thể "
            "danh thắng Nhị Thanh – Tam Thanh được xếp hạng di tích quốc gia từ năm 1962. Trong "
            "động có chùa Tam Thanh, tượng Phật tạc vào vách đá và nhiều bia khắc thơ văn cổ. "
            "Gần đó là núi Vọng Phu với đá Nàng Tô Thị.",
            "Tam Thanh is a large limestone cave on the western edge of Lạng Sơn city, part of "
            "the Nhị Thanh – Tam Thanh scenic complex, a national relic since 1962. The cave "
            "shelters Tam Thanh Pagoda, a Buddha carved into the rock wall and old inscribed "
            "poems. Nearby rise the Vọng Phu hill and the Tô Thị stone.",
            "三清洞是谅山市西部的一座大型石灰岩溶洞，属于二清—三清名胜群，1962年被列为国家级"
            "遗迹。洞内有三清寺、刻在岩壁上的佛像和许多古代诗文碑刻。洞口附近是望夫山和苏氏石。",
        ),
    ),
    dict(
        key="chua-tam-thanh", category=C.PAGODA, rank=R.NATIONAL, lonlat=(106.7446, 21.8586),
        name=("Chùa Tam Thanh", "Tam Thanh Pagoda", "三清寺"),
        text=(
            "Chùa Tam Thanh được dựng ngay trong lòng động Tam Thanh từ thời Lê. Chính điện "
            "dựa vào vách đá, ánh sáng chiếu xuống qua các khe núi. Đây là điểm hành hương quen "
            "thuộc của người dân xứ Lạng, đông nhất vào dịp đầu xuân.",
            "Tam Thanh Pagoda was built inside the Tam Thanh cave in the Lê period. Its main hall "
            "leans against the rock, lit by openings in the mountain. It is a familiar place of "
            "pilgrimage for the people of Lạng Sơn, busiest in the first weeks of spring.",
            "三清寺始建于后黎朝时期，位于三清洞内。正殿依岩壁而建，光线从山体缝隙照入。"
            "这里是谅山人熟悉的朝拜地点，春节前后香客最多。",
        ),
    ),
    dict(
        key="dong-nhi-thanh", category=C.CAVE, rank=R.NATIONAL, lonlat=(106.7428, 21.8668),
        name=("Động Nhị Thanh", "Nhị Thanh Cave", "二清洞"),
        text=(
            "Động Nhị Thanh do Ngô Thì Sĩ, Đốc trấn Lạng Sơn, phát hiện và đặt tên năm 1777. "
            "Suối Ngọc Tuyền chảy xuyên qua động. Trên vách còn bức chân dung Ngô Thì Sĩ tạc "
            "vào đá cùng nhiều bài thơ khắc của các danh nhân.",
            "Nhị Thanh Cave was found and named in 1777 by Ngô Thì Sĩ, then governor of Lạng "
            "Sơn. The Ngọc Tuyền stream runs right through it. A portrait of Ngô Thì Sĩ carved "
            "into the rock and many inscribed poems remain on its walls.",
            "二清洞于1777年由当时的谅山督镇吴时仕发现并命名。玉泉溪从洞中穿流而过。"
            "岩壁上至今保留着雕刻在石上的吴时仕像和许多名人题刻的诗文。",
        ),
    ),
    dict(
        key="chua-tien", category=C.PAGODA, rank=R.NATIONAL, lonlat=(106.7566, 21.8437),
        name=("Chùa Tiên", "Tiên Pagoda", "仙寺"),
        text=(
            "Chùa Tiên nằm trong một hang đá dưới chân núi Đại Tượng, phía nam sông Kỳ Cùng. "
            "Bên cạnh chùa là Giếng Tiên, mạch nước trong không bao giờ cạn. Trong hang còn các "
            "bia đá và thơ khắc thời Lê – Nguyễn.",
            "Tiên Pagoda sits in a cave at the foot of Đại Tượng mountain, south of the Kỳ Cùng "
            "river. Beside it is the Tiên Well, a clear spring that never runs dry. Stone steles "
            "and poems carved in the Lê and Nguyễn periods remain inside the cave.",
            "仙寺位于奇穷江南岸大象山脚下的一个山洞中。寺旁有仙井，泉水清澈，终年不竭。"
            "洞内还保存着黎朝和阮朝时期的石碑和诗文题刻。",
        ),
    ),
    dict(
        key="thanh-nha-mac", category=C.RELIC, rank=R.NATIONAL, lonlat=(106.7418, 21.8545),
        name=("Thành nhà Mạc", "Mạc Dynasty Citadel", "莫朝城"),
        text=(
            "Thành nhà Mạc là dấu tích tường thành xây bằng đá trên sườn núi gần động Tam Thanh, "
            "gắn với thời kỳ nhà Mạc cuối thế kỷ XVI. Đoạn tường còn lại chắn giữa hai vách núi, "
            "có cổng vòm. Từ đây có thể nhìn bao quát thành phố Lạng Sơn.",
            "The Mạc Citadel is the remains of a stone wall on a hillside near Tam Thanh Cave, "
            "dating from the Mạc dynasty in the late 16th century. The surviving stretch closes "
            "the gap between two cliffs and has an arched gate. It overlooks Lạng Sơn city.",
            "莫朝城是三清洞附近山坡上的石砌城墙遗迹，与十六世纪末的莫朝有关。现存的一段城墙"
            "横亘于两座山崖之间，设有拱门。从这里可以俯瞰谅山市全景。",
        ),
    ),
    dict(
        key="nui-vong-phu", category=C.MOUNTAIN, rank=R.NATIONAL, lonlat=(106.7470, 21.8618),
        name=("Núi Vọng Phu – Nàng Tô Thị", "Vọng Phu Hill and the Tô Thị Stone", "望夫山苏氏石"),
        text=(
            "Trên đỉnh núi Vọng Phu có khối đá hình người phụ nữ bồng con, gắn với truyền thuyết "
            "nàng Tô Thị chờ chồng hóa đá. Khối đá bị đổ năm 1991 và đã được dựng lại. Đây là "
            "một biểu tượng quen thuộc của xứ Lạng trong ca dao.",
            "On top of Vọng Phu hill stands a rock shaped like a woman holding her child, tied to "
            "the legend of Tô Thị, who turned to stone while waiting for her husband. The stone "
            "fell in 1991 and has been set up again. It is a familiar symbol of Lạng Sơn in folk "
            "songs.",
            "望夫山顶有一块形似抱子妇人的岩石，与苏氏等待丈夫化为石头的传说相连。该石于1991年"
            "倒塌，后来重新竖立。它是谅山民歌中常见的象征。",
        ),
    ),
    dict(
        key="den-ky-cung", category=C.TEMPLE, rank=R.NONE, lonlat=(106.7585, 21.8510),
        name=("Đền Kỳ Cùng", "Kỳ Cùng Temple", "奇穷庙"),
        text=(
            "Đền Kỳ Cùng nằm bên bờ sông Kỳ Cùng, cạnh cầu Kỳ Cùng, giữa trung tâm thành phố "
            "Lạng Sơn. Lễ hội đền Kỳ Cùng – Tả Phủ diễn ra vào tháng Giêng âm lịch, với lễ rước "
            "giữa hai ngôi đền, và đã được ghi danh là di sản văn hóa phi vật thể quốc gia.",
            "Kỳ Cùng Temple stands on the bank of the Kỳ Cùng river by the Kỳ Cùng bridge, in the "
            "heart of Lạng Sơn city. The Kỳ Cùng – Tả Phủ festival in the first lunar month, with "
            "a procession between the two temples, is listed as national intangible heritage.",
            "奇穷庙位于谅山市中心奇穷江畔、奇穷桥旁。每年农历正月举行的奇穷—左府庙会，"
            "有两座庙之间的巡游仪式，已被列入国家级非物质文化遗产名录。",
        ),
    ),
    dict(
        key="den-ta-phu", category=C.TEMPLE, rank=R.NONE, lonlat=(106.7505, 21.8452),
        name=("Đền Tả Phủ", "Tả Phủ Temple", "左府庙"),
        text=(
            "Đền Tả Phủ là ngôi đền cổ ở khu phố cũ phía nam sông Kỳ Cùng. Cùng với đền Kỳ Cùng, "
            "đền là nơi tổ chức lễ hội đầu năm lớn nhất của thành phố, mở đầu bằng lễ rước "
            "giữa hai ngôi đền.",
            "Tả Phủ Temple is an old temple in the historic quarter south of the Kỳ Cùng river. "
            "Together with Kỳ Cùng Temple it hosts the city's largest new-year festival, which "
            "opens with a procession between the two temples.",
            "左府庙是奇穷江南岸老街区的一座古庙。它与奇穷庙一起举办谅山市规模最大的新春庙会，"
            "庙会以两座庙之间的巡游开始。",
        ),
    ),
    dict(
        key="chua-thanh", category=C.PAGODA, rank=R.NONE, lonlat=(106.7612, 21.8547),
        name=("Chùa Thành", "Thành Pagoda", "城寺"),
        text=(
            "Chùa Thành nằm trong khu vực thành cổ Lạng Sơn ở bờ bắc sông Kỳ Cùng, nên người "
            "dân gọi là chùa Thành. Chùa đã qua nhiều lần trùng tu và là nơi sinh hoạt tín ngưỡng "
            "của cư dân khu phố cổ.",
            "Thành Pagoda stands in the area of the old Lạng Sơn citadel on the north bank of the "
            "Kỳ Cùng river, which is why people call it the Citadel Pagoda. Restored many times, "
            "it remains the place of worship of the old town's residents.",
            "城寺位于奇穷江北岸谅山古城一带，因此被称为“城寺”。该寺历经多次重修，"
            "至今仍是老城区居民的礼佛之所。",
        ),
    ),
    dict(
        key="den-mau-dong-dang", category=C.TEMPLE, rank=R.NONE, lonlat=(106.7008, 21.9458),
        name=("Đền Mẫu Đồng Đăng", "Đồng Đăng Mother Goddess Temple", "同登圣母庙"),
        text=(
            "Đền Mẫu Đồng Đăng ở thị trấn biên giới Đồng Đăng thờ Mẫu theo tín ngưỡng thờ Mẫu "
            "của người Việt. Đền thu hút đông đảo khách hành hương, nhất là trong lễ hội đầu "
            "xuân. Từ đây chỉ vài cây số là tới cửa khẩu Hữu Nghị.",
            "The Mother Goddess Temple of Đồng Đăng, in the border town of Đồng Đăng, belongs to "
            "the Vietnamese worship of the Mother Goddesses. It draws many pilgrims, above all at "
            "its spring festival. The Hữu Nghị border gate is a few kilometres away.",
            "同登圣母庙位于边境小镇同登，供奉越南圣母信仰中的圣母。庙宇吸引大量香客，"
            "尤其是在春季庙会期间。从这里到友谊口岸只有几公里。",
        ),
    ),
    dict(
        key="phao-dai-dong-dang", category=C.RELIC, rank=R.NONE, lonlat=(106.6985, 21.9525),
        name=("Pháo đài Đồng Đăng", "Đồng Đăng Fort", "同登炮台"),
        text=(
            "Pháo đài Đồng Đăng do quân Pháp xây dựng trên các quả đồi quanh thị trấn Đồng Đăng "
            "đầu thế kỷ XX. Hệ thống hầm và lô cốt là nơi diễn ra những trận chiến ác liệt năm "
            "1945 và năm 1979. Nay là điểm di tích lịch sử của tỉnh.",
            "Đồng Đăng Fort was built by the French on the hills around the town of Đồng Đăng in "
            "the early 20th century. Its tunnels and bunkers saw fierce fighting in 1945 and in "
            "1979. It is now one of the province's historical sites.",
            "同登炮台由法国人于二十世纪初建在同登镇周围的山丘上。其坑道和碉堡曾是1945年和"
            "1979年激烈战斗的地方。现为该省的历史遗迹之一。",
        ),
    ),
    dict(
        key="cua-khau-huu-nghi", category=C.BORDER_GATE, rank=R.NONE,
        lonlat=(106.7390, 22.0048),
        name=("Cửa khẩu Hữu Nghị", "Hữu Nghị Border Gate", "友谊口岸"),
        text=(
            "Cửa khẩu quốc tế Hữu Nghị là cửa khẩu đường bộ chính giữa Việt Nam và Trung Quốc, "
            "đối diện Hữu Nghị Quan thuộc Quảng Tây. Cột mốc Km 0 của Quốc lộ 1A nằm tại đây. "
            "Hằng ngày có nhiều khách du lịch và xe hàng qua lại.",
            "Hữu Nghị International Border Gate is the main road crossing between Vietnam and "
            "China, facing Youyiguan in Guangxi. The Km 0 marker of National Road 1A stands here. "
            "Travellers and freight trucks cross every day.",
            "友谊国际口岸是越南与中国之间的主要陆路口岸，对面是广西的友谊关。越南1A号国道的"
            "零公里里程碑就在这里。每天都有大量游客和货车往来。",
        ),
    ),
    dict(
        key="nui-mau-son", category=C.MOUNTAIN, rank=R.NONE, lonlat=(106.9830, 21.8600),
        name=("Núi Mẫu Sơn", "Mẫu Sơn Mountain", "母山"),
        text=(
            "Mẫu Sơn là dãy núi cao ở phía đông thành phố Lạng Sơn, đỉnh Phia Pò cao khoảng "
            "1.541 m. Khí hậu quanh năm mát lạnh, mùa đông đôi khi có băng tuyết. Trên núi còn "
            "phế tích các biệt thự thời Pháp và các bản người Dao.",
            "Mẫu Sơn is a mountain range east of Lạng Sơn city; its Phia Pò peak rises to about "
            "1,541 m. It is cool all year and winter sometimes brings frost and ice. Ruins of "
            "French-era villas and Dao villages lie on its slopes.",
            "母山是谅山市东部的高山，主峰皮波峰海拔约1541米。这里终年凉爽，冬季有时结冰"
            "降霜。山上还有法国时期别墅的遗址和瑶族村寨。",
        ),
    ),
    dict(
        key="khu-di-tich-chi-lang", category=C.RELIC, rank=R.SPECIAL_NATIONAL,
        lonlat=(106.5300, 21.6050),
        name=("Khu di tích Chi Lăng", "Chi Lăng Historic Site", "支棱历史遗迹区"),
        text=(
            "Khu di tích lịch sử Chi Lăng là nơi nhiều lần đánh bại quân xâm lược phương Bắc, "
            "nổi tiếng nhất là trận năm 1427, khi nghĩa quân Lê Lợi tiêu diệt đạo quân Minh và "
            "chém tướng Liễu Thăng. Di tích được xếp hạng di tích quốc gia đặc biệt.",
            "The Chi Lăng historic site is where invading armies from the north were defeated "
            "several times, most famously in 1427, when Lê Lợi's forces destroyed a Ming army and "
            "killed its general Liu Sheng. It is a special national relic.",
            "支棱历史遗迹区是历史上多次击败北方入侵军队的地方，最著名的是1427年黎利起义军"
            "歼灭明军并斩杀主将柳升的战役。该遗迹被列为国家特别级遗迹。",
        ),
    ),
    dict(
        key="ai-chi-lang", category=C.RELIC, rank=R.SPECIAL_NATIONAL,
        lonlat=(106.5450, 21.6250),
        name=("Ải Chi Lăng", "Chi Lăng Pass", "支棱隘"),
        text=(
            "Ải Chi Lăng là thung lũng hẹp kẹp giữa hai dãy núi đá vôi trên con đường cổ từ "
            "biên giới về Thăng Long. Địa thế hiểm trở khiến nơi đây thành cửa ải chiến lược qua "
            "nhiều triều đại. Quốc lộ 1A và đường sắt ngày nay vẫn đi qua thung lũng này.",
            "Chi Lăng Pass is a narrow valley between two limestone ranges on the old road from "
            "the border to Thăng Long. Its rugged ground made it a strategic pass under many "
            "dynasties. National Road 1A and the railway still run through the valley.",
            "支棱隘是夹在两列石灰岩山脉之间的狭长谷地，位于从边境通往升龙的古道上。险要的"
            "地形使这里历代都是战略要隘。如今1A号国道和铁路仍从这条谷地穿过。",
        ),
    ),
    dict(
        key="khoi-nghia-bac-son", category=C.RELIC, rank=R.NATIONAL,
        lonlat=(106.3220, 21.9010),
        name=("Khu di tích khởi nghĩa Bắc Sơn", "Bắc Sơn Uprising Historic Site",
              "北山起义遗址区"),
        text=(
            "Khu di tích ghi dấu cuộc khởi nghĩa Bắc Sơn nổ ra ngày 27 tháng 9 năm 1940, khi "
            "nhân dân các dân tộc Bắc Sơn nổi dậy chống Pháp. Từ cuộc khởi nghĩa ra đời đội du "
            "kích Bắc Sơn. Bảo tàng khởi nghĩa Bắc Sơn trưng bày hiện vật về sự kiện này.",
            "The site commemorates the Bắc Sơn uprising of 27 September 1940, when the peoples "
            "of Bắc Sơn rose against the French. The Bắc Sơn guerrilla unit was born from it. The "
            "Bắc Sơn Uprising Museum shows objects from those events.",
            "该遗址区纪念1940年9月27日爆发的北山起义，北山各族人民奋起反抗法国殖民统治。"
            "北山游击队由此诞生。北山起义博物馆展出与这一事件相关的文物。",
        ),
    ),
    dict(
        key="thung-lung-bac-son", category=C.MOUNTAIN, rank=R.NONE, lonlat=(106.3330, 21.9070),
        name=("Thung lũng Bắc Sơn", "Bắc Sơn Valley", "北山谷地"),
        text=(
            "Thung lũng Bắc Sơn là cánh đồng lúa rộng giữa những khối núi đá vôi, nhìn rõ nhất "
            "từ đỉnh Nà Lay. Mùa lúa chín vào khoảng tháng 6 và tháng 10. Nhà sàn của người Tày "
            "nằm rải rác ven các chân núi.",
            "The Bắc Sơn valley is a wide spread of rice fields among limestone peaks, best seen "
            "from Nà Lay peak. The rice ripens around June and October. Tày stilt houses line "
            "the feet of the hills.",
            "北山谷地是石灰岩群峰之间的一片广阔稻田，从那莱峰上看最为清楚。稻谷大约在六月"
            "和十月成熟。岱依族的高脚屋散布在山脚下。",
        ),
    ),
    dict(
        key="den-bac-le", category=C.TEMPLE, rank=R.NATIONAL, lonlat=(106.4450, 21.5400),
        name=("Đền Bắc Lệ", "Bắc Lệ Temple", "北丽庙"),
        text=(
            "Đền Bắc Lệ ở vùng Hữu Lũng là một trong những đền thờ Mẫu nổi tiếng nhất miền núi "
            "phía Bắc. Đền nằm trên đồi giữa rừng cây cổ thụ. Lễ hội đền diễn ra vào tháng Chín "
            "âm lịch, thu hút khách thập phương.",
            "Bắc Lệ Temple in the Hữu Lũng area is one of the best-known Mother Goddess temples "
            "of the northern uplands. It stands on a hill among old trees. Its festival in the "
            "ninth lunar month draws pilgrims from far away.",
            "北丽庙位于友陇地区，是越南北部山区最著名的圣母庙之一。庙宇坐落在古树环绕的山丘上。"
            "每年农历九月的庙会吸引各地香客前来。",
        ),
    ),
    dict(
        key="ho-phai-loan", category=C.LAKE, rank=R.NONE, lonlat=(106.7725, 21.8405),
        name=("Hồ Phai Loạn", "Phai Loạn Lake", "派乱湖"),
        text=(
            "Hồ Phai Loạn là hồ nước rộng ở phía đông nam thành phố Lạng Sơn. Quanh hồ là đường dạo và khu vui chơi, nơi người dân tập thể dục mỗi sáng "
            "và chiều.",
            "Phai Loạn is a broad lake in the south-east of Lạng Sơn city. Paths and play areas ring the lake, where residents exercise morning and "
            "evening.",
            "派乱湖是谅山市东南部的一片开阔湖泊。湖边有步道和游乐区，"
            "市民每天早晚在这里锻炼。",
        ),
    ),
]
