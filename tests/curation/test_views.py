import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sitrep.curation.models import Feed, InboxItem, WatchWord
from sitrep.curation.polling import feed_poll
from sitrep.posts.models import Post
from tests.desk.test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(web):
    for path in ["/rss.xml", "/atom.xml"]:
        feed_poll(Feed.objects.create(url=web.url(path), title=path.strip("/")))
    return InboxItem.objects.all()


def test_readers_cannot_see_the_inbox(client, reader, inbox):
    assert client.get("/desk/inbox/").status_code == 302
    client.force_login(reader)
    assert client.get("/desk/inbox/").status_code == 403
    assert client.post("/desk/inbox/mark/dismiss/", {"item": inbox[0].pk}).status_code == 403


def test_inbox_lists_newest_first_and_groups_the_same_story(editor_client, inbox):
    html = editor_client.get("/desk/inbox/").content.decode()
    assert html.index("Ferries resume from the port") < html.index("Envoy arrives for talks")
    assert "also from" not in html  # "crossings" makes these two headlines different stories
    assert "Keys: <kbd>j</kbd>/<kbd>k</kbd>" in html


def test_clusters_by_link_or_near_identical_headline(editor_client, inbox, web):
    feed = Feed.objects.create(url=web.url("/other"), title="Other wire")
    InboxItem.objects.create(
        feed=feed, guid="x1", title="Ferries resume from the port!",
        title_key=InboxItem.objects.get(title="Ferries resume from the port").title_key,
        url="https://other.example/ferries",
    )  # fmt: skip
    html = editor_client.get("/desk/inbox/").content.decode()
    assert html.count("Ferries resume from the port") == 1  # one story...
    assert 'also from <a href="https://harborledger.example/ferries"' in html  # ...two sources


def test_filters_by_source_words_and_state(editor_client, inbox):
    atom = Feed.objects.get(title="atom.xml")
    html = editor_client.get(f"/desk/inbox/?feed={atom.pk}").content.decode()
    assert "Ferries resume" in html and "Envoy arrives" not in html
    html = editor_client.get("/desk/inbox/?q=ferries+zebra").content.decode()
    assert "Ferries resume" not in html  # every word must match
    html = editor_client.get("/desk/inbox/?q=ferries+dawn").content.decode()
    assert "Ferries resume" in html and "Envoy" not in html


def test_watch_words_are_marked_and_filterable(editor_client, inbox):
    editor_client.post("/desk/watch-words/", {"word": "Kalder"})
    assert WatchWord.objects.get().word == "Kalder"
    html = editor_client.get("/desk/inbox/").content.decode()
    assert "<mark>Kalder</mark>" in html and 'class="inbox-item watched"' in html
    html = editor_client.get("/desk/inbox/?watch=1").content.decode()
    assert "Tanks gather" in html and "Ferries resume" not in html


def test_read_star_dismiss(editor_client, inbox):
    item = inbox.get(title="Ferries resume from the port")
    editor_client.post("/desk/inbox/mark/star/", {"item": item.pk})
    editor_client.post("/desk/inbox/mark/dismiss/", {"item": item.pk})
    item.refresh_from_db()
    assert item.is_starred and item.is_dismissed and item.is_read
    assert "Ferries resume" not in editor_client.get("/desk/inbox/").content.decode()
    assert "Ferries resume" in editor_client.get("/desk/inbox/?state=dismissed").content.decode()
    response = editor_client.post(
        "/desk/inbox/mark/read/", {"item": inbox[0].pk}, headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 204


def test_clip_from_an_item_fills_the_compose_screen_and_links_the_post(editor_client, web):
    feed = Feed.objects.create(url=web.url("/feed"), title="Meridian")
    item = InboxItem.objects.create(
        feed=feed, guid="a", title="Tanks", url=web.url("/article.html")
    )
    html = editor_client.get(f"/desk/posts/new/?item={item.pk}").content.decode()
    assert 'value="Tanks gather near the Kalder crossings"' in html
    assert 'value="Ilse Brandvold and Tomas Quill"' in html
    assert "Commercial satellite images" in html
    assert f'name="inbox_items" value="{item.pk}"' in html
    data = form_data(inbox_items=str(item.pk))
    editor_client.post("/desk/posts/new/", data)
    item.refresh_from_db()
    assert item.post == Post.objects.get() and item.is_read


def test_round_up_from_ticked_items(editor_client, inbox):
    ids = list(inbox.values_list("pk", flat=True)[:2])
    response = editor_client.post("/desk/inbox/roundup/", {"item": ids})
    assert response["Location"] == f"/desk/posts/new/?item={ids[0]}&item={ids[1]}"
    html = editor_client.get(response["Location"]).content.decode()
    assert 'name="clips-1-url"' in html  # one clip per item


def test_pasted_url_and_bookmarklet(editor_client, web):
    page = editor_client.get("/desk/clip/").content.decode()
    assert "javascript:(function(){location.href=" in page
    response = editor_client.get(
        "/desk/clip/", {"url": web.url("/article.html"), "selection": "Quoted."}
    )
    html = editor_client.get(response["Location"]).content.decode()
    assert "Quoted." in html and "Commercial satellite" not in html


def test_a_failed_fetch_still_opens_the_compose_screen_with_the_reason(editor_client, web):
    html = editor_client.get("/desk/posts/new/", {"url": web.url("/gone")}).content.decode()
    assert "the server answered 404 Not Found. Fill in the rest by hand." in html
    assert f'value="{web.url("/gone")}"' in html


def test_sources_page_add_poll_pause_remove_and_errors(editor_client, web):
    html = editor_client.post("/desk/feeds/", {"url": web.url("/notfeed.html")}, follow=True)
    assert "Not added: this page advertises no feed" in html.content.decode()
    editor_client.post("/desk/feeds/", {"url": web.url("/page.html")})
    feed = Feed.objects.get()
    assert feed.url == web.url("/rss.xml") and feed.item_count == 2
    Feed.objects.create(url=web.url("/error"), last_error="the server answered 500", error_count=1)
    html = editor_client.get("/desk/feeds/").content.decode()
    assert "the server answered 500" in html and "Meridian Wire: World" in html
    editor_client.post(f"/desk/feeds/{feed.pk}/pause/")
    feed.refresh_from_db()
    assert not feed.active
    editor_client.post(f"/desk/feeds/{feed.pk}/delete/")
    assert not Feed.objects.filter(pk=feed.pk).exists()


def test_opml_import_and_export(editor_client):
    from tests.importers.conftest import DATA

    upload = SimpleUploadedFile("feeds.opml", (DATA / "web" / "feeds.opml").read_bytes())
    editor_client.post("/desk/feeds/import/", {"opml": upload})
    assert Feed.objects.count() == 3
    body = editor_client.get("/desk/feeds/export/").content.decode()
    assert body.count("<outline") == 3 and 'xmlUrl="https://lowlandtimes.example/feed.json"' in body
    again = SimpleUploadedFile("feeds.opml", body.encode())
    editor_client.post("/desk/feeds/import/", {"opml": again})
    assert Feed.objects.count() == 3


def test_inbox_word_search_is_full_text(editor_client, inbox):
    html = editor_client.get("/desk/inbox/?q=ferry").content.decode()
    assert "Ferries resume" in html  # stemmed: "ferry" finds "Ferries"
    html = editor_client.get("/desk/inbox/?q=armour+crossings&state=all").content.decode()
    assert "Bridges: tanks gather" in html and "Ferries" not in html  # words from the summary
    for hostile in ['"', "NEAR(a b)", "title:x", "'; DROP TABLE x; --", "((("]:
        assert editor_client.get("/desk/inbox/", {"q": hostile}).status_code == 200
