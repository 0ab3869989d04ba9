import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from sitrep.posts.counts import tally_rebuild
from sitrep.posts.models import Post
from sitrep.posts.services import Action
from tests.conftest import clip

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def at(year, month, day, hour, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def test_front_page_groups_posts_under_day_headers_in_the_site_time_zone(client, make_post):
    make_post("Late on the 13th", when=at(2017, 6, 13, 23, 30))  # 03:30 UTC on the 14th
    make_post("Morning of the 14th", when=at(2017, 6, 14, 8))
    html = client.get("/").content.decode()
    assert html.index("Wednesday, June 14, 2017") < html.index("Morning of the 14th")
    assert html.index("Morning of the 14th") < html.index("Tuesday, June 13, 2017")
    assert html.index("Tuesday, June 13, 2017") < html.index("Late on the 13th")
    assert html.count("Tuesday, June 13, 2017") == 1


def test_a_post_card_shows_attribution_excerpt_read_more_note_labels_and_count(client, make_post):
    make_post(
        "Armour nears the crossings",
        clips=[clip(url="https://harborledger.example/armour")],
        note="I can see this coming.",
        labels=["Kalder Valley"],
    )
    html = client.get("/").content.decode()
    assert 'Ilse Brandvold</span>, <a class="outlet"' in html
    # The source headline links to the source, as "Read more" does.
    cited = '<a href="https://harborledger.example/armour" rel="noopener">Source headline 1</a>'
    assert f"<cite>{cited}</cite>" in html
    assert '<blockquote cite="https://harborledger.example/armour">' in html
    assert 'href="https://harborledger.example/armour" rel="noopener">Read more' in html
    assert "Night Editor:</strong>" in html and "I can see this coming." in html
    assert ">Kalder Valley</a>" in html
    assert "0 comments" in html


def test_drafts_and_future_posts_are_hidden_until_their_time(client, make_post):
    now = timezone.now()
    make_post("Visible one")
    make_post("A draft", action=Action.SAVE)
    scheduled = make_post("Coming soon", when=now + dt.timedelta(hours=1), now=now)
    assert "Coming soon" not in client.get("/").content.decode()
    assert "A draft" not in client.get("/").content.decode()
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    with time_machine.travel(now + dt.timedelta(hours=1, minutes=1)):
        assert "Coming soon" in client.get("/").content.decode()
        assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_editors_can_open_their_drafts(editor_client, make_post):
    draft = make_post("Work in progress", action=Action.SAVE)
    assert editor_client.get(draft.get_absolute_url()).status_code == 200


def test_permalink_is_year_month_slug_and_a_wrong_month_redirects(client, make_post):
    post = make_post("The last stand", when=at(2017, 6, 13, 9))
    assert post.get_absolute_url() == "/2017/06/the-last-stand/"
    response = client.get("/2017/07/the-last-stand/")
    assert response.status_code == 301 and response["Location"] == "/2017/06/the-last-stand/"


def test_front_page_pages_to_older_posts(client, make_post):
    base = timezone.now() - dt.timedelta(days=30)
    for i in range(20):
        make_post(f"Post number {i:02d}", when=base + dt.timedelta(hours=i))
    first = client.get("/").content.decode()
    assert "Post number 19" in first and "Post number 04" not in first
    assert 'rel="next" href="?page=2"' in first
    second = client.get("/?page=2").content.decode()
    assert "Post number 04" in second and "Post number 19" not in second
    assert client.get("/?page=9").status_code == 404


def test_label_outlet_and_archive_pages_list_the_right_posts(client, make_post):
    make_post("In June", when=at(2017, 6, 13, 9), labels=["Syria-like"])
    make_post(
        "In July",
        when=at(2017, 7, 2, 9),
        labels=["Elsewhere"],
        clips=[clip(outlet="Meridian Wire")],
    )
    label_page = client.get("/label/syria-like/").content.decode()
    assert "In June" in label_page and "1 post ·" in label_page
    assert "In July" not in client.get("/label/syria-like/").content.decode()
    outlet_page = client.get("/outlet/meridian-wire/").content.decode()
    assert "In July" in outlet_page and "In June" not in outlet_page
    assert "In June" in client.get("/2017/").content.decode()
    month = client.get("/2017/06/").content.decode()
    assert "In June" in month and "In July" not in month
    day = client.get("/2017/06/13/").content.decode()
    assert "In June" in day and "Tuesday, June 13, 2017" in day
    assert client.get("/2017/02/30/").status_code == 404


def test_archive_counts_posts_per_month(client, make_post):
    make_post("A", when=at(2017, 6, 13, 9))
    make_post("B", when=at(2017, 6, 14, 9))
    make_post("C", when=at(2017, 7, 1, 9))
    html = client.get("/archive/").content.decode()
    assert re.search(r'href="/2017/06/">June</a> <span class="count">\(2\)', html)
    assert re.search(r'href="/2017/07/">July</a> <span class="count">\(1\)', html)


def test_front_and_post_pages_run_a_fixed_number_of_queries(
    client, make_post, django_assert_max_num_queries
):
    def build(n):
        for i in range(n):
            make_post(f"Post {n}-{i}", clips=[clip(i), clip(i + 100)], labels=["A", f"L{i}"])

    tally_rebuild()  # as on any site; a transactional test run before this one empties it
    build(3)
    cache.clear()  # cold: the sidebar's queries, and the posts' logs and places (prefetched)
    with django_assert_max_num_queries(13) as small:
        client.get("/")
    build(12)
    post = Post.objects.first()
    cache.clear()
    with django_assert_max_num_queries(13) as large:
        client.get("/")
    assert len(large.captured_queries) == len(small.captured_queries)
    with django_assert_max_num_queries(15):
        client.get(post.get_absolute_url())


def test_anonymous_reading_sets_no_cookie(client, make_post):
    post = make_post()
    for url in ["/", "/archive/", "/label/northmark/", "/search/?q=headline", "/about/"]:
        assert not client.get(url).cookies, url
    assert post  # the post page carries the comment form, whose CSRF token may set a cookie


def test_unknown_pages_get_the_sites_404(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "This page is not here" in response.content.decode()


def test_robots_and_sitemap(client, make_post):
    post = make_post()
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /desk/" in robots
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver{post.get_absolute_url()}" in sitemap


def test_feeds_are_advertised(client, make_post):
    post = make_post()
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert f'href="{post.get_absolute_url()}comments.atom"' in html


def sidebar(client):
    html = client.get("/").content.decode()
    return html[html.index('<aside class="sidebar"') :]


def test_sidebar_shows_a_new_post_at_once_and_a_scheduled_one_at_its_time(
    client, make_post, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        make_post("First", labels=["Old label"])
    assert ">Old label</a>" in sidebar(client)  # cached from here on
    with django_capture_on_commit_callbacks(execute=True):
        make_post("Second", labels=["Fresh label"])
        make_post("Third", labels=["Later label"], when=now + dt.timedelta(minutes=3), now=now)
    html = sidebar(client)
    assert ">Fresh label</a>" in html and ">Later label</a>" not in html
    with time_machine.travel(now + dt.timedelta(minutes=3, seconds=5)):
        assert ">Later label</a>" in sidebar(client)


def test_server_errors_get_the_sites_own_page(rf, db):
    from sitrep.posts.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_admin_lists_posts_and_links_to_the_desk(editor, make_post, client):
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    post = make_post("Listed in admin")
    html = client.get("/admin/posts/post/").content.decode()
    assert "Listed in admin" in html and f'href="/desk/posts/{post.pk}/"' in html


def test_archive_months_use_local_time_and_skip_scheduled_and_drafts(make_post):
    from sitrep.posts.selectors import archive_months, label_counts, outlet_counts

    tz = timezone.get_current_timezone()
    # 23:30 on June 30 in New York is already July 1 in UTC: it belongs to June here.
    make_post("Late June", when=dt.datetime(2017, 6, 30, 23, 30, tzinfo=tz), labels=["A"])
    make_post("Early July", when=dt.datetime(2017, 7, 1, 0, 30, tzinfo=tz), labels=["A", "B"])
    make_post("Draft", action="save", labels=["C"])
    make_post("Later", when=timezone.now() + dt.timedelta(days=3), labels=["D"])
    years = archive_months()
    months = {m.month: n for year, ms, _ in years if year == 2017 for m, n in ms}
    assert months == {6: 1, 7: 1}
    assert sum(total for _, _, total in years) == 2
    assert [(label.name, label.n) for label in label_counts()] == [("A", 2), ("B", 1)]
    # Both live posts quote Harbor Ledger (the draft and the scheduled one do not count).
    assert [(o.name, o.n) for o in outlet_counts()] == [("Harbor Ledger", 2)]


def test_edit_this_post_is_offered_to_those_who_may_edit(client, make_post, editor, reader):
    post = make_post()
    edit = f'href="/desk/posts/{post.pk}/"'
    assert edit not in client.get(post.get_absolute_url()).content.decode()
    reader.is_moderator = True  # moderates comments; may not edit posts
    reader.save()
    client.force_login(reader)
    assert edit not in client.get(post.get_absolute_url()).content.decode()
    client.force_login(editor)
    assert edit in client.get(post.get_absolute_url()).content.decode()
