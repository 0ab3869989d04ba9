from __future__ import annotations

import datetime as dt
import hashlib
import sys

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from sitrep.core import cache as cache_keys
from sitrep.core import outage
from sitrep.core.pagination import window
from sitrep.pages.cache import fresh_until, public_page
from sitrep.posts.models import Label, Outlet, Post
from sitrep.posts.selectors import archive_months, label_counts, outlet_counts
from sitrep.posts.templatetags.sitrep_meta import post_description

POSTS_PER_PAGE = 15  # a day's worth of short posts on the front page
CARD_MAX_AGE = 3600  # a safety net: a write moves the generation on and retires every card
# Archive counts cost a scan of the whole archive (bench/README.md), so they are cached. Post
# services bump the cache generation, and a cached copy never outlives the next scheduled post, so
# the widgets are never wrong for longer than a request.
ARCHIVE_CACHE_MAX_AGE = 600


def next_scheduled(now) -> dt.datetime | None:
    """When the next scheduled post goes live (pages and counts change then, with no write to
    say so), or None."""
    return (
        Post.objects.filter(status=Post.Status.SCHEDULED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def _cached(name: str, compute):
    # The deadline travels with the value and is checked against our clock, so the cache
    # server's own expiry (a safety net here) never decides correctness.
    key = cache_keys.posts_key(name)
    now = timezone.now()
    cached = cache.get(key)
    if cached is not None and now < cached[0]:
        return cached[1]
    data = compute()
    # The page layer's own deadline: ten minutes, or the next scheduled post (posts registers it).
    cache.set(key, (fresh_until(now), data), ARCHIVE_CACHE_MAX_AGE)
    return data


def sidebar_context() -> dict:
    """Archive and label widgets: their data, and their HTML rendered once per change of posts
    (a ten-year archive is 120 month links, each a URL to reverse, on every page otherwise)."""

    def compute():
        labels = label_counts()
        archive = archive_months()
        # Links and names worked out here, not by {% url %} tags and date filters: 130 of
        # them were two thirds of the sidebar's rendering for a ten-year archive.
        tree = [
            (year, reverse("archive_year", args=[year]), total,
             [(reverse("archive_month", args=[month.year, month.month]),
               dateformat.format(month, "F"), n) for month, n in months])
            for year, months, total in archive
        ]  # fmt: skip
        top = [(label.get_absolute_url(), label.name, label.n) for label in labels[:30]]
        html = render_to_string("includes/_sidebar.html", {"archive_tree": tree, "top_labels": top})
        # Every label's total too: a label page's "N posts" without counting its posts again.
        totals = {label.pk: label.n for label in labels}
        # The labels live on in the HTML only: model instances cost their unpickling on every
        # page read from a shared cache.
        return {"archive": archive, "sidebar_html": mark_safe(html),
                "label_totals": totals}  # fmt: skip

    return _cached("sidebar", compute)


def listing_page(request, queryset, template, *, counted=False, total=None, **context):
    """A page of posts; `counted` adds the total, for pages whose header says "N posts" (or
    give the `total`, when a cached count already knows it)."""
    ordered = queryset.order_by("-published_at", "-id").only("pk", "published_at")
    page = window(request, ordered, POSTS_PER_PAGE)
    context["day_list_html"] = day_list(page.object_list, request)
    if total is not None:
        context["total"] = total
    elif counted:
        context["total"] = queryset.count()
    return render(request, template, {"page": page, **sidebar_context(), **context})


def day_list(posts: list[Post], request) -> str:
    """A page of posts under their day headings, rendered once per change for this list of
    posts (one cache read where its fifteen cards were fifteen); empty: "" (the template says
    so in its own words)."""
    if not posts:
        return ""
    ids = ",".join(str(post.pk) for post in posts)
    key = cache_keys.key("day-list", hashlib.sha256(ids.encode()).hexdigest())

    def render():
        with_cards(posts, request)
        # The first post is on the first screen: its images load at once, the rest as the
        # reader scrolls (a card is shared by every list, so its own images are lazy).
        posts[0].card_html = mark_safe(
            posts[0].card_html.replace(' loading="lazy"', ' fetchpriority="high"')
        )
        return render_to_string("posts/includes/_day_list.html", {"posts": posts})

    return mark_safe(cache.get_or_set(key, render, CARD_MAX_AGE))


def with_cards(posts: list[Post], request) -> None:
    """Give each post its rendered card (`card_html`), from the cache where it is there.

    A card is the same for every reader and changes only with a write, which moves the cache
    generation on; so signed-in readers, whom the page cache does not serve, get cards rendered
    once per change instead of once per view. Only the missing cards are read from the
    database, with everything they show in a fixed number of queries.
    """
    keys = {post.pk: cache_keys.key("card", post.pk) for post in posts}
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        fresh = Post.objects.filter(pk__in=missing).for_listing().in_bulk()
        rendered = {
            keys[pk]: render_to_string("posts/includes/_post.html", {"post": post})
            for pk, post in fresh.items()
        }
        cache.set_many(rendered, CARD_MAX_AGE)
        found.update(rendered)
    for post in posts:
        post.card_html = mark_safe(found.get(keys[post.pk], ""))
        # The day heading's key: `ifchanged` on it formats a date only when the day changes.
        post.day = timezone.localdate(post.published_at)


def with_detail(post: Post, request) -> None:
    """Give a post its page's own parts (the card, the meta tags, the description) from the
    cache, as with_cards does for listings: the clips, labels, log and places they show are
    read and rendered once per change, not on every view by a signed-in reader."""
    key = cache_keys.key("detail", post.pk, request.scheme, request.get_host())
    parts = cache.get(key)
    if parts is None:
        full = Post.objects.for_listing().get(pk=post.pk)
        context = {"post": full, "detail": True}
        parts = {
            "card": render_to_string("posts/includes/_post.html", context),
            "head": render_to_string("posts/includes/_detail_head.html", context, request),
            "description": post_description(full),
        }
        cache.set(key, parts, CARD_MAX_AGE)
    post.card_html, post.head_html = mark_safe(parts["card"]), mark_safe(parts["head"])
    post.description = parts["description"]


def outlet_totals() -> dict[int, int]:
    """Outlet id -> live posts quoting it, for outlets with any (cached until posts change)."""
    return _cached("outlet-totals", lambda: {o.pk: o.n for o in outlet_counts()})


@require_GET
@public_page
def front(request):
    return listing_page(request, Post.objects.live(), "posts/front.html")


@require_GET
@public_page
def label(request, slug: str):
    label = get_object_or_404(Label, slug=slug)
    posts = Post.objects.live().filter(labels=label)
    total = sidebar_context()["label_totals"].get(label.pk, 0)
    return listing_page(request, posts, "posts/label.html", total=total, label=label)


@require_GET
@public_page
def outlet(request, slug: str):
    outlet = get_object_or_404(Outlet, slug=slug)
    # A subquery rather than a join: no DISTINCT over whole rows, and paging stays cheap.
    posts = Post.objects.live().filter(pk__in=outlet.clips.values("post_id"))
    # The total from the per-outlet counts (one statement for all outlets, cached until posts
    # change) rather than counting a large outlet's posts on each page.
    total = outlet_totals().get(outlet.pk, 0)
    return listing_page(request, posts, "posts/outlet.html", total=total, outlet=outlet)


def _local_range(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end, dt.time.min, tzinfo=tz),
    )


def _archive(request, start: dt.date, end: dt.date, title: str, period: str):
    lower, upper = _local_range(start, end)
    posts = Post.objects.live().filter(published_at__gte=lower, published_at__lt=upper)
    return listing_page(
        request,
        posts,
        "posts/archive_period.html",
        counted=True,
        archive_title=title,
        period=period,
    )


def _date_or_404(year, month=1, day=1) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise Http404("No such date") from None


@require_GET
@public_page
def archive_year(request, year: int):
    start = _date_or_404(year)
    return _archive(request, start, start.replace(year=start.year + 1), str(year), "year")


@require_GET
@public_page
def archive_month(request, year: int, month: str):
    start = _date_or_404(year, month)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return _archive(request, start, end, start.strftime("%B %Y"), "month")


@require_GET
@public_page
def archive_day(request, year: int, month: str, day: str):
    start = _date_or_404(year, month, day)
    title = f"{start:%A}, {start:%B} {start.day}, {start.year}"
    return _archive(request, start, start + dt.timedelta(days=1), title, "day")


@require_GET
@public_page
def archive_index(request):
    def compute():
        return {
            "labels": sorted(label_counts(), key=lambda label: label.name.lower()),
            "outlets": outlet_counts(),
        }

    context = {**sidebar_context(), **_cached("archive-index", compute)}
    return render(request, "posts/archive_index.html", context)


@require_GET
@public_page
def about(request):
    return render(request, "pages/about.html", sidebar_context())


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; point them at the real icon."""
    return HttpResponsePermanentRedirect(static("sitrep/img/icon.svg"))


@require_GET
@public_page
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /desk/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Django calls this while handling the exception, so it is at hand.
    error = sys.exc_info()[1]
    if outage.storage_failure(error):
        return outage.unavailable(request, error)
    # No context processors that touch the database: the database may be why we are here.
    return render(request, "500.html", {"site_name": settings.SITREP_SITE_NAME}, status=500)
