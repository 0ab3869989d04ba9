"""Mail that came back. A mail server that refuses an address while the worker sends is heard
at once (outbox.py); one that accepts the mail and returns it later sends a bounce to the
sender's address. With SITREP_BOUNCES_URL pointing at the mailbox those land in (a Maildir the
machine's mail server delivers to), the worker's clock reads each returned mail, asks
flufl.bounce which addresses it says failed, and stops an address that failed for good, or
that failed for now BOUNCES times within WITHIN. Each mail read is removed from the mailbox."""

from __future__ import annotations

import datetime as dt
import email
import logging
import mailbox
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from flufl.bounce import all_failures

from sitrep.mail.models import Bounce, StoppedAddress

logger = logging.getLogger("sitrep.mail")

BOUNCES = 3  # temporary failures within WITHIN that stop an address
WITHIN = dt.timedelta(days=30)
READ = 200  # returned mails read on one tick


def _maildir() -> mailbox.Maildir | None:
    url = settings.SITREP_BOUNCES_URL
    if not url:
        return None
    path = Path(url.removeprefix("maildir://"))
    if not path.is_dir():
        logger.warning("SITREP_BOUNCES_URL: %s is not a folder; no bounces read", path)
        return None
    return mailbox.Maildir(path, factory=None, create=False)


def bounce_record(address: str, *, permanent: bool, now: dt.datetime) -> bool:
    """Record one failure of `address`; returns whether the address is now stopped."""
    address = address.lower()
    Bounce.objects.create(email=address, permanent=permanent, created=now)
    recent = Bounce.objects.filter(email=address, created__gte=now - WITHIN).count()
    if not permanent and recent < BOUNCES:
        return False
    reason = ("returned: the receiving server said it does not exist or refuses our mail"
              if permanent else f"returned {recent} times in {WITHIN.days} days")  # fmt: skip
    _, made = StoppedAddress.objects.get_or_create(email=address, defaults={"reason": reason})
    return made


def bounces_collect(now: dt.datetime | None = None) -> int:
    """Read the returned mail waiting in the bounce mailbox; returns addresses stopped."""
    box = _maildir()
    if box is None:
        return 0
    now = now or timezone.now()
    stopped = 0
    for key in list(box.iterkeys())[:READ]:
        try:
            with box.get_file(key) as handle:
                message = email.message_from_binary_file(handle)
        except (OSError, KeyError):
            continue  # taken by another worker a moment ago
        temporary, permanent = all_failures(message)
        for address, is_permanent in [*((a, False) for a in temporary),
                                      *((a, True) for a in permanent)]:  # fmt: skip
            text = address.decode(errors="replace") if isinstance(address, bytes) else address
            stopped += bounce_record(text, permanent=is_permanent, now=now)
        if not (temporary or permanent):
            logger.info("returned mail %s names no failed address; removed", key)
        box.discard(key)
    return stopped
