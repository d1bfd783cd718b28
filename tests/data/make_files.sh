#!/usr/bin/env bash
# Regenerates the small import test files in this folder with GDAL (ogr2ogr) and Python.
# Broken inputs (unclosed ring, bow-tie, phone KML, path traversal) cannot come out of GDAL,
# which writes clean files, so those are written as text here, and checked with ogrinfo.
set -euo pipefail
cd "$(dirname "$0")"
command -v ogr2ogr >/dev/null || { echo "needs ogr2ogr (gdal-bin)"; exit 1; }
rm -rf _work && mkdir _work

# 1. Ten real places of Lạng Sơn (approximate positions), WGS 84: the reference points.
cat > heritage_wgs84.geojson <<'JSON'
{"type": "FeatureCollection", "name": "heritage_wgs84", "features": [
{"type": "Feature", "properties": {"ma": "LS-001", "ten": "Động Tam Thanh", "loai": "cave", "mo_ta": "Hang động và chùa trong núi đá vôi"}, "geometry": {"type": "Point", "coordinates": [106.7453, 21.8589]}},
{"type": "Feature", "properties": {"ma": "LS-002", "ten": "Chùa Tiên", "loai": "pagoda", "mo_ta": "Chùa trong động núi Đại Tượng"}, "geometry": {"type": "Point", "coordinates": [106.7605, 21.8479]}},
{"type": "Feature", "properties": {"ma": "LS-003", "ten": "Đền Kỳ Cùng", "loai": "temple", "mo_ta": "Đền thờ bên sông Kỳ Cùng"}, "geometry": {"type": "Point", "coordinates": [106.7583, 21.8487]}},
{"type": "Feature", "properties": {"ma": "LS-004", "ten": "Thành nhà Mạc", "loai": "relic", "mo_ta": "Dấu tích thành cổ thế kỷ XVI"}, "geometry": {"type": "Point", "coordinates": [106.7478, 21.8557]}},
{"type": "Feature", "properties": {"ma": "LS-005", "ten": "Chợ Đông Kinh", "loai": "market", "mo_ta": "Chợ trung tâm thành phố"}, "geometry": {"type": "Point", "coordinates": [106.7637, 21.8513]}},
{"type": "Feature", "properties": {"ma": "LS-006", "ten": "Cầu Kỳ Lừa", "loai": "bridge", "mo_ta": "Cầu qua sông Kỳ Cùng"}, "geometry": {"type": "Point", "coordinates": [106.7547, 21.8560]}},
{"type": "Feature", "properties": {"ma": "LS-007", "ten": "Núi Mẫu Sơn", "loai": "mountain", "mo_ta": "Khu du lịch núi cao"}, "geometry": {"type": "Point", "coordinates": [106.9372, 21.8437]}},
{"type": "Feature", "properties": {"ma": "LS-008", "ten": "Cửa khẩu Hữu Nghị", "loai": "border_gate", "mo_ta": "Cửa khẩu quốc tế"}, "geometry": {"type": "Point", "coordinates": [106.7080, 21.9600]}},
{"type": "Feature", "properties": {"ma": "LS-009", "ten": "Đền Bắc Lệ", "loai": "temple", "mo_ta": "Đền thờ Mẫu ở Hữu Lũng"}, "geometry": {"type": "Point", "coordinates": [106.3560, 21.5900]}},
{"type": "Feature", "properties": {"ma": "LS-010", "ten": "Khu di tích Chi Lăng", "loai": "relic", "mo_ta": "Ải Chi Lăng"}, "geometry": {"type": "Point", "coordinates": [106.5650, 21.6650]}}
]}
JSON

# 2. The same points as a Shapefile in VN-2000 / TM-3 107°15′ (EPSG:9215), zipped, with a
#    .prj and a .cpg. ogr2ogr does the datum shift with PROJ's EPSG definition.
ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:9215 -lco ENCODING=UTF-8 \
  _work/di_tich_vn2000.shp heritage_wgs84.geojson
rm -f heritage_vn2000_tm3.zip
(cd _work && python3 -c "import zipfile,glob
with zipfile.ZipFile('../heritage_vn2000_tm3.zip','w',zipfile.ZIP_DEFLATED) as z:
    [z.write(f) for f in sorted(glob.glob('di_tich_vn2000.*'))]")

# 3. The same points as a GeoPackage.
rm -f heritage.gpkg
ogr2ogr -f GPKG -nln di_tich heritage.gpkg heritage_wgs84.geojson

# 4. An Excel-style CSV: BOM, ';', decomposed (NFD) letters, decimal commas, and rows 3 and 7
#    with latitude and longitude swapped.
python3 - <<'PY'
import json, unicodedata
points = json.load(open("heritage_wgs84.geojson", encoding="utf-8"))["features"]
lines = ["STT;Tên;Loại;Vĩ độ;Kinh độ;Mô tả"]
for i, f in enumerate(points, start=1):
    p = f["properties"]
    lon, lat = f["geometry"]["coordinates"]
    if i in (3, 7):
        lon, lat = lat, lon
    cells = [str(i), p["ten"], p["loai"], f"{lat:.4f}".replace(".", ","),
             f"{lon:.4f}".replace(".", ","), p["mo_ta"]]
    lines.append(";".join(cells))
text = unicodedata.normalize("NFD", "\r\n".join(lines) + "\r\n")
open("excel_messy.csv", "wb").write(b"\xef\xbb\xbf" + text.encode("utf-8"))
PY

# 5. Site outlines: a bow-tie (refused), an unclosed ring (closed), a polygon with a spike
#    (made valid, one piece), a clean polygon, a street line and a feature without geometry.
cat > shapes_broken.geojson <<'JSON'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"ten": "Quảng trường bướm", "loai": "park"}, "geometry": {"type": "Polygon", "coordinates": [[[106.750, 21.840], [106.760, 21.850], [106.760, 21.840], [106.750, 21.850], [106.750, 21.840]]]}},
{"type": "Feature", "properties": {"ten": "Chợ Giếng Vuông", "loai": "market"}, "geometry": {"type": "Polygon", "coordinates": [[[106.7600, 21.8500], [106.7620, 21.8500], [106.7620, 21.8515], [106.7600, 21.8515]]]}},
{"type": "Feature", "properties": {"ten": "Công viên Chi Lăng", "loai": "park"}, "geometry": {"type": "Polygon", "coordinates": [[[106.7560, 21.8520], [106.7580, 21.8520], [106.7580, 21.8535], [106.7590, 21.8545], [106.7580, 21.8535], [106.7560, 21.8535], [106.7560, 21.8520]]]}},
{"type": "Feature", "properties": {"ten": "Trường THPT Việt Bắc", "loai": "school"}, "geometry": {"type": "Polygon", "coordinates": [[[106.7640, 21.8540], [106.7655, 21.8540], [106.7655, 21.8550], [106.7640, 21.8550], [106.7640, 21.8540]]]}},
{"type": "Feature", "properties": {"ten": "Đường Trần Đăng Ninh", "loai": "street"}, "geometry": {"type": "LineString", "coordinates": [[106.7570, 21.8530], [106.7600, 21.8528], [106.7630, 21.8526]]}},
{"type": "Feature", "properties": {"ten": "Nhà văn hóa không tọa độ", "loai": "cultural_house"}, "geometry": null}
]}
JSON
ogrinfo -q -so shapes_broken.geojson >/dev/null

# 6. A KML as Google My Maps / OsmAnd export it: folders, ExtendedData, altitude in the
#    coordinates, descriptions in CDATA, Vietnamese names; and the same as KMZ.
cat > phone_mymaps.kml <<'KML'
<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
  <Document>
    <name>Khảo sát biển QR Lạng Sơn</name>
    <description/>
    <Style id="icon-1899-0288D1-normal"><IconStyle><color>ffd18802</color><scale>1</scale></IconStyle></Style>
    <Folder>
      <name>Di tích</name>
      <Placemark>
        <name>Đền Tả Phủ</name>
        <description><![CDATA[Đền thờ thần trấn giữ phía tây thành<br>Ảnh: IMG_2031.jpg]]></description>
        <styleUrl>#icon-1899-0288D1-normal</styleUrl>
        <ExtendedData><Data name="loai"><value>temple</value></Data></ExtendedData>
        <Point><coordinates>106.7598,21.8532,0</coordinates></Point>
      </Placemark>
      <Placemark>
        <name>Chùa Thành</name>
        <description>Chùa cổ gần chợ Kỳ Lừa</description>
        <styleUrl>#icon-1899-0288D1-normal</styleUrl>
        <ExtendedData><Data name="loai"><value>pagoda</value></Data></ExtendedData>
        <Point><coordinates>106.7571,21.8572,0</coordinates></Point>
      </Placemark>
    </Folder>
    <Folder>
      <name>Công trình công cộng</name>
      <Placemark>
        <name>Bưu điện tỉnh Lạng Sơn</name>
        <styleUrl>#icon-1899-0288D1-normal</styleUrl>
        <ExtendedData><Data name="loai"><value>post_office</value></Data></ExtendedData>
        <Point><coordinates>106.7612,21.8507,284.6</coordinates></Point>
      </Placemark>
    </Folder>
  </Document>
</kml>
KML
ogrinfo -q -so phone_mymaps.kml >/dev/null
rm -f phone_mymaps.kmz
python3 -c "import zipfile
with zipfile.ZipFile('phone_mymaps.kmz','w',zipfile.ZIP_DEFLATED) as z: z.write('phone_mymaps.kml','doc.kml')"

# 7. A zip whose member climbs out of the folder: must be refused before extraction.
rm -f traversal.zip
python3 -c "import zipfile
with zipfile.ZipFile('traversal.zip','w') as z:
    z.writestr('data/points.csv', 'ten,lat,lon\nA,21.85,106.76\n')
    z.writestr('../../evil.csv', 'ten,lat,lon\nB,21.85,106.76\n')"

# 8. The staff-screen CSV: plain UTF-8, ',' separator, a column the guess leaves unmapped
#    ("Thông tin" is the description) and one row outside the province.
cat > staff_upload.csv <<'CSV'
Tên công trình,Tên tiếng Anh,Loại,Vĩ độ,Kinh độ,Thông tin
Nhà văn hóa khối 5,Block 5 cultural house,cultural_house,21.8541,106.7633,Sinh hoạt cộng đồng khối 5
Trạm y tế phường Chi Lăng,Chi Lang ward clinic,clinic,21.8466,106.7570,Khám chữa bệnh ban đầu
Sân vận động Đông Kinh,Dong Kinh stadium,stadium,21.8498,106.7660,Sân bóng đá trung tâm
Điểm ngoài tỉnh,Outside the province,other,21.0285,105.8542,Hà Nội: phải bị từ chối
CSV

rm -rf _work
echo "test files written in $(pwd)"
