"""The images imported posts show: found in their HTML, copied into the media library by the
worker, and the posts then pointed at the copies (the old address stays on record)."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urljoin, urlsplit

from django.db import transaction

from sitrep.importers.models import ImageCopy, ImportKey, ImportRun
from sitrep.media.services import MediaRefused, media_copy
from sitrep.posts.models import Post
from sitrep.posts.services import post_text_replace, posts_announced_together

IMAGE_PATH = re.compile(r"\.(jpe?g|png|gif|webp)$", re.I)
# Blogger's image hosts serve images at addresses without an extension.
IMAGE_HOSTS = ("bp.blogspot.com", "blogger.googleusercontent.com")
# A src or href attribute in HTML. The one reader of a body's addresses: for finding its images,
# making its links absolute and pointing it at the copies.
ATTRIBUTE = re.compile(
    r"""(?P<lead>\s(?P<name>src|href)\s*=\s*)(?P<quote>["'])(?P<value>.*?)(?P=quote)""", re.I | re.S
)


def _with_value(match: re.Match, value: str) -> str:
    return f"{match['lead']}{match['quote']}{value}{match['quote']}"


def _absolute(url: str) -> str:
    url = url.strip()
    return "https:" + url if url.startswith("//") else url


def _is_image_address(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return bool(IMAGE_PATH.search(parts.path)) or host.endswith(IMAGE_HOSTS)


def absolutize(text: str, base: str) -> str:
    """`text` with relative src and href values made absolute against `base` (the post's old
    address): on this site they would point at nothing."""

    def resolve(match):
        value = html_lib.unescape(match["value"]).strip()
        if not value or urlsplit(value).scheme or value.startswith(("#", "//")):
            return match[0]
        return _with_value(match, html_lib.escape(urljoin(base, value)))

    return ATTRIBUTE.sub(resolve, text)


def image_urls(text: str) -> list[str]:
    """The outside images an HTML body shows (src), then those it links to (a larger copy behind
    a thumbnail, as Blogger and WordPress write them), once each."""
    found = {"src": [], "href": []}
    for match in ATTRIBUTE.finditer(text):
        url = _absolute(html_lib.unescape(match["value"]))
        if urlsplit(url).scheme in ("http", "https") and _is_image_address(url):
            found[match["name"].lower()].append(url)
    return list(dict.fromkeys(found["src"] + found["href"]))


def rewrite(text: str, addresses: dict[str, str]) -> str:
    """`text` with every src or href in `addresses` replaced by its new address."""

    def replace(match):
        found = addresses.get(_absolute(html_lib.unescape(match["value"])))
        return _with_value(match, found) if found else match[0]

    return ATTRIBUTE.sub(replace, text)


def images_queue(*, run: ImportRun, post_ids: list[int]) -> int:
    """Record the images the run's posts show, to be copied; returns how many."""
    urls = []
    for text in Post.objects.filter(pk__in=post_ids, text_format=Post.TextFormat.HTML).values_list(
        "text", flat=True
    ):
        urls.extend(image_urls(text))
    urls = list(dict.fromkeys(url for url in urls if len(url) <= 1000))
    ImageCopy.objects.bulk_create(
        [ImageCopy(run=run, url=url) for url in urls], ignore_conflicts=True, batch_size=500
    )
    return len(urls)


def images_copy(*, run: ImportRun) -> dict[str, int]:
    """Copy the run's waiting images one by one (each recorded as it ends, so the desk sees the
    progress and a stopped worker resumes where it was), then point the run's posts at the
    copies. A failed image is listed with its reason and its post keeps the old address.
    Repeatable: what was copied is not fetched again."""
    for image in run.images.filter(status=ImageCopy.Status.WAITING).order_by("id").iterator():
        try:
            image.media = media_copy(url=image.url)
            image.status = ImageCopy.Status.COPIED
        except MediaRefused as exc:
            image.status, image.error = ImageCopy.Status.FAILED, str(exc)[:300]
        image.save(update_fields=["media", "status", "error"])
    copied = run.images.filter(status=ImageCopy.Status.COPIED).select_related("media")
    addresses = {image.url: image.media.url for image in copied if image.media}
    if not addresses:
        return {"copied": 0, "posts": 0}
    post_ids = ImportKey.objects.filter(run=run, kind=ImportKey.Kind.POST).values_list(
        "object_id", flat=True
    )
    changed = 0
    posts = Post.objects.filter(pk__in=list(post_ids), text_format=Post.TextFormat.HTML)
    with transaction.atomic(), posts_announced_together():
        for post in posts.iterator():
            text = rewrite(post.text, addresses)
            if text != post.text:
                post_text_replace(post=post, text=text)
                changed += 1
    return {"copied": len(addresses), "posts": changed}


def images_retry(*, run: ImportRun) -> int:
    """Put the run's failed images back in the queue (a host that was down may be up again);
    returns how many. The caller queues the copying."""
    return run.images.filter(status=ImageCopy.Status.FAILED).update(
        status=ImageCopy.Status.WAITING, error=""
    )
