"""Subscribing to feeds and polling them. Every outbound request goes through core.http.fetch."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin

import feedparser
import lxml.html
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from sitrep.core.html import clean, to_text
from sitrep.core.http import FetchError, fetch
from sitrep.core.urlnorm import BadURL, domain_of, normalize_url
from sitrep.curation.models import Feed, InboxItem
from sitrep.posts.models import Outlet

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
              "application/json", "application/xml", "text/xml", "application/rdf+xml")  # fmt: skip
ACCEPT = ", ".join(FEED_TYPES) + ", text/html;q=0.5, */*;q=0.1"
MAX_FEED_BYTES = 10 * 1024 * 1024
# After an error, wait interval * 2^errors, but never more than a day: a dead feed is retried
# daily without hammering it, and one that recovers is back on schedule after one success.
MAX_BACKOFF = dt.timedelta(hours=24)
MAX_ITEMS_PER_POLL = 200
STOP_WORDS = set("a an the of in on at to for and or but is are was were be by with from".split())


class FeedError(Exception):
    pass


@dataclass
class PollResult:
    feed_id: int
    new_items: int = 0
    not_modified: bool = False
    error: str = ""


def title_key(title: str) -> str:
    """A fingerprint for near-identical headlines: case, punctuation, order and small words
    removed, so "Tanks near the bridges" and "Bridges: tanks near" group together."""
    words = {w for w in re.findall(r"\w+", title.lower()) if w not in STOP_WORDS}
    return " ".join(sorted(words))[:200]


def _outlet_for(url: str) -> Outlet | None:
    domain = domain_of(url)
    if not domain:
        return None
    for outlet in Outlet.objects.filter(domains__icontains=domain):
        if domain in outlet.domain_list():
            return outlet
    return None


def _json_feed(content: bytes):
    """JSON Feed (jsonfeed.org, 1.0 and 1.1) in feedparser's shape: feedparser's released 6.0
    series reads RSS, Atom and RDF only."""
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise FeedError("this is not a feed (JSON that cannot be read)") from None
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        raise FeedError("this is not a feed (JSON, but not a JSON Feed)")
    entries = []
    for item in data.get("items") or []:
        if not isinstance(item, dict):
            continue
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        when = item.get("date_published") or item.get("date_modified")
        parsed_time = None
        if when:
            try:
                parsed_time = dt.datetime.fromisoformat(when.replace("Z", "+00:00")).utctimetuple()
            except ValueError:
                pass
        entries.append(feedparser.FeedParserDict(
            id=str(item.get("id", "")), link=item.get("url", ""), title=item.get("title", ""),
            summary=item.get("content_html") or item.get("summary") or item.get("content_text", ""),
            author=", ".join(a.get("name", "") for a in authors if isinstance(a, dict)),
            published_parsed=parsed_time,
        ))  # fmt: skip
    feed = feedparser.FeedParserDict(
        title=data.get("title", ""), link=data.get("home_page_url", "")
    )
    return feedparser.FeedParserDict(feed=feed, entries=entries, bozo=False)


def _parse(content: bytes, content_type: str = ""):
    if "json" in content_type or content.lstrip()[:1] == b"{":
        return _json_feed(content)
    parsed = feedparser.parse(content)
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        raise FeedError("this is not a feed (no RSS, Atom or JSON Feed found)")
    return parsed


def discover(url: str) -> tuple[str, object]:
    """The feed at `url`, or the one a web page advertises with <link rel="alternate">."""
    response = fetch(url, accept=ACCEPT, max_bytes=MAX_FEED_BYTES)
    if response.content_type == "text/html" or response.content.lstrip()[:15].lower().startswith(
        (b"<!doctype html", b"<html")
    ):
        page = lxml.html.fromstring(response.content)
        for link in page.iter("link"):
            rel = (link.get("rel") or "").lower().split()
            if "alternate" in rel and (link.get("type") or "").lower() in FEED_TYPES:
                feed_url = urljoin(response.url, link.get("href", ""))
                feed_response = fetch(feed_url, accept=ACCEPT, max_bytes=MAX_FEED_BYTES)
                return feed_response.url, _parse(feed_response.content, feed_response.content_type)
        raise FeedError('this page advertises no feed (no <link rel="alternate">)')
    return response.url, _parse(response.content, response.content_type)


def feed_subscribe(*, url: str, interval_minutes: int = 30) -> tuple[Feed, bool]:
    """Subscribe to a feed by its own URL or a page's. Returns (feed, created). Idempotent."""
    try:
        url = normalize_url(url)
    except BadURL as exc:
        raise FeedError(str(exc)) from None
    existing = Feed.objects.filter(url=url).first()
    if existing:
        return existing, False
    try:
        feed_url, parsed = discover(url)
    except FetchError as exc:
        raise FeedError(f"could not fetch {url}: {exc}") from None
    feed_url = normalize_url(feed_url)
    site = parsed.feed.get("link", "")
    feed, created = Feed.objects.get_or_create(
        url=feed_url,
        defaults={
            "title": parsed.feed.get("title", "")[:300],
            "site_url": _safe_url(site),
            "interval_minutes": interval_minutes,
            "outlet": _outlet_for(site or feed_url),
        },
    )
    return feed, created


def _safe_url(url: str) -> str:
    try:
        return normalize_url(url)
    except BadURL:
        return ""  # feedparser passes javascript: and worse through; we keep none of it


def _entry_time(entry) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.UTC)
    return None


def _items(feed: Feed, parsed, now) -> list[InboxItem]:
    items = []
    for entry in parsed.entries[:MAX_ITEMS_PER_POLL]:
        link = _safe_url(entry.get("link", ""))
        title = to_text(entry.get("title", "")).strip() or link or "(untitled)"
        guid = entry.get("id") or link or hashlib.sha256(title.encode()).hexdigest()
        published = _entry_time(entry)
        if published and published > now + dt.timedelta(days=1):
            published = now  # a feed's clock far in the future must not pin it to the top
        summary = entry.get("summary", "")
        items.append(
            InboxItem(
                feed=feed,
                guid=guid[:500],
                url=link,
                title=title[:500],
                summary_html=clean(summary)[:20000],
                author=to_text(entry.get("author", ""))[:300],
                published_at=published,
                fetched_at=now,
                sort_time=published or now,
                title_key=title_key(title),
            )
        )
    return items


def feed_poll(feed: Feed, *, now: dt.datetime | None = None) -> PollResult:
    """Fetch one feed (conditionally) and store its new items. Never raises for the feed's own
    faults: they are recorded on the feed in plain words and retried with backoff.

    Idempotent: an entry is stored once per feed (unique guid), however often it is polled.
    """
    now = now or timezone.now()
    result = PollResult(feed.pk)
    try:
        response = fetch(
            feed.url,
            etag=feed.etag,
            last_modified=feed.last_modified,
            accept=ACCEPT,
            max_bytes=MAX_FEED_BYTES,
        )
        if response.not_modified:
            result.not_modified = True
        else:
            parsed = _parse(response.content, response.content_type)
            items = _items(feed, parsed, now)
            with transaction.atomic():
                known = set(
                    InboxItem.objects.filter(
                        feed=feed, guid__in=[i.guid for i in items]
                    ).values_list("guid", flat=True)
                )
                fresh = {}
                for item in items:  # a guid repeated within the feed: the first one counts
                    if item.guid not in known:
                        fresh.setdefault(item.guid, item)
                InboxItem.objects.bulk_create(fresh.values(), ignore_conflicts=True)
                result.new_items = len(fresh)
            feed.etag = response.headers.get("etag", "")[:300]
            feed.last_modified = response.headers.get("last-modified", "")[:100]
            if not feed.title and parsed.feed.get("title"):
                feed.title = parsed.feed["title"][:300]
    except (FetchError, FeedError) as exc:
        result.error = str(exc)
    except Exception as exc:  # noqa: BLE001  (a feed must never stop the others)
        result.error = f"unexpected problem: {type(exc).__name__}"
    feed.last_polled_at = now
    if result.error:
        feed.error_count += 1
        feed.last_error = result.error[:500]
        backoff = dt.timedelta(minutes=feed.interval_minutes) * (2 ** min(feed.error_count, 10))
        feed.next_poll_at = now + min(backoff, MAX_BACKOFF)
    else:
        feed.error_count = 0
        feed.last_error = ""
        feed.last_success_at = now
        feed.next_poll_at = now + dt.timedelta(minutes=feed.interval_minutes)
    feed.item_count = InboxItem.objects.filter(feed=feed).count()
    feed.save()
    return result


def _poll_in_thread(feed_id: int) -> PollResult:
    try:
        feed = Feed.objects.get(pk=feed_id)
        return feed_poll(feed)
    finally:
        close_old_connections()
        connection.close()


def feeds_poll_due(*, now=None, concurrency: int = 16, all_feeds: bool = False) -> list[PollResult]:
    """Poll every active feed whose time has come, `concurrency` at a time."""
    now = now or timezone.now()
    feeds = Feed.objects.filter(active=True)
    if not all_feeds:
        feeds = feeds.filter(next_poll_at__lte=now)
    ids = list(feeds.values_list("pk", flat=True))
    if concurrency <= 1:  # in this thread, on this connection
        return [feed_poll(feed) for feed in Feed.objects.filter(pk__in=ids)]
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(ids)))) as pool:
        return list(pool.map(_poll_in_thread, ids))
