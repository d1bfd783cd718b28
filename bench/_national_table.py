"""The national table: issue 13's figures gathered from the benchmarks' own results, each beside
the reference that benchmark measured in the same run, with its target.

Every benchmark writes bench/results/<name>.json; this reads them (those of this run and,
for a benchmark not run this time, its last run, dated) and writes bench/results/national.md.
A figure is found by a pattern on its metric name, so a benchmark may reword the rest.
"""
import json
import re
from dataclasses import dataclass

from bench._report import RESULTS, Row, environment, table


@dataclass
class Figure:
    label: str
    bench: str
    pattern: str  # a regex on the metric name
    target: str = ""  # "<= 2.0" / ">= 80": checked on our figure
    pick: str = "first"  # "max" of every matching row (tiles: the worst layer)


FIGURES = [
    Figure("import, CSV of 100,000 assets: rows/s (ref.: ogr2ogr raw load)", "import_assets",
           r"^rows per second, CSV(?! re-import)", ">= 10000"),
    Figure("import, GeoPackage of 100,000 assets: rows/s (ref.: ogr2ogr raw load)",
           "import_assets", r"^rows per second, GeoPackage", ">= 10000"),
    Figure("import, CSV re-import updating 100,000 assets: rows/s", "import_assets",
           r"^rows per second, CSV re-import", ">= 10000"),
    Figure("import, CSV of 1,000 assets, a commune's file (s) (ref.: ogr2ogr raw load)",
           "import_assets", r"^seconds, CSV of 1,000"),
    Figure("import: peak memory, CSV (MB)", "import_assets", r"peak memory.*CSV(?! re-import)"),
    Figure("gap analysis, 100,000 hamlets × 10,000 sites (s) (ref.: bare prefilter query)",
           "gap", r"^gap analysis", "<= 2.0"),
    Figure("scenario of 20 planned sites (s) (ref.: bare prefilter query)", "gap",
           r"^scenario", "<= 2.0"),
    Figure("proposal of 5 sites (s) (ref.: bare prefilter query)", "gap", r"^proposal"),
    *[Figure(f"tiles z{z}: largest tile of any layer (bytes) (ref.: bare ST_AsMVT)", "tiles",
             rf"z{z} .*largest tile", "<= 50000", "max") for z in (6, 9, 12, 15)],
    *[Figure(f"tiles z{z}: p95 {state} (ms), worst layer (ref.: bare ST_AsMVT)", "tiles",
             rf"z{z} .*p95 {state}", "<= 50" if state == "warm" else "<= 300", "max")
      for z in (6, 9, 12, 15) for state in ("warm", "cold")],
    Figure("coverage map page, first response (gzip bytes)", "tiles",
           r"^coverage map page, first response", "<= 100000"),
    Figure("coverage map on emulated rural 3G: first contentful paint (ms) (ref.: inline map)",
           "coverage_map", r"^3G: first contentful paint", "<= 2000"),
    Figure("coverage map on emulated rural 3G: first hamlet drawn (ms) (ref.: inline map)",
           "coverage_map", r"^3G: first hamlet drawn, median", "<= 2000"),
    Figure("coverage map on emulated rural 3G: first hamlet of the map's own hamlet layer "
           "(ms) (ref.: inline map)", "coverage_map", r"^3G: first hamlet drawn by the map"),
    Figure("search /search/ p95 (ms) (ref.: the same search without its index)", "search",
           r"^/search/ p95 \(ms\)", "<= 50"),
    Figure("search API ?q= p95 (ms) (ref.: Features built by AssetGeoSerializer)", "search",
           r"^API \?q= p95 \(ms\), ref", "<= 50"),
    Figure("asset page at 1,000,000 assets, warm p95 (ms) (ref.: demo database)",
           "asset_page_national", r"^warm, p95", "<= 20"),
    Figure("asset page at 1,000,000 assets, cold p95 (ms), shared cache emptied (ref.: demo "
           "database)", "asset_page_national", r"^cold, p95", "<= 30"),
    Figure("asset page at 1,000,000 assets, first visit after a save p95 (ms) (ref.: demo "
           "database)", "asset_page_national", r"^after a save, p95", "<= 30"),
    Figure("print, plaques/s through the job queue, decode included", "print_plaques",
           r"job queue.*plaques", ">= 80"),
    Figure("print, plaques/s in one process, decode included (ref.: Pillow)", "print_plaques",
           r"including the .*decode"),
    Figure("print job: peak memory (MB)", "print_plaques", r"peak memory"),
]


def _results(bench: str):
    path = RESULTS / f"{bench}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _met(value, target: str):
    if not target or not isinstance(value, (int, float)):
        return ""
    op, limit = target.split()
    ok = value <= float(limit) if op == "<=" else value >= float(limit)
    return "yes" if ok else "no"


def write() -> str:
    rows, lines = [], []
    for figure in FIGURES:
        data = _results(figure.bench)
        found = [r for r in (data or {}).get("rows", []) if re.search(figure.pattern, r["metric"])]
        if not found:
            lines.append(f"- {figure.label}: not measured (run `python -m bench {figure.bench}`)")
            continue
        if figure.pick == "max":
            row = max(found, key=lambda r: r["qrmap"] if isinstance(r["qrmap"], (int, float))
                      else float("-inf"))
        else:
            row = found[0]
        when = data["environment"]["date"]
        target = f"; target {figure.target}, met: {_met(row['qrmap'], figure.target)}" \
            if figure.target else ""
        rows.append(Row(f"{figure.label}{target}", row["qrmap"], row["baseline"],
                        row.get("lower_is_better", True)))
        lines.append(f"- {figure.label}: from bench `{figure.bench}`, run {when}")
    markdown = ("# National scale (issue 13): every figure beside its same-run reference\n\n"
                + table(rows, baseline_label="same-run reference") + "\n\n"
                + "\n".join(lines) + "\n\n"
                + "\n".join(f"- {k}: {v}" for k, v in environment().items()) + "\n")
    (RESULTS / "national.md").write_text(markdown, encoding="utf-8")
    return markdown
