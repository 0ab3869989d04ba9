"""A story's own feed: its posts, and every change of status, correction and update."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed

from sitrep.core.entryid import entry_id
from sitrep.posts.models import Post
from sitrep.stories.models import PostLogEntry, Story
from sitrep.stories.selectors import story_log, story_timeline

FEED_ITEMS = 30


class StoryFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Story, slug=slug)

    def title(self, obj):
        return f"{settings.SITREP_SITE_NAME}: {obj.title}"

    def link(self, obj):
        return obj.get_absolute_url()

    def subtitle(self, obj):
        return obj.summary or f"Posts in the story {obj.title}"

    def items(self, obj):
        posts = [entry.post for entry in story_timeline(obj)[:FEED_ITEMS]]
        changes = story_log(obj, limit=FEED_ITEMS)
        both = sorted(posts + changes, key=self._when, reverse=True)
        return both[:FEED_ITEMS]

    @staticmethod
    def _when(item):
        return item.published_at if isinstance(item, Post) else item.created

    def item_title(self, item):
        if isinstance(item, PostLogEntry):
            return f"{item.headline()}: {item.post.headline}"
        return item.headline

    def item_link(self, item):
        if isinstance(item, PostLogEntry):
            return f"{item.post.get_absolute_url()}#log-{item.pk}"
        return item.get_absolute_url()

    def item_description(self, item):
        if isinstance(item, PostLogEntry):
            return render_to_string("stories/includes/_log_item.html", {"entry": item})
        return render_to_string("posts/includes/_post_body.html", {"post": item, "in_feed": True})

    def item_pubdate(self, item):
        return self._when(item)

    def item_updateddate(self, item):
        if isinstance(item, PostLogEntry):
            return item.created
        return max(item.updated, item.published_at)

    def item_guid(self, item):
        if isinstance(item, PostLogEntry):
            return entry_id("log", item.pk, item.created)
        return entry_id("post", item.pk, item.created)

    item_guid_is_permalink = False
