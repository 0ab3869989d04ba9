"""Images made for tests with Pillow itself, and the broken ones the world sends."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, ImageDraw


def picture(fmt: str = "PNG", size=(64, 48), colour=(40, 90, 160)) -> bytes:
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).line((0, 0, *size), fill=(250, 250, 250), width=3)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def pixels(content: bytes) -> bytes:
    """What an image shows, whatever file it is in: the library writes files anew."""
    return Image.open(io.BytesIO(content)).convert("RGB").tobytes()


def truncated() -> bytes:
    """A JPEG cut off half-way, as an interrupted upload or download leaves it."""
    whole = picture("JPEG", size=(400, 300))
    return whole[: len(whole) // 2]


def bomb() -> bytes:
    """A tiny PNG whose header claims 100,000 x 100,000 pixels (a decompression bomb)."""
    png = bytearray(picture("PNG", size=(8, 8)))
    start = png.index(b"IHDR")
    header = struct.pack(">II", 100_000, 100_000) + png[start + 12 : start + 17]
    png[start + 4 : start + 17] = header
    png[start + 17 : start + 21] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(png)


def svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


GENERATED = {
    "map.png": lambda: picture("PNG"),
    "photo.jpg": lambda: picture("JPEG", size=(320, 200), colour=(120, 60, 30)),
    "large.jpg": lambda: picture("JPEG", size=(1600, 1200), colour=(10, 60, 30)),
    "truncated.jpg": truncated,
    "bomb.png": bomb,
    "page.png": lambda: b"<!doctype html><title>Not found</title><p>Gone.",
    "drawing.svg": svg,
}
