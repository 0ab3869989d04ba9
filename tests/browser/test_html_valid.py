"""Every public page is valid HTML, checked by the Nu HTML Checker (npm vnu-jar, on Java)."""

import json
import subprocess
import urllib.error
import urllib.request

import pytest

from sitrep.comments.services import comment_submit
from sitrep.places.gazetteer import gazetteer
from sitrep.places.services import places_suggest, post_place_add, post_places_decide
from sitrep.stories.services import post_status_change, story_add_post, story_save
from tests.browser.conftest import ROOT
from tests.conftest import clip

pytestmark = pytest.mark.django_db(transaction=True)
VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


def test_public_pages_have_no_html_errors(live_server, make_post, tmp_path):
    post = make_post("Armour nears the crossings", clips=[clip(1), clip(2)], labels=["Vessary"])
    parent = comment_submit(post=post, body="A [link](https://x.example/) and > a quote",
                            ip_hash="a", author_name="Harlan Vey",
                            author_website="https://harlan.example/", screened=False)  # fmt: skip
    comment_submit(post=post, body="- a list\n- of points", ip_hash="b", parent_id=parent.pk)
    story = story_save(story=None, title="Battle for the crossings", summary="Day by day.")
    story_add_post(story=story, post=post)
    post_status_change(post=post, status="disputed", reason="Denied by the ministry.",
                       actor=post.author)  # fmt: skip
    links = places_suggest(post_id=post.pk)  # "Armour nears the crossings" names no place:
    link = post_place_add(post=post, candidate=gazetteer().lookup("Kharkiv")[0])
    post_places_decide(post=post, confirm=[x.pk for x in links] + [link.pk], reject=[])
    place = link.place
    month = post.published_at.strftime("/%Y/%m/")
    paths = ["/", post.get_absolute_url(), "/label/vessary/", "/outlet/harbor-ledger/", month,
             "/archive/", "/search/?q=armour", "/about/", "/accounts/login/",
             "/accounts/signup/", "/accounts/password/reset/", "/no-such-page/", "/stories/",
             story.get_absolute_url(), story.get_absolute_url() + "?order=oldest", "/map/",
             "/places/", place.get_absolute_url()]  # fmt: skip
    files = []
    for n, path in enumerate(paths):
        try:
            body = urllib.request.urlopen(live_server.url + path).read()
        except urllib.error.HTTPError as error:  # the 404 page is checked too
            body = error.read()
        file = tmp_path / f"page{n}.html"
        file.write_bytes(body)
        files.append(str(file))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{paths[files.index(m['url'].removeprefix('file:'))]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
