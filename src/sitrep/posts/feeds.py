"""Atom and RSS feeds of posts: whole site, per label, per outlet."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from sitrep.core.entryid import entry_id
from sitrep.media import html as media_html
from sitrep.posts.models import Label, Outlet, Post

FEED_ITEMS = 30
_MEDIA = re.compile(r"(?<=[\s\",])/media/")


class PostFeed(Feed):
    feed_type = Rss201rev2Feed

    def title(self, obj=None):
        return settings.SITREP_SITE_NAME

    def description(self, obj=None):
        return settings.SITREP_SITE_TAGLINE or f"Latest posts on {settings.SITREP_SITE_NAME}"

    subtitle = description

    def link(self, obj=None):
        return reverse("front")

    def base_queryset(self, obj):
        return Post.objects.live()

    def items(self, obj=None):
        return self.base_queryset(obj).for_listing()[:FEED_ITEMS]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        body = render_to_string("posts/includes/_post_body.html", {"post": item, "in_feed": True})
        if item.lead_image:
            body = media_html.figure(item.lead_image, eager=True) + body
        # A feed reader resolves no address against the site: the images' must be whole.
        return _MEDIA.sub(settings.SITREP_SITE_URL.rstrip("/") + "/media/", body)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated, item.published_at)

    def item_author_name(self, item):
        return item.author.display_name()

    def item_categories(self, item):
        return [label.name for label in item.labels.all()]

    def item_guid(self, item):
        return entry_id("post", item.pk, item.created)

    item_guid_is_permalink = False


class AtomPostFeed(PostFeed):
    feed_type = Atom1Feed


class LabelFeed(PostFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Label, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITREP_SITE_NAME}: {obj.name}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return f"Posts labelled {obj.name}"

    subtitle = description

    def base_queryset(self, obj):
        return Post.objects.live().filter(labels=obj)


class AtomLabelFeed(LabelFeed):
    feed_type = Atom1Feed


class OutletFeed(PostFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Outlet, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITREP_SITE_NAME}: clips from {obj.name}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return f"Posts quoting {obj.name}"

    subtitle = description

    def base_queryset(self, obj):
        return Post.objects.live().filter(pk__in=obj.clips.values("post_id"))


class AtomOutletFeed(OutletFeed):
    feed_type = Atom1Feed
