"""Loading the demo week through the same services the site uses."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from sitrep.accounts.models import User
from sitrep.accounts.services import editor_create
from sitrep.comments.services import comment_submit
from sitrep.core.client import ip_hash
from sitrep.demo import content, pictures
from sitrep.media.models import MediaFile
from sitrep.media.services import media_sizes, media_store
from sitrep.places.models import Place, PostPlace
from sitrep.posts.models import Outlet, Post
from sitrep.posts.services import Action, ClipData, outlet_update, post_write
from sitrep.stories.services import (
    post_correct,
    post_status_change,
    story_add_post,
    story_save,
)

LATEST_DEMO_TIME = dt.time(15, 30)  # the last demo post and its comments are done by then
SATURDAY = 5


def _day_zero(now: dt.datetime) -> dt.date:
    """The latest Saturday that is fully past: the demo week runs Sunday to Saturday, so the
    weekdays its text mentions match the day headers."""
    local = timezone.localtime(now)
    day = local.date()
    if local.time() < LATEST_DEMO_TIME:
        day -= dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() - SATURDAY) % 7)


def _pictures() -> dict[str, tuple[MediaFile, str]]:
    """The week's drawn maps and chart in the media library, with their sizes made at once (a
    demo is looked at before a worker has run): {headline: (image, "lead" or "text")}."""
    found = {}
    for headline, (drawing, alt, caption, credit, where) in content.PICTURES.items():
        media = media_store(content=pictures.png(getattr(pictures, drawing)), alt=alt,
                            caption=caption, credit=credit)  # fmt: skip
        media_sizes(media=media)
        found[headline] = (media, where)
    return found


@transaction.atomic
def demo_load(*, now: dt.datetime | None = None) -> dict:
    """Create the demo editor, readers, a week of posts and threaded comments.

    Only on an empty site: returns {"loaded": False} and changes nothing when any post exists.
    Times are laid out so that the newest demo post is from today or yesterday.
    """
    now = now or timezone.now()
    if Post.objects.exists():
        return {"loaded": False}  # never touch a site in use, nor its editors' passwords
    editor = editor_create(
        username=content.EDITOR["username"],
        password=content.EDITOR["password"],
        signature=content.EDITOR["signature"],
    )
    editor.is_superuser = True  # the demo site's owner: the Django admin shows everything
    editor.save(update_fields=["is_superuser"])
    readers = {}
    for username, public_name in content.READERS.items():
        reader, created = User.objects.get_or_create(
            username=username, defaults={"public_name": public_name}
        )
        if created:
            reader.set_password(content.EDITOR["password"])
            reader.save()
        readers[username] = reader

    tz = timezone.get_current_timezone()
    day_zero = _day_zero(now)
    drawn = _pictures()
    posts = []
    for day, hhmm, headline, clips, note, labels in content.POSTS:
        hour, minute = map(int, hhmm.split(":"))
        when = dt.datetime.combine(day_zero - dt.timedelta(days=day), dt.time(hour, minute), tz)
        picture, where = drawn.get(headline, (None, ""))
        post = post_write(
            post=None,
            author=editor,
            headline=headline,
            clips=[
                ClipData(
                    outlet_name=outlet,
                    authors=authors,
                    source_headline=source_headline,
                    url=f"https://{content.OUTLETS[outlet]}/{when:%Y/%m/%d}/{slug}",
                    excerpt="\n\n".join(paragraphs),
                    source_published=when.date(),
                )
                for outlet, authors, source_headline, slug, paragraphs in clips
            ],
            note=note or "",
            text=f"![{picture.alt}](/media/{picture.file.name})" if where == "text" else "",
            lead_image=picture if where == "lead" else None,
            labels=labels,
            action=Action.PUBLISH,
            published_at=when,
            now=when,
        )
        posts.append(post)

    for outlet in Outlet.objects.filter(name__in=content.OUTLET_FACTS):
        country, language, ownership, note = content.OUTLET_FACTS[outlet.name]
        outlet_update(
            outlet=outlet,
            country=country,
            language=language,
            ownership=ownership,
            reliability_note=note,
        )

    places = {}
    for name, (kind, latitude, longitude) in content.PLACES.items():
        places[name] = Place.objects.create(
            key=f"demo:{slugify(name)}", name=name, slug=slugify(name), kind=kind,
            latitude=latitude, longitude=longitude,
        )  # fmt: skip
    for post, (_, _, _, _, _, labels) in zip(posts, content.POSTS, strict=True):
        PostPlace.objects.bulk_create(
            PostPlace(post=post, place=places[label], state=PostPlace.State.CONFIRMED,
                      matched=label)
            for label in labels if label in places
        )  # fmt: skip

    for title, summary, steps in content.STORIES:
        story = story_save(story=None, title=title, summary=summary)
        for index, status, confirmed_by, reason, hours in steps:
            post = posts[index]
            story_add_post(story=story, post=post, now=post.published_at)
            post_status_change(
                post=post,
                status=status,
                confirmed_by=confirmed_by,
                reason=reason,
                actor=editor,
                now=min(now, post.published_at + dt.timedelta(hours=hours)),
            )
    for index, reason, hours in content.CORRECTIONS:
        post = posts[index]
        when = min(now, post.published_at + dt.timedelta(hours=hours))
        post_correct(post=post, reason=reason, actor=editor, now=when)

    comment_total = 0
    for index, thread in content.COMMENTS.items():
        post = posts[index]
        ids = {}
        for key, parent, kind, name, minutes, body in thread:
            user, author_name = None, ""
            if name == "editor_reply":
                user, body, minutes = editor, content.EDITOR_REPLY, 45
            elif kind == "account":
                user = readers[name]
            elif kind == "named":
                author_name = name
            comment = comment_submit(
                post=post,
                body=body,
                ip_hash=ip_hash(f"demo-{name or 'anon'}-{key}"),
                user=user,
                author_name=author_name,
                parent_id=ids.get(parent),
                screened=False,  # our own demo text, not a reader's
                now=post.published_at + dt.timedelta(minutes=minutes),
            )
            ids[key] = comment.pk
            comment_total += 1
    return {"loaded": True, "posts": len(posts), "comments": comment_total}
