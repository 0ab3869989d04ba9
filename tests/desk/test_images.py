"""Images in the desk: uploaded in compose (with or without JavaScript), alt text required,
nothing typed lost; the media library lists, describes, replaces and refuses to delete."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sitrep.audit.models import Entry
from sitrep.media.models import MediaFile
from sitrep.media.services import media_store
from sitrep.posts.models import Post
from tests import images
from tests.desk.test_views import form_data

pytestmark = pytest.mark.django_db


def upload(name="pier.jpg", content=None):
    return SimpleUploadedFile(name, content or images.picture("JPEG", size=(900, 600)))


def test_upload_without_javascript_puts_the_image_in_the_text_and_keeps_the_typing(editor_client):
    data = form_data("upload", text="My own words.", **{
        "image-file": upload(), "image-alt": "The pier at dawn", "image-caption": "Morning",
        "image-credit": "Photo: our own", "image-place": "text",
    })  # fmt: skip
    page = editor_client.post("/desk/posts/new/", data).content.decode()
    media = MediaFile.objects.get()
    assert (media.alt, media.caption, media.credit) == ("The pier at dawn", "Morning",
                                                        "Photo: our own")  # fmt: skip
    assert f"My own words.\n\n![The pier at dawn](/media/{media.file.name})" in page
    assert "Armour nears the crossings" in page  # the headline typed stays
    assert not Post.objects.exists()  # uploading saves no post
    assert Entry.objects.filter(action="media.upload").exists()


def test_alt_text_is_required_and_the_form_says_why(editor_client):
    data = form_data("publish", **{"image-file": upload(), "image-alt": ""})
    page = editor_client.post("/desk/posts/new/", data).content.decode()
    assert "Alt text is required: screen readers read it aloud" in page
    assert not Post.objects.exists() and not MediaFile.objects.exists()
    assert "I can see this happening by winter." in page


def test_a_file_chosen_then_publish_pressed_is_not_lost(editor_client):
    data = form_data("publish", **{"image-file": upload(), "image-alt": "A map of the valley",
                                   "image-place": "lead"})  # fmt: skip
    response = editor_client.post("/desk/posts/new/", data)
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.lead_image.alt == "A map of the valley"


def test_a_refused_file_says_why_and_keeps_the_post(editor_client):
    data = form_data("publish", **{"image-file": upload("map.svg", images.svg()),
                                   "image-alt": "A map"})  # fmt: skip
    page = editor_client.post("/desk/posts/new/", data).content.decode()
    assert "map.svg was not kept: an SVG drawing, which can carry script" in page
    assert not Post.objects.exists() and "Armour nears the crossings" in page


def test_text_may_show_only_library_images_with_alt_text(editor_client):
    bare = media_store(content=images.picture("PNG"))  # imported: no alt text of its own
    for text, error in [
        ("![A map](https://elsewhere.example/map.png)", "is not in the media library. Upload"),
        (f"![](/media/{bare.file.name})", "has no alt text. Alt text is required"),
        ("![A map](/media/2026/01/gone.png)", "/media/2026/01/gone.png is not in the media"),
    ]:
        page = editor_client.post("/desk/posts/new/", form_data(text=text)).content.decode()
        assert error in page, text
    assert not Post.objects.exists()
    editor_client.post("/desk/posts/new/", form_data(text=f"![A map](/media/{bare.file.name})"))
    assert Post.objects.get().images.get() == bare


def test_the_script_uploads_and_gets_the_markdown_back(editor_client):
    answer = editor_client.post(
        "/desk/media/upload/", {"image-file": upload(), "image-alt": "Smoke over the port"}
    )
    media = MediaFile.objects.get()
    assert answer.json()["markdown"] == f"![Smoke over the port](/media/{media.file.name})"
    assert answer.json()["id"] == media.pk
    refused = editor_client.post("/desk/media/upload/", {"image-file": upload(),
                                                         "image-alt": ""})  # fmt: skip
    assert refused.status_code == 400 and "Alt text is required" in refused.json()["errors"][0]


def test_the_library_lists_searches_and_shows_where_an_image_is_used(editor_client, make_post):
    pier = media_store(content=images.picture("JPEG"), alt="The pier", credit="Photo: Harbor")
    media_store(content=images.picture("PNG"), alt="A map of the coast")
    post = make_post("Ferry talks", lead_image=pier)
    page = editor_client.get("/desk/media/?q=pier").content.decode()
    assert "The pier" in page and "A map of the coast" not in page and "In 1 post" in page
    unused = editor_client.get("/desk/media/?unused=1").content.decode()
    assert "A map of the coast" in unused and "The pier" not in unused
    item = editor_client.get(f"/desk/media/{pier.pk}/").content.decode()
    assert "Ferry talks" in item and "lead image" in item
    assert f"![The pier](/media/{pier.file.name})" in item
    assert post.pk


def test_an_image_in_use_is_not_deleted_and_an_unused_one_is(editor_client, make_post):
    pier = media_store(content=images.picture("JPEG"), alt="The pier")
    make_post("Ferry talks", text=f"![The pier](/media/{pier.file.name})")
    page = editor_client.post(f"/desk/media/{pier.pk}/", {"action": "delete"}).content.decode()
    assert "Not deleted: posts show this image" in page and "Ferry talks" in page
    assert MediaFile.objects.filter(pk=pier.pk).exists()
    spare = media_store(content=images.picture("PNG"), alt="Spare")
    editor_client.post(f"/desk/media/{spare.pk}/", {"action": "delete"})
    assert not MediaFile.objects.filter(pk=spare.pk).exists()
    assert Entry.objects.filter(action="media.delete").exists()


def test_replace_everywhere_keeps_the_words_and_removes_the_old_file(editor_client, make_post):
    pier = media_store(content=images.picture("JPEG"), alt="The pier", credit="Photo: Harbor")
    post = make_post("Ferry talks", lead_image=pier, text=f"![Pier](/media/{pier.file.name})")
    response = editor_client.post(f"/desk/media/{pier.pk}/", {
        "action": "replace", "image-file": upload("new.png", images.picture("PNG")),
        "image-alt": "The pier", "image-credit": "Photo: Harbor",
    })  # fmt: skip
    new = MediaFile.objects.get()
    assert response.url == f"/desk/media/{new.pk}/"
    assert (new.alt, new.credit) == ("The pier", "Photo: Harbor")
    post.refresh_from_db()
    assert post.lead_image == new and new.file.name in post.text
    assert Entry.objects.filter(action="media.replace").exists()


def test_describing_an_image_changes_it_in_every_post(editor_client, make_post):
    pier = media_store(content=images.picture("JPEG"), alt="The pier")
    post = make_post("Ferry talks", text=f"![](/media/{pier.file.name})")
    editor_client.post(f"/desk/media/{pier.pk}/", {
        "action": "describe", "image-alt": "The pier", "image-caption": "Ice on the water",
    })  # fmt: skip
    post.refresh_from_db()
    assert '<span class="caption">Ice on the water</span>' in post.text_html
