"""Writes to posts, clips, outlets and labels. Views and importers call these, nothing else."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from sitrep.audit.services import record, text_diff
from sitrep.core.cache import bump as cache_generation_bump
from sitrep.core.html import (
    EDITOR_TAGS,
    IMPORTED_TAGS,
    clean,
    render_editor_markdown,
    render_excerpt,
    render_markdown,
)
from sitrep.core.text import one_line
from sitrep.core.urlnorm import domain_of, normalize_url
from sitrep.media import html as media_html
from sitrep.media.models import MediaFile
from sitrep.posts.counts import Shares, shares, tally_apply, tally_hold, tally_update
from sitrep.posts.models import Clip, Label, Outlet, Post, Source
from sitrep.posts.signals import post_changed

SLUG_MAX = 80  # long enough to read, short enough to share


@dataclass(frozen=True)
class ClipData:
    outlet_name: str
    source_headline: str
    url: str
    excerpt: str
    authors: str = ""
    source_published: dt.date | None = None


class Action:
    SAVE = "save"  # a draft stays a draft, a live post stays live
    PUBLISH = "publish"  # immediately, or scheduled when the publish time is in the future
    UNPUBLISH = "unpublish"


def unique_slug(model, base: str, *, exclude_pk=None, max_length: int = SLUG_MAX) -> str:
    base = slugify(base)[:max_length].strip("-") or "item"
    if base.isdigit():  # /YYYY/MM/DD/ archives own all-digit path segments
        base = f"n{base}"
    candidate, n = base, 1
    existing = model.objects.exclude(pk=exclude_pk)
    while existing.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base[: max_length - len(str(n)) - 1]}-{n}"
    return candidate


def outlet_resolve(*, name: str, url: str = "") -> Outlet:
    """The outlet called `name` (case-insensitive), created if new, learning the URL's domain."""
    name = one_line(name)
    outlet = Outlet.objects.filter(name__iexact=name).first()
    domain = domain_of(url) if url else ""
    if outlet is None:
        homepage = f"https://{domain}/" if domain else ""
        outlet = Outlet.objects.create(
            name=name, slug=unique_slug(Outlet, name), homepage=homepage, domains=domain
        )
    elif domain and domain not in outlet.domain_list():
        outlet.domains = " ".join([*outlet.domain_list(), domain])
        outlet.save(update_fields=["domains"])
    return outlet


@transaction.atomic
def outlet_update(*, outlet: Outlet, **fields) -> Outlet:
    """Change an outlet's registry entry (name, domains, country, ...). Domains are stored
    lower-case without "www.", one per word; every page showing its clips goes stale."""
    if "domains" in fields:
        seen = []
        for domain in fields["domains"].replace(",", " ").split():
            domain = domain_of(domain if "//" in domain else f"https://{domain}") or domain
            if domain not in seen:
                seen.append(domain)
        fields["domains"] = " ".join(seen)
    for name, value in fields.items():
        setattr(outlet, name, value)
    outlet.save()
    transaction.on_commit(lambda: cache_generation_bump(posts=True))
    return outlet


def source_resolve(*, url: str, headline: str = "") -> Source:
    """The record of a cited address, created on first citation with the headline we quoted."""
    source = Source.objects.filter(url=url).first()
    if source is None:
        source, _ = Source.objects.get_or_create(
            url=url, defaults={"host": domain_of(url), "quoted_headline": headline.strip()[:400]}
        )
    return source


def label_resolve(*, name: str) -> Label:
    name = one_line(name)
    label = Label.objects.filter(name__iexact=name).first()
    if label is None:
        label = Label.objects.create(name=name, slug=unique_slug(Label, name))
    return label


def clips_already_used(urls: list[str], *, exclude_post: Post | None = None) -> dict[str, Post]:
    """Normalized URL -> another post that already clipped it (the duplicate warning)."""
    found: dict[str, Post] = {}
    clips = Clip.objects.filter(url__in=urls).select_related("post").order_by("post_id")
    if exclude_post is not None and exclude_post.pk:
        clips = clips.exclude(post=exclude_post)
    for clip in clips:
        found.setdefault(clip.url, clip.post)
    return found


@transaction.atomic
def post_write(
    *,
    post: Post | None,
    author,
    headline: str,
    clips: list[ClipData],
    note: str = "",
    text: str = "",
    text_position: str = Post.TextPosition.BEFORE,
    text_format: str = Post.TextFormat.MARKDOWN,
    labels: list[str] = (),
    action: str = Action.SAVE,
    published_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    slug: str = "",
    lead_image: MediaFile | None = None,
) -> Post:
    """Create or update a post with its clips and labels, then draft, publish or unpublish it.

    Checks nothing about permissions (the caller did). Atomic: a bad clip URL raises BadURL and
    leaves the database as it was. The slug is fixed at creation so permalinks stay stable.
    Publishing with a future `published_at` schedules the post; it goes live at that time.
    """
    now = now or timezone.now()
    creating = post is None
    before = Shares() if creating else tally_hold(post.pk)
    was = ("", "") if creating else (post.status, post_as_text(post))
    if creating:
        post = Post(author=author, created=now, slug=unique_slug(Post, slug or headline))
    shown = _fill(post, headline=headline, text=text, text_format=text_format,
                  text_position=text_position, note=note, action=action,
                  published_at=published_at, now=now, creating=creating)  # fmt: skip
    post.lead_image = lead_image
    post.save()
    post.images.set(shown)

    normalized = [normalize_url(c.url) for c in clips]  # a bad URL raises before any change
    if not creating:
        post.clips.all().delete()
    Clip.objects.bulk_create(
        _clip(post, i, c, url) for i, (c, url) in enumerate(zip(clips, normalized, strict=True))
    )
    post.labels.set([label_resolve(name=n) for n in labels if n.strip()])
    tally_update(post.pk, before)
    _announce_after_commit(post.pk)
    _audit(post, was, action)
    return post


def post_as_text(post: Post) -> str:
    """A post as plain text, for the audit log's diff of what an edit changed."""
    labels = ", ".join(sorted(label.name for label in post.labels.all()))
    parts = [f"Headline: {post.headline}", f"Labels: {labels}"]
    for clip in post.clips.select_related("outlet").order_by("position"):
        parts += [f"Clip: {clip.outlet.name} / {clip.authors} / {clip.source_headline}",
                  f"Link: {clip.url}", clip.excerpt]  # fmt: skip
    parts += [f"Note: {post.note}", post.text]
    return "\n".join(parts)


def _audit(post: Post, was: tuple[str, str], action: str) -> None:
    status_before, text_before = was
    if post.status == Post.Status.DRAFT:
        what = "post.unpublish" if status_before in Post.RELEASED else "post.draft"
    elif status_before not in Post.RELEASED:
        what = "post.schedule" if post.status == Post.Status.SCHEDULED else "post.publish"
    else:
        what = "post.edit"
    text = post_as_text(post)
    if what == "post.edit" and text == text_before and action == Action.SAVE:
        return  # saved without a change
    record(what, target=f"{post.headline} (#{post.pk})", target_url=post.get_absolute_url(),
           diff=text_diff(text_before, text, name="post"))  # fmt: skip


MEDIA_PATH = "/media/"  # how text names a library image, wherever the files are stored
_MEDIA_SRC = re.compile(r"""\ssrc\s*=\s*["']?/media/([^"'\s>]+)""", re.I)


def media_name(src: str) -> str | None:
    """The library file an address in a post's text names, if it names one."""
    return src[len(MEDIA_PATH) :] if src.startswith(MEDIA_PATH) else None


_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r'\b(src|alt)="([^"]*)"')


def _with_pictures(html: str, shown: list[MediaFile]) -> str:
    """An imported body's copies of its images shown as every library image is: in the sizes
    made for readers' screens, with their width and height."""
    by_name = {media.file.name: media for media in shown}

    def picture(match):
        found = dict(_ATTRIBUTE.findall(match[0]))
        media = by_name.get(media_name(html_lib.unescape(found.get("src", ""))) or "")
        if media is None:
            return match[0]
        return media_html.picture(media, alt=html_lib.unescape(found.get("alt", "")))

    return _IMG.sub(picture, html) if by_name else html


def render_text(text: str, text_format: str) -> tuple[str, list[MediaFile]]:
    """A post's own text as HTML, and the library images it shows. The editor's Markdown shows
    library images only, each in every size the worker made, with its caption and credit."""
    if text_format == Post.TextFormat.HTML:  # imported bodies stay HTML, sanitized
        names = _MEDIA_SRC.findall(text)
        shown = list(MediaFile.objects.filter(file__in=names)) if names else []
        return _with_pictures(clean(text, tags=IMPORTED_TAGS), shown), shown
    found: dict[str, MediaFile] = {}

    def image(src: str, alt: str, alone: bool) -> str | None:
        name = media_name(src)
        media = name and (found.get(name) or MediaFile.objects.filter(file=name).first())
        if not media:
            return None
        found[name] = media
        show = media_html.figure if alone else media_html.picture
        return show(media, alt=alt or media.alt)

    html = render_editor_markdown(text, image=image)
    return html, list(found.values())


def _fill(post: Post, *, headline, text, text_format, text_position, note, action, published_at,
          now, creating) -> list[MediaFile]:  # fmt: skip
    """The post's own content and its status, as of `now`; returns the images its text shows."""
    post.headline = headline.strip()
    post.text = text
    post.text_format = text_format
    post.text_html, shown = render_text(text, text_format)
    post.text_position = text_position
    post.note = note
    post.note_html = render_markdown(note, tags=EDITOR_TAGS)
    post.updated = now
    if action == Action.PUBLISH:
        # An unpublished post that comes back keeps its first time, and so its permalink.
        post.published_at = published_at or post.published_at or now
        post.status = Post.Status.SCHEDULED if post.published_at > now else Post.Status.PUBLISHED
    elif action == Action.UNPUBLISH or creating:
        post.status = Post.Status.DRAFT
        post.published_at = published_at or post.published_at
    else:  # saving a draft keeps a draft a draft, and a live post live
        if post.status == Post.Status.DRAFT:
            post.published_at = published_at or post.published_at
    return shown


@dataclass
class NewPost:
    """One post for posts_create: post_write's arguments for a new post, and the times and
    setting an import keeps from the old platform."""

    author: object
    headline: str
    clips: list[ClipData]
    note: str = ""
    text: str = ""
    text_position: str = Post.TextPosition.BEFORE
    text_format: str = Post.TextFormat.MARKDOWN
    labels: list[str] = ()
    action: str = Action.SAVE
    published_at: dt.datetime | None = None
    now: dt.datetime | None = None  # as of when the status is decided
    slug: str = ""
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    comments_open: bool = True
    lead_image: MediaFile | None = None


@transaction.atomic
def posts_create(*, new: list[NewPost]) -> list[Post]:
    """Create many posts at once, each as post_write would create it, in a few statements for
    all of them instead of a dozen for each (a bulk writer: an import). A bad clip URL raises
    BadURL and creates none of them."""
    urls = [[normalize_url(c.url) for c in item.clips] for item in new]
    taken: set[str] = set()
    posts, shown = [], []
    for item in new:
        now = item.now or timezone.now()
        post = Post(author=item.author, created=item.created or now, slug=_free_slug(
            item.slug or item.headline, taken), lead_image=item.lead_image)  # fmt: skip
        shown.append(_fill(post, headline=item.headline, text=item.text,
                           text_format=item.text_format, text_position=item.text_position,
                           note=item.note, action=item.action, published_at=item.published_at,
                           now=now, creating=True))  # fmt: skip
        post.updated = item.updated or now
        post.comments_open = item.comments_open
        posts.append(post)
    Post.objects.bulk_create(posts)
    Post.images.through.objects.bulk_create(
        Post.images.through(post_id=post.pk, mediafile_id=media.pk)
        for post, found in zip(posts, shown, strict=True) for media in found
    )  # fmt: skip

    outlets: dict[tuple[str, str], Outlet] = {}
    sources = _sources_resolve(
        {
            url: c.source_headline
            for item, found in zip(new, urls, strict=True)
            for c, url in zip(item.clips, found, strict=True)
        }  # fmt: skip
    )
    clips = []
    for post, item, found in zip(posts, new, urls, strict=True):
        for position, (data, url) in enumerate(zip(item.clips, found, strict=True)):
            key = (data.outlet_name.lower(), domain_of(url))
            if key not in outlets:
                outlets[key] = outlet_resolve(name=data.outlet_name, url=url)
            clips.append(_clip(post, position, data, url, outlet=outlets[key], source=sources[url]))
    Clip.objects.bulk_create(clips)
    labels: dict[str, Label] = {}
    links = []
    for post, item in zip(posts, new, strict=True):
        for name in dict.fromkeys(n for n in item.labels if n.strip()):
            if name not in labels:
                labels[name] = label_resolve(name=name)
            links.append(Post.labels.through(post_id=post.pk, label_id=labels[name].pk))
    Post.labels.through.objects.bulk_create(links, ignore_conflicts=True)
    tally_apply(Shares(), shares([post.pk for post in posts]))
    _announce_after_commit(*(post.pk for post in posts))
    return posts


def _free_slug(base: str, taken: set[str]) -> str:
    """unique_slug, also unique among the slugs given out in this batch (`taken`)."""
    slug = unique_slug(Post, base)
    n = 1
    while slug in taken:
        n += 1
        slug = unique_slug(Post, f"{base}-{n}")
    taken.add(slug)
    return slug


def _sources_resolve(headlines: dict[str, str]) -> dict[str, Source]:
    """source_resolve for many addresses at once: {url: its Source}."""
    found = {s.url: s for s in Source.objects.filter(url__in=list(headlines))}
    missing = [
        Source(url=url, host=domain_of(url), quoted_headline=headline.strip()[:400])
        for url, headline in headlines.items() if url not in found
    ]  # fmt: skip
    if missing:
        Source.objects.bulk_create(missing, ignore_conflicts=True)
        found.update({s.url: s for s in Source.objects.filter(url__in=[s.url for s in missing])})
    return found


def post_text_replace(*, post: Post, text: str) -> Post:
    """Give a post new own text in the same format (an imported body whose image addresses
    now point at the site's media library); nothing else about it changes."""
    post.text = text
    post.text_html, shown = render_text(text, post.text_format)
    Post.objects.filter(pk=post.pk).update(text=post.text, text_html=post.text_html)
    post.images.set(shown)
    _announce_after_commit(post.pk)
    return post


def _clip(post: Post, position: int, data: ClipData, url: str, *, outlet=None, source=None) -> Clip:
    """A clip of `post`; `outlet` and `source` when the caller resolved them already."""
    return Clip(
        post=post,
        position=position,
        outlet=outlet or outlet_resolve(name=data.outlet_name, url=url),
        authors=one_line(data.authors),
        source_headline=data.source_headline.strip(),
        url=url,
        source=source or source_resolve(url=url, headline=data.source_headline),
        source_published=data.source_published,
        excerpt=data.excerpt,
        excerpt_html=render_excerpt(data.excerpt),
    )


@transaction.atomic
def post_clips_add(*, post: Post, clips: list[ClipData], now=None) -> list[Clip]:
    """Append clips to a post after its existing ones (an update to a running story)."""
    before = tally_hold(post.pk)  # a new outlet quoted adds the post to its count
    start = (post.clips.aggregate(last=models.Max("position"))["last"] or 0) + 1
    normalized = [normalize_url(c.url) for c in clips]
    added = Clip.objects.bulk_create(
        _clip(post, start + i, c, url)
        for i, (c, url) in enumerate(zip(clips, normalized, strict=True))
    )
    Post.objects.filter(pk=post.pk).update(updated=now or timezone.now())
    tally_update(post.pk, before)
    _announce_after_commit(post.pk)
    return added


@transaction.atomic
def posts_images_refresh(*, ids: list[int]) -> None:
    """Show library images as they are now (their sizes made, their captions changed) in the
    posts whose text shows them; lead images are drawn at each render, so pages only move on."""
    for post in Post.objects.filter(images__in=ids).distinct():
        post_text_replace(post=post, text=post.text)
    transaction.on_commit(lambda: cache_generation_bump(posts=True))


@transaction.atomic
def posts_image_swap(*, old: MediaFile, new: MediaFile) -> list[Post]:
    """Show `new` wherever `old` is shown, as the lead image and in posts' text; returns the
    posts changed. `old` is then shown nowhere."""
    changed = {post.pk: post for post in Post.objects.filter(lead_image=old)}
    Post.objects.filter(lead_image=old).update(lead_image=new)
    was, now = MEDIA_PATH + old.file.name, MEDIA_PATH + new.file.name
    for post in Post.objects.filter(images=old):
        changed[post.pk] = post_text_replace(post=post, text=post.text.replace(was, now))
    _announce_after_commit(*changed)
    return list(changed.values())


def posts_showing(media: MediaFile):
    """The posts that show an image, as lead image or in their text."""
    return Post.objects.filter(models.Q(lead_image=media) | models.Q(images=media)).distinct()


@transaction.atomic
def post_delete(*, post: Post) -> None:
    # Its share of the archive counts goes with it (posts/receivers.py, for cascades too).
    # The audit log records it there too, whatever path deletes it (the admin included).
    post_id = post.pk
    post.delete()
    transaction.on_commit(lambda: _announce([post_id], deleted=True))


_together = threading.local()


@contextmanager
def posts_announced_together():
    """Within this block, the posts that change are announced once, together, when it ends
    (after commit): a bulk writer (an import) then costs the listeners one pass over many
    posts instead of one per post."""
    _together.ids = []
    try:
        yield
    finally:
        ids, _together.ids = _together.ids, None
        if ids:
            transaction.on_commit(lambda: _announce(list(dict.fromkeys(ids)), deleted=False))


def _announce_after_commit(*post_ids: int) -> None:
    if getattr(_together, "ids", None) is not None:
        _together.ids.extend(post_ids)
    else:
        transaction.on_commit(lambda: _announce(list(post_ids), deleted=False))


def _announce(post_ids: list[int], *, deleted: bool) -> None:
    """After commit: cached public pages are stale, and listeners (search) may re-index."""
    cache_generation_bump(posts=True)
    post_changed.send(sender=Post, post_ids=post_ids, deleted=deleted)
