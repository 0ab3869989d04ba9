"""The editor's inbox, feeds and clipping, in the desk."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from sitrep.accounts.permissions import editor_required
from sitrep.core.pagination import window
from sitrep.core.redirects import next_url
from sitrep.curation import opml
from sitrep.curation.models import Feed, WatchWord
from sitrep.curation.polling import FeedError, feed_poll, feed_subscribe
from sitrep.curation.selectors import cluster, inbox_items, watch_pattern
from sitrep.curation.services import (
    MARKS,
    inbox_item_mark,
    story_update_from_inbox,
    watch_word_add,
)
from sitrep.posts.models import Outlet
from sitrep.stories.models import Story
from sitrep.stories.services import StoryError

ITEMS_PER_PAGE = 60


def _back(request, fallback: str):
    return redirect(next_url(request, fallback))


@editor_required
def inbox(request):
    state = request.GET.get("state", "unread")

    def id_param(name):  # an id, or no filter: "?feed=undefined" must not become a 500
        value = request.GET.get(name, "")
        return value if value.isascii() and value.isdigit() else None

    filters = {
        "state": state,
        "feed_id": id_param("feed"),
        "outlet_id": id_param("outlet"),
        "query": request.GET.get("q", "").strip()[:200],
        "watch": request.GET.get("watch") == "1",
    }
    page = window(request, inbox_items(**filters), ITEMS_PER_PAGE)
    clusters = cluster(page.object_list, watch_pattern())
    context = {
        "page": page,
        "clusters": clusters,
        "filters": filters,
        "feeds": Feed.objects.all(),
        "outlets": Outlet.objects.filter(feeds__isnull=False).distinct(),
        "watch_words": WatchWord.objects.all(),
        "open_stories": Story.objects.filter(developing=True),
        "query_string": urlencode({k: v for k, v in request.GET.items() if k != "page"}),
    }
    return render(request, "curation/inbox.html", context)


@editor_required
@require_POST
def inbox_mark(request, action: str):
    if action not in MARKS:
        return HttpResponse(status=400)
    ids = [int(i) for i in request.POST.getlist("item") if i.isdigit()]
    inbox_item_mark(item_ids=ids, action=action)
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)  # the keyboard script updates the page itself
    return _back(request, reverse("desk:inbox"))


@editor_required
@require_POST
def inbox_roundup(request):
    """Several inbox items into one post: the compose screen with a clip for each."""
    ids = [i for i in request.POST.getlist("item") if i.isdigit()]
    if not ids:
        messages.info(request, "Tick the items to collect into a round-up first.")
        return _back(request, reverse("desk:inbox"))
    return redirect(reverse("desk:new") + "?" + urlencode([("item", i) for i in ids]))


@editor_required
@require_http_methods(["GET", "POST"])
def feeds(request):
    url = ""
    if request.method == "POST" and "url" in request.POST:
        url = request.POST["url"].strip()
        try:
            feed, created = feed_subscribe(url=url)
        except FeedError as exc:
            messages.error(request, f"Not added: {exc}")
        else:
            if created:
                feed_poll(feed)
                messages.success(request, f"Subscribed to {feed.display_name()}.")
            else:
                messages.info(request, f"Already subscribed to {feed.display_name()}.")
            return redirect("desk:feeds")
    context = {"feeds": Feed.objects.select_related("outlet"), "url": url,
               "watch_words": WatchWord.objects.all()}  # fmt: skip
    return render(request, "curation/feeds.html", context)


@editor_required
@require_POST
def feed_action(request, feed_id: int, action: str):
    feed = get_object_or_404(Feed, pk=feed_id)
    if action == "delete":
        feed.delete()
        messages.success(request, f"Unsubscribed from {feed.display_name()}.")
    elif action == "poll":
        result = feed_poll(feed)
        if result.error:
            messages.error(request, f"{feed.display_name()}: {result.error}")
        else:
            messages.success(request, f"{feed.display_name()}: {result.new_items} new items.")
    elif action in ("pause", "resume"):
        feed.active = action == "resume"
        feed.save(update_fields=["active"])
    return redirect("desk:feeds")


@editor_required
@require_POST
def feeds_import(request):
    upload = request.FILES.get("opml")
    if upload is None:
        messages.error(request, "Choose an OPML file first.")
        return redirect("desk:feeds")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feeds.opml"
        path.write_bytes(upload.read())
        try:
            entries = opml.read(path.open("rb"))
        except opml.OpmlError as exc:
            messages.error(request, f"{upload.name}: {exc}")
            return redirect("desk:feeds")
    added = 0
    for url, title in entries:
        feed, created = Feed.objects.get_or_create(url=url, defaults={"title": title[:300]})
        added += created
    messages.success(request, opml.import_summary(added, len(entries) - added) + ".")
    return redirect("desk:feeds")


@editor_required
def feeds_export(request):
    body = opml.write(Feed.objects.all(), title=f"{settings.SITREP_SITE_NAME} sources")
    response = HttpResponse(body, content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sitrep-feeds.opml"'
    return response


@editor_required
@require_POST
def watch_words(request):
    if request.POST.get("remove"):
        WatchWord.objects.filter(pk=request.POST["remove"]).delete()
    else:
        watch_word_add(word=request.POST.get("word", ""))
    return _back(request, reverse("desk:feeds"))


@editor_required
def clip(request):
    """Paste a URL, or arrive from the bookmarklet: on to the compose screen, filled in."""
    url = request.GET.get("url", "").strip()
    if url:
        params = [("url", url)]
        if request.GET.get("selection"):
            params.append(("selection", request.GET["selection"][:10000]))
        return redirect(reverse("desk:new") + "?" + urlencode(params))
    bookmarklet = (
        "javascript:(function(){location.href='"
        + request.build_absolute_uri(reverse("desk:clip"))
        + "?url='+encodeURIComponent(location.href)+'&selection='"
        + "+encodeURIComponent(String(window.getSelection()))})()"
    )
    return render(request, "curation/clip.html", {"bookmarklet": bookmarklet})


@editor_required
@require_POST
def story_update(request):
    """From the inbox: ticked items become an update to a story's latest post."""
    ids = [int(i) for i in request.POST.getlist("item") if i.isdigit()]
    story = Story.objects.filter(pk=request.POST.get("story") or 0).first()
    back = next_url(request, "desk:inbox")
    if story is None:
        messages.error(request, "Choose the story to update.")
        return redirect(back)
    try:
        post = story_update_from_inbox(story=story, item_ids=ids, actor=request.user)
    except StoryError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(request, f"Added to “{post.headline}” as an update.")
    return redirect(back)
