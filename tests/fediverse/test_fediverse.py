"""The fediverse account in one process: signatures of both kinds, the inbox's refusals, replies
becoming comments through the same moderation, deliveries tried again and servers marked dead,
scheduled posts sent when they appear. A loopback server plays the other side (an account with
its own key, an inbox that answers as told); tests/fediverse/test_fedify_peer.py plays it with
Fedify."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from sitrep.comments.models import Comment, DiscussionSettings
from sitrep.fediverse import delivery, local
from sitrep.fediverse.models import Delivery, Follower, Reach, Received, Server
from sitrep.fediverse.signatures import SignatureError, key_id_of, sign, verify

pytestmark = pytest.mark.django_db(transaction=True)  # deliveries are queued when writes commit


def pem_pair():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()  # fmt: skip
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


PRIVATE, PUBLIC = pem_pair()


class Elsewhere(BaseHTTPRequestHandler):
    """Another server: an account (/users/wren) with a key, and an inbox answering `status`."""

    status = 202
    posts: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        if self.path.startswith("/pages/"):  # a profile link's page, linking back or not
            back = '<a rel="me" href="https://news.example.org/">our news site</a>'
            body = f"<html><body>{back if self.path == '/pages/back' else ''}</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body.encode())
            return
        base = f"http://{self.headers['Host']}"
        actor = {
            "@context": ["https://www.w3.org/ns/activitystreams"], "id": base + "/users/wren",
            "type": "Person", "preferredUsername": "wren", "name": "Wren Aldous",
            "url": base + "/@wren", "inbox": base + "/users/wren/inbox",
            "endpoints": {"sharedInbox": base + "/inbox"},
            "publicKey": {"id": base + "/users/wren#key", "owner": base + "/users/wren",
                          "publicKeyPem": PUBLIC},
        }  # fmt: skip
        body = json.dumps(actor).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/activity+json")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        Elsewhere.posts.append((self.path, dict(self.headers), self.rfile.read(length)))
        self.send_response(Elsewhere.status)
        self.end_headers()


@pytest.fixture
def elsewhere(settings):
    settings.SITREP_FEDIVERSE = True
    settings.SITREP_SITE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "news.example.org"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Elsewhere.status, Elsewhere.posts = 202, []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def send(client, base, activity, *, style="cavage", private=PRIVATE, path="/ap/site/inbox"):
    """POST `activity` to our inbox signed by the account elsewhere."""
    body = json.dumps(activity).encode()
    headers = sign(
        "POST",
        "https://news.example.org" + path,
        {"Host": "news.example.org", "Content-Type": "application/activity+json"},
        body,
        key_id=base + "/users/wren#key",
        private_pem=private,
        style=style,
    )
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()
             if k.lower() not in ("host", "content-type")}  # fmt: skip
    return client.post(path, body, content_type="application/activity+json",
                       HTTP_HOST="news.example.org", **extra)  # fmt: skip


def a_follower(elsewhere) -> None:
    server = Server.objects.create(host=elsewhere.removeprefix("http://"))
    actor = server.actors.create(
        uri=elsewhere + "/users/wren",
        inbox=elsewhere + "/users/wren/inbox",
        shared_inbox=elsewhere + "/inbox",
    )
    Follower.objects.create(actor=actor, follow_id=elsewhere + "/follows/1")
    local.site_actor()


def received(kind: str) -> list[dict]:
    return [a for a in (json.loads(body) for _, _, body in Elsewhere.posts) if a["type"] == kind]


@pytest.mark.parametrize("style", ["cavage", "rfc9421"])
def test_signatures_of_both_kinds_verify_and_tampering_does_not(style):
    url = "https://news.example.org/ap/site/inbox"
    body = b'{"type": "Follow"}'
    headers = sign("POST", url, {"Host": "news.example.org"}, body, key_id="https://a.example/k",
                   private_pem=PRIVATE, style=style)  # fmt: skip
    signed = key_id_of({k.lower(): v for k, v in headers.items()})
    assert (signed.key_id, signed.style) == ("https://a.example/k", style)
    verify("POST", url, headers, body, signed=signed, public_pem=PUBLIC)
    with pytest.raises(SignatureError):
        verify("POST", url, headers, b'{"type": "Undo"}', signed=signed, public_pem=PUBLIC)
    with pytest.raises(SignatureError):
        verify("POST", url.replace("inbox", "outbox"), headers, body, signed=signed,
               public_pem=PUBLIC)  # fmt: skip
    with pytest.raises(SignatureError):
        verify("POST", url, headers, body, signed=signed, public_pem=pem_pair()[1])


def test_an_old_signature_is_refused():
    url = "https://news.example.org/ap/site/inbox"
    with time_machine.travel(timezone.now() - dt.timedelta(hours=13)):
        headers = sign("POST", url, {"Host": "news.example.org"}, b"{}",
                       key_id="https://a.example/k", private_pem=PRIVATE)  # fmt: skip
    with pytest.raises(SignatureError, match="Date"):
        verify("POST", url, headers, b"{}", signed=key_id_of(headers), public_pem=PUBLIC)


def test_the_inbox_refuses_unsigned_forged_and_blocked(client, elsewhere):
    follow = {"id": elsewhere + "/follows/1", "type": "Follow", "actor": elsewhere + "/users/wren",
              "object": "https://news.example.org/ap/site"}  # fmt: skip
    unsigned = client.post("/ap/site/inbox", json.dumps(follow), content_type="application/json",
                           HTTP_HOST="news.example.org")  # fmt: skip
    assert unsigned.status_code == 401 and "not signed" in unsigned.json()["error"]
    forged = send(client, elsewhere, follow, private=pem_pair()[0])
    assert forged.status_code == 401
    someone_else = send(client, elsewhere, {**follow, "actor": "https://other.example/users/x"})
    assert someone_else.status_code == 401
    assert not Received.objects.exists()
    Server.objects.filter(host=elsewhere.removeprefix("http://")).update(blocked=True)
    assert send(client, elsewhere, follow).status_code == 403


@pytest.mark.parametrize("style", ["cavage", "rfc9421"])
def test_a_follow_is_accepted_and_recorded(client, elsewhere, worker, style):
    follow = {"id": elsewhere + "/follows/1", "type": "Follow", "actor": elsewhere + "/users/wren",
              "object": "https://news.example.org/ap/site"}  # fmt: skip
    assert send(client, elsewhere, follow, style=style).status_code == 202
    assert send(client, elsewhere, follow, style=style).status_code == 202  # sent twice: one
    worker()
    follower = Follower.objects.get()
    assert follower.actor.handle == "@wren@" + elsewhere.removeprefix("http://")
    assert Server.objects.get().signature == style
    accept = json.loads(Elsewhere.posts[0][2])
    assert Elsewhere.posts[0][0] == "/users/wren/inbox"  # their own inbox, not the shared one
    assert accept["type"] == "Accept" and accept["object"]["id"] == follow["id"]


def test_replies_are_moderated_like_other_comments_and_refusals_are_kept(
    client, elsewhere, worker, make_post
):
    post = make_post("Ferry talks resume")
    reply = {
        "id": elsewhere + "/creates/1",
        "type": "Create",
        "actor": elsewhere + "/users/wren",
        "object": {
            "id": elsewhere + "/notes/1",
            "type": "Note",
            "attributedTo": elsewhere + "/users/wren",
            "inReplyTo": local.post_uri(post.pk),
            "content": "<p>See <a href='https://spam.example/x'>this</a></p>",
        },
    }
    assert send(client, elsewhere, reply).status_code == 202
    worker()
    comment = Comment.objects.get()
    assert comment.author_kind == "fediverse" and comment.status == Comment.Status.HELD
    assert "links from an anonymous or first-time commenter" in comment.signals
    assert comment.body == "See https://spam.example/x"
    Comment.objects.all().delete()
    DiscussionSettings.objects.create(pk=1, mode=DiscussionSettings.Mode.ACCOUNTS)
    again = {**reply, "id": elsewhere + "/creates/2",
             "object": {**reply["object"], "id": elsewhere + "/notes/2"}}  # fmt: skip
    send(client, elsewhere, again)
    worker()
    refused = Received.objects.get(uri=again["id"])
    assert refused.outcome == Received.Outcome.REFUSED and "sign in" in refused.reason
    assert not Comment.objects.exists()


def test_a_failing_server_is_tried_again_later_then_marked_dead(elsewhere):
    Elsewhere.status = 503
    server = Server.objects.create(host=elsewhere.removeprefix("http://"))
    sent = delivery.send("Create", {"type": "Note"}, inboxes={elsewhere + "/inbox": server.pk})
    ids = list(sent.deliveries.values_list("pk", flat=True))
    assert delivery.deliver(ids) == {"sent": 0, "retry": 1, "failed": 0}
    first = Delivery.objects.get()
    assert first.state == Delivery.State.RETRY and "503" in first.last_error
    assert first.next_try > timezone.now() + dt.timedelta(seconds=50)
    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        delivery.deliver(ids)
    server.refresh_from_db()
    assert server.dead and server.failures == 2
    assert delivery.pause(3) == dt.timedelta(minutes=16)
    assert delivery.pause(9) == dt.timedelta(hours=24)
    Elsewhere.status = 410
    Delivery.objects.update(state=Delivery.State.RETRY)
    delivery.deliver(ids)
    assert Delivery.objects.get().state == Delivery.State.FAILED  # gone: not tried again


def test_a_scheduled_post_goes_out_when_it_appears(client, elsewhere, make_post, worker):
    a_follower(elsewhere)
    later = timezone.now() + dt.timedelta(hours=2)
    post = make_post("Ferry talks resume", when=later)
    worker()
    assert not Elsewhere.posts  # not yet live
    with time_machine.travel(later + dt.timedelta(minutes=1)):
        from sitrep.fediverse.publish import posts_due

        assert posts_due() == 1
        worker()
        create = json.loads(Elsewhere.posts[0][2])
        assert Elsewhere.posts[0][0] == "/inbox"  # the shared inbox
        assert create["type"] == "Create" and create["object"]["id"] == local.post_uri(post.pk)
        assert Reach.objects.get(post=post).sent_hash
        # A server meeting the account later reads it in the outbox.
        outbox = client.get("/ap/site/outbox", HTTP_ACCEPT="application/activity+json",
                            HTTP_HOST="news.example.org").json()  # fmt: skip
        assert outbox["totalItems"] == 1
        page = client.get("/ap/site/outbox?page=1", HTTP_ACCEPT="application/activity+json",
                          HTTP_HOST="news.example.org").json()  # fmt: skip
        assert [i["object"]["id"] for i in page["orderedItems"]] == [local.post_uri(post.pk)]
        assert "next" not in page


def test_edits_corrections_and_unpublishing_reach_followers(elsewhere, make_post, worker, editor):
    from sitrep.comments.services import comment_submit
    from sitrep.comments.signals import comment_posted
    from sitrep.posts.services import Action, post_write
    from sitrep.stories.services import post_correct
    from tests.conftest import clip

    a_follower(elsewhere)
    post = make_post("Ferry talks resume", when=timezone.now())
    worker()
    assert [a["object"]["id"] for a in received("Create")] == [local.post_uri(post.pk)]

    def edit(headline, action=Action.SAVE):
        post_write(post=post, author=editor, headline=headline, clips=[clip()],
                   note="An editor's note.", labels=["Northmark"], action=action)  # fmt: skip
        worker()

    edit("Ferry talks resume at the strait")
    edit("Ferry talks resume at the strait")  # saved again, unchanged: nothing sent
    updates = received("Update")
    assert len(updates) == 1 and "at the strait" in updates[0]["object"]["content"]

    post_correct(post=post, reason="The operator's name was misspelt.", actor=editor)
    worker()
    corrected = received("Update")[-1]["object"]["content"]
    assert "Correction" in corrected and "name was misspelt" in corrected

    comment = comment_submit(post=post, body="Which ferry line?", ip_hash="h1",
                             author_name="Kestrel", screened=False)  # fmt: skip
    comment_posted.send(Comment, comment=comment, notify_email="")
    worker()
    reply = received("Create")[-1]["object"]
    assert reply["inReplyTo"] == local.post_uri(post.pk)
    assert reply["context"] == local.post_uri(post.pk) and "Kestrel" in reply["content"]

    edit("Ferry talks resume at the strait", action=Action.UNPUBLISH)
    deleted = received("Delete")
    assert deleted[0]["object"] == {"id": local.post_uri(post.pk), "type": "Tombstone"}


def test_the_profile_shows_pictures_and_verified_links(client, elsewhere, editor, worker):
    from sitrep.fediverse import documents
    from sitrep.fediverse.models import Profile
    from sitrep.media.services import media_store
    from tests.images import picture

    client.force_login(editor)
    icon = media_store(content=picture("PNG"), alt="The site's mark")
    typed = "Newsroom https://newsroom.example\nnot a link"
    refused = client.post("/desk/fediverse/profile/", {"icon": icon.pk, "links_text": typed})
    assert refused.status_code == 400
    assert "line 2: write a name" in refused.content.decode()
    assert "Newsroom https://newsroom.example" in refused.content.decode()  # kept
    assert not Profile.objects.exists()

    # https:// addresses only; the loopback pages stand in for them after the form's check.
    links = "Newsroom https://newsroom.example\nArchive https://archive.example"
    saved = client.post("/desk/fediverse/profile/", {"icon": icon.pk, "links_text": links,
                                                      "show_followers": "on"})  # fmt: skip
    assert saved.status_code == 302
    Profile.objects.filter(pk=1).update(links=[
        {"name": "Newsroom", "url": elsewhere + "/pages/back", "verified": ""},
        {"name": "Archive", "url": elsewhere + "/pages/other", "verified": ""},
    ])  # fmt: skip
    worker()
    links = Profile.current().links
    assert links[0]["verified"] and not links[1]["verified"]
    actor = documents.actor()
    assert actor["icon"]["url"] == "https://news.example.org" + icon.url
    assert [a["name"] for a in actor["attachment"]] == ["Website", "Newsroom", "Archive"]
    page = client.get("/desk/fediverse/").content.decode()
    assert "verified (links back" in page and "not verified" in page
    front = client.get("/").content.decode()
    assert "search for <strong>@news@news.example.org</strong> (0 followers)" in front


def test_a_server_sending_too_much_waits(client, elsewhere, monkeypatch):
    from sitrep.fediverse import views

    monkeypatch.setattr(views, "PER_SERVER", 2)
    follow = {"type": "Follow", "actor": elsewhere + "/users/wren",
              "object": "https://news.example.org/ap/site"}  # fmt: skip
    answers = [send(client, elsewhere, {**follow, "id": f"{elsewhere}/follows/{n}"}).status_code
               for n in range(4)]  # fmt: skip
    assert answers[:2] == [202, 202] and answers[2:] == [429, 429]
    big = {**follow, "id": elsewhere + "/follows/big", "content": "x" * 300_000}
    monkeypatch.setattr(views, "PER_SERVER", 100)
    assert send(client, elsewhere, big).status_code == 413
