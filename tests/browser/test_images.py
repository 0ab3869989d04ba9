"""Images in a real browser: the editor uploads a photo with GPS tags and publishes it; a reader
on a phone gets a small AVIF or WebP with no metadata; the front page stays light and lazy."""

import base64
import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from sitrep.media.models import MediaFile
from sitrep.media.services import media_sizes, media_store
from sitrep.posts.models import Post
from tests import images
from tests.browser.conftest import axe, sign_in
from tests.browser.test_desk import fill_clip
from tests.media.test_images import LEAKS, gps_photo

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_uploads_a_photo_and_a_phone_gets_a_small_clean_copy(
    page, phone, live_server, editor, tmp_path
):
    photo = tmp_path / "checkpoint.jpg"
    photo.write_bytes(gps_photo(size=(3000, 2000)))
    sign_in(page, live_server, "desk", "desk-password-1")
    page.goto(live_server.url + "/desk/posts/new/")
    page.fill("#id_headline", "Checkpoint reopens at dawn")
    fill_clip(page, 0, "Meridian Wire", "Checkpoint reopens", "https://mw.example/c")
    page.set_input_files("#id_image-file", str(photo))
    page.check("input[name='image-place'][value='lead']")
    page.click("button:has-text('Upload image')")  # no alt text yet: the page says why
    assert "Alt text is required" in page.locator("#images [role=status]").inner_text()
    assert not MediaFile.objects.exists()
    page.fill("#id_image-alt", "Cars queue at a checkpoint barrier at dawn")
    page.fill("#id_image-credit", "Photo: our own")
    page.click("button:has-text('Upload image')")
    page.wait_for_selector("#images [data-lead] img")
    assert "it is the lead image" in page.locator("#images [role=status]").inner_text()
    assert axe(page) == []
    page.click("button:has-text('Publish (or schedule)')")
    assert page.locator(".message").inner_text() == "Published."
    post = Post.objects.get()
    media = post.lead_image
    assert media.alt == "Cars queue at a checkpoint barrier at dawn"
    media_sizes(media=media)  # the worker's task (it runs outside the live server's thread)

    served = []
    phone.on("response", lambda r: served.append(r) if "/media/" in r.url else None)
    phone.goto(live_server.url + post.get_absolute_url())
    phone.wait_for_load_state("networkidle")
    figure = phone.locator("article figure.image")
    assert "Photo: our own" in figure.inner_text()
    [image] = [r for r in served if r.request.resource_type == "image"]
    assert image.headers["content-type"] in ("image/avif", "image/webp")
    assert "-480w." in image.url or "-800w." in image.url  # small: a 320 px wide screen
    body = image.body()
    assert not [leak for leak in LEAKS if leak in body]
    with Image.open(io.BytesIO(body)) as got:
        assert not got.getexif() and got.width <= 800
        assert got.height > got.width  # turned upright: the camera was held on its side
    assert axe(phone) == []


def test_an_image_dropped_or_pasted_into_the_text_asks_for_alt_text_then_lands_there(
    page, live_server, editor
):
    sign_in(page, live_server, "desk", "desk-password-1")
    page.goto(live_server.url + "/desk/posts/new/")
    page.fill("#id_text", "Before the picture.\n\nAfter it.")
    page.evaluate("document.getElementById('id_text').setSelectionRange(19, 19)")
    png = base64.b64encode(images.picture("PNG", size=(640, 400))).decode()
    page.evaluate(
        """(data) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "map.png", {type: "image/png"}));
            const text = document.getElementById("id_text");
            text.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true,
                                                      cancelable: true}));
        }""",
        png,
    )
    assert page.evaluate("document.activeElement.id") == "id_image-alt"
    assert "Describe map.png" in page.locator("#images [role=status]").inner_text()
    page.fill("#id_image-alt", "Map of the ferry route")
    page.click("button:has-text('Upload image')")
    page.wait_for_function("() => document.getElementById('id_text').value.includes('![Map')")
    media = MediaFile.objects.get()
    assert page.input_value("#id_text") == (
        f"Before the picture.\n\n![Map of the ferry route](/media/{media.file.name})\n\nAfter it."
    )


def test_the_front_page_with_ten_pictures_stays_light_and_loads_them_lazily(
    page, live_server, make_post
):
    for n in range(10):
        picture = media_store(content=images.picture("JPEG", size=(1600, 900),
                                                     colour=(20 * n, 80, 120)),
                              alt=f"Picture {n}")  # fmt: skip
        media_sizes(media=picture)
        make_post(f"Post with a picture {n}", lead_image=picture,
                  when=timezone.now() - dt.timedelta(hours=n + 1))  # fmt: skip
    sizes = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, (r.request.resource_type, r)))
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    pictures = [url for url, (kind, _) in sizes.items() if kind == "image" and "/media/" in url]
    # The first post's at once; the browser fetches lazy ones only near the screen.
    assert len(pictures) < 5
    weight = sum(len(r.body()) for url, (kind, r) in sizes.items()
                 if kind != "image" and r.status == 200)  # fmt: skip
    assert weight < 100 * 1024, weight  # HTML, CSS and scripts of a page with ten pictures
    assert page.locator("article figure.image").count() == 10
    for figure in page.locator("article figure.image img").all():  # the reader scrolls down
        figure.scroll_into_view_if_needed()
        page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=figure.element_handle()
        )
    later = [url for url, (kind, _) in sizes.items() if kind == "image" and "/media/" in url]
    assert len(later) == 10
    shift = page.evaluate(
        """() => new Promise(done => {
             let total = 0;  // no entry at all is the best answer: then none comes
             new PerformanceObserver(list => list.getEntries().forEach(e => total += e.value))
               .observe({type: "layout-shift", buffered: true});
             setTimeout(() => done(total), 300);
           })"""
    )
    assert shift < 0.05  # width and height keep each picture's place before it loads


def test_without_javascript_the_upload_button_places_the_image_and_keeps_the_typing(
    browser, live_server, editor, tmp_path
):
    photo = tmp_path / "ferry.png"
    photo.write_bytes(images.picture("PNG", size=(900, 600)))
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "desk", "desk-password-1")
    page.goto(live_server.url + "/desk/posts/new/")
    page.fill("#id_headline", "The ferry runs again")
    fill_clip(page, 0, "Harbor Ledger", "Ferry resumes", "https://hl.example/f")
    page.fill("#id_text", "Seen from the pier this morning.")
    page.set_input_files("#id_image-file", str(photo))
    page.fill("#id_image-alt", "The ferry leaving the pier")
    page.click("button:has-text('Upload image')")
    media = MediaFile.objects.get()
    placed = f"![The ferry leaving the pier](/media/{media.file.name})"
    assert page.input_value("#id_text") == f"Seen from the pier this morning.\n\n{placed}"
    assert page.input_value("#id_headline") == "The ferry runs again"
    assert page.input_value("#id_image-alt") == ""  # free for the next image
    page.click("button:has-text('Publish (or schedule)')")
    assert page.locator(".message").inner_text() == "Published."
    assert Post.objects.get().images.get() == media
    context.close()
