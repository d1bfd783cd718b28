"""Synthetic photos for a few demo heritage sites, drawn with Pillow (no real photo of the
sites ships with qrmap): a sky, hills and a roof, with a caption that says it is not a
photograph. They go through assets.services.photos like a staff upload."""
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from assets.access import SYSTEM
from assets.models import Asset
from assets.services.photos import asset_photo_add

# external_id: (sky colour, hill colour)
SITES = {"demo:heritage:dong-tam-thanh": ((150, 190, 225), (70, 120, 70)),
         "demo:heritage:chua-tien": ((235, 200, 150), (90, 110, 60))}
CAPTIONS = {"caption_vi": "Ảnh minh họa tổng hợp, không phải ảnh chụp thật",
            "caption_en": "A drawn illustration, not a photograph",
            "caption_zh": "合成示意图，并非实拍照片"}


def demo_picture(sky, hill, size=(1200, 800)) -> bytes:
    """A drawn landscape as a JPEG."""
    width, height = size
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    for i in range(0, height // 2, 4):  # a sky lighter towards the horizon
        draw.line([(0, i), (width, i)], fill=tuple(min(255, c + i // 8) for c in sky))
    draw.polygon([(0, height), (width // 3, height // 3), (width // 2, height)], fill=hill)
    draw.polygon([(width // 3, height), (2 * width // 3, height // 4), (width, height)],
                 fill=tuple(c // 2 + 30 for c in hill))
    # A pagoda roof in the middle ground.
    x, y = width // 2, 2 * height // 3
    draw.rectangle([x - 90, y, x + 90, y + 120], fill=(150, 60, 40))
    draw.polygon([(x - 150, y + 10), (x, y - 70), (x + 150, y + 10)], fill=(70, 40, 30))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def demo_photos_add() -> int:
    """One drawn photo for each site of SITES that has none; the number added."""
    added = 0
    for asset in Asset.objects.filter(external_id__in=SITES, photos__isnull=True):
        upload = SimpleUploadedFile("demo.jpg", demo_picture(*SITES[asset.external_id]),
                                    "image/jpeg")
        # Processed here: the demo shows its photos without waiting for a worker.
        asset_photo_add(user=SYSTEM, asset=asset, upload=upload, captions=CAPTIONS,
                        inline=True)
        added += 1
    return added
