"""How a library image is shown: a <picture> with AVIF and WebP for the browsers that take them,
JPEG or PNG for the rest, each in the sizes the worker made, with its width and height set so
the page does not jump while it loads."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from sitrep.media.models import MediaFile

# How wide an image shows: the post column, or the whole screen on a phone.
SIZES = "(min-width: 44rem) 44rem, 100vw"
TYPES = (("avif", "image/avif"), ("webp", "image/webp"))


def _srcset(sizes: list) -> str:
    return ", ".join(f"{default_storage.url(name)} {width}w" for width, _, name in sizes)


def picture(media: MediaFile, *, alt: str | None = None, eager: bool = False) -> str:
    """The image in every size and format the browser may choose from. Below the first screen
    (`eager` false) it loads only as the reader scrolls to it."""
    alt = media.alt if alt is None else alt
    loading = mark_safe(' fetchpriority="high"' if eager else ' loading="lazy"')
    fallback = media.sizes.get("fallback")
    if not fallback:  # sizes not made yet, or an animation kept as it is
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" decoding="async"{}>',
            media.url, alt, media.width, media.height, loading,
        )  # fmt: skip
    middle = next((s for s in fallback if s[0] >= 800), fallback[-1])
    sources = format_html_join(
        "", '<source type="{}" srcset="{}" sizes="{}">',
        ((kind_type, _srcset(media.sizes[kind]), SIZES) for kind, kind_type in TYPES
         if media.sizes.get(kind)),
    )  # fmt: skip
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}" '
        'decoding="async"{}></picture>',
        sources, default_storage.url(middle[2]), _srcset(fallback), SIZES, alt,
        media.width, media.height, loading,
    )  # fmt: skip


def figure(media: MediaFile, *, alt: str | None = None, eager: bool = False) -> str:
    """The image with its caption and credit under it."""
    caption = format_html_join(
        " ", '<span class="{}">{}</span>',
        ((kind, text) for kind, text in (("caption", media.caption), ("credit", media.credit))
         if text),
    )  # fmt: skip
    return format_html(
        '<figure class="image">{}{}</figure>',
        picture(media, alt=alt, eager=eager),
        format_html("<figcaption>{}</figcaption>", caption) if caption else "",
    )


def card_url(media: MediaFile) -> str:
    """The 1200x630 crop link previews show, or the full size until it is made."""
    card = media.sizes.get("card")
    return default_storage.url(card) if card else media.url
