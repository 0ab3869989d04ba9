"""Geo feeds of tagged posts: GeoJSON for maps and scripts, Atom with GeoRSS points for feed
readers, and an Atom feed per place."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed

from sitrep.core.entryid import entry_id
from sitrep.places.models import Place
from sitrep.places.selectors import posts_at, recent_places, tagged_posts
from sitrep.posts.feeds import AtomPostFeed


def geojson(request):
    """A FeatureCollection: one point per place of each recent tagged post. With ?window=
    (6h, 24h, 7d) the posts of that window, grouped by place; otherwise the newest posts."""
    window = request.GET.get("window")
    features = []
    if window:
        for entry in recent_places(window):
            if entry.place.has_point():
                features.append(_feature(entry.place, entry.posts, request))
    else:
        for post, places in tagged_posts():
            for place in places:
                if place.has_point():
                    features.append(_feature(place, [post], request))
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    return HttpResponse(body, content_type="application/geo+json")


def _feature(place, posts, request) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
        "properties": {
            "place": place.name,
            "place_url": request.build_absolute_uri(place.get_absolute_url()),
            "kind": place.kind,
            "country": place.country_code,
            "posts": [
                {"headline": p.headline, "url": request.build_absolute_uri(p.get_absolute_url()),
                 "published": p.published_at.isoformat()}
                for p in posts
            ],
        },
    }  # fmt: skip


class GeoAtomFeed(Atom1Feed):
    """Atom with GeoRSS-Simple points (georss:point "lat lon") on each entry."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:georss": "http://www.georss.org/georss"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for latitude, longitude in item.get("points", []):
            handler.addQuickElement("georss:point", f"{latitude:.5f} {longitude:.5f}")


class GeoPostFeed(Feed):
    feed_type = GeoAtomFeed

    def title(self):
        return f"{settings.SITREP_SITE_NAME}: posts by place"

    def link(self):
        return "/map/"

    def subtitle(self):
        return "The newest posts tagged with places, with a GeoRSS point for each place."

    def items(self):
        return tagged_posts()

    def item_title(self, item):
        return item[0].headline

    def item_link(self, item):
        return item[0].get_absolute_url()

    def item_description(self, item):
        return render_to_string(
            "posts/includes/_post_body.html", {"post": item[0], "in_feed": True}
        )

    def item_pubdate(self, item):
        return item[0].published_at

    def item_updateddate(self, item):
        return max(item[0].updated, item[0].published_at)

    def item_categories(self, item):
        return [place.name for place in item[1]]

    def item_guid(self, item):
        return entry_id("post", item[0].pk, item[0].created)

    item_guid_is_permalink = False

    def item_extra_kwargs(self, item):
        return {"points": [(p.latitude, p.longitude) for p in item[1] if p.has_point()]}


class PlaceFeed(AtomPostFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Place, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITREP_SITE_NAME}: {obj.name}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return f"Posts about {obj.name}"

    subtitle = description

    def base_queryset(self, obj):
        return posts_at(obj)
