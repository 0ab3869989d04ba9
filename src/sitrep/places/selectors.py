"""Reading places: posts at a place, recent tagged posts for the map and the geo feeds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from sitrep.places.models import Place, PostPlace
from sitrep.posts.models import Post

WINDOWS = {"6h": dt.timedelta(hours=6), "24h": dt.timedelta(hours=24), "7d": dt.timedelta(days=7)}
DEFAULT_WINDOW = "24h"
FEED_ITEMS = 50


def posts_at(place: Place):
    """Live posts confirmed at `place`, newest first (a Post queryset)."""
    ids = PostPlace.objects.filter(place=place, state=PostPlace.State.CONFIRMED).values("post_id")
    return Post.objects.live().filter(pk__in=ids)


def places_listed() -> list[Place]:
    live = Post.objects.live().values("pk")
    confirmed = Q(post_places__state=PostPlace.State.CONFIRMED, post_places__post__in=live)
    return list(
        Place.objects.annotate(n=Count("post_places", filter=confirmed))
        .filter(n__gt=0)
        .order_by("-n", "name")
    )


@dataclass
class PlaceOnMap:
    place: Place
    posts: list[Post] = field(default_factory=list)


def recent_places(window: str, *, now=None) -> list[PlaceOnMap]:
    """Places of the posts published in the window, each with its posts, busiest first."""
    now = now or timezone.now()
    since = now - WINDOWS.get(window, WINDOWS[DEFAULT_WINDOW])
    links = (
        PostPlace.objects.filter(
            state=PostPlace.State.CONFIRMED,
            post__in=Post.objects.live(now).filter(published_at__gte=since),
        )
        .select_related("place", "post")
        .order_by("-post__published_at")
    )
    grouped: dict[int, PlaceOnMap] = {}
    for link in links:
        grouped.setdefault(link.place_id, PlaceOnMap(link.place)).posts.append(link.post)
    return sorted(grouped.values(), key=lambda p: (-len(p.posts), p.place.name))


def tagged_posts(limit: int = FEED_ITEMS) -> list[tuple[Post, list[Place]]]:
    """The newest live posts with confirmed places, with those places (for the geo feeds)."""
    ids = PostPlace.objects.filter(state=PostPlace.State.CONFIRMED).values("post_id")
    posts = list(Post.objects.live().filter(pk__in=ids).for_listing()[:limit])
    places: dict[int, list[Place]] = {}
    for link in PostPlace.objects.filter(
        post__in=posts, state=PostPlace.State.CONFIRMED
    ).select_related("place"):
        places.setdefault(link.post_id, []).append(link.place)
    return [(post, places.get(post.pk, [])) for post in posts]
