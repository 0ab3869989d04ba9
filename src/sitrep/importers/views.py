"""Addresses from the old platform, answered with permanent redirects to today's pages."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from sitrep.comments.models import Comment
from sitrep.comments.selectors import comment_location
from sitrep.importers.models import ImportKey, Redirect
from sitrep.posts.models import Label, Post


def _to(url: str) -> HttpResponsePermanentRedirect:
    return HttpResponsePermanentRedirect(url)


@require_GET
def old_post(request, **kwargs):
    """/2017/06/slug.html (also ?m=1 and ?showComment=...) and WordPress /2017/06/13/slug/."""
    redirect = Redirect.objects.select_related("post").filter(old_path=request.path).first()
    if redirect and redirect.post.is_live():
        post = redirect.post
    else:
        post = Post.objects.live().filter(slug=kwargs.get("slug", "")).first()
    if post is None:
        raise Http404("No such post")
    comment = _shown_comment(post, request.GET.get("showComment", ""))
    return _to(comment_location(comment) if comment else post.get_absolute_url())


def _shown_comment(post: Post, millis: str) -> Comment | None:
    """Blogger linked to a comment as ?showComment=<its time in milliseconds>#c<its id>; the
    time finds it among the post's comments (the browser cannot send the #c part)."""
    if not millis.isdigit():
        return None
    moment = dt.datetime.fromtimestamp(int(millis) / 1000, tz=dt.UTC)
    near = post.comments.filter(
        created__gte=moment - dt.timedelta(seconds=1), created__lte=moment + dt.timedelta(seconds=1)
    )
    return near.visible().order_by("created", "id").first()


def _label(name: str) -> Label:
    label = (
        Label.objects.filter(name__iexact=name).first()
        or Label.objects.filter(slug=slugify(name)).first()
    )
    if label is None:
        raise Http404("No such label")
    return label


@require_GET
def old_label(request, name: str):
    return _to(_label(name).get_absolute_url())


@require_GET
def old_search(request):
    query = request.GET.get("q", "")
    return _to(reverse("search") + (f"?q={query}" if query else ""))


def _feed(request, atom: str, rss: str, *args) -> HttpResponsePermanentRedirect:
    name = rss if request.GET.get("alt") in ("rss", "rss2") else atom
    return _to(reverse(name, args=args))


@require_GET
def old_posts_feed(request):
    return _feed(request, "posts_atom", "posts_rss")


@require_GET
def old_label_feed(request, name: str):
    return _feed(request, "label_atom", "label_rss", _label(name).slug)


@require_GET
def old_comments_feed(request):
    return _feed(request, "comments_atom", "comments_rss")


@require_GET
def old_post_comments_feed(request, post_id: str):
    # Blogger's post ids are unique across blogs; keys name the blog (older imports did not).
    keys = ImportKey.objects.filter(kind="post").filter(
        Q(key=f"post-{post_id}") | Q(key__startswith="blogger:", key__endswith=f":post-{post_id}")
    )
    key = keys.first()
    if key is None:
        raise Http404("No such post")
    post = get_object_or_404(Post.objects.live(), pk=key.object_id)
    url = post.get_absolute_url()
    return _to(url + ("comments.rss" if request.GET.get("alt") == "rss" else "comments.atom"))


@require_GET
def old_archive(request, year: str, month: str, day: str):
    """Blogger's /2017_06_01_archive.html pages are monthly."""
    return _to(reverse("archive_month", args=[int(year), month]))
