import datetime as dt

import pytest
from django.utils import timezone

from sitrep.places.services import places_suggest, post_places_decide
from tests.browser.conftest import axe
from tests.conftest import clip

pytestmark = pytest.mark.django_db(transaction=True)


def test_map_draws_offline_outlines_and_a_marker_per_place(page, live_server, make_post):
    for n, (headline, town) in enumerate(
        [("Night in Kharkiv", "Kharkiv"), ("Port of Odesa", "Odesa")]
    ):
        post = make_post(headline, when=timezone.now() - dt.timedelta(hours=n + 1),
                         clips=[clip(n, excerpt=f"Reports from {town} tonight.")])  # fmt: skip
        links = places_suggest(post_id=post.pk)
        post_places_decide(post=post, confirm=[link.pk for link in links], reject=[])
    page.goto(live_server.url + "/map/")
    page.wait_for_selector("path.leaflet-interactive")  # the circle markers
    assert page.locator("path.leaflet-interactive").count() == 2
    # The outlines come from a second request that may finish after the markers.
    page.wait_for_function("() => document.querySelectorAll('svg path').length > 100")
    assert page.locator("svg path").count() > 100  # country outlines, with no tile server
    page.wait_for_load_state("networkidle")  # map settled
    page.locator("path.leaflet-interactive").first.click()
    page.wait_for_selector(".leaflet-popup-content a")
    # The popup fades in; check its contrast once it is fully there.
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    assert page.locator(".leaflet-popup-content a").count() >= 2  # the place and its post
    assert axe(page) == []
