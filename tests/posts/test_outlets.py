"""The outlet registry: facts and the editors' note with every clip, comment links named and
held, search and feeds by outlet."""

import time

import pytest

from sitrep.comments import spam
from sitrep.comments.models import Comment
from sitrep.comments.services import comment_edit_own, comment_submit
from sitrep.posts.models import Outlet
from sitrep.posts.services import outlet_update
from tests.conftest import clip

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(django_capture_on_commit_callbacks):
    """Update the registry and commit, as the desk does (the commit refreshes caches)."""

    def update(name="Harbor Ledger", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return outlet_update(outlet=Outlet.objects.get(name=name), **fields)

    return update


def test_clip_shows_country_language_ownership_and_the_editors_note(client, make_post, registered):
    post = make_post()
    registered(
        country="Estuary Republic",
        language="English",
        ownership="State-affiliated",
        reliability_note="Reliable on shipping, one-sided on the war.",
    )
    page = client.get(post.get_absolute_url()).content.decode()
    assert "(Estuary Republic · English · State-affiliated)" in page
    assert "Reliable on shipping, one-sided on the war." in page
    outlet_page = client.get("/outlet/harbor-ledger/").content.decode()
    assert "State-affiliated" in outlet_page and "harborledger.example" in outlet_page


def test_domains_are_cleaned_when_saved(registered):
    Outlet.objects.create(name="Ridge Post", slug="ridge-post")
    outlet = registered(
        "Ridge Post",
        domains="https://www.RidgePost.example/news, ridgepost.example m.ridge.example",
    )
    assert outlet.domains == "ridgepost.example m.ridge.example"


def test_comment_link_to_an_outlet_is_named_and_subdomains_match(client, make_post):
    post = make_post()
    comment = comment_submit(
        post=post,
        body="See https://live.harborledger.example/2026/a-report and https://unknown.example/x",
        ip_hash="a",
        screened=False,
    )
    assert comment.body_html.count('<span class="link-outlet">(Harbor Ledger)</span>') == 1
    page = client.get(post.get_absolute_url()).content.decode()
    assert "(Harbor Ledger)</span>" in page


def test_comment_linking_to_a_held_outlet_waits_for_a_moderator(make_post, registered):
    post = make_post()
    registered(comment_links=Outlet.CommentLinks.HOLD)
    comment = comment_submit(
        post=post,
        body="Their take: [here](https://harborledger.example/op-ed). Worth reading.",
        ip_hash="b",
        form_token=spam.form_token(time.time() - 60),
    )
    assert comment.status == Comment.Status.HELD
    assert any("Harbor Ledger" in s for s in comment.signals)


def test_editing_a_comment_to_add_a_held_link_holds_it(make_post, registered):
    post = make_post()
    comment = comment_submit(post=post, body="Nothing linked yet.", ip_hash="c", screened=False)
    registered(comment_links=Outlet.CommentLinks.HOLD)
    comment_edit_own(comment=comment, body="Now: https://harborledger.example/x")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HELD


def test_search_filters_by_outlet(client, make_post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_post("Convoy seen at the bridge", clips=[clip(1)])
    with django_capture_on_commit_callbacks(execute=True):
        make_post(
            "Convoy turns back",
            clips=[clip(2, outlet="Meridian Wire", url="https://meridianwire.example/c")],
        )
    everything = client.get("/search/?q=convoy").content.decode()
    assert "2 posts" in everything
    only = client.get("/search/?q=convoy&outlet=meridian-wire").content.decode()
    assert "1 post quoting" in only and "/convoy-turns-back/" in only
    assert "/convoy-seen-at-the-bridge/" not in only


def test_outlet_has_its_own_feed(client, make_post):
    make_post("A harbour story")
    feed = client.get("/outlet/harbor-ledger/feed.atom")
    assert feed.status_code == 200 and b"A harbour story" in feed.content


def test_desk_edits_an_outlet_and_keeps_input_on_errors(editor_client, make_post):
    make_post()
    outlet = Outlet.objects.get(name="Harbor Ledger")
    assert "Harbor Ledger" in editor_client.get("/desk/outlets/").content.decode()
    bad = editor_client.post(
        f"/desk/outlets/{outlet.pk}/",
        {"name": "", "country": "Estuary Republic", "comment_links": "label"},
    )
    assert bad.status_code == 200 and 'value="Estuary Republic"' in bad.content.decode()
    ok = editor_client.post(
        f"/desk/outlets/{outlet.pk}/",
        {
            "name": "Harbor Ledger",
            "domains": "harborledger.example",
            "country": "Estuary Republic",
            "ownership": "Independent",
            "comment_links": "hold",
        },
    )
    assert ok.status_code == 302
    outlet.refresh_from_db()
    assert outlet.country == "Estuary Republic" and outlet.comment_links == "hold"


def test_desk_adds_an_outlet_before_any_clip_and_its_links_are_held(editor_client, make_post):
    bad = editor_client.post("/desk/outlets/", {"new-name": "", "new-domains": "x.example"})
    assert bad.status_code == 400 and 'value="x.example"' in bad.content.decode()
    editor_client.post(
        "/desk/outlets/",
        {
            "new-name": "Ministry Mirror Daily",
            "new-domains": "mirror.example",
            "new-comment_links": "hold",
        },
    )
    outlet = Outlet.objects.get(name="Ministry Mirror Daily")
    assert outlet.domains == "mirror.example" and outlet.comment_links == "hold"
