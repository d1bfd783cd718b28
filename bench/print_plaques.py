"""Plaques per second into one print-ready PDF (vector, the plaque engine) against a baseline
in the same run: each plaque drawn as a PNG with Pillow, the PNGs joined into one PDF.

The engine run makes 1,000 heritage plaques (then decodes every QR at 150 dpi, timed apart);
the baseline makes 100 at 150 dpi, which is already a lower resolution than a sign maker
wants, because 1,000 full-page bitmaps need gigabytes of memory before Pillow writes them.
Both are reported as plaques per second, so the ratio is fair to the baseline.
Run: python -m bench (all benchmarks) or python -m bench.print_plaques.
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
            grouped_code=f"{code[:4]}-{code[4:]}", plus_code="7PH8VQ36+6J",
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


def main():
    _setup()
    layouts = _layouts(PLAQUES)
    built, checked, size = bench_engine(layouts)
    base_time, base_size = bench_baseline(layouts[:BASELINE_PLAQUES])
    engine_rate = PLAQUES / built
    base_rate = BASELINE_PLAQUES / base_time
    print("print_plaques: heritage plaques into one PDF")
    print(f"  vector engine      {PLAQUES:5d} plaques  {built:7.2f} s  "
          f"{engine_rate:8.1f} plaques/s  {size / PLAQUES / 1024:6.1f} KiB/plaque")
    print(f"  + QR decode check  {PLAQUES:5d} plaques  {checked:7.2f} s  "
          f"{PLAQUES / checked:8.1f} plaques/s (150 dpi render + zxing-cpp)")
    print(f"  baseline Pillow    {BASELINE_PLAQUES:5d} plaques  {base_time:7.2f} s  "
          f"{base_rate:8.1f} plaques/s  {base_size / BASELINE_PLAQUES / 1024:6.1f} KiB/plaque "
          f"(PNG at {BASELINE_DPI} dpi joined)")
    print(f"  ratio              vector is {engine_rate / base_rate:.1f}× the baseline; "
          f"with the decode check {PLAQUES / (built + checked) / base_rate:.1f}×")
    return {"engine_plaques_per_s": engine_rate, "baseline_plaques_per_s": base_rate,
            "check_plaques_per_s": PLAQUES / checked}


if __name__ == "__main__":
    main()
