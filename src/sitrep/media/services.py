"""Writing to the media library: files are checked by their content, never by their name."""

from __future__ import annotations

import hashlib
import io
import warnings
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from sitrep.core.http import FetchError, fetch, reserved
from sitrep.media.models import MediaFile

# The formats a browser shows everywhere; SVG is not among them (it can carry script).
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
MAX_BYTES = 20 * 1024 * 1024  # a large photo or map from a camera, not a video


class MediaRefused(Exception):
    """Why a file was not taken into the library, in words an editor can act on."""


def _inspect(content: bytes) -> tuple[str, int, int]:
    """(format, width, height) of an image, read and decoded whole: a truncated or corrupt
    file is refused, and so is a decompression bomb (Pillow's guard, kept on, as an error)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                found, size = image.format, image.size
                if found not in FORMATS:
                    raise MediaRefused(f"a {found} image; the library takes JPEG, PNG, GIF, WebP")
                image.load()  # decodes every pixel: verify() alone misses truncated files
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaRefused("too many pixels to decode safely (a decompression bomb?)") from None
    except UnidentifiedImageError:
        raise MediaRefused("not an image (its content is no format an image has)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaRefused(f"a damaged image ({exc})") from None
    return found, size[0], size[1]


def media_store(*, content: bytes, original_url: str = "") -> MediaFile:
    """Keep `content` in the library once: the same bytes again give the same MediaFile."""
    if len(content) > MAX_BYTES:
        raise MediaRefused(f"larger than {MAX_BYTES // 2**20} MB")
    sha256 = hashlib.sha256(content).hexdigest()
    existing = MediaFile.objects.filter(sha256=sha256).first()
    if existing:
        return existing
    found, width, height = _inspect(content)
    content_type, extension = FORMATS[found]
    name = default_storage.save(
        f"{timezone.now():%Y/%m}/{sha256[:32]}.{extension}", ContentFile(content)
    )
    try:
        return MediaFile.objects.create(
            file=name, sha256=sha256, content_type=content_type, width=width, height=height,
            size=len(content), original_url=original_url[:1000],
        )  # fmt: skip
    except IntegrityError:  # another worker stored the same bytes a moment ago
        default_storage.delete(name)
        return MediaFile.objects.get(sha256=sha256)


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
