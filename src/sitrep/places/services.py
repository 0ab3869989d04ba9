"""Writes to places: suggestions from the gazetteer (in the worker), the editor's decisions."""

from __future__ import annotations

import re

from django.db import transaction

from sitrep.core.cache import bump as cache_generation_bump
from sitrep.core.html import to_text
from sitrep.places.gazetteer import Candidate, gazetteer
from sitrep.places.models import Place, PostPlace
from sitrep.posts.models import Post
from sitrep.posts.services import unique_slug


def post_text(post: Post) -> str:
    """Everything in a post that may name a place, as plain text."""
    parts = [post.headline]
    for clip in post.clips.all():
        parts += [clip.source_headline, to_text(clip.excerpt_html)]
    parts += [to_text(post.text_html), to_text(post.note_html)]
    return "\n\n".join(p for p in parts if p)


def place_for(candidate: Candidate, *, written: str = "") -> Place:
    """The Place row of a gazetteer candidate, created on first use. A new place is named as
    the text wrote it ("Raqqa", not GeoNames' "Ar Raqqah"); editors may rename it."""
    place = Place.objects.filter(key=candidate.key).first()
    if place is not None:
        return place
    name = re.sub(r"['\u2019]s$", "", written).strip() or candidate.name
    country = gazetteer().country_names.get(candidate.country_code, "")
    place, _ = Place.objects.get_or_create(
        key=candidate.key,
        defaults={
            "name": name,
            "slug": unique_slug(Place, f"{name} {candidate.country_code}".strip()),
            "kind": candidate.kind,
            "country_code": candidate.country_code,
            "country_name": country,
            "latitude": candidate.latitude,
            "longitude": candidate.longitude,
            "population": candidate.population,
        },
    )
    return place


@transaction.atomic
def places_suggest(*, post_id: int) -> list[PostPlace]:
    """Suggest the places the post names. The editor's earlier decisions (confirmed, rejected)
    stand; suggestions no longer supported by the text are withdrawn."""
    post = Post.objects.filter(pk=post_id).prefetch_related("clips").first()
    if post is None:
        return []
    matches = gazetteer().find(post_text(post))
    keep = []
    for match in matches:
        place = place_for(match.candidate, written=match.text)
        link, _ = PostPlace.objects.get_or_create(
            post=post, place=place, defaults={"matched": match.text[:200]}
        )
        keep.append(link)
    PostPlace.objects.filter(post=post, state=PostPlace.State.SUGGESTED).exclude(
        pk__in=[link.pk for link in keep]
    ).delete()
    return keep


@transaction.atomic
def post_places_decide(*, post: Post, confirm: list[int], reject: list[int]) -> None:
    """The editor's word on suggested places: ids of PostPlace rows to confirm and reject."""
    links = PostPlace.objects.filter(post=post)
    links.filter(pk__in=confirm).update(state=PostPlace.State.CONFIRMED)
    links.filter(pk__in=reject).update(state=PostPlace.State.REJECTED)
    transaction.on_commit(cache_generation_bump)


@transaction.atomic
def post_place_add(*, post: Post, candidate: Candidate, written: str = "") -> PostPlace:
    """A place the editor adds by hand: confirmed at once."""
    place = place_for(candidate, written=written or candidate.name)
    link, _ = PostPlace.objects.update_or_create(
        post=post, place=place,
        defaults={"state": PostPlace.State.CONFIRMED, "matched": written[:200]},
    )  # fmt: skip
    transaction.on_commit(cache_generation_bump)
    return link
