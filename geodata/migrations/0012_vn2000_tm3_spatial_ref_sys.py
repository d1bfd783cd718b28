"""VN-2000 TM-3 zones (EPSG:9205-9218) in PostGIS's spatial_ref_sys.

PostGIS 3.3 ships without them, so ST_Transform(geom, 9215) fails. Each row holds GDAL/PROJ's
own definition (geodata.importers.crs.srs_definition), the one the importer reads files with,
and its PROJ string carries the VN-2000 to WGS 84 datum shift (+towgs84): data written out
in a zone reads back through the importer at the same place. A row already there (a newer
PostGIS, or an administrator's) is left as it is. Reversing leaves the rows: other database
objects may use them and they cost nothing.
"""
from django.db import migrations

from geodata.importers.crs import VN2000_TM3, srs_definition


def add_zones(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for srid in VN2000_TM3:
            wkt, proj = srs_definition(srid)
            cursor.execute(
                "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
                "VALUES (%s, 'EPSG', %s, %s, %s) ON CONFLICT (srid) DO NOTHING",
                [srid, srid, wkt, proj])


class Migration(migrations.Migration):
    dependencies = [("geodata", "0011_adminunit_province")]

    operations = [migrations.RunPython(add_zones, migrations.RunPython.noop)]
