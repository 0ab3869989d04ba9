"""Following the site by e-mail: double opt-in through a real SMTP server on loopback, the
links in the mail followed against the site, one-click unsubscribe by POST."""

import re

import pytest
import time_machine
from django.utils import timezone

from sitrep.mail.models import Message, Subscriber
from sitrep.mail.subscriptions import requests_expire

pytestmark = pytest.mark.django_db(transaction=True)  # sends are queued when a write commits

SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def ask(client, email="wren@reader.example", **choices):
    data = {"email": email, **({"digest": "1"} if not choices else choices)}
    return client.post("/mail/subscribe/", data, **SAME_ORIGIN)


def link_in(message, pattern=r"http://testserver(/mail/confirm/\S+/)"):
    return re.search(pattern, message.get_body(("plain",)).get_content()).group(1)


def test_a_reader_subscribes_confirms_and_unsubscribes_with_one_click(client, smtp, worker):
    answer = ask(client)
    assert answer.status_code == 200 and "Check your inbox" in answer.content.decode()
    worker()
    (mail,) = smtp.received
    assert mail["To"] == "wren@reader.example" and mail["Subject"] == "Confirm your subscription"
    assert mail["Auto-Submitted"] == "auto-generated" and mail["Message-ID"]
    html = mail.get_body(("html",)).get_content()
    assert 'style="' in html and "<style" not in html  # the CSS is inline
    assert "<img" not in html  # no remote images, no trackers
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed is None and not subscriber.digest  # nothing until the click
    confirm = link_in(mail)
    page = client.get(confirm)  # a mail scanner opening the link confirms nothing
    assert page.status_code == 200 and Subscriber.objects.get().confirmed is None
    done = client.post(confirm, **SAME_ORIGIN)
    assert "You are subscribed" in done.content.decode() and "daily digest" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed and subscriber.digest
    again = client.post(confirm, **SAME_ORIGIN)  # single use
    assert again.status_code == 400 and "used already" in again.content.decode()
    # One click from the mail program: a POST with the RFC 8058 body, no cookies, no origin.
    response = client.post(f"/mail/unsubscribe/{subscriber.token}/",
                           "List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert not subscriber.digest and not subscriber.follows_anything()


def test_the_answer_is_the_same_whether_or_not_the_address_is_known(client, smtp, worker):
    first = ask(client).content.decode()
    worker()
    client.post(link_in(smtp.received[0]), **SAME_ORIGIN)
    second = ask(client).content.decode()  # already subscribed
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|form_token" value="[^"]*"')
    assert strip.sub("", first) == strip.sub("", second)


def test_a_request_cannot_change_a_subscription_without_the_owners_click(client, smtp, worker):
    ask(client, digest="1")
    worker()
    client.post(link_in(smtp.received[0]), **SAME_ORIGIN)
    ask(client, each_post="1")  # someone else types the address, asking for more
    subscriber = Subscriber.objects.get()
    assert subscriber.digest and not subscriber.each_post


def test_a_link_expires_and_unconfirmed_requests_are_forgotten(client, smtp, worker):
    ask(client)
    worker()
    link = link_in(smtp.received[0])
    with time_machine.travel(timezone.now() + timezone.timedelta(days=4)):
        expired = client.post(link, **SAME_ORIGIN)
        assert expired.status_code == 400 and "expired" in expired.content.decode()
        assert requests_expire() == 1 and not Subscriber.objects.exists()


def test_requests_are_limited_per_address_and_per_visitor(client, smtp, worker):
    for _ in range(5):
        assert ask(client).status_code == 200  # the same answer every time
    assert Message.objects.filter(kind="confirm").count() == 3  # three links a day at most
    for n in range(5):
        ask(client, email=f"other{n}@reader.example")
    refused = ask(client, email="late@reader.example")
    assert refused.status_code == 429 and "late@reader.example" in refused.content.decode()


def test_a_bad_address_keeps_what_was_typed(client):
    response = client.post("/mail/subscribe/", {"email": "wren at reader", "digest": "1"},
                           **SAME_ORIGIN)  # fmt: skip
    assert response.status_code == 400 and 'value="wren at reader"' in response.content.decode()


def test_the_footer_of_every_page_has_the_form(client, make_post):
    make_post()
    assert 'action="/mail/subscribe/"' in client.get("/").content.decode()


def test_a_story_page_and_a_label_page_offer_to_follow_them(client, smtp, worker, make_post):
    from sitrep.stories.models import Story
    from sitrep.stories.services import story_add_post

    post = make_post("Ferry talks resume", labels=["Ferries"])
    story = Story.objects.create(title="Ferry talks", slug="ferry-talks")
    story_add_post(story=story, post=post)
    page = client.get("/stories/ferry-talks/").content.decode()
    assert f'name="story" value="{story.pk}"' in page and "Follow “Ferry talks” by e-mail" in page
    label = post.labels.get()
    assert (
        f'name="label" value="{label.pk}"' in client.get(f"/label/{label.slug}/").content.decode()
    )
    client.post("/mail/subscribe/", {"email": "wren@reader.example", "story": story.pk},
                **SAME_ORIGIN)  # fmt: skip
    worker()
    assert "Ferry talks" in smtp.received[0].get_body(("plain",)).get_content()
    client.post(link_in(smtp.received[0]), **SAME_ORIGIN)
    follow = Subscriber.objects.get().follows.get()
    assert follow.story == story


def test_a_reader_sees_what_the_site_keeps_and_deletes_it(client):
    from django.utils import timezone

    from sitrep.mail.models import Message

    reader = Subscriber.objects.create(email="wren@reader.example", digest=True,
                                       confirmed=timezone.now())  # fmt: skip
    Message.objects.create(to="wren@reader.example", subject="Confirm your subscription",
                           message_id="<c@x>", raw="", status="sent")  # fmt: skip
    page = client.get(f"/mail/manage/{reader.token}/").content.decode()
    assert "What this site keeps about you" in page and "Confirm your subscription" in page
    gone = client.post(f"/mail/manage/{reader.token}/", {"forget": "1"}, **SAME_ORIGIN)
    assert "are gone from this site" in gone.content.decode()
    assert not Subscriber.objects.exists() and not Message.objects.exists()
    assert client.get(f"/mail/manage/{reader.token}/").status_code == 404
