import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from sitrep.comments import spam
from sitrep.comments.models import Comment, DiscussionSettings, ModerationEvent
from sitrep.comments.services import CommentRefused, comment_moderate, comment_submit

pytestmark = pytest.mark.django_db


_counter = iter(range(1_000_000))


def submit(post, **kwargs):
    kwargs.setdefault("body", f"A fair point, number {next(_counter)}.")
    kwargs.setdefault("ip_hash", "hash-1")
    return comment_submit(post=post, **kwargs)


def test_the_three_author_kinds(make_post, reader):
    post = make_post()
    assert submit(post).display_name() == "Anonymous"
    assert submit(post, author_name="  Harlan   Vey ").display_name() == "Harlan Vey"
    assert submit(post, user=reader).display_name() == "Kestrel"
    reader.public_name = ""
    assert submit(post, user=reader).display_name() == "Unknown"


def test_visible_comments_are_counted_on_the_post(make_post, editor):
    post = make_post()
    first = submit(post)
    submit(post, ip_hash="other")
    post.refresh_from_db()
    assert post.comment_count == 2
    comment_moderate(comment=first, actor=editor, action="remove")
    post.refresh_from_db()
    assert post.comment_count == 1


def test_every_moderation_decision_is_logged(make_post, editor):
    comment = submit(make_post())
    comment_moderate(comment=comment, actor=editor, action="spam", reason="link farm")
    comment_moderate(comment=comment, actor=editor, action="approve")
    assert list(ModerationEvent.objects.values_list("action", "reason", "actor")) == [
        ("approve", "", editor.pk),
        ("spam", "link farm", editor.pk),
    ]
    assert Comment.objects.get().status == Comment.Status.VISIBLE


def test_hold_all_holds_readers_but_not_editors(make_post, editor):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"hold_all": True})
    post = make_post()
    assert submit(post).status == Comment.Status.HELD
    assert submit(post, user=editor).status == Comment.Status.VISIBLE
    post.refresh_from_db()
    assert post.comment_count == 1
    assert ModerationEvent.objects.filter(action="hold").count() == 1


def test_name_required_mode(make_post):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"mode": "named"})
    with pytest.raises(CommentRefused, match="give a name"):
        submit(make_post())


def test_accounts_only_mode(make_post, reader):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"mode": "accounts"})
    post = make_post()
    with pytest.raises(CommentRefused, match="sign in"):
        submit(post, author_name="Someone")
    assert submit(post, user=reader).author_kind == "account"


def test_honeypot_refuses_programs(make_post):
    with pytest.raises(CommentRefused, match="program"):
        submit(make_post(), honeypot="http://spam.example")
    assert Comment.objects.count() == 0


def test_body_length_limit_says_how_long(make_post):
    with pytest.raises(CommentRefused, match="limit is 6,000"):
        submit(make_post(), body="x" * (spam.MAX_BODY_CHARS + 1))


def test_rate_limit_per_address_and_window(make_post, editor):
    post = make_post()
    now = timezone.now()
    for i in range(spam.RATE_LIMIT_COUNT):
        submit(post, now=now + dt.timedelta(seconds=i))
    with pytest.raises(CommentRefused, match="wait a few minutes"):
        submit(post, now=now + dt.timedelta(seconds=30))
    submit(post, ip_hash="someone-else", now=now + dt.timedelta(seconds=30))
    submit(post, now=now + spam.RATE_LIMIT_WINDOW + dt.timedelta(seconds=10))
    for i in range(spam.RATE_LIMIT_COUNT + 1):  # editors are not limited
        submit(post, user=editor, now=now + dt.timedelta(seconds=40 + i))


def test_rate_limit_holds_when_the_cache_forgot(make_post):
    post = make_post()
    now = timezone.now()
    for i in range(spam.RATE_LIMIT_COUNT):
        submit(post, now=now + dt.timedelta(seconds=i))
    cache.clear()  # a restart of Redis, an evicted key: the database still has the comments
    with pytest.raises(CommentRefused, match="wait a few minutes"):
        submit(post, now=now + dt.timedelta(seconds=30))


@pytest.mark.parametrize("name", ["Night Editor", "night editor", "NIGHT-EDITOR", "desk", "Desk"])
def test_nobody_can_comment_under_an_editors_signature_or_name(make_post, name):
    with pytest.raises(CommentRefused, match="belongs to an editor"):
        submit(make_post(), author_name=name)


def test_editor_comments_show_their_signature(make_post, editor):
    comment = submit(make_post(), user=editor)
    assert comment.display_name() == "Night Editor" and comment.by_editor()


def test_closed_or_unpublished_posts_take_no_comments(make_post):
    post = make_post(action="save")
    with pytest.raises(CommentRefused, match="closed"):
        submit(post)


def test_reply_to_a_comment_of_another_post_is_refused(make_post):
    other = submit(make_post("Other"))
    with pytest.raises(CommentRefused, match="no longer there"):
        submit(make_post("This"), parent_id=other.pk)
