"""Asset import in rows per second: 100,000 generated assets from a GeoPackage and from a
CSV through the importer (read, check, bulk write with codes, communes and history), against
a baseline in the same run that creates the same rows one Model.save() at a time (code and
commune looked up per row) on a 2,000-row sample.

Runs in a throwaway database (<name>_bench_import: migrated, Lạng Sơn geography loaded,
dropped at the end), so the codes it issues never touch the real registry.
Run: python -m bench (all benchmarks) or python -m bench.import_assets.
QRMAP_BENCH_IMPORT_ROWS changes the size (default 100000).
"""
import csv
import json
import os
import random
import subprocess
import tempfile
import time
from pathlib import Path

ROWS = int(os.environ.get("QRMAP_BENCH_IMPORT_ROWS", "100000"))
BASELINE_ROWS = min(2000, ROWS)
CATEGORIES = ["school", "market", "bridge", "clinic", "office", "park", "temple", "pagoda"]


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qrmap.settings")
    import django

    django.setup()


def _throwaway_database():
    """Create, migrate and fill a database of its own; returns the name to drop later."""
    from django.core.management import call_command
    from django.db import connection

    name = connection.settings_dict["NAME"] + "_bench_import"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    call_command("qrmap_load_geodata", verbosity=0)
    return old


def _points(n, seed=20250701):
    """n random points inside the province (rejection sampling in its bounding box)."""
    from django.conf import settings
    from django.contrib.gis.geos import Point

    from geodata.importers.places import province_area
    from geodata.models import AdminUnit

    province = AdminUnit.objects.current().get(level="province").boundary
    inside = province_area()
    min_x, min_y, max_x, max_y = province.extent
    rng, points = random.Random(seed), []
    while len(points) < n:
        x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if inside.covers(Point(x, y, srid=settings.QRMAP_SRID)):
            points.append((round(x, 6), round(y, 6)))
    return points


def _rows(n):
    return [{"ten": f"Công trình thử {i:06d}", "loai": CATEGORIES[i % len(CATEGORIES)],
             "mo_ta": "Bản ghi sinh tự động cho phép đo tốc độ nhập.", "ma": f"B{i:06d}",
             "lon": x, "lat": y} for i, (x, y) in enumerate(_points(n))]


def _write_files(rows, folder: Path):
    csv_path, geojson, gpkg = folder / "assets.csv", folder / "assets.geojson", folder / "a.gpkg"
    with open(csv_path, "w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(["ma", "ten", "loai", "mo_ta", "vido", "kinhdo"])
        for r in rows:  # Excel's Vietnamese locale: ';' and decimal commas
            writer.writerow([r["ma"], r["ten"], r["loai"], r["mo_ta"],
                             str(r["lat"]).replace(".", ","), str(r["lon"]).replace(".", ",")])
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [r["lon"],
                r["lat"]]}, "properties": {k: r[k] for k in ("ma", "ten", "loai", "mo_ta")}}
                for r in rows]
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                                  ensure_ascii=False), encoding="utf-8")
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(gpkg), str(geojson)], check=True)
    return {"GeoPackage": gpkg, "CSV": csv_path}


def _clear():
    """Empty the asset tables of the throwaway database between runs. TRUNCATE, not
    QuerySet.delete(): that would write one "-" history row per asset through signals."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE assets_asset, assets_historicalasset CASCADE")


def bench_import(path):
    """(seconds to read and check, seconds to commit) for one file."""
    from assets.importers.run import import_file_plan
    from geodata.importers.engine import import_commit

    start = time.perf_counter()
    plan = import_file_plan(path=path, layer="assets")
    checked = time.perf_counter()
    import_commit(plan=plan)
    done = time.perf_counter()
    assert plan.counts["new"] == len(plan.rows), plan.counts
    return checked - start, done - checked


def bench_baseline(rows):
    """The naive path: one Asset().save() per row (a code and a commune query each)."""
    from django.conf import settings
    from django.contrib.gis.geos import Point

    from assets.models import Asset

    start = time.perf_counter()
    for r in rows:
        location = Point(r["lon"], r["lat"], srid=settings.QRMAP_SRID)
        Asset(name_vi=r["ten"], kind="public_work", category=r["loai"], external_id=r["ma"],
              description_vi=r["mo_ta"], location=location).save()
    return time.perf_counter() - start


def measure():
    """Import ROWS assets from each file and BASELINE_ROWS one save() at a time; figures."""
    from django.db import connection

    from assets.models import Asset

    old_name = _throwaway_database()
    try:
        rows = _rows(ROWS)
        figures = {}
        with tempfile.TemporaryDirectory(prefix="qrmap-bench-") as folder:
            for label, path in _write_files(rows, Path(folder)).items():
                checked, committed = bench_import(path)
                assert Asset.objects.count() == ROWS
                figures[label] = {"check_s": checked, "commit_s": committed,
                                  "rate": ROWS / (checked + committed)}
                _clear()
        base = bench_baseline(rows[:BASELINE_ROWS])
        _clear()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    figures["baseline"] = {"seconds": base, "rate": BASELINE_ROWS / base}
    return figures


def run():
    """The rows for `python -m bench` (bench/_report.Row: ours beside the baseline)."""
    from bench._report import Row

    f = measure()
    base = round(f["baseline"]["rate"], 1)
    rows = [Row(f"assets per second, {label} import (read, check, commit)",
                round(f[label]["rate"], 1), base, lower_is_better=False)
            for label in ("GeoPackage", "CSV")]
    context = {"rows": ROWS, "baseline_rows": BASELINE_ROWS,
               "baseline": "one Asset.save() per row (code and commune queried per row)",
               "baseline_s": round(f["baseline"]["seconds"], 1)}
    for label in ("GeoPackage", "CSV"):
        context[f"{label}_read_check_s"] = round(f[label]["check_s"], 1)
        context[f"{label}_commit_s"] = round(f[label]["commit_s"], 1)
    return {"title": f"Import of {ROWS:,} assets vs. one Model.save() per row",
            "rows": rows, "context": context, "ours_label": "importer",
            "baseline_label": "save() per row"}


def main():
    _setup()
    f = measure()
    print(f"import_assets: {ROWS} generated assets (throwaway database)")
    for label in ("GeoPackage", "CSV"):
        g = f[label]
        print(f"  {label:<11} read+check {g['check_s']:6.1f} s  commit {g['commit_s']:6.1f} s  "
              f"{g['rate']:8.0f} rows/s  ({g['rate'] / f['baseline']['rate']:.1f}× the baseline)")
    print(f"  baseline    {BASELINE_ROWS} rows, one Model.save() each: "
          f"{f['baseline']['seconds']:.1f} s  {f['baseline']['rate']:.0f} rows/s")


if __name__ == "__main__":
    main()
