import time

import pytest

from sitrep.posts.models import Post
from tests.browser.conftest import axe, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def fill_clip(page, n, outlet, headline, url):
    page.fill(f"#id_clips-{n}-outlet_name", outlet)
    page.fill(f"#id_clips-{n}-authors", "Ilse Brandvold")
    page.fill(f"#id_clips-{n}-source_headline", headline)
    page.fill(f"#id_clips-{n}-url", url)
    page.fill(f"#id_clips-{n}-excerpt", f"First paragraph from {outlet}.\n\nSecond paragraph.")


def test_editor_composes_previews_and_publishes_a_two_clip_post(page, live_server, editor):
    sign_in(page, live_server, "desk", "desk-password-1")
    page.goto(live_server.url + "/desk/posts/new/")
    assert axe(page) == []
    page.fill("#id_headline", "Two views of the river")
    fill_clip(page, 0, "Meridian Wire", "Tanks near the bridges", "https://mw.example/a")
    page.click("button:has-text('Add another clip')")
    fill_clip(page, 1, "Lowland Times", "Queues at the pumps", "https://lt.example/b")
    page.fill("#id_note", "Read together, these say a lot.")
    page.keyboard.press("Control+Enter")  # preview
    preview = page.locator(".preview-pane")
    preview.wait_for()
    assert preview.locator("blockquote").count() == 2
    assert "Night Editor:" in preview.inner_text()
    assert Post.objects.count() == 0
    page.click("button:has-text('Publish (or schedule)')")
    assert page.locator(".message").inner_text() == "Published."
    page.goto(live_server.url + "/")
    article = page.locator("article.post", has_text="Two views of the river")
    assert article.locator("cite").all_inner_texts() == [
        "Tanks near the bridges",
        "Queues at the pumps",
    ]


def test_compose_keeps_unsaved_typing_in_the_browser(page, live_server, editor):
    sign_in(page, live_server, "desk", "desk-password-1")
    page.goto(live_server.url + "/desk/posts/new/")
    page.fill("#id_headline", "Half-written headline")
    # The autosave waits for a pause in typing: wait until it has kept the headline (polled
    # from here: the site's CSP forbids the string evaluation wait_for_function would use).
    kept = "Object.keys(localStorage).some(k => localStorage.getItem(k).includes('Half-written'))"
    deadline = time.monotonic() + 10
    while not page.evaluate(kept):
        assert time.monotonic() < deadline, "the draft was never kept"
        page.wait_for_timeout(50)
    page.reload()
    assert page.input_value("#id_headline") == ""
    page.click("[data-restore]")
    assert page.input_value("#id_headline") == "Half-written headline"


def test_field_errors_stand_next_to_the_field(page, live_server, editor):
    sign_in(page, live_server, "desk", "desk-password-1")
    page.goto(live_server.url + "/desk/posts/new/")
    page.fill("#id_headline", "Missing a URL")
    page.fill("#id_clips-0-outlet_name", "Meridian Wire")
    page.fill("#id_clips-0-source_headline", "Something")
    page.fill("#id_clips-0-url", "not a url")
    page.fill("#id_clips-0-excerpt", "Text")
    page.click("button:has-text('Preview')")
    field = page.locator(".field.has-error")
    assert "Enter a full web address" in field.inner_text()
    assert field.locator("input").get_attribute("id") == "id_clips-0-url"


def test_composing_with_the_keyboard_only(page, live_server, editor):
    sign_in(page, live_server, "desk", "desk-password-1")
    page.goto(live_server.url + "/desk/posts/new/")
    assert page.evaluate("document.activeElement.id") == "id_headline"  # autofocus
    page.keyboard.type("Typed at the keyboard")
    for field, text in [("id_clips-0-outlet_name", "Meridian Wire"),
                        ("id_clips-0-authors", "Ilse Brandvold"),
                        ("id_clips-0-source_headline", "Tanks near the bridges"),
                        ("id_clips-0-url", "https://mw.example/keys")]:  # fmt: skip
        while page.evaluate("document.activeElement.id") != field:
            page.keyboard.press("Tab")
        page.keyboard.type(text)
    while page.evaluate("document.activeElement.id") != "id_clips-0-excerpt":
        page.keyboard.press("Tab")
    page.keyboard.type("A paragraph typed without a mouse.")
    page.keyboard.press("Control+Shift+Enter")  # publish
    page.wait_for_selector(".message")
    assert page.locator(".message").inner_text() == "Published."
    assert Post.objects.get().headline == "Typed at the keyboard"
