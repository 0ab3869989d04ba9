"""Mailings to many through a real SMTP server on loopback: each post as it goes live, a
followed story's correction, the daily digest; once each, however often the worker runs."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from sitrep.mail.dispatch import dispatch_run, dispatches_due
from sitrep.mail.models import Follow, MailSettings, Message, Subscriber
from sitrep.stories.models import Story
from sitrep.stories.services import post_correct, story_add_post

pytestmark = pytest.mark.django_db(transaction=True)


def subscriber(email, **choices):
    return Subscriber.objects.create(email=email, confirmed=timezone.now(), **choices)


def to(mailbox, address):
    return [m for m in mailbox.received if m["To"] == address]


def test_each_post_goes_to_those_who_asked_once(make_post, smtp, worker, client):
    every = subscriber("every@reader.example", each_post=True)
    subscriber("digest@reader.example", digest=True)
    Subscriber.objects.create(email="unconfirmed@reader.example", each_post=True)
    post = make_post("Ferry talks resume at dawn", note="Both sides confirm.")
    assert dispatches_due() == 1
    worker()
    (mail,) = smtp.received
    assert mail["To"] == "every@reader.example" and mail["Subject"] == "Ferry talks resume at dawn"
    text = mail.get_body(("plain",)).get_content()
    assert "Harbor Ledger" in text and "Both sides confirm." in text
    from sitrep.mail.templatetags.sitrep_mail import first_paragraph

    assert first_paragraph("<p>The ferry <b>ran</b>.</p>\n<p>Later, the fuel.</p>") == (
        "The ferry ran."
    )  # the digest's short form of an excerpt
    assert f"http://testserver{post.get_absolute_url()}" in text
    assert (
        mail["List-Unsubscribe"] == f"<http://testserver/mail/unsubscribe/{every.token}/each_post/>"
    )
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Found again by the clock, run again by a worker: nothing more.
    assert dispatches_due() == 0
    dispatch_run(f"post:{post.pk}")
    assert len(smtp.received) == 1 and Message.objects.count() == 1
    # The mail program's one click.
    link = mail["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    client.post(
        link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    every.refresh_from_db()
    assert not every.each_post


def test_a_story_follower_hears_of_its_new_posts_and_corrections(make_post, smtp, worker, editor):
    story = Story.objects.create(title="Ferry talks", slug="ferry-talks")
    reader = subscriber("follower@reader.example")
    Follow.objects.create(subscriber=reader, story=story)
    post = make_post("Talks resume")
    story_add_post(story=story, post=post)
    dispatches_due()
    worker()
    assert [m["Subject"] for m in to(smtp, "follower@reader.example")] == ["Talks resume"]
    post_correct(post=post, reason="The talks resume on Tuesday, not Monday.", actor=editor)
    dispatches_due()
    worker()
    correction = to(smtp, "follower@reader.example")[-1]
    assert correction["Subject"] == "Ferry talks: Correction"
    assert "not Monday" in correction.get_body(("plain",)).get_content()
    assert f"/unsubscribe/{reader.token}/story:{story.pk}/" in correction["List-Unsubscribe"]


def test_the_digest_leaves_at_the_hour_with_the_days_posts_and_not_on_an_empty_day(
    make_post, smtp, worker, settings
):
    settings.TIME_ZONE = "UTC"
    MailSettings.objects.create(digest_hour=7)
    subscriber("digest@reader.example", digest=True)
    subscriber("every@reader.example", each_post=True)
    day = timezone.now().replace(hour=3, minute=0, second=0, microsecond=0)
    with time_machine.travel(day, tick=False):
        make_post("Early convoy", when=day - dt.timedelta(hours=1))
        make_post("Dawn shelling", when=day - dt.timedelta(minutes=30))
    with time_machine.travel(day + dt.timedelta(hours=3), tick=False):  # 06:00: not yet
        dispatches_due()
        worker()
        assert not to(smtp, "digest@reader.example")
    with time_machine.travel(day + dt.timedelta(hours=4), tick=False):  # 07:00
        dispatches_due()
        worker()
        (digest,) = to(smtp, "digest@reader.example")
        text = digest.get_body(("plain",)).get_content()
        assert "Early convoy" in text and "Dawn shelling" in text
        assert text.index("Early convoy") < text.index("Dawn shelling")
    with time_machine.travel(day + dt.timedelta(days=1, hours=5), tick=False):  # no posts
        dispatches_due()
        worker()
        assert len(to(smtp, "digest@reader.example")) == 1


def test_each_readers_message_filled_in_is_the_message_made_whole(make_post):
    import email
    import email.policy

    from sitrep.mail.dispatch import _Writer, mailing_make
    from sitrep.mail.models import Dispatch

    post = make_post("Ferry talks “resume” at dawn", note="Both sides — at last — confirm.")
    reader = subscriber("wren@reader.example", each_post=True)
    mail, _ = mailing_make(f"post:{post.pk}")
    writer = _Writer(mail, Dispatch.objects.create(key=f"post:{post.pk}"), "harbor.example")
    assert writer.filled
    fast = writer.message(reader)
    whole = writer._whole(reader, fast.message_id)

    def parts(raw):
        parsed = email.message_from_bytes(raw.encode(), policy=email.policy.default)
        # (values stripped: a folded header parses with a space in front, as RFC 5322 allows)
        headers = {k: v.strip() for k, v in parsed.items() if k not in ("Date", "Content-Type")}
        return headers, [p.get_content() for p in parsed.walk() if not p.is_multipart()]

    assert parts(fast.raw) == parts(whole)
    assert reader.token in fast.raw and fast.to == "wren@reader.example"


def test_the_sites_sending_rate_is_kept(make_post, settings):
    import time

    from sitrep.mail.dispatch import dispatch_run
    from sitrep.mail.models import Dispatch

    settings.SITREP_MAIL_TRANSPORT = "django.core.mail.backends.locmem.EmailBackend"
    MailSettings.objects.create(send_rate=100)
    Subscriber.objects.bulk_create([Subscriber(email=f"r{n}@reader.example", each_post=True,
                                               confirmed=timezone.now(), token=f"t{n}")
                                    for n in range(120)])  # fmt: skip
    post = make_post()
    Dispatch.objects.create(key=f"post:{post.pk}")
    started = time.monotonic()
    assert dispatch_run(f"post:{post.pk}")["sent"] == 120
    assert time.monotonic() - started >= 1.0  # groups of 50 at 0, 0.5 and 1.0 s
