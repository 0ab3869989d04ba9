"""Long discussions are paged by reading order, and every link still finds its comment."""

import pytest

from sitrep.comments import selectors
from sitrep.comments.models import Comment
from sitrep.comments.selectors import comment_location, comment_page_number, thread_page
from sitrep.comments.services import comment_count_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(selectors, "COMMENTS_PER_PAGE", 4)


def add(post, body, parent=None):
    return Comment.objects.create(
        post=post,
        parent=parent,
        author_kind="named",
        author_name=f"Reader {body}",
        body=body,
        body_html=f"<p>{body}</p>",
    )


def test_a_thread_splits_into_pages_in_reading_order(make_post, small_pages):
    post = make_post()
    first = add(post, "one")
    add(post, "two")
    add(post, "one-reply", parent=first)
    for n in range(6):
        add(post, f"later {n}")
    page1, page3 = thread_page(post, 1), thread_page(post, 3)
    assert [e.comment.body for e in page1] == ["one", "one-reply", "two", "later 0"]
    assert (page1.num_pages, page3.number, len(page3)) == (3, 3, 1)
    assert thread_page(post, 99).number == 3  # past the end: the last page


def test_a_reply_whose_parent_is_on_an_earlier_page_names_it(client, make_post, small_pages):
    post = make_post()
    parent = add(post, "opening")
    for n in range(3):
        add(post, f"child {n}", parent=parent)
    late = add(post, "late reply", parent=parent)
    comment_count_refresh(post_id=post.pk)
    page2 = thread_page(post, 2)
    assert [e.comment for e in page2] == [late]
    assert page2.entries[0].in_reply_to == parent
    assert page2.entries[0].in_reply_to_link == parent.get_absolute_url()


def test_pages_link_to_each_other_and_reply_keeps_the_page(client, make_post, small_pages):
    post = make_post()
    for n in range(6):
        add(post, f"comment {n}")
    comment_count_refresh(post_id=post.pk)
    url = post.get_absolute_url()
    first = client.get(url).content.decode()
    assert "comment 3" in first and "comment 4" not in first
    assert 'href="?comments=2#comments"' in first and "Comments page 1 of 2" in first
    second = client.get(url + "?comments=2").content.decode()
    assert "comment 4" in second and "comment 0" not in second
    assert f'href="{url}#comments"' in second  # back to page 1 is the plain post address
    assert "?comments=2&amp;reply=" in second


def test_comment_address_points_at_its_page(client, make_post, monkeypatch):
    monkeypatch.setattr(selectors, "COMMENTS_PER_PAGE", 2)
    post = make_post()
    comments = [add(post, f"c{n}") for n in range(5)]
    comment_count_refresh(post_id=post.pk)
    post.refresh_from_db()
    last = Comment.objects.select_related("post").get(pk=comments[-1].pk)
    assert comment_page_number(last) == 3
    assert comment_location(last).endswith(f"?comments=3#c{last.pk}")
    response = client.get(last.get_absolute_url())
    assert response["Location"] == comment_location(last)
    assert "c4" in client.get(response["Location"]).content.decode()


def test_removed_comments_take_room_when_a_new_comment_finds_its_page(
    make_post, editor, monkeypatch
):
    from sitrep.comments.services import comment_moderate, comment_submit

    monkeypatch.setattr(selectors, "COMMENTS_PER_PAGE", 2)
    post = make_post()
    made = [comment_submit(post=post, body=f"c{n}", ip_hash="", screened=False) for n in range(4)]
    for comment in made[:2]:
        comment_moderate(comment=comment, actor=editor, action="remove", reason="")
    post.refresh_from_db()
    assert post.comment_count == 2  # kept: the visible ones
    new = comment_submit(post=post, body="the fifth", ip_hash="", screened=False)
    new = Comment.objects.select_related("post").get(pk=new.pk)
    # Shown: two removed (as placeholders) and three visible: the new one is fifth, page 3.
    assert comment_page_number(new) == 3
    assert [e.comment.pk for e in thread_page(post, 3)] == [new.pk]


def test_a_top_level_comment_with_later_ones_still_finds_its_page(make_post, monkeypatch):
    monkeypatch.setattr(selectors, "COMMENTS_PER_PAGE", 2)
    post = make_post()
    first, second, third = (add(post, f"c{n}") for n in range(3))
    reply = add(post, "a reply to the first, posted last", parent=first)
    comment_count_refresh(post_id=post.pk)
    # Reading order: first, its reply, second, third.
    for comment, page in [(first, 1), (reply, 1), (second, 2), (third, 2)]:
        comment = Comment.objects.select_related("post").get(pk=comment.pk)
        assert comment_page_number(comment) == page


def test_garbage_page_numbers_give_the_first_page(client, make_post):
    post = make_post()
    add(post, "only")
    for junk in ["abc", "-1", "99999999999", ""]:
        response = client.get(post.get_absolute_url() + f"?comments={junk}")
        assert response.status_code == 200 and "only" in response.content.decode()


def test_plain_readers_share_one_rendering_moderators_and_authors_get_their_own(
    client, make_post, reader, editor, django_capture_on_commit_callbacks
):
    from sitrep.comments.services import comment_submit

    post = make_post()
    with django_capture_on_commit_callbacks(execute=True):
        mine = comment_submit(post=post, body="Mine, still editable", ip_hash="r", user=reader)
        comment_submit(post=post, body="Someone else", ip_hash="s", screened=False)
    url = post.get_absolute_url()
    client.force_login(editor)  # a moderator: buttons on every comment
    moderated = client.get(url).content.decode()
    assert moderated.count('value="remove"') == 2
    forms = moderated.split('<form class="inline moderate"')[1:]
    assert len(forms) == 2 and all('name="csrfmiddlewaretoken" value="' in f for f in forms)
    client.force_login(reader)  # the author: may still edit their own
    page = client.get(url).content.decode()
    assert f"/comments/{mine.pk}/edit/" in page and 'value="remove"' not in page
    plain = make_user("plainreader")
    client.force_login(plain)
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    assert "Edit</a>" not in first.split("<template")[0] and "Someone else" in second
    token = 'name="csrfmiddlewaretoken" value="'
    assert token in second and "__sitrep_csrf_token__" not in second


def test_an_operators_theme_folder_replaces_the_thread_template(
    client, make_post, tmp_path, settings
):
    folder = tmp_path / "comments" / "includes"
    folder.mkdir(parents=True)
    (folder / "_thread.jinja").write_text(
        '<ol class="plain-thread">{% for entry in thread %}'
        "<li>{{ entry.comment.display_name() }}: {{ entry.comment.body_html|safe }}</li>"
        "{% endfor %}</ol>"
    )
    settings.TEMPLATES = [{**t, "DIRS": [tmp_path, *t["DIRS"]]} for t in settings.TEMPLATES]
    post = make_post()
    add(post, "one")
    add(post, "<b>two</b>")
    page = client.get(post.get_absolute_url()).content.decode()
    assert (
        '<ol class="plain-thread"><li>Reader one: <p>one</p></li>'
        "<li>Reader &lt;b&gt;two&lt;/b&gt;: <p><b>two</b></p></li></ol>"
    ) in page


def make_user(username):
    from sitrep.accounts.models import User

    return User.objects.create_user(username, password="plain-password-1")


def test_a_top_level_comment_is_placed_from_the_later_rows_as_the_whole_walk_places_it(
    make_post, monkeypatch
):
    import datetime as dt
    import random

    from django.utils import timezone

    monkeypatch.setattr(selectors, "COMMENTS_PER_PAGE", 3)
    rng = random.Random(11)
    post = make_post()
    start = timezone.now() - dt.timedelta(days=1)
    made = []
    for n in range(60):  # replies to anything earlier, some of it held or removed
        parent = rng.choice(made) if made and rng.random() < 0.6 else None
        comment = add(post, f"c{n}", parent=parent)
        status = rng.choices(["visible", "removed", "held", "spam"], [12, 2, 2, 1])[0]
        same_time = n % 7 == 3  # a few share a time stamp: the id orders them
        when = start + dt.timedelta(seconds=n - same_time)
        Comment.objects.filter(pk=comment.pk).update(status=status, created=when)
        made.append(comment)
    comment_count_refresh(post_id=post.pk)
    order = [pk for pk, _, _ in selectors._reading_order(post)[0]]
    walked = {pk: i // 3 + 1 for i, pk in enumerate(order)}
    checked = 0
    for comment in Comment.objects.select_related("post").filter(pk__in=order):
        if comment.parent_id is None:
            assert comment_page_number(comment) == walked[comment.pk], comment.body
            checked += 1
    assert checked > 10
    # The walk itself is not what answered (a thread of this size is placed from its rows).
    monkeypatch.setattr(selectors, "_reading_order", None)
    top = Comment.objects.select_related("post").filter(pk__in=order, parent=None).first()
    assert comment_page_number(top) == walked[top.pk]
