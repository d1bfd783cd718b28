"""Plaques per second into one print-ready PDF (vector, the plaque engine) against a baseline
in the same run: each plaque drawn as a PNG with Pillow, the PNGs joined into one PDF.

The engine run makes 1,000 heritage plaques (then decodes every QR at 150 dpi, timed apart);
the baseline makes 100 at 150 dpi, which is already a lower resolution than a sign maker
wants, because 1,000 full-page bitmaps need gigabytes of memory before Pillow writes them.
Both are reported as plaques per second, so the ratio is fair to the baseline.

Then the real thing: jobs of 2,000 and 10,000 plaques through the job queue, a Celery worker
as the Procfile starts it, every QR decoded (bench/_print_queue.py), beside the in-process
single-core figure of the same run; and the peak memory of the worker during each job,
which must not grow with the job's size.
Run: python -m bench print_plaques (table in bench/results/) or python -m bench.print_plaques.
QRMAP_BENCH_PRINT_QUEUED="2000,10000" sets the queued job sizes (the last one is reported).
"""
import io
import os
import time

PLAQUES = int(os.environ.get("QRMAP_BENCH_PLAQUES", "1000"))
BASELINE_PLAQUES = max(10, PLAQUES // 10)
BASELINE_DPI = 150
QUEUED = [int(n) for n in os.environ.get("QRMAP_BENCH_PRINT_QUEUED", "2000,10000").split(",")]


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qrmap.settings")
    import django

    django.setup()


def _layouts(n):
    from assets import codes
    from assets.plaques.layout import PlaqueContent, layout_plaque
    from assets.plaques.qr import qr_payload, qr_symbol

    out = []
    for i in range(n):
        code = codes.random_code()
        content = PlaqueContent(
            template="heritage", payload=qr_payload(code=code),
            grouped_code=codes.group(code), plus_code="7PH8VQ36+6J",
            name_vi=f"Đền Kỳ Cùng {i}", name_en="Ky Cung Temple", name_zh="奇穷庙",
            rank="Di tích cấp quốc gia",
            description="Đền thờ Tả Phủ Thân Công Tài bên bờ sông Kỳ Cùng, nổi tiếng với lễ "
                        "hội đầu xuân tháng Giêng hằng năm.",
            label=code)
        out.append(layout_plaque(content, qr_symbol(content.payload)))
    return out


def bench_engine(layouts):
    from assets.plaques.pdf import Cover, pdf_build
    from assets.plaques.verify import pdf_verify

    start, cpu = time.perf_counter(), time.process_time()
    pdf, placements = pdf_build(layouts=layouts, paper="A4", cover=Cover(title="bench"))
    built = time.perf_counter() - start
    start = time.perf_counter()
    failures = pdf_verify(pdf=pdf, placements=placements,
                          expected=[lay.symbol.payload for lay in layouts],
                          labels=[lay.label for lay in layouts])
    checked = time.perf_counter() - start
    assert not failures, failures[:3]
    return built, checked, len(pdf), time.process_time() - cpu


def bench_baseline(layouts):
    from PIL import Image

    from assets.plaques.png import png_plaque

    start = time.perf_counter()
    pages = [Image.open(io.BytesIO(png_plaque(lay, dpi=BASELINE_DPI))).convert("RGB")
             for lay in layouts]
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:],
                  resolution=BASELINE_DPI)
    return time.perf_counter() - start, out.tell()


def measure(queued=True):
    """Time both ways of making the plaques, then the queued jobs; returns the figures."""
    from bench import _print_queue

    cpu = time.process_time()
    layouts = _layouts(PLAQUES)
    layout_cpu = time.process_time() - cpu
    built, checked, size, engine_cpu = bench_engine(layouts)
    base_time, base_size = bench_baseline(layouts[:BASELINE_PLAQUES])
    jobs = _print_queue.measure(QUEUED) if queued else {}
    # The machine is shared: the single-core reference again, right after the queued jobs.
    after = bench_engine(layouts) if queued else (built, checked)
    return {"jobs": jobs, "load": os.getloadavg(),
            "cpu_ms": 1000 * (layout_cpu + engine_cpu) / PLAQUES,
            "check_rate_after": PLAQUES / (after[0] + after[1]),
            "engine_rate": PLAQUES / built, "check_rate": PLAQUES / (built + checked),
            "base_rate": BASELINE_PLAQUES / base_time, "engine_kib": size / PLAQUES / 1024,
            "base_kib": base_size / BASELINE_PLAQUES / 1024, "built_s": built,
            "checked_s": checked, "base_s": base_time}


def run():
    """The rows for `python -m bench` (bench/_report.Row: ours beside the baseline)."""
    from bench._report import Row

    f = measure()
    big, small = f["jobs"][QUEUED[-1]], f["jobs"][QUEUED[0]]
    rows = [
        Row("heritage plaques per second into one PDF", round(f["engine_rate"], 1),
            round(f["base_rate"], 1), lower_is_better=False),
        Row("… including the 150 dpi decode of every QR", round(f["check_rate"], 1),
            round(f["base_rate"], 1), lower_is_better=False),
        Row("PDF size per plaque (KiB)", round(f["engine_kib"], 1), round(f["base_kib"], 1)),
        Row("raster images in the PDF", 0, BASELINE_PLAQUES),
        Row(f"{QUEUED[-1]:,} plaques through the job queue (Celery worker, 2 processes), "
            "decode included: plaques/s (baseline: in-process, one core)",
            round(big["rate"], 1), round(f["check_rate"], 1), lower_is_better=False),
        Row("… the same job vs. the Pillow baseline: plaques/s", round(big["rate"], 1),
            round(f["base_rate"], 1), lower_is_better=False),
        Row(f"peak memory of the print job (MB): the worker, {QUEUED[-1]:,} plaques "
            f"(baseline: {QUEUED[0]:,} plaques)", round(big["peak_pss_mb"]),
            round(small["peak_pss_mb"])),
        Row(f"CPU ms per plaque, {QUEUED[-1]:,}-plaque queued job, all worker processes "
            "(baseline: in-process, QR encoding and layout included)",
            round(1000 * big["cpu_s"] / big["plaques"], 2), round(f["cpu_ms"], 2)),
        Row(f"PDF size per plaque (KiB), {QUEUED[-1]:,}-plaque queued job",
            round(big["kib_per_plaque"], 2), round(f["engine_kib"], 2)),
    ]
    return {"title": "Plaque PDF: vector engine vs. Pillow PNGs joined into a PDF",
            "rows": rows,
            "context": {"plaques": PLAQUES, "baseline_plaques": BASELINE_PLAQUES,
                        "baseline_dpi": BASELINE_DPI, "build_s": round(f["built_s"], 2),
                        "decode_check_s": round(f["checked_s"], 2),
                        "baseline_s": round(f["base_s"], 2),
                        **_job_context(f),
                        "in-process single-core rate with decode, again after the queued jobs":
                        round(f["check_rate_after"], 1),
                        "load average (1, 5, 15 min) at the end":
                        " ".join(f"{v:.2f}" for v in f["load"])},
            "notes": NOTES}


NOTES = """
The queued jobs run in a throwaway database (the demo data, 100 of its assets verified,
each printed several times on the heritage template), through a Celery worker started as
deploy/Procfile starts it (prefork, concurrency 2); the job draws and decodes its parts in
a pool of QRMAP_PRINT_PROCESSES processes (2 here) and joins them streaming. Its time runs
from the queueing to `done`: codes, layouts, drawing, decoding, the join and the plaques
recorded. Memory is the sum of the proportional set size (PSS: pages shared after a fork
counted once) of the worker's processes, sampled every 0.2 s; CPU is theirs too (user +
system, the pool's included; PostgreSQL's not). The machine is shared: the load average
says how busy it was, and the CPU per plaque what the job costs whatever the load. With the
kernel's autogroup scheduling on (sysctl kernel.sched_autogroup_enabled), a busy
machine gives each session one share of the CPU however many processes it runs: there the
queued job's two processes together get what the single-core run gets, and only an idle
machine shows the wall-clock gain (about 2 CPUs / CPU ms per plaque).
"""


def _job_context(f) -> dict:
    out = {}
    for size, job in f["jobs"].items():
        out[f"queued {size:,}: seconds"] = round(job["seconds"], 1)
        out[f"queued {size:,}: plaques/s"] = round(job["rate"], 1)
        out[f"queued {size:,}: CPU s of the worker"] = round(job["cpu_s"], 1)
        out[f"queued {size:,}: peak PSS MB (idle worker)"] = (
            f"{job['peak_pss_mb']:.0f} ({job['idle_pss_mb']:.0f})")
        out[f"queued {size:,}: peak RSS sum MB"] = round(job["peak_rss_mb"])
        out[f"queued {size:,}: peak RSS of the largest process MB"] = round(
            job["peak_process_mb"])
        out[f"queued {size:,}: KiB per plaque"] = round(job["kib_per_plaque"], 2)
        out[f"queued {size:,}: the job's log"] = " ".join(
            line.split("] ", 1)[-1] for line in job["log"])
    return out


def main():
    _setup()
    f = measure()
    for job in f["jobs"].values():
        print(f"queued job: {job['plaques']} plaques in {job['seconds']:.1f} s = "
              f"{job['rate']:.1f}/s, peak PSS {job['peak_pss_mb']:.0f} MB "
              f"(RSS sum {job['peak_rss_mb']:.0f} MB), {job['kib_per_plaque']:.2f} KiB each")
    print(f"load average {os.getloadavg()}")
    print(f"vector engine: {PLAQUES} plaques in {f['built_s']:.2f} s = "
          f"{f['engine_rate']:.1f}/s ({f['engine_kib']:.1f} KiB each); with the decode check "
          f"{f['check_rate']:.1f}/s")
    print(f"baseline: {BASELINE_PLAQUES} Pillow PNGs at {BASELINE_DPI} dpi joined in "
          f"{f['base_s']:.2f} s = {f['base_rate']:.1f}/s ({f['base_kib']:.1f} KiB each)")
    print(f"ratio: {f['engine_rate'] / f['base_rate']:.1f}×")


if __name__ == "__main__":
    main()
