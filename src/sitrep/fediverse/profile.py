"""The account's profile: its pictures and links, and whether each link links back.

A profile link is "verified" the way Mastodon verifies one: the linked page has a link with
rel="me" to the account's profile (here, the site's front page) or to the account itself."""

from __future__ import annotations

import datetime as dt

import lxml.html
from django.db import transaction
from django.utils import timezone

from sitrep.core.http import FetchError, fetch
from sitrep.fediverse import delivery, documents, local
from sitrep.fediverse.models import Profile


def links_parse(text: str) -> tuple[list[dict], list[str]]:
    """Lines "Name https://address" to links; and the lines that are not, with why."""
    links, errors = [], []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        name, _, url = line.rpartition(" ")
        if not url.startswith("https://") or not name.strip():
            errors.append(f"line {number}: write a name, a space and an https:// address")
            continue
        links.append({"name": name.strip()[:60], "url": url, "verified": ""})
    if len(links) > 4:
        errors.append("at most four links: Mastodon shows four")
    return links[:4], errors


def links_text(links: list[dict]) -> str:
    return "\n".join(f"{link['name']} {link['url']}" for link in links)


def links_back(url: str) -> bool:
    """Whether the page at `url` links back to the site's account with rel="me"."""
    try:
        page = fetch(url, accept="text/html", max_bytes=1024 * 1024, timeout=10)
    except FetchError:
        return False
    try:
        root = lxml.html.fromstring(page.content)
    except (ValueError, lxml.etree.ParserError):
        return False
    ours = {local.absolute("/").rstrip("/"), local.actor_uri()}
    for element in root.xpath("//a[@rel] | //link[@rel]"):
        if "me" in element.get("rel", "").lower().split():
            if (element.get("href") or "").rstrip("/") in ours:
                return True
    return False


def profile_links_check() -> list[dict]:
    """Check every link of the profile again and keep when each was last found linking back."""
    profile = Profile.current()
    now = timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    checked = [{**link, "verified": now if links_back(link["url"]) else ""}
               for link in profile.links]  # fmt: skip
    Profile.objects.filter(pk=1).update(links=checked)
    return checked


@transaction.atomic
def profile_save(profile: Profile) -> None:
    """Keep the profile, check its links in the worker, and tell followers' servers (an
    Update of the account, which Mastodon takes at once)."""
    from sitrep.fediverse.tasks import profile_links_task

    profile.pk = 1
    profile.save()
    transaction.on_commit(profile_links_task.enqueue)
    if local.enabled():
        delivery.send("Update", documents.actor(), inboxes=delivery.follower_inboxes(),
                      to=[local.PUBLIC])  # fmt: skip


def verified_recently(link: dict, now=None) -> bool:
    if not link.get("verified"):
        return False
    when = dt.datetime.fromisoformat(link["verified"].replace("Z", "+00:00"))
    return (now or timezone.now()) - when < dt.timedelta(days=30)
