import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from sitrep.comments.models import Comment
from sitrep.posts.models import Post
from sitrep.posts.selectors import archive_months
from sitrep.search.selectors import search_posts

pytestmark = pytest.mark.django_db


def test_seed_adds_posts_clips_comments_and_one_long_thread(client, capsys):
    call_command("seed", posts=30, comments=200, thread=250)
    assert "Added 31 posts, 62 clips and 450 comments" in capsys.readouterr().out
    assert Post.objects.live().count() == 31
    assert not Comment.objects.filter(created__gt=timezone.now()).exists()
    big = Post.objects.order_by("-comment_count").first()
    assert big.comment_count == 250 == big.comments.count()
    for post in Post.objects.all():
        assert post.comment_count == post.comments.count()
    assert Comment.objects.exclude(parent=None).filter(parent__post=big).exists()
    # Replies answer earlier comments of the same post (COPY on PostgreSQL, the ORM elsewhere).
    replies = Comment.objects.exclude(parent=None)
    assert not replies.exclude(parent__post=F("post")).exists()
    assert not replies.filter(parent__created__gt=F("created")).exists()
    # The kept archive counts include the seeded posts.
    assert sum(total for _, _, total in archive_months()) == 31
    # Pages render, the long thread is paged, and search finds seeded text.
    page = client.get(big.get_absolute_url()).content.decode()
    assert "Comments page 1 of 2" in page
    hits, total = search_posts("convoy")
    assert total > 0 and hits


def test_seed_twice_adds_more_rather_than_clashing():
    call_command("seed", posts=5)
    call_command("seed", posts=5)
    assert Post.objects.count() == 10


def test_seed_refuses_comments_without_posts():
    with pytest.raises(CommandError, match="needs --posts"):
        call_command("seed", posts=0, comments=10)
