"""Link-rot insurance: archive every cited page when its post is published, keep our own copy
of its text, and check it on a schedule (alive, moved, gone, headline changed).

Every request goes through core.http.fetch. Checks are polite: at most one request per host
every HOST_INTERVAL, HEAD before GET, conditional GETs, and transient failures retried with
backoff before a source counts as unreachable.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import logging
import random
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import trafilatura
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from sitrep.core.cache import bump as cache_generation_bump
from sitrep.core.http import RESERVED_NAMES, RESERVED_SUFFIXES, FetchError, fetch
from sitrep.core.text import one_line
from sitrep.posts.models import Clip, Post, Source

logger = logging.getLogger("sitrep.linkcheck")

HOST_INTERVAL = 10  # seconds between two requests to the same host
RETRY_AFTER = [dt.timedelta(hours=1), dt.timedelta(hours=6), dt.timedelta(days=1)]
GONE_CHECK_DAYS = 30  # a gone page is still looked at now and then: sites come back
GONE_STATUSES = (404, 410)
HEADLINE_SAME_AT = 0.85  # similarity of normalised headlines still counted as the same
MAX_PAGE_BYTES = 8 * 1024 * 1024
HTML = "text/html,application/xhtml+xml"


@dataclass
class CheckResult:
    state: str
    detail: str = ""


def fetchable(sources):
    """`sources` without those at reserved example names: the one filter archiving and link
    checks share (hosts are stored lower-case, without "www.")."""
    for suffix in (*RESERVED_SUFFIXES, *(f".{name}" for name in RESERVED_NAMES)):
        sources = sources.exclude(host__endswith=suffix)
    return sources.exclude(host__in=RESERVED_NAMES)


def sources_of_post(post_id: int) -> list[Source]:
    """The sources cited by a published or scheduled post (none for drafts), except those at
    reserved example names."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None or post.status == Post.Status.DRAFT:
        return []
    ids = Clip.objects.filter(post=post, source__isnull=False).values("source_id")
    return list(fetchable(Source.objects.filter(pk__in=ids)))


# --- Archiving ---------------------------------------------------------------------------


def source_archive(source: Source, *, now=None) -> Source:
    """Keep our own copy of the page's text (once), and get a web archive's copy of it.
    Failures are recorded on the source, never raised: the worker moves on."""
    now = now or timezone.now()
    errors = []
    if not source.text:
        try:
            _keep_text(source, now)
        except FetchError as exc:
            errors.append(f"own copy: {exc}")
    if not source.archive_url and settings.SITREP_ARCHIVE_AVAILABILITY_URL:
        try:
            source.archive_url = _archived_copy(source.url) or ""
        except (FetchError, ValueError) as exc:
            errors.append(f"archive: {exc}")
        if source.archive_url:
            source.archived_at = now
    source.archive_error = "; ".join(errors)[:500]
    # Only what archiving found: a link check running at the same time saves its own fields,
    # and whole-row saves from both made one undo the other (an archived copy lost).
    source.save(update_fields=ARCHIVE_FIELDS)
    transaction.on_commit(cache_generation_bump)
    return source


def _keep_text(source: Source, now) -> None:
    response = fetch(source.url, accept=HTML, max_bytes=MAX_PAGE_BYTES)
    html = response.content.decode("utf-8", errors="replace")
    document = trafilatura.bare_extraction(html, url=response.url, with_metadata=True)
    data = document.as_dict() if document else {}
    source.text = (data.get("text") or "").strip()
    source.text_title = (data.get("title") or "").strip()[:400]
    source.text_fetched_at = now


def _archived_copy(url: str) -> str | None:
    """The archive's copy of `url`: one it already has, or one it makes when asked."""
    found = _availability(url)
    if found or not settings.SITREP_ARCHIVE_SAVE_URL:
        return found
    saved = fetch(settings.SITREP_ARCHIVE_SAVE_URL.replace("{url}", url), accept=HTML, timeout=60)
    if "/web/" in urlsplit(saved.url).path:  # the save redirected to the new snapshot
        return saved.url
    return _availability(url)


def _availability(url: str) -> str | None:
    endpoint = settings.SITREP_ARCHIVE_AVAILABILITY_URL.replace("{url}", quote(url, safe=""))
    answer = json.loads(fetch(endpoint, accept="application/json").content or b"{}")
    closest = (answer.get("archived_snapshots") or {}).get("closest") or {}
    if closest.get("available") and str(closest.get("status", "200")).startswith("2"):
        return closest.get("url") or None
    return None


# --- Checking ----------------------------------------------------------------------------


def _normalised(headline: str) -> str:
    text = unicodedata.normalize("NFKC", headline or "").casefold()
    text = re.sub(r"[\u2018\u2019\u201c\u201d'\"`]", "", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def headline_changed(quoted: str, current: str) -> bool:
    """Whether the page's title no longer says what we quoted. Titles often carry the site's
    name ("Headline | Outlet"), so a quoted headline found inside the title is unchanged."""
    quoted, current = _normalised(quoted), _normalised(current)
    if not quoted or not current:
        return False
    if quoted in current:
        return False
    return difflib.SequenceMatcher(None, quoted, current).ratio() < HEADLINE_SAME_AT


def _address(url: str) -> str:
    """An address without the differences that do not make a page move (scheme, www., a
    trailing slash)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}?{parts.query}" if parts.query else f"{host}{path}"


def _page_title(html: str, url: str) -> str:
    metadata = trafilatura.extract_metadata(html, default_url=url)
    title = metadata.title if metadata and metadata.title else ""
    if not title:
        match = re.search(r"<title[^>]*>(.*?)</title>", html, re.S | re.I)
        title = match.group(1) if match else ""
    return one_line(title)[:400]


def source_check(source: Source, *, now=None) -> CheckResult:
    """Look at the page once and record what was found. HEAD first; a server that refuses HEAD
    (405, 403, 501, ...) gets a GET. A conditional GET then reads the headline."""
    now = now or timezone.now()
    try:
        fetch(source.url, method="HEAD", accept=HTML, timeout=20)
    except FetchError as exc:
        if exc.status in GONE_STATUSES:
            return _record(source, now, Source.State.GONE, status=exc.status, detail=str(exc))
        if exc.status is None or exc.status == 429 or (exc.status >= 500 and exc.status != 501):
            return _failed(source, now, str(exc), status=exc.status)
        # 501 Not Implemented, 405, 403 and other refusals of HEAD often come from servers that
        # only speak GET: try that.
    try:
        page = fetch(source.url, accept=HTML, etag=source.etag,
                     last_modified=source.last_modified, max_bytes=MAX_PAGE_BYTES,
                     timeout=30)  # fmt: skip
    except FetchError as exc:
        if exc.status in GONE_STATUSES:
            return _record(source, now, Source.State.GONE, status=exc.status, detail=str(exc))
        return _failed(source, now, str(exc), status=exc.status)
    moved_to = page.url if _address(page.url) != _address(source.url) else ""
    if moved_to and urlsplit(moved_to).path in ("", "/"):
        # Sent to the front page: the article is gone, the site just hides the 404.
        return _record(source, now, Source.State.GONE, status=page.status, final_url=moved_to,
                       detail="redirected to the site's front page")  # fmt: skip
    source.etag = page.headers.get("etag", "")[:300]
    source.last_modified = page.headers.get("last-modified", "")[:100]
    if not page.not_modified:
        html = page.content.decode("utf-8", errors="replace")
        source.current_headline = _page_title(html, page.url)
    state = Source.State.ALIVE
    if source.quoted_headline and headline_changed(source.quoted_headline, source.current_headline):
        state = Source.State.CHANGED
    elif moved_to:
        state = Source.State.MOVED
    return _record(source, now, state, status=page.status, final_url=moved_to)


# What a check and what archiving each write: never each other's (they run side by side).
CHECK_FIELDS = [
    "state", "state_since", "http_status", "final_url", "failures", "last_error", "checked_at",
    "next_check_at", "etag", "last_modified", "current_headline",
]  # fmt: skip
ARCHIVE_FIELDS = ["text", "text_title", "text_fetched_at", "archive_url", "archived_at",
                  "archive_error"]  # fmt: skip


def _record(source, now, state, *, status=None, final_url="", detail="") -> CheckResult:
    if state != source.state:
        source.state_since = now
    source.state = state
    source.http_status = status
    source.final_url = final_url or (source.final_url if state == Source.State.GONE else "")
    source.failures = 0
    source.last_error = detail[:500] if state == Source.State.GONE else ""
    source.checked_at = now
    days = GONE_CHECK_DAYS if state == Source.State.GONE else settings.SITREP_LINK_CHECK_DAYS
    # A little jitter, so that sources cited together are not all checked in the same minute.
    source.next_check_at = now + dt.timedelta(days=days, minutes=random.randint(0, 180))
    source.save(update_fields=CHECK_FIELDS)
    transaction.on_commit(cache_generation_bump)
    return CheckResult(state, detail)


def _failed(source, now, error, *, status=None) -> CheckResult:
    """A transient failure (timeout, 5xx, refused connection): try again later, and only after
    repeated failures call the source unreachable."""
    source.failures += 1
    source.last_error = error[:500]
    source.http_status = status
    source.checked_at = now
    if source.failures >= len(RETRY_AFTER) and source.state != Source.State.UNREACHABLE:
        source.state, source.state_since = Source.State.UNREACHABLE, now
        transaction.on_commit(cache_generation_bump)
    wait = RETRY_AFTER[min(source.failures, len(RETRY_AFTER)) - 1]
    source.next_check_at = now + wait
    source.save(update_fields=CHECK_FIELDS)
    return CheckResult(source.state, error)


def host_slot_free(host: str) -> bool:
    """Take this host's request slot for HOST_INTERVAL seconds; False if another check has it
    (shared through the cache, so it holds across worker threads and processes)."""
    return cache.add(f"sitrep:host:{host}", 1, timeout=HOST_INTERVAL)


# --- Editors' fixes ----------------------------------------------------------------------


@transaction.atomic
def source_use_new_address(source: Source) -> int:
    """A moved source: point every clip citing it at the new address. Returns clips changed."""
    if not source.final_url:
        return 0
    target, _ = Source.objects.get_or_create(
        url=source.final_url,
        defaults={
            "host": (urlsplit(source.final_url).hostname or "").lower(),
            "quoted_headline": source.quoted_headline,
            "state": Source.State.ALIVE,
            "archive_url": source.archive_url,
            "text": source.text,
            "text_title": source.text_title,
        },
    )
    changed = Clip.objects.filter(source=source).update(url=target.url, source=target)
    source.reviewed_state = source.state
    source.save(update_fields=["reviewed_state"])
    transaction.on_commit(cache_generation_bump)
    return changed


def source_mark_reviewed(source: Source) -> None:
    source.reviewed_state = source.state
    source.save(update_fields=["reviewed_state"])


def source_recheck_soon(source: Source, *, now=None) -> None:
    source.next_check_at = now or timezone.now()
    source.save(update_fields=["next_check_at"])
