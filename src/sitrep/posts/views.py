from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sitrep.core import cache as cache_keys
from sitrep.core.pagination import paginate
from sitrep.posts.models import Label, Outlet, Post
from sitrep.posts.selectors import archive_months

POSTS_PER_PAGE = 15  # a day's worth of short posts on the front page
SIDEBAR_TTL = 60  # seconds; scheduled posts appear in the sidebar within a minute


def sidebar_context() -> dict:
    """Archive and label widgets, cached briefly: they change only when posts do."""
    key = cache_keys.key("sidebar")
    data = cache.get(key)
    if data is None:
        data = {
            "archive": archive_months(Post.objects.published()),
            "top_labels": list(
                Label.objects.annotate(
                    n=Count("posts", filter=Q(posts__in=Post.objects.published()))
                )
                .filter(n__gt=0)
                .order_by("-n", "name")[:30]
            ),
        }
        cache.set(key, data, SIDEBAR_TTL)
    return data


def _listing(request, queryset, template, **context):
    page = paginate(request, queryset.for_listing(), POSTS_PER_PAGE)
    return render(request, template, {"page": page, **sidebar_context(), **context})


@require_GET
def front(request):
    return _listing(request, Post.objects.published(), "posts/front.html")


@require_GET
def label(request, slug: str):
    label = get_object_or_404(Label, slug=slug)
    posts = Post.objects.published().filter(labels=label)
    return _listing(request, posts, "posts/label.html", label=label)


@require_GET
def outlet(request, slug: str):
    outlet = get_object_or_404(Outlet, slug=slug)
    posts = Post.objects.published().filter(clips__outlet=outlet).distinct()
    return _listing(request, posts, "posts/outlet.html", outlet=outlet)


def _local_range(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end, dt.time.min, tzinfo=tz),
    )


def _archive(request, start: dt.date, end: dt.date, title: str, period: str):
    lower, upper = _local_range(start, end)
    posts = Post.objects.published().filter(published_at__gte=lower, published_at__lt=upper)
    return _listing(request, posts, "posts/archive_period.html", archive_title=title, period=period)


def _date_or_404(year, month=1, day=1) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise Http404("No such date") from None


@require_GET
def archive_year(request, year: int):
    start = _date_or_404(year)
    return _archive(request, start, start.replace(year=start.year + 1), str(year), "year")


@require_GET
def archive_month(request, year: int, month: str):
    start = _date_or_404(year, month)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return _archive(request, start, end, start.strftime("%B %Y"), "month")


@require_GET
def archive_day(request, year: int, month: str, day: str):
    start = _date_or_404(year, month, day)
    title = f"{start:%A}, {start:%B} {start.day}, {start.year}"
    return _archive(request, start, start + dt.timedelta(days=1), title, "day")


@require_GET
def archive_index(request):
    context = {
        **sidebar_context(),
        "labels": Label.objects.annotate(
            n=Count("posts", filter=Q(posts__in=Post.objects.published()))
        ).filter(n__gt=0),
        "outlets": Outlet.objects.annotate(
            n=Count(
                "clips__post", filter=Q(clips__post__in=Post.objects.published()), distinct=True
            )
        ).filter(n__gt=0),
    }
    return render(request, "posts/archive_index.html", context)


@require_GET
def about(request):
    return render(request, "pages/about.html", sidebar_context())


@require_GET
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
    # No context processors that touch the database: the database may be why we are here.
    return render(request, "500.html", {"site_name": settings.SITREP_SITE_NAME}, status=500)
