"""Atom and RSS feeds of comments: all of the site's, and each post's."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from sitrep.comments.models import Comment
from sitrep.core.entryid import entry_id
from sitrep.posts.models import Post

FEED_ITEMS = 50


class CommentFeed(Feed):
    feed_type = Rss201rev2Feed

    def title(self, obj=None):
        return f"{settings.SITREP_SITE_NAME}: comments"

    def link(self, obj=None):
        return reverse("front")

    def description(self, obj=None):
        return f"Latest reader comments on {settings.SITREP_SITE_NAME}"

    subtitle = description

    def base_queryset(self, obj):
        return Comment.objects.visible().filter(post__in=Post.objects.live())

    def items(self, obj=None):
        return (
            self.base_queryset(obj)
            .select_related("post", "user")
            .order_by("-created", "-id")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return f"{item.display_name()} on “{item.post.headline}”"

    def item_description(self, item):
        return item.body_html  # sanitized by core.html at submission

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created

    def item_author_name(self, item):
        return item.display_name()

    def item_guid(self, item):
        return entry_id("comment", item.pk, item.created)

    item_guid_is_permalink = False


class AtomCommentFeed(CommentFeed):
    feed_type = Atom1Feed


class PostCommentFeed(CommentFeed):
    def get_object(self, request, year, month, slug):
        post = get_object_or_404(Post, slug=slug)
        if not post.is_live():
            raise Http404("No such post")
        return post

    def title(self, obj=None):
        return f"Comments on “{obj.headline}”"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return f"Reader comments on “{obj.headline}”"

    subtitle = description

    def base_queryset(self, obj):
        return Comment.objects.visible().filter(post=obj)

    def item_title(self, item):
        return f"{item.display_name()} said"


class AtomPostCommentFeed(PostCommentFeed):
    feed_type = Atom1Feed
