"""Plaques per second into one print-ready PDF (vector, the plaque engine) against a baseline
in the same run: each plaque drawn as a PNG with Pillow, the PNGs joined into one PDF.

The engine run makes 1,000 heritage plaques (then decodes every QR at 150 dpi, timed apart);
the baseline makes 100 at 150 dpi, which is already a lower resolution than a sign maker
wants, because 1,000 full-page bitmaps need gigabytes of memory before Pillow writes them.
Both are reported as plaques per second, so the ratio is fair to the baseline.
Run: python -m bench print_plaques (table in bench/results/) or python -m bench.print_plaques.
"""
import io
import os
import time

PLAQUES = int(os.environ.get("QRMAP_BENCH_PLAQUES", "1000"))
BASELINE_PLAQUES = max(10, PLAQUES // 10)
BASELINE_DPI = 150


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

    start = time.perf_counter()
    pdf, placements = pdf_build(layouts=layouts, paper="A4", cover=Cover(title="bench"))
    built = time.perf_counter() - start
    start = time.perf_counter()
    failures = pdf_verify(pdf=pdf, placements=placements,
                          expected=[lay.symbol.payload for lay in layouts],
                          labels=[lay.label for lay in layouts])
    checked = time.perf_counter() - start
    assert not failures, failures[:3]
    return built, checked, len(pdf)


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


def measure():
    """Time both ways of making the plaques; returns the figures."""
    layouts = _layouts(PLAQUES)
    built, checked, size = bench_engine(layouts)
    base_time, base_size = bench_baseline(layouts[:BASELINE_PLAQUES])
    return {"engine_rate": PLAQUES / built, "check_rate": PLAQUES / (built + checked),
            "base_rate": BASELINE_PLAQUES / base_time, "engine_kib": size / PLAQUES / 1024,
            "base_kib": base_size / BASELINE_PLAQUES / 1024, "built_s": built,
            "checked_s": checked, "base_s": base_time}


def run():
    """The rows for `python -m bench` (bench/_report.Row: ours beside the baseline)."""
    from bench._report import Row

    f = measure()
    rows = [
        Row("heritage plaques per second into one PDF", round(f["engine_rate"], 1),
            round(f["base_rate"], 1), lower_is_better=False),
        Row("… including the 150 dpi decode of every QR", round(f["check_rate"], 1),
            round(f["base_rate"], 1), lower_is_better=False),
        Row("PDF size per plaque (KiB)", round(f["engine_kib"], 1), round(f["base_kib"], 1)),
        Row("raster images in the PDF", 0, BASELINE_PLAQUES),
    ]
    return {"title": "Plaque PDF: vector engine vs. Pillow PNGs joined into a PDF",
            "rows": rows,
            "context": {"plaques": PLAQUES, "baseline_plaques": BASELINE_PLAQUES,
                        "baseline_dpi": BASELINE_DPI, "build_s": round(f["built_s"], 2),
                        "decode_check_s": round(f["checked_s"], 2),
                        "baseline_s": round(f["base_s"], 2)}}


def main():
    _setup()
    f = measure()
    print(f"vector engine: {PLAQUES} plaques in {f['built_s']:.2f} s = "
          f"{f['engine_rate']:.1f}/s ({f['engine_kib']:.1f} KiB each); with the decode check "
          f"{f['check_rate']:.1f}/s")
    print(f"baseline: {BASELINE_PLAQUES} Pillow PNGs at {BASELINE_DPI} dpi joined in "
          f"{f['base_s']:.2f} s = {f['base_rate']:.1f}/s ({f['base_kib']:.1f} KiB each)")
    print(f"ratio: {f['engine_rate'] / f['base_rate']:.1f}×")


if __name__ == "__main__":
    main()
