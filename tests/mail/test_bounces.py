"""Returned mail as mail servers write it (real bounces from flufl.bounce's own tests, fetched by
`make test` into .venv/real-exports), read from a Maildir by the worker's clock."""

import mailbox
from pathlib import Path

import pytest
from django.utils import timezone

from sitrep.mail.bounces import bounces_collect
from sitrep.mail.models import Bounce, Message, StoppedAddress, Subscriber

pytestmark = pytest.mark.django_db
REAL = Path(__file__).resolve().parents[2] / ".venv" / "real-exports"

# The address each returned mail says failed (as flufl.bounce's own tests expect it).
PERMANENT = {
    "bounce-dsn_01.eml": "userx@example.com",  # an RFC 3464 delivery status report
    "bounce-postfix_01.eml": "xxxxx@local.ie",
    "bounce-qmail_01.eml": "userx@example.de",
    "bounce-exim_01.eml": "userx@its.example.nl",
    "bounce-microsoft_01.eml": "userx@example.com",  # Exchange, written "userx@example.COM"
}


@pytest.fixture
def maildir(tmp_path, settings):
    box = mailbox.Maildir(tmp_path / "bounces", create=True)
    settings.SITREP_BOUNCES_URL = f"maildir://{tmp_path / 'bounces'}"
    return box


def test_real_bounces_from_five_mail_servers_stop_their_addresses(maildir):
    for name in PERMANENT:
        maildir.add((REAL / name).read_bytes())
    assert bounces_collect() == len(set(PERMANENT.values()))
    stopped = set(StoppedAddress.objects.values_list("email", flat=True))
    assert stopped == set(PERMANENT.values())
    assert "does not exist or refuses" in StoppedAddress.objects.first().reason
    assert len(maildir) == 0  # each read once, then removed


def test_a_delay_warning_counts_and_three_within_a_month_stop_the_address(maildir):
    warning = (REAL / "bounce-simple_21.eml").read_bytes()  # "still trying", for now
    for _ in range(2):
        maildir.add(warning)
        bounces_collect()
    assert not StoppedAddress.objects.exists()
    assert Bounce.objects.filter(email="userx@example.com", permanent=False).count() == 2
    maildir.add(warning)
    assert bounces_collect() == 1
    assert "returned 3 times" in StoppedAddress.objects.get(email="userx@example.com").reason


def test_a_stopped_address_gets_no_more_mail(
    maildir, make_post, worker, django_capture_on_commit_callbacks
):
    from sitrep.mail.dispatch import dispatches_due

    maildir.add((REAL / "bounce-qmail_01.eml").read_bytes())
    bounces_collect()
    Subscriber.objects.create(email="userx@example.de", each_post=True, confirmed=timezone.now())
    Subscriber.objects.create(email="ok@reader.example", each_post=True, confirmed=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        make_post()
        dispatches_due()
    worker()
    assert set(Message.objects.values_list("to", flat=True)) == {"ok@reader.example"}


def test_without_a_bounce_mailbox_nothing_is_read(settings):
    settings.SITREP_BOUNCES_URL = ""
    assert bounces_collect() == 0
