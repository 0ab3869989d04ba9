"""Sending: an activity becomes one delivery per inbox (a server's shared inbox serves all its
followers), sent signed by the worker on a queue of its own, many at once. A failure is tried
again with growing pauses for about a week; a server failing for days is marked dead and left
out of new deliveries until it is heard from again."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from sitrep.core.http import FetchError, fetch
from sitrep.fediverse import documents, local
from sitrep.fediverse.models import Delivery, Follower, Outgoing, RemoteActor, Server
from sitrep.fediverse.signatures import sign

logger = logging.getLogger("sitrep.fediverse")

BATCH = 50  # deliveries in one task, sent at once
CONNECTIONS = 16  # of a batch, sent in parallel
TIMEOUT = 10.0  # seconds for one delivery, answer included
FIRST_PAUSE = dt.timedelta(minutes=1)  # before the second try; four times longer each time
LONGEST_PAUSE = dt.timedelta(hours=24)
TRIES = 10  # about six days in all
DEAD_AFTER = dt.timedelta(days=3)  # failing this long: dead, until it is heard from


def new_uri() -> str:
    return local.absolute(reverse("fediverse_activity", args=[uuid.uuid4()]))


def follower_inboxes(extra: list[RemoteActor] = ()) -> dict[str, int]:
    """{inbox: server id} for every follower (shared inboxes once), and `extra` accounts;
    blocked and dead servers left out."""
    inboxes = {}
    accepted = Follower.objects.filter(state=Follower.State.ACCEPTED).select_related(
        "actor__server"
    )
    actors = [f.actor for f in accepted] + list(extra)
    for actor in actors:
        if actor.server.blocked or actor.server.dead:
            continue
        inboxes.setdefault(actor.delivery_inbox(), actor.server_id)
    return inboxes


def send(kind: str, obj, *, post=None, inboxes: dict[str, int], uri: str = "",
         to=None, cc=None) -> Outgoing:  # fmt: skip
    """Record the activity and queue its deliveries once the caller's transaction commits."""
    uri = uri or new_uri()
    payload = documents.activity(kind, obj, uri=uri, to=to, cc=cc)
    outgoing = Outgoing.objects.create(uri=uri, kind=kind, payload=payload, post=post)
    Delivery.objects.bulk_create(
        [Delivery(activity=outgoing, inbox=inbox, server_id=server)
         for inbox, server in inboxes.items()],
        ignore_conflicts=True,
    )  # fmt: skip
    ids = list(outgoing.deliveries.values_list("pk", flat=True))
    transaction.on_commit(lambda: queue(ids))
    return outgoing


def queue(ids: list[int]) -> None:
    from sitrep.fediverse.tasks import deliver_task

    for start in range(0, len(ids), BATCH):
        deliver_task.enqueue(ids[start : start + BATCH])


def pause(tries: int) -> dt.timedelta:
    return min(FIRST_PAUSE * 4 ** max(0, tries - 1), LONGEST_PAUSE)


def deliver(ids: list[int]) -> dict[str, int]:
    """Send these deliveries, many at once; record each outcome and its server's health."""
    deliveries = list(
        Delivery.objects.filter(pk__in=ids, state__in=[Delivery.State.QUEUED, Delivery.State.RETRY])
        .select_related("activity", "server")
    )  # fmt: skip
    blocked = [d for d in deliveries if d.server.blocked]
    Delivery.objects.filter(pk__in=[d.pk for d in blocked]).update(
        state=Delivery.State.FAILED, last_error="the server is blocked"
    )
    deliveries = [d for d in deliveries if not d.server.blocked]
    if not deliveries:
        return {"sent": 0, "failed": len(blocked)}
    actor = local.site_actor()
    bodies = {d.activity_id: json.dumps(d.activity.payload).encode() for d in deliveries}
    with ThreadPoolExecutor(max_workers=min(CONNECTIONS, len(deliveries))) as pool:
        outcomes = list(
            pool.map(lambda d: _post(d, actor.private_key, bodies[d.activity_id]), deliveries)
        )
    now = timezone.now()
    sent = [d for d, error in zip(deliveries, outcomes, strict=True) if error is None]
    counts = {"sent": len(sent), "retry": 0, "failed": len(blocked)}
    # One statement for all that went through, in one transaction with the failures: a
    # statement per delivery was most of the worker's time in a large fan-out (bench/README.md).
    with transaction.atomic():
        Delivery.objects.filter(pk__in=[d.pk for d in sent]).update(
            state=Delivery.State.SENT, sent=now, tries=F("tries") + 1, last_error=""
        )
        Server.objects.filter(pk__in={d.server_id for d in sent}).update(
            failures=0, failing_since=None, dead=False, last_ok=now
        )
        for delivery, error in zip(deliveries, outcomes, strict=True):
            if error is None:
                continue
            message, permanent = error
            tries = delivery.tries + 1
            final = permanent or tries >= TRIES
            counts["failed" if final else "retry"] += 1
            Delivery.objects.filter(pk=delivery.pk).update(
                state=Delivery.State.FAILED if final else Delivery.State.RETRY,
                tries=tries, next_try=now + pause(tries), last_error=message[:500],
            )  # fmt: skip
            _server_failed(delivery.server, message, now)
    return counts


def _server_failed(server: Server, message: str, now) -> None:
    Server.objects.filter(pk=server.pk).update(
        failures=F("failures") + 1, last_error=message[:500], last_error_at=now
    )
    Server.objects.filter(pk=server.pk, failing_since__isnull=True).update(failing_since=now)
    Server.objects.filter(pk=server.pk, failing_since__lt=now - DEAD_AFTER).update(dead=True)


def _post(delivery: Delivery, private_key: str, body: bytes) -> tuple[str, bool] | None:
    """POST one activity; None when delivered, else (why, whether trying again is useless)."""
    style = delivery.server.signature

    def signer(method, url, headers, content):
        return sign(method, url, headers, content, key_id=local.key_id(),
                    private_pem=private_key, style=style)  # fmt: skip

    try:
        fetch(delivery.inbox, method="POST", body=body, timeout=TIMEOUT, sign=signer,
              headers={"Content-Type": documents.ACTIVITY_JSON}, max_bytes=64 * 1024)  # fmt: skip
    except FetchError as exc:
        # 4xx answers other than "too many" and "timeout" will not change by trying again.
        status = exc.status or 0
        permanent = 400 <= status < 500 and status not in (401, 408, 429)
        return str(exc), permanent
    return None


def retries_due(now=None) -> int:
    """The worker's clock: queue the deliveries whose pause is over."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(
                state=Delivery.State.RETRY, next_try__lte=now, server__blocked=False
            )  # fmt: skip
            .order_by("next_try")
            .values_list("pk", flat=True)[:2000]
        )
        # Moved on at once, so that the next tick does not queue them again while they wait.
        Delivery.objects.filter(pk__in=ids).update(next_try=now + dt.timedelta(minutes=10))
    if ids:
        transaction.on_commit(lambda: queue(ids))
    return len(ids)
