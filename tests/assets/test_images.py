"""assets.images: limits before work (pixels from the header, bytes, formats), and the
re-encoding that turns a photo upright, shrinks it and drops its EXIF."""
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assets import images
from tests.assets.image_samples import bomb_png, jpeg

ROOT = Path(__file__).resolve().parents[2]


def upload(data, name="p.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _other_format(fmt, size=(8, 8)):
    if fmt == "EPS":  # Pillow would hand it to Ghostscript
        return b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 8 8\n"
    buffer = io.BytesIO()
    Image.new("RGB", size).save(buffer, fmt)
    return buffer.getvalue()


def test_a_decompression_bomb_is_refused_from_its_header_in_milliseconds():
    bomb = upload(bomb_png(), "bomb.png", "image/png")
    assert bomb.size < 25 * 1024
    started = time.perf_counter()
    with pytest.raises(images.ImageRefused, match="too many pixels"):
        images.image_check(bomb)
    assert time.perf_counter() - started < 0.1


# Run in a fresh interpreter: ru_maxrss is the peak of the whole process, so the baseline
# must be this check alone, not whatever the test session decoded before.
RSS_PROBE = """
import json, os, resource, sys, time
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from assets.public.reports import ReportForm
data = open(sys.argv[1], "rb").read()
form = ReportForm({"problem": "damaged", "start": "1", "end": "1"},
                  {"photo": SimpleUploadedFile("bomb.png", data, content_type="image/png")})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
valid = form.is_valid()
ms = (time.perf_counter() - started) * 1000
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"refused": not valid and "photo" in form.errors,
                  "rss_delta_mb": (after - before) / 1024, "ms": ms}))
"""


def test_the_report_form_refuses_the_bomb_without_a_memory_spike(tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(bomb_png())
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qrmap.settings", "PYTHONPATH": str(ROOT)}
    probe = subprocess.run([sys.executable, "-c", RSS_PROBE, str(bomb)], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(probe.stdout.strip().splitlines()[-1])
    print(result)  # the numbers, for the record (pytest -s)
    assert result["refused"]
    # Decoding it would take ~370 MB (RGB) or more; reading the header takes nothing.
    assert result["rss_delta_mb"] < 50


def test_pillow_follows_the_same_cap(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.QRMAP_MAX_IMAGE_PIXELS


def test_the_cap_holds_below_pillows_own_refusal(settings):
    """Pillow only warns up to twice its limit; the cap is ours, checked on the header."""
    settings.QRMAP_MAX_IMAGE_PIXELS = 1000
    assert images.image_check(upload(jpeg(size=(40, 25)))) == (40, 25)
    with pytest.raises(images.ImageRefused, match="too many pixels"):
        images.image_check(upload(jpeg(size=(40, 26))))


def test_formats_decoded_at_full_size_get_a_quarter_of_the_cap(settings):
    """A JPEG is decoded at a reduced scale; a PNG is decoded whole, so it may declare less."""
    settings.QRMAP_MAX_IMAGE_PIXELS = 4000
    assert images.image_check(upload(jpeg(size=(80, 50)))) == (80, 50)
    with pytest.raises(images.ImageRefused, match="too many pixels"):
        images.image_check(upload(_other_format("PNG", (80, 50)), "p.png"))
    assert images.image_check(upload(_other_format("PNG", (40, 25)), "p.png")) == (40, 25)


def test_a_file_above_the_byte_limit_is_refused_before_it_is_opened(settings):
    settings.QRMAP_MAX_PHOTO_BYTES = 2 * images.MB
    big = upload(jpeg() + b"\0" * (3 * images.MB))
    with pytest.raises(images.ImageRefused, match="the limit is 2 MB"):
        images.image_check(big)




@pytest.mark.parametrize("fmt", ["BMP", "GIF", "TIFF", "EPS"])
def test_only_photo_formats_reach_a_decoder(fmt):
    with pytest.raises(images.ImageRefused, match="not a photo we can read"):
        images.image_check(upload(_other_format(fmt), f"p.{fmt.lower()}"))


def test_a_cut_off_photo_passes_the_header_check_but_not_the_decoding():
    cut = upload(jpeg(size=(400, 300))[:1500])
    assert images.image_check(cut) == (400, 300)
    with pytest.raises(images.ImageRefused, match="incomplete or damaged"):
        images.image_clean(cut, max_side=1600)


def test_a_clean_photo_is_upright_small_and_without_exif():
    # Stored landscape, shot portrait (orientation 6: turn 90° clockwise to view).
    clean = images.image_clean(upload(jpeg(size=(3000, 1000), orientation=6)), max_side=1600)
    with Image.open(clean) as stored:
        assert stored.format == "JPEG" and stored.size == (533, 1600)
        assert not stored.getexif() and "exif" not in stored.info
        # The marked (red) corner was top left as stored; upright it is top right.
        assert stored.getpixel((520, 10))[0] > 150 and stored.getpixel((10, 10))[0] < 150


def test_the_form_field_returns_the_upload_or_says_why_not():
    field = images.ImageUploadField(required=False)
    photo = upload(jpeg())
    assert field.clean(photo) is photo and photo.tell() == 0
    with pytest.raises(forms.ValidationError, match="too many pixels"):
        field.clean(upload(bomb_png(), "bomb.png", "image/png"))
