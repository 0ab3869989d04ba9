"""Search runs on the engine of the database in use: FTS5 on SQLite, tsvector on PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from sitrep.posts.services import post_write
from sitrep.search.selectors import search_posts
from tests.conftest import clip
from tests.htmlcheck import assert_safe

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(make_post, django_capture_on_commit_callbacks):
    """Posts created with their on-commit callbacks run, so the index fills as in production."""

    def make(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return make_post(*args, **kwargs)

    return make


def test_finds_words_in_headlines_excerpts_notes_outlets_and_labels(indexed):
    post = indexed(
        "Armour near the crossings",
        clips=[clip(excerpt="Tanks parked in orchards near Deir Kalder.", outlet="Meridian Wire")],
        note="The bridges decide everything.",
        labels=["Vessary"],
    )
    indexed("Unrelated", clips=[clip(2, excerpt="Grain prices rose.")], labels=["Economy"])
    for query in ["armour", "orchards", "bridges", "meridian", "vessary", "Source headline 1"]:
        hits, total = search_posts(query)
        assert [h.post.pk for h in hits] == [post.pk], query
        assert total == 1


def test_every_word_must_match_and_stemming_applies(indexed):
    indexed("Shelling near Merrin Gap", clips=[clip(excerpt="Artillery fired all night.")])
    assert search_posts("shelled merrin")[1] == 1
    assert search_posts("shelling merrin")[1] == 1
    assert search_posts("shelling nowhere")[1] == 0


def test_headline_matches_rank_above_body_matches(indexed):
    body_only = indexed("Quiet day", clips=[clip(excerpt="A convoy passed Tolsk at noon.")])
    in_headline = indexed("Convoy reaches Tolsk", clips=[clip(2, excerpt="Trucks arrived.")])
    hits, _ = search_posts("convoy")
    assert [h.post.pk for h in hits] == [in_headline.pk, body_only.pk]


def test_matches_are_highlighted_and_the_rest_escaped(indexed):
    indexed(
        "Talks on the <b>river</b>",
        clips=[clip(excerpt="Envoys met by the river <script>x</script> at dawn.")],
    )
    hit = search_posts("river")[0][0]
    assert "<mark>river</mark>" in hit.headline_html
    assert "&lt;b&gt;" in hit.headline_html
    assert "<mark>river</mark>" in hit.snippet_html
    assert_safe(hit.headline_html + hit.snippet_html, {"mark"})


def test_drafts_and_scheduled_posts_are_not_found(indexed, editor):
    now = timezone.now()
    indexed("Hidden draft about bridges", action="save")
    indexed("Future bridges", when=now + dt.timedelta(days=1), now=now)
    assert search_posts("bridges") == ([], 0)


def test_edits_reindex_the_post(indexed, django_capture_on_commit_callbacks):
    post = indexed("Old words", clips=[clip()])
    with django_capture_on_commit_callbacks(execute=True):
        post_write(post=post, author=post.author, headline="Fresh words", clips=[clip()])
    assert search_posts("old")[1] == 0 and search_posts("fresh")[1] == 1


@pytest.mark.parametrize(
    "query",
    ['"', "AND OR NOT", "*", "NEAR(a b)", "col:val", "'; DROP TABLE posts_post; --", "((("],
)
def test_reader_typed_operators_never_break_the_query(indexed, query):
    indexed("Ordinary post")
    hits, total = search_posts(query)
    assert total >= 0


def test_search_page_shows_ranked_results_and_escapes_the_query(client, indexed):
    indexed("Drones over the harbour", clips=[clip(excerpt="Sirens sounded.")])
    html = client.get("/search/", {"q": "drones <script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    html = client.get("/search/", {"q": "drones"}).content.decode()
    assert "1 post match" in html and "<mark>Drones</mark>" in html


def test_search_pages_through_many_results(client, indexed):
    base = timezone.now() - dt.timedelta(days=3)
    for i in range(25):
        indexed(f"Report {i} on the valley", when=base + dt.timedelta(minutes=i))
    first = client.get("/search/", {"q": "valley"}).content.decode()
    assert "25 posts match" in first and 'rel="next"' in first
    second = client.get("/search/", {"q": "valley", "page": 2}).content.decode()
    assert second.count('class="result"') == 5
    # Past the last page: nothing listed, the count still right.
    hits, total = search_posts("valley", offset=40)
    assert hits == [] and total == 25
    assert search_posts("nowhere-to-be-found") == ([], 0)


def test_a_very_common_word_is_ranked_among_the_newest_matches(client, indexed, monkeypatch):
    from sitrep.search import views
    from sitrep.search.backends import postgres, sqlite

    for module in (postgres, sqlite, views):
        monkeypatch.setattr(module, "CANDIDATES", 4)
    base = timezone.now() - dt.timedelta(days=3)
    oldest = indexed("Valley valley valley valley", when=base)  # the best match, but old
    for i in range(6):
        indexed(f"Report {i} on the valley", when=base + dt.timedelta(hours=i + 1))
    hits, total = search_posts("valley")
    assert total == 5  # counted up to one past the candidates
    assert len(hits) == 4 and oldest not in [hit.post for hit in hits]
    assert {hit.post.headline for hit in hits} == {
        f"Report {i} on the valley" for i in (2, 3, 4, 5)
    }
    html = client.get("/search/", {"q": "valley"}).content.decode()
    assert "More than 4 posts match" in html and "among the newest 4" in html
    assert 'rel="next"' not in html
    # Fewer matches than candidates: ranked over all of them, the old best match first.
    for module in (postgres, sqlite, views):
        monkeypatch.setattr(module, "CANDIDATES", 10)
    hits, total = search_posts("valley")
    assert total == 7 and hits[0].post == oldest


def test_backend_follows_the_database():
    from sitrep.search.selectors import backend

    expected = "postgres" if connection.vendor == "postgresql" else "sqlite"
    assert backend().__name__.endswith(expected)
