import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from sitrep.comments.services import comment_submit
from tests.browser.conftest import axe
from tests.conftest import clip

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def story(make_post):
    post = make_post(
        "Armour nears the crossings",
        clips=[clip(1), clip(2, outlet="Meridian Wire")],
        labels=["Kalder Valley"],
    )
    first = comment_submit(post=post, body="The bridges matter most.", ip_hash="a",
                           author_name="Harlan Vey")  # fmt: skip
    comment_submit(post=post, body="Agreed, the middle one.", ip_hash="b", parent_id=first.pk)
    return post


def test_reader_reads_comments_replies_and_collapses(page, live_server, story):
    page.goto(live_server.url + "/")
    assert page.locator(".day-header").first.is_visible()
    page.click("text=Armour nears the crossings")
    page.wait_for_url(f"**{story.get_absolute_url()}")
    assert page.locator("blockquote").count() == 2
    page.fill("#id_body", "Anonymous view: this will take months.")
    page.click("button:has-text('Publish comment')")
    assert page.locator(".message").inner_text() == "Your comment is posted."
    mine = page.locator(".comment", has_text="this will take months")
    assert mine.evaluate("el => el.matches(':target')")  # the permalink scrolls to it
    mine.locator("a.reply").click()
    assert page.locator("#comment-form-heading").inner_text() == "Reply to Anonymous"
    page.fill("#id_body", "Replying to myself, with a second thought.")
    page.fill("#id_author_name", "Tilde Marsh")
    page.click("button:has-text('Publish comment')")
    reply = page.locator(".comment.depth-1", has_text="second thought")
    assert reply.is_visible()
    # In the markup, not only the styling: the reply's item is inside its parent's.
    assert reply.evaluate(
        "el => el.parentElement.matches('ol.replies')"
        " && el.parentElement.parentElement.textContent.includes('this will take months')"
    )
    toggle = page.locator(".comment", has_text="this will take months").locator("button.toggle")
    toggle.click()
    assert not reply.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert reply.is_visible()


def test_new_comments_since_the_last_visit_are_marked(page, live_server, story):
    page.goto(live_server.url + story.get_absolute_url())
    assert page.locator(".comment.new").count() == 0
    # Comment times have one-second resolution in the page: this one is written two seconds on.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=2), tick=True):
        comment_submit(post=story, body="Fresh news from the river.", ip_hash="c")
    page.reload()
    fresh = page.locator(".comment.new")
    assert fresh.count() == 1 and "Fresh news" in fresh.inner_text()
    assert page.locator("#new-comments").inner_text() == "1 new since your last visit"


def test_everything_works_without_javascript(browser, live_server, story):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    page.fill("#id_body", "No scripts here.")
    page.click("button:has-text('Publish comment')")
    assert page.locator(".comment", has_text="No scripts here.").is_visible()
    assert page.locator("button.toggle").count() == 0
    context.close()


def test_commenting_with_the_keyboard_only(page, live_server, story):
    page.goto(live_server.url + story.get_absolute_url())
    page.focus("#id_body")
    page.keyboard.type("Typed without a mouse.")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    page.keyboard.press("Enter")
    page.wait_for_selector(".message")
    assert page.locator(".comment", has_text="Typed without a mouse.").is_visible()


def test_phone_width_has_no_horizontal_scroll(phone, live_server, story):
    for path in ["/", story.get_absolute_url()]:
        phone.goto(live_server.url + path)
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_accessibility_of_reader_pages(page, live_server, story, scheme):
    page.emulate_media(color_scheme=scheme)
    pages = ["/", story.get_absolute_url(), "/label/kalder-valley/", "/search/?q=crossings",
             "/accounts/login/", "/archive/"]  # fmt: skip
    found = {}
    for path in pages:
        page.goto(live_server.url + path)
        violations = axe(page)
        if violations:
            found[path] = violations
    assert found == {}
