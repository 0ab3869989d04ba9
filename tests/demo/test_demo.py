import datetime as dt

import pytest
from django.utils import timezone

from sitrep.accounts.models import User
from sitrep.comments.models import Comment
from sitrep.demo.services import demo_load
from sitrep.posts.models import Outlet, Post

pytestmark = pytest.mark.django_db


def test_demo_fills_an_empty_site_with_a_week_of_posts_and_discussion(client):
    result = demo_load()
    assert result["loaded"] and 35 <= result["posts"] <= 45
    posts = Post.objects.live()
    assert posts.count() == result["posts"]
    days = {timezone.localtime(p.published_at).date() for p in posts}
    assert len(days) == 7
    assert max(p.published_at for p in posts) <= timezone.now()
    assert Outlet.objects.count() >= 5
    assert posts.filter(clips__position=3).exists()  # the round-up post
    kinds = set(Comment.objects.values_list("author_kind", flat=True))
    assert kinds == {"anonymous", "named", "account"}
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert User.objects.get(username="editor").check_password("sitrep-demo")
    assert client.get("/").status_code == 200


def test_demo_weekdays_match_the_day_headers():
    demo_load(now=dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC))
    newest = Post.objects.live().order_by("-published_at").first()
    assert timezone.localtime(newest.published_at).strftime("%A") == "Saturday"


def test_demo_never_touches_a_site_with_posts(make_post):
    make_post("Real content")
    assert demo_load() == {"loaded": False}
    assert Post.objects.count() == 1
    assert not User.objects.filter(username="editor").exists()
