"""The JSON documents other servers read: the site's actor, its posts and comments as Notes,
collections, WebFinger and NodeInfo.

A post goes out as a Note, not an Article: Mastodon shows a Note's whole content, but turns an
Article (and Page, Image, Video) into its title and a link (CONVERTED_TYPES in its
ActivityPub::Activity::Create), which would hide the clips and the editor's note. The Note
carries the headline, each clip's attribution, link and excerpt as a quote, the editor's signed
note, a link to the post, labels as hashtags and the lead image with its alt text, in the HTML
Mastodon keeps (p, a, strong, blockquote, br)."""

from __future__ import annotations

import hashlib
import json
import re

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape, format_html

from sitrep.comments.models import Comment
from sitrep.fediverse import local
from sitrep.fediverse.models import Profile
from sitrep.posts.models import Post

CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",
    {
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "sensitive": "as:sensitive",
        "Hashtag": "as:Hashtag",
        "toot": "http://joinmastodon.org/ns#",
        "discoverable": "toot:discoverable",
        "indexable": "toot:indexable",
        "schema": "http://schema.org#",
        "PropertyValue": "schema:PropertyValue",
        "value": "schema:value",
    },
]
ACTIVITY_JSON = "application/activity+json"


def iso(when) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _image(media) -> dict:
    return {"type": "Image", "mediaType": media.content_type, "url": local.absolute(media.url)}


def actor() -> dict:
    site = local.site_actor()
    profile = Profile.current()
    uri = local.actor_uri()
    home = local.absolute("/")
    links = [{"name": "Website", "url": home}, *profile.links]
    document = {
        "@context": CONTEXT,
        "id": uri,
        "type": "Service",
        "preferredUsername": settings.SITREP_FEDIVERSE_USERNAME,
        "name": settings.SITREP_FEDIVERSE_DISPLAY_NAME,
        "summary": f"<p>{escape(settings.SITREP_SITE_TAGLINE)}</p>"
        if settings.SITREP_SITE_TAGLINE
        else "",
        "url": home,
        "inbox": local.absolute(reverse("fediverse_inbox")),
        "outbox": local.absolute(reverse("fediverse_outbox")),
        "followers": local.absolute(reverse("fediverse_followers")),
        "following": local.absolute(reverse("fediverse_following")),
        "endpoints": {"sharedInbox": local.absolute(reverse("fediverse_shared_inbox"))},
        "manuallyApprovesFollowers": settings.SITREP_FEDIVERSE_APPROVE_FOLLOWERS,
        "discoverable": True,
        "indexable": True,
        "published": iso(site.created),
        "publicKey": {"id": local.key_id(), "owner": uri, "publicKeyPem": site.public_key},
        "attachment": [
            {
                "type": "PropertyValue",
                "name": link["name"],
                "value": format_html(
                    '<a href="{}" rel="me nofollow noopener noreferrer" target="_blank">{}</a>',
                    link["url"],
                    link["url"].removeprefix("https://"),
                ),  # fmt: skip
            }
            for link in links
        ],
    }
    if profile.icon_id:
        document["icon"] = _image(profile.icon)
    if profile.header_id:
        document["image"] = _image(profile.header)
    return document


def _hashtag(name: str) -> str:
    """A label as a hashtag: its words run together ("Black Sea" -> BlackSea)."""
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[^\w]+", name) if word)


def post_note(post: Post) -> dict:
    """The post as a Note (see the module's docstring for why a Note)."""
    url = local.absolute(post.get_absolute_url())
    parts = [format_html("<p><strong>{}</strong></p>", post.headline)]
    own = post.text_html or ""
    if own and post.text_position == Post.TextPosition.BEFORE:
        parts.append(own)
    for clip in post.clips.all():
        who = f"{clip.authors}, " if clip.authors else ""
        parts.append(
            format_html(
                '<p>{}<a href="{}">{}</a>: “{}”</p><blockquote>{}</blockquote>',
                who,
                clip.url,
                clip.outlet.name,
                clip.source_headline,
                _quote(clip.excerpt_html),
            )  # fmt: skip
        )
    if own and post.text_position == Post.TextPosition.AFTER:
        parts.append(own)
    if post.note_html:
        parts.append(post.note_html)
        parts.append(format_html("<p>— {}</p>", post.author.display_name()))
    parts.append(format_html('<p><a href="{}">{}</a></p>', url, url))
    labels = list(post.labels.all())
    tags = []
    if labels:
        links = []
        for label in labels:
            href = local.absolute(label.get_absolute_url())
            name = _hashtag(label.name)
            tags.append({"type": "Hashtag", "href": href, "name": f"#{name}"})
            links.append(
                format_html('<a href="{}" class="mention hashtag" rel="tag">#{}</a>', href, name)
            )
        parts.append("<p>" + " ".join(links) + "</p>")
    note = {
        "id": local.post_uri(post.pk),
        "type": "Note",
        "attributedTo": local.actor_uri(),
        "name": post.headline,
        "content": "".join(parts),
        "url": url,
        "published": iso(post.published_at),
        "updated": iso(post.updated),
        "to": [local.PUBLIC],
        "cc": [local.absolute(reverse("fediverse_followers"))],
        "context": local.post_uri(post.pk),
        "replies": local.absolute(reverse("fediverse_replies", args=[post.pk])),
        "sensitive": False,
        "tag": tags,
        "attachment": [],
    }
    if post.lead_image_id:
        image = post.lead_image
        note["attachment"].append(
            {
                "type": "Image",
                "mediaType": image.content_type,
                "url": local.absolute(image.url),
                "name": image.alt,
                "width": image.width,
                "height": image.height,
            }
        )
    return note


def _quote(html: str) -> str:
    """An excerpt's paragraphs, without the tags Mastodon drops and shows as nothing."""
    return re.sub(r"</?(?:div|section|figure|figcaption|span)[^>]*>", "", html or "")


def comment_note(comment: Comment, *, in_reply_to: str) -> dict:
    """A reader's comment as a reply from the site's account, naming its writer: it goes to
    the discussion it answers with its context (inReplyTo, context), never alone."""
    return {
        "id": local.comment_uri(comment.pk),
        "type": "Note",
        "attributedTo": local.actor_uri(),
        "content": format_html("<p><strong>{}</strong>:</p>", comment.display_name())
        + comment.body_html,
        "url": local.absolute(comment.get_absolute_url()),
        "published": iso(comment.created),
        "inReplyTo": in_reply_to,
        "context": local.post_uri(comment.post_id),
        "to": [local.PUBLIC],
        "cc": [local.absolute(reverse("fediverse_followers"))],
    }


def fingerprint(document: dict) -> str:
    """What an Update compares: the document without its changing time."""
    stable = {k: v for k, v in document.items() if k != "updated"}
    return hashlib.sha256(json.dumps(stable, sort_keys=True).encode()).hexdigest()


def activity(kind: str, obj, *, uri: str, to=None, cc=None) -> dict:
    document = {
        "@context": CONTEXT,
        "id": uri,
        "type": kind,
        "actor": local.actor_uri(),
        "object": obj,
    }
    if to is not None:
        document["to"] = to
    if cc is not None:
        document["cc"] = cc
    return document


def collection(uri: str, *, total: int, items: list | None = None) -> dict:
    document = {"@context": CONTEXT[0], "id": uri, "type": "OrderedCollection",
                "totalItems": total}  # fmt: skip
    if items is not None:
        document["orderedItems"] = items
    return document


def webfinger() -> dict:
    return {
        "subject": f"acct:{settings.SITREP_FEDIVERSE_USERNAME}@{local.host()}",
        "aliases": [local.actor_uri(), local.absolute("/")],
        "links": [
            {"rel": "self", "type": ACTIVITY_JSON, "href": local.actor_uri()},
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": local.absolute("/"),
            },  # fmt: skip
        ],
    }
