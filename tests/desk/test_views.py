import datetime as dt

import pytest
from django.utils import timezone

from sitrep.comments.models import Comment, DiscussionSettings
from sitrep.comments.services import comment_submit
from sitrep.posts.models import Outlet, Post
from tests.conftest import clip

pytestmark = pytest.mark.django_db


def form_data(action="publish", clips=1, **overrides):
    data = {
        "headline": "Armour nears the crossings",
        "text": "",
        "text_position": "before",
        "note": "I can see this happening by winter.",
        "labels": "Vessary, Kalder Valley",
        "published_at": "",
        "comments_open": "on",
        "clips-TOTAL_FORMS": str(clips),
        "clips-INITIAL_FORMS": "0",
        "clips-MIN_NUM_FORMS": "1",
        "clips-MAX_NUM_FORMS": "1000",
        "action": action,
    }
    for i in range(clips):
        data.update(
            {
                f"clips-{i}-outlet_name": "Meridian Wire",
                f"clips-{i}-authors": "Ilse Brandvold",
                f"clips-{i}-source_headline": f"Tanks near the bridges {i}",
                f"clips-{i}-url": f"https://meridianwire.example/tanks-{i}?utm_source=x",
                f"clips-{i}-source_published": "2017-06-13",
                f"clips-{i}-excerpt": f"Paragraph one of clip {i}.\n\nParagraph two.",
            }
        )
    data.update(overrides)
    return data


def test_readers_and_strangers_cannot_use_the_desk(client, reader):
    assert client.get("/desk/").status_code == 302
    client.force_login(reader)
    assert client.get("/desk/").status_code == 403
    assert client.post("/desk/posts/new/", form_data()).status_code == 403
    assert Post.objects.count() == 0


def test_editor_publishes_a_post_with_a_new_outlet(editor_client):
    response = editor_client.post("/desk/posts/new/", form_data())
    post = Post.objects.get()
    assert response["Location"] == f"/desk/posts/{post.pk}/"
    assert post.status == "published"
    assert post.clips.get().url == "https://meridianwire.example/tanks-0"
    assert Outlet.objects.get().name == "Meridian Wire"
    assert sorted(label.name for label in post.labels.all()) == ["Kalder Valley", "Vessary"]
    page = editor_client.get(post.get_absolute_url()).content.decode()
    assert "Night Editor:</strong>" in page and "Tanks near the bridges 0" in page


def test_preview_shows_the_reader_view_and_saves_nothing(editor_client):
    response = editor_client.post("/desk/posts/new/", form_data(action="preview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview: this is how readers will see the post" in html
    assert '<article class="post preview"' in html and "Paragraph one of clip 0." in html
    assert Post.objects.count() == 0 and Outlet.objects.count() == 0


def test_add_clip_keeps_everything_typed(editor_client):
    html = editor_client.post("/desk/posts/new/", form_data(action="add_clip")).content.decode()
    assert 'name="clips-1-outlet_name"' in html
    assert "Tanks near the bridges 0" in html
    assert Post.objects.count() == 0


def test_round_up_with_several_clips_in_order(editor_client):
    editor_client.post("/desk/posts/new/", form_data(clips=3))
    post = Post.objects.get()
    assert [c.source_headline for c in post.clips.all()] == [
        "Tanks near the bridges 0",
        "Tanks near the bridges 1",
        "Tanks near the bridges 2",
    ]


def test_invalid_form_rerenders_with_errors_and_text_kept(editor_client):
    data = form_data(**{"clips-0-url": "not a url", "headline": ""})
    response = editor_client.post("/desk/posts/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a full web address starting with http:// or https://" in html
    assert "This field is required." in html
    assert "I can see this happening by winter." in html
    assert Post.objects.count() == 0


def test_future_time_schedules(editor_client):
    later = timezone.localtime(timezone.now() + dt.timedelta(days=1))
    response = editor_client.post(
        "/desk/posts/new/", form_data(published_at=later.strftime("%Y-%m-%dT%H:%M")), follow=True
    )
    assert "Scheduled for" in response.content.decode()
    assert Post.objects.get().status == "scheduled"


def test_duplicate_source_url_warns_with_a_link_to_the_other_post(editor_client, make_post):
    other = make_post("Earlier post", clips=[clip(url="https://meridianwire.example/tanks-0")])
    html = editor_client.post("/desk/posts/new/", form_data(action="preview")).content.decode()
    assert "Already clipped:" in html
    assert f'href="/desk/posts/{other.pk}/">Earlier post</a>' in html


def test_edit_unpublish_and_update(editor_client):
    editor_client.post("/desk/posts/new/", form_data())
    post = Post.objects.get()
    edit = editor_client.get(f"/desk/posts/{post.pk}/").content.decode()
    assert 'value="Armour nears the crossings"' in edit and "Unpublish" in edit
    editor_client.post(f"/desk/posts/{post.pk}/", form_data(action="unpublish"))
    post.refresh_from_db()
    assert post.status == "draft"
    editor_client.post(f"/desk/posts/{post.pk}/", form_data(action="publish"))
    editor_client.post(f"/desk/posts/{post.pk}/", form_data(action="save", headline="Updated"))
    post.refresh_from_db()
    assert (post.headline, post.status) == ("Updated", "published")


def test_comments_view_lists_and_moderates(editor_client, make_post):
    post = make_post()
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"hold_all": True})
    comment_submit(post=post, body="Please approve me", ip_hash="a")
    html = editor_client.get("/desk/comments/?status=held").content.decode()
    assert "Please approve me" in html and "held (1)" in html
    comment = Comment.objects.get()
    editor_client.post(
        f"/comments/{comment.pk}/moderate/",
        {"action": "approve", "next": "/desk/comments/?status=held"},
    )
    comment.refresh_from_db()
    assert comment.status == "visible"
    assert comment.events.filter(action="approve").exists()


def test_discussion_settings_form(editor_client):
    editor_client.post(
        "/desk/settings/", {"mode": "accounts", "hold_all": "on", "flags_to_hold": 3}
    )
    policy = DiscussionSettings.current()
    assert policy.mode == "accounts" and policy.hold_all
