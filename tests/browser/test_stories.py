import datetime as dt
import time

import pytest
from django.utils import timezone

from sitrep.stories.services import story_add_post, story_save
from tests.browser.conftest import axe

pytestmark = pytest.mark.django_db(transaction=True)


def test_story_page_counts_new_posts_since_the_last_visit(page, live_server, make_post):
    story = story_save(story=None, title="Siege of Halden")
    first = make_post("Halden encircled", when=timezone.now() - dt.timedelta(hours=2))
    story_add_post(story=story, post=first)
    page.goto(live_server.url + story.get_absolute_url())
    assert page.locator("#story-new").is_hidden()  # a first visit has nothing to compare with
    assert axe(page) == []
    time.sleep(1.1)  # post times have one-second resolution in the page
    for n in range(2):
        story_add_post(story=story, post=make_post(f"Halden update {n}", when=timezone.now()))
    page.reload()
    assert page.locator("#story-new").inner_text() == "2 new since your last visit"
    assert page.locator(".timeline-entry.new").count() == 2
    page.reload()  # seen now: nothing new any more
    assert page.locator("#story-new").is_hidden()
