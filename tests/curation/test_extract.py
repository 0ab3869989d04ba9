import datetime as dt

import pytest

from sitrep.curation.extract import clip_extract
from sitrep.posts.models import Outlet

pytestmark = pytest.mark.django_db


def test_article_fills_every_field_of_a_clip(web):
    draft = clip_extract(web.url("/article.html"))
    assert draft.error == ""
    assert draft.url == "https://meridianwire.example/2026/11/tanks-kalder"  # canonical, clean
    assert draft.source_headline == "Tanks gather near the Kalder crossings"
    assert draft.authors == "Ilse Brandvold and Tomas Quill"
    assert (draft.outlet_name, draft.outlet_known) == ("Meridian Wire", False)
    assert draft.source_published == dt.date(2026, 11, 23)
    paragraphs = draft.excerpt.split("\n\n")
    assert len(paragraphs) == 3 and paragraphs[0].startswith("Commercial satellite images")
    assert "fifth paragraph" not in draft.excerpt  # the lead, not the article


def test_known_outlet_is_matched_by_domain(web):
    Outlet.objects.create(
        name="The Meridian Wire Service", slug="mws", domains="meridianwire.example"
    )
    draft = clip_extract(web.url("/article.html"))
    assert (draft.outlet_name, draft.outlet_known) == ("The Meridian Wire Service", True)


def test_selected_text_is_quoted_instead_of_the_lead(web):
    draft = clip_extract(
        web.url("/article.html"), selection="Only this passage.\r\n\r\n<b>And</b> this."
    )
    assert draft.excerpt == "Only this passage.\n\nAnd this."


def test_failures_say_why_and_keep_the_address(web):
    draft = clip_extract(web.url("/missing-article"))
    assert draft.url == web.url("/missing-article")
    assert draft.error == "could not fetch the page: the server answered 404 Not Found"
    assert clip_extract("javascript:alert(1)").error.startswith("Enter a full web address")
    assert "not a web page" in clip_extract(web.url("/feed.json")).error
