"""The media library takes images by their content: real images once each, nothing else."""

import pytest
from django.core.files.storage import default_storage

from sitrep.media.models import MediaFile
from sitrep.media.services import MediaRefused, media_copy, media_store
from tests import images

pytestmark = pytest.mark.django_db


def test_an_image_is_kept_once_with_its_size_and_type():
    first = media_store(content=images.picture("JPEG"), original_url="https://old.example/a.jpg")
    again = media_store(content=images.picture("JPEG"), original_url="https://elsewhere/b.jpg")
    assert first == again and MediaFile.objects.count() == 1
    assert (first.content_type, first.width, first.height) == ("image/jpeg", 64, 48)
    assert first.file.name.endswith(".jpg") and default_storage.exists(first.file.name)
    assert first.original_url == "https://old.example/a.jpg"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (images.truncated(), "a damaged image"),
        (images.bomb(), "too many pixels to decode safely"),
        (images.svg(), "an SVG drawing, which can carry script"),
        (b"GIF89a" + b"\0" * 20, "not an image"),
        (b"<!doctype html><p>Not found", "not an image"),
    ],
)
def test_what_is_not_a_whole_image_is_refused_with_a_reason(content, reason):
    with pytest.raises(MediaRefused, match=reason):
        media_store(content=content)
    assert MediaFile.objects.count() == 0


def test_a_file_named_like_an_image_is_judged_by_its_content(web):
    with pytest.raises(MediaRefused, match="not an image"):
        media_copy(url=web.url("/images/page.png"))
    copied = media_copy(url=web.url("/images/photo.jpg"))
    assert (copied.content_type, copied.width) == ("image/jpeg", 320)


def test_addresses_reserved_for_examples_are_never_fetched():
    with pytest.raises(MediaRefused, match="reserved for examples"):
        media_copy(url="https://blogger.example/img/desk.jpg")


def test_the_file_is_served_from_the_library_for_good(client):
    stored = media_store(content=images.picture("PNG"))
    response = client.get(stored.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]
    served = b"".join(response.streaming_content)
    assert images.pixels(served) == images.pixels(images.picture("PNG"))
    assert client.get("/media/../secret_key.png").status_code == 404
    assert client.get("/media/2026/01/none.png").status_code == 404
    assert client.get("/media/" + stored.file.name.replace(".png", ".html")).status_code == 404
