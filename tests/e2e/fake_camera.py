"""A fake camera for Chromium: a Y4M video (YUV4MPEG2, 4:2:0) of a still picture, which
`--use-file-for-fake-video-capture` plays in a loop. Chromium opens the file each time a page
starts the camera, so a test points the camera at another plaque by writing the file again
between two scans."""
import io
import os
from pathlib import Path

from PIL import Image

WIDTH, HEIGHT, FRAMES = 640, 480, 4


def y4m_bytes(picture: Image.Image) -> bytes:
    """A few frames of `picture`, centred on white at 640×480, as Y4M (I420)."""
    frame = Image.new("RGB", (WIDTH, HEIGHT), "white")
    picture = picture.convert("RGB")
    picture.thumbnail((WIDTH - 40, HEIGHT - 40))
    frame.paste(picture, ((WIDTH - picture.width) // 2, (HEIGHT - picture.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (WIDTH // 2, HEIGHT // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    out = io.BytesIO()
    out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
    for _ in range(FRAMES):
        out.write(b"FRAME\n" + planes)
    return out.getvalue()


def camera_show(path: Path, picture: Image.Image) -> None:
    """Point the fake camera at `picture` (a new file, swapped in at once)."""
    part = path.with_suffix(".part")
    part.write_bytes(y4m_bytes(picture))
    os.replace(part, path)


def plaque_picture(plaque) -> Image.Image:
    """The plaque as the sign maker prints it (its own QR code and texts)."""
    from assets.plaques.layout import layout_plaque
    from assets.plaques.png import png_image
    from assets.plaques.qr import qr_symbol
    from assets.printing import plaque_content

    content = plaque_content(plaque=plaque)
    return png_image(layout_plaque(content, qr_symbol(content.payload)), dpi=150)
