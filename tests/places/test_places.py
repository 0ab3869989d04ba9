"""Places: the matcher on our labelled sentences, suggestions, the editor's decisions, place
pages, the map and the geo feeds."""

import datetime as dt
import json
from pathlib import Path

import pytest
from bench.places import HELD_OUT, evaluate, load
from django.utils import timezone

from sitrep.places.gazetteer import gazetteer
from sitrep.places.models import Place, PostPlace
from sitrep.places.services import places_suggest, post_places_decide
from tests.conftest import clip

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def places():
    return gazetteer()


def names(found):
    return [(m.candidate.name, m.candidate.country_code) for m in found]


def test_three_spellings_of_deir_ez_zor_are_one_place(places):
    keys = {
        places.find(text)[0].candidate.key
        for text in ["Deir el-Zour", "Deir ez-Zor", "Dayr az Zawr", "Deir al-Zor"]
    }
    assert len(keys) == 1


def test_common_words_and_lower_case_are_not_places(places):
    text = "Police said March was quiet; reading the mobile report, a nice split appeared."
    assert places.find(text) == []
    assert places.find("the aleppo road") == []  # not capitalised: not a name here


def test_a_country_named_in_the_text_decides_between_namesakes(places):
    assert names(places.find("Talks in Tripoli stalled."))[0] == ("Tripoli", "LY")
    both = names(places.find("Talks in Tripoli, Lebanon stalled."))
    assert ("Tripoli", "LB") in both and ("Lebanon", "LB") in both


def test_main_names_outweigh_bigger_namesakes_with_an_alternate_spelling(places):
    assert names(places.find("Fighting near Pokrovsk."))[0] == ("Pokrovsk", "UA")
    assert names(places.find("Ships left Odessa."))[0] == ("Odesa", "UA")


@pytest.mark.parametrize("path", ["tests/data/places/labelled.tsv", str(HELD_OUT)])
def test_precision_and_recall_on_our_labelled_sentences(places, path):
    rows = load(ROOT / path)
    result = evaluate(rows, places)
    # A regression guard; bench/places.py prints the exact figures.
    assert len(rows) >= 50 and result["precision"] >= 0.95 and result["recall"] >= 0.95


@pytest.mark.django_db
def test_suggestions_come_from_the_post_and_the_editor_decides(
    make_post, client, django_capture_on_commit_callbacks
):
    post = make_post(
        "Shelling near Deir el-Zour",
        clips=[clip(1, excerpt="Residents fled toward Raqqa, and the road to Aleppo was cut.")],
        note="Police said March would be calmer.",
    )
    links = places_suggest(post_id=post.pk)
    found = {link.place.name: link for link in links}
    assert set(found) == {"Deir el-Zour", "Raqqa", "Aleppo"}
    assert all(link.state == PostPlace.State.SUGGESTED for link in links)
    assert "/places/" not in client.get(post.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # committing refreshes pages
        post_places_decide(
            post=post,
            confirm=[found["Deir el-Zour"].pk, found["Aleppo"].pk],
            reject=[found["Raqqa"].pk],
        )
    page = client.get(post.get_absolute_url()).content.decode()
    deir = Place.objects.get(name="Deir el-Zour")
    assert f'href="{deir.get_absolute_url()}"' in page and "Raqqa</a>" not in page
    # A second pass keeps the editor's decisions.
    places_suggest(post_id=post.pk)
    assert PostPlace.objects.get(post=post, place__name="Raqqa").state == "rejected"
    place_page = client.get(deir.get_absolute_url()).content.decode()
    assert "Shelling near Deir el-Zour" in place_page
    feed = client.get(deir.get_absolute_url() + "feed.atom").content.decode()
    assert "Shelling near Deir el-Zour" in feed


@pytest.fixture
def tagged(make_post):
    def make(headline, place_text, hours_ago):
        when = timezone.now() - dt.timedelta(hours=hours_ago)
        post = make_post(
            headline, when=when, clips=[clip(1, excerpt=f"Reports from {place_text}.")]
        )
        links = places_suggest(post_id=post.pk)
        post_places_decide(post=post, confirm=[link.pk for link in links], reject=[])
        return post

    return make


@pytest.mark.django_db
def test_map_lists_places_of_the_window_and_works_without_javascript(client, tagged):
    tagged("Night in Kharkiv", "Kharkiv", 2)
    tagged("Morning in Kherson", "Kherson", 30)
    six = client.get("/map/?window=6h").content.decode()
    assert "Night in Kharkiv" in six and "Morning in Kherson" not in six
    week = client.get("/map/?window=7d").content.decode()
    assert "Night in Kharkiv" in week and "Morning in Kherson" in week
    assert "leaflet.js" in week and "countries-110m.json" in week
    assert client.get("/map/?window=bogus").status_code == 200


@pytest.mark.django_db
def test_geojson_and_georss_carry_points(client, tagged):
    tagged("Night in Kharkiv", "Kharkiv", 2)
    data = json.loads(client.get("/places/posts.geojson").content)
    feature = data["features"][0]
    longitude, latitude = feature["geometry"]["coordinates"]
    assert (
        feature["properties"]["place"] == "Kharkiv" and 49 < latitude < 51 and 35 < longitude < 37
    )
    assert feature["properties"]["posts"][0]["headline"] == "Night in Kharkiv"
    atom = client.get("/places/posts.atom").content.decode()
    assert 'xmlns:georss="http://www.georss.org/georss"' in atom
    assert "<georss:point>49." in atom and "Night in Kharkiv" in atom


@pytest.mark.django_db
def test_desk_confirms_rejects_and_adds_places(editor_client, make_post):
    post = make_post("Strikes on Homs", clips=[clip(1, excerpt="Homs and Hama were hit.")])
    links = {link.place.name: link for link in places_suggest(post_id=post.pk)}
    page = editor_client.get("/desk/places/").content.decode()
    assert "Strikes on Homs" in page and "Hama" in page
    editor_client.post(
        f"/desk/places/{post.pk}/", {"confirm": [links["Homs"].pk], "add": "Deir ez-Zor"}
    )
    states = dict(PostPlace.objects.filter(post=post).values_list("place__name", "state"))
    assert states == {"Homs": "confirmed", "Hama": "rejected", "Deir ez-Zor": "confirmed"}
    refused = editor_client.post(
        f"/desk/places/{post.pk}/", {"add": "Nowhereville Xyz"}, follow=True
    )
    assert "No place called" in refused.content.decode()


@pytest.mark.django_db
def test_map_widens_to_the_week_when_the_day_was_quiet(client, tagged):
    tagged("Morning in Kherson", "Kherson", 30)
    page = client.get("/map/").content.decode()
    assert "Morning in Kherson" in page and "<strong>7d</strong>" in page
    assert "Morning in Kherson" not in client.get("/map/?window=24h").content.decode()
