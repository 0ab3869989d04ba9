"""Writing to the media library: files are checked by their content, never by their name, and
kept without the metadata they came with."""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from sitrep.core.http import FetchError, fetch, reserved
from sitrep.media.models import MediaFile
from sitrep.media.signals import media_changed

# What a browser shows everywhere. SVG is not among them: it can carry script.
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
    "AVIF": ("image/avif", "avif"),
}
MAX_BYTES = 20 * 1024 * 1024  # a large photo or map from a camera, not a video
MAX_PIXELS = 60_000_000  # a 50-megapixel camera's photo; Pillow's bomb guard stays on beyond it
MAX_FRAMES = 300  # an animated GIF longer than this is kept as its first frame
# The widths readers' screens ask for, from a phone to a wide screen at twice the density.
WIDTHS = (480, 800, 1200, 1600)
CARD = (1200, 630)  # the link preview's shape on Mastodon, Bluesky and messengers
# Encoder settings: AVIF at speed 8 is several times faster than its default for the same
# size of file (bench/README.md, "Images").
ENCODE = {
    "AVIF": {"quality": 55, "speed": 8},
    "WEBP": {"quality": 78, "method": 4},
    "JPEG": {"quality": 82, "progressive": True, "optimize": True},
    "PNG": {"compress_level": 6},  # "optimize" costs seconds on a large map for a few percent
}
FULL_JPEG_QUALITY = 90  # the full size is re-encoded once, to drop its metadata


class MediaRefused(Exception):
    """Why a file was not taken into the library, in words an editor can act on."""


# Files of other kinds, named in the refusal: Pillow is never asked to parse them (fewer
# parsers, less to attack).
OTHER_KINDS = [
    (b"II*\0", "a TIFF image"), (b"MM\0*", "a TIFF image"), (b"BM", "a BMP image"),
    (b"8BPS", "a Photoshop file"), (b"\0\0\0\x0cjP  ", "a JPEG 2000 image"),
    (b"\0\0\x01\0", "an icon file"), (b"%PDF", "a PDF document"), (b"%!PS", "a PostScript file"),
]  # fmt: skip
TAKES = "the library takes JPEG, PNG, WebP, AVIF and GIF"


def _kind(content: bytes) -> str:
    """What a file the library does not take seems to be, for the editor's message."""
    head = content[:4096].lower()
    if b"<svg" in head:
        return "an SVG drawing, which can carry script; export it as PNG"
    if content[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return f"a HEIC photo; {TAKES} (set the phone or camera to save JPEG)"
    for signature, kind in OTHER_KINDS:
        if content.startswith(signature):
            return f"{kind}; {TAKES}"
    return f"not an image ({TAKES})"


@contextmanager
def _decoding():
    """Decoding a file nobody here wrote: whatever it does wrong becomes a refusal with a
    reason, and a decompression bomb (Pillow's guard, kept on) is one too."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            warnings.simplefilter("ignore", UserWarning)  # "corrupt EXIF": it is dropped anyway
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaRefused("too many pixels to decode safely (a decompression bomb?)") from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, NotImplementedError,
            MemoryError) as exc:  # fmt: skip
        raise MediaRefused(f"a damaged image ({exc})") from None


def _open(content: bytes) -> Image.Image:
    """The image in `content`, decoded whole: a truncated or corrupt file is refused."""
    with _decoding():
        try:
            image = Image.open(io.BytesIO(content), formats=list(FORMATS))
        except UnidentifiedImageError:
            raise MediaRefused(_kind(content)) from None
        if image.width * image.height > MAX_PIXELS:
            raise MediaRefused(
                f"{image.width} × {image.height} pixels; the library takes up to "
                f"{MAX_PIXELS // 1_000_000} million"
            )
        image.load()  # decodes every pixel: verify() alone misses truncated files
    return image


def _animated(image: Image.Image) -> bool:
    return image.format == "GIF" and 1 < getattr(image, "n_frames", 1) <= MAX_FRAMES


def _clean(image: Image.Image) -> tuple[bytes, tuple[int, int]]:
    """The image written anew with no EXIF, XMP, IPTC or comments (GPS positions, camera serials
    and names stay behind), turned upright first by its EXIF orientation. Returns the bytes and
    the upright size. Works on `image` in place: a large photo is held once, not copied."""
    found = image.format
    out = io.BytesIO()
    if _animated(image):
        frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
        durations = [frame.info.get("duration", 100) for frame in frames]
        for frame in frames:
            frame.info = {}
        frames[0].save(out, "GIF", save_all=True, append_images=frames[1:],
                       loop=image.info.get("loop", 0), duration=durations)  # fmt: skip
        return out.getvalue(), frames[0].size
    icc = image.info.get("icc_profile")  # colours, not people: kept so photos look right
    ImageOps.exif_transpose(image, in_place=True)
    image.info = {}
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    if found in ("JPEG", "MPO"):
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=FULL_JPEG_QUALITY, icc_profile=icc)
    elif found in ("WEBP", "AVIF"):
        image.save(out, found, quality=90, icc_profile=icc)
    else:  # PNG, and a GIF's only frame: lossless
        image.save(out, "PNG", icc_profile=icc, **ENCODE["PNG"])
    return out.getvalue(), image.size


def _stored_as(found: str, animated: bool) -> str:
    if found == "GIF" and not animated:
        return "PNG"
    return "JPEG" if found == "MPO" else found  # a camera's 3D or multi-shot JPEG: its first


def _save(data: bytes, extension: str, suffix: str = "") -> str:
    """Store `data` under a name made from its content; the same bytes already stored under
    that name are not stored twice."""
    digest = hashlib.sha256(data).hexdigest()[:32]
    name = f"{timezone.now():%Y/%m}/{digest}{suffix}.{extension}"
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(data))


def media_store(
    *, content: bytes, original_url: str = "", alt: str = "", caption: str = "", credit: str = ""
) -> MediaFile:
    """Keep `content` in the library once, without its metadata: the same bytes again give the
    same MediaFile. The worker then makes its sizes."""
    if len(content) > MAX_BYTES:
        raise MediaRefused(f"larger than {MAX_BYTES // 2**20} MB")
    sha256 = hashlib.sha256(content).hexdigest()
    existing = MediaFile.objects.filter(sha256=sha256).first()
    if existing:
        return existing
    image = _open(content)
    animated = _animated(image)
    found = _stored_as(image.format, animated)
    with _decoding():  # an animation's later frames are decoded only now
        data, (width, height) = _clean(image)
    del image  # the decoded pixels: a large photo's are many times its file
    content_type, extension = FORMATS[found]
    name = _save(data, extension)
    try:
        media = MediaFile.objects.create(
            file=name, sha256=sha256, content_type=content_type, width=width,
            height=height, size=len(data), animated=animated,
            original_url=original_url[:1000], alt=alt.strip(), caption=caption.strip(),
            credit=credit.strip(),
        )  # fmt: skip
    except IntegrityError:  # another worker stored the same bytes a moment ago
        winner = MediaFile.objects.get(sha256=sha256)
        if name != winner.file.name:
            default_storage.delete(name)
        return winner
    media_sizes_queue(media)
    return media


def media_sizes_queue(media: MediaFile) -> None:
    """Have the worker make the image's sizes, once the file is stored for good (commit)."""
    from sitrep.media.tasks import media_sizes_task  # tasks import this module

    transaction.on_commit(lambda: media_sizes_task.enqueue(media.pk))


def media_copy(*, url: str) -> MediaFile:
    """Copy the image at `url` into the library, through the one door to the web."""
    host = urlsplit(url).hostname or ""
    if reserved(host):
        raise MediaRefused(f"{host} is a name reserved for examples; nothing is fetched from it")
    try:
        response = fetch(url, accept="image/*", max_bytes=MAX_BYTES)
    except FetchError as exc:
        raise MediaRefused(str(exc)) from None
    return media_store(content=response.content, original_url=url)


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    image.save(out, fmt, **ENCODE[fmt])
    return out.getvalue()


def media_sizes(*, media: MediaFile) -> dict:
    """Make the sizes readers' screens ask for (AVIF, WebP, and JPEG or PNG for browsers with
    neither) and the link-preview crop, once; then tell the apps that show the image."""
    if media.sizes or media.animated:
        return media.sizes
    with default_storage.open(media.file.name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
    top = min(media.width, WIDTHS[-1])
    widths = sorted({w for w in WIDTHS if w < top} | {top}, reverse=True)
    if image.format == "JPEG":  # decode at a fraction of full size when that still covers `top`
        image.draft("RGB", (top, round(media.height * top / media.width)))
    image.load()
    if image.width >= 4 * top:  # halve and halve again cheaply first: less memory, same result
        image = image.reduce(image.width // (2 * top))
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    alpha = image.mode == "RGBA"
    fallback = "PNG" if alpha or media.content_type == "image/png" else "JPEG"
    sizes: dict = {"avif": [], "webp": [], "fallback": []}
    made = []
    current = image
    for width in widths:
        height = max(1, round(media.height * width / media.width))
        current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for kind, fmt in (("avif", "AVIF"), ("webp", "WEBP"), ("fallback", fallback)):
            name = _save(_encode(current, fmt), FORMATS[fmt][1], f"-{width}w")
            made.append(name)
            sizes[kind].append([width, height, name])
    for kind in ("avif", "webp", "fallback"):
        sizes[kind].reverse()  # narrowest first
    card = ImageOps.fit(
        image if image.mode == "RGB" else image.convert("RGB"),
        CARD,
        Image.Resampling.LANCZOS,
        centering=(0.5, 0.4),
    )
    sizes["card"] = _save(_encode(card, "JPEG"), "jpg", "-card")
    made.append(sizes["card"])
    updated = MediaFile.objects.filter(pk=media.pk, sizes={}).update(sizes=sizes)
    if not updated:  # gone, or another worker made them first (maybe the same files)
        winner = MediaFile.objects.filter(pk=media.pk).first()
        for name in set(made) - set(winner.names() if winner else ()):
            default_storage.delete(name)
        return winner.sizes if winner else {}
    media.sizes = sizes
    media_changed.send(MediaFile, ids=[media.pk])
    return sizes


def media_describe(*, media: MediaFile, alt: str, caption: str, credit: str) -> MediaFile:
    """New alt text, caption or credit for an image, wherever it is shown."""
    media.alt, media.caption, media.credit = alt.strip(), caption.strip(), credit.strip()
    media.save(update_fields=["alt", "caption", "credit"])
    media_changed.send(MediaFile, ids=[media.pk])
    return media


def media_delete(*, media: MediaFile) -> None:
    """Remove an image and every size of it. The caller has checked that nothing shows it."""
    names = media.names()
    media.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
