"""Following the site by e-mail, with double opt-in: a request sends a signed link that
expires and works once; only the click makes a subscription (or changes one). The answer to a
request is the same whether or not the address is known, and requests are limited per address
and per visitor."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sitrep.core.cache import window_count
from sitrep.mail.compose import absolute, mail_make
from sitrep.mail.models import Follow, StoppedAddress, Subscriber, Watch
from sitrep.mail.outbox import outbox_add

CONFIRM_SALT = "sitrep.mail.confirm"
CONFIRM_FOR = dt.timedelta(days=3)  # a link, and a request never confirmed, last this long
PER_ADDRESS = (3, 24 * 3600)  # confirmation mails to one address, per day
PER_VISITOR = (10, 3600)  # requests from one visitor, per hour


class Refused(Exception):
    """A request not taken, with the reason a reader can act on."""


def _within(name: str, limit: int, seconds: int) -> bool:
    return window_count(name, seconds) <= limit


def subscribe_request(*, email: str, digest: bool, each_post: bool, stories=(), labels=(),
                      watches=(), ip_hash: str = "") -> None:  # fmt: skip
    """Ask `email` to confirm these choices (and replies to `watches`, comments). Raises
    Refused when asked too often."""
    email = email.strip().lower()
    if not _within(f"subscribe:ip:{ip_hash}", *PER_VISITOR):
        raise Refused("Too many requests from here in the last hour; please try again later.")
    if not _within(f"subscribe:to:{email}", *PER_ADDRESS):
        return  # the same answer as ever: the address's owner has had their links today
    if StoppedAddress.objects.filter(email=email).exists():
        return  # its mail server refuses our mail; the answer must not say so
    nonce = secrets.token_urlsafe(12)
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(email=email,
                                                         defaults={"ip_hash": ip_hash})  # fmt: skip
        subscriber.pending = {
            "nonce": nonce, "at": timezone.now().isoformat(), "digest": digest,
            "each_post": each_post, "stories": [s.pk for s in stories],
            "labels": [label.pk for label in labels], "watches": [c.pk for c in watches],
        }  # fmt: skip
        if subscriber.confirmed is None:
            subscriber.created = timezone.now()  # the three days count from the latest request
        subscriber.save(update_fields=["pending", "created"])
        signed = signing.dumps({"s": subscriber.pk, "n": nonce}, salt=CONFIRM_SALT)
        link = absolute(reverse("mail:confirm", args=[signed]))
        outbox_add(
            mail_make(template="confirm", to=email, subject="Confirm your subscription",
                      context={"link": link, "stories": stories, "labels": labels,
                               "watches": watches, "digest": digest, "each_post": each_post,
                               "known": subscriber.confirmed is not None}),
            kind="confirm",
        )  # fmt: skip


def subscribe_confirm(signed: str) -> Subscriber:
    """Apply what the link's request asked for. Raises Refused for a link that is broken,
    expired or used already."""
    try:
        data = signing.loads(signed, salt=CONFIRM_SALT, max_age=CONFIRM_FOR)
    except signing.SignatureExpired:
        raise Refused("This link has expired. Ask again, and use the new link within three "
                      "days.") from None  # fmt: skip
    except signing.BadSignature:
        raise Refused("This link is not one we sent (it may have been cut short by your mail "
                      "program: try copying all of it).") from None  # fmt: skip
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=data["s"]).first()
        pending = subscriber.pending if subscriber else {}
        if not pending or pending.get("nonce") != data["n"]:
            raise Refused("This link has been used already, or a newer one was sent since.")
        # Choices add to what the subscriber had; a request only for replies changes nothing else.
        subscriber.digest = subscriber.digest or pending["digest"]
        subscriber.each_post = subscriber.each_post or pending["each_post"]
        subscriber.confirmed = subscriber.confirmed or timezone.now()
        subscriber.pending = {}
        subscriber.save()
        for story_id in pending["stories"]:
            Follow.objects.get_or_create(subscriber=subscriber, story_id=story_id)
        for label_id in pending["labels"]:
            Follow.objects.get_or_create(subscriber=subscriber, label_id=label_id)
        for comment_id in pending.get("watches", []):
            Watch.objects.get_or_create(subscriber=subscriber, comment_id=comment_id)
    return subscriber


def unsubscribe(subscriber: Subscriber, *, what: str = "all") -> None:
    """Stop one kind of mail ("digest", "each_post", "story:<id>", "label:<id>") or all."""
    if what == "all":
        subscriber.follows.all().delete()
        subscriber.watches.all().delete()
        subscriber.digest = subscriber.each_post = False
    elif what in ("digest", "each_post"):
        setattr(subscriber, what, False)
    elif what.startswith("watch:"):
        subscriber.watches.filter(pk=int(what.partition(":")[2])).delete()
    elif what.startswith(("story:", "label:")):
        kind, _, pk = what.partition(":")
        subscriber.follows.filter(**{f"{kind}_id": int(pk)}).delete()
    subscriber.save(update_fields=["digest", "each_post"])


def requests_expire(now=None) -> int:
    """Forget requests never confirmed within CONFIRM_FOR; returns how many addresses went."""
    cutoff = (now or timezone.now()) - CONFIRM_FOR
    gone, _ = Subscriber.objects.filter(confirmed=None, created__lt=cutoff).delete()
    return gone


def replies_watch(*, comment, email: str, ip_hash: str = "") -> None:
    """`email` wants to hear of replies to `comment`. An address confirmed before starts at
    once; another gets the confirmation mail first (confirmed once, then never again)."""
    email = email.strip().lower()
    subscriber = Subscriber.objects.filter(email=email, confirmed__isnull=False).first()
    if subscriber is not None:
        Watch.objects.get_or_create(subscriber=subscriber, comment=comment)
        return
    try:
        subscribe_request(email=email, digest=False, each_post=False, watches=[comment],
                          ip_hash=ip_hash)  # fmt: skip
    except Refused:
        pass  # the comment is posted all the same; the limit keeps the address from a flood
