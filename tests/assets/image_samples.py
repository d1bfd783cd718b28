"""Images for the upload tests, made on the fly: a decompression bomb, small JPEGs with
EXIF, and a 12-megapixel "camera photo" of several MB."""
import io

import numpy as np
from PIL import Image

ORIENTATION, MAKE, GPS = 0x0112, 0x010F, 0x8825


def bomb_png(width=10000, height=9500) -> bytes:
    """A ~12 KB PNG that declares width × height pixels (1-bit, all black): decoded as RGB
    it would take hundreds of MB."""
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def _exif(orientation=None):
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[GPS] = {2: (21.0, 51.0, 0.0)}  # latitude: what a phone writes
    if orientation:
        exif[ORIENTATION] = orientation
    return exif.tobytes()


def jpeg(size=(64, 48), orientation=None, quality=90) -> bytes:
    """A small JPEG with EXIF (maker, GPS and, when given, the orientation tag)."""
    image = Image.new("RGB", size, (120, 160, 90))
    image.paste((200, 40, 40), (0, 0, size[0] // 4, size[1] // 4))  # a marked corner
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=_exif(orientation))
    return buffer.getvalue()


def camera_jpeg(width=4000, height=3000, orientation=6, seed=7) -> bytes:
    """A 12 MP phone photo of about 4.4 MB: a smooth scene under sensor noise, shot with the
    phone upright (EXIF orientation 6: the stored pixels are landscape, the photo portrait)."""
    rng = np.random.default_rng(seed)
    scene = Image.fromarray(rng.integers(0, 256, (height // 100, width // 100, 3), np.uint8))
    scene = np.asarray(scene.resize((width, height), Image.Resampling.BICUBIC), np.int16)
    noise = rng.integers(-16, 17, (height, width, 3), np.int16)
    image = Image.fromarray(np.clip(scene + noise, 0, 255).astype(np.uint8), "RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=_exif(orientation))
    return buffer.getvalue()
