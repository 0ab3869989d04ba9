"""fetch() against a real server on loopback: every refusal says why in plain words."""

import pytest

from sitrep.core import http
from sitrep.core.http import FetchError, fetch


def test_fetches_and_decodes_gzip(web):
    response = fetch(web.url("/gzip-rss"))
    assert response.status == 200 and b"Meridian Wire: World" in response.content


def test_conditional_get_answers_not_modified(web):
    first = fetch(web.url("/rss.xml"))
    again = fetch(web.url("/rss.xml"), etag=first.headers["etag"])
    assert again.not_modified and again.content == b""


def test_redirects_are_followed_and_loops_stopped(web):
    assert fetch(web.url("/redirect")).url == web.url("/rss.xml")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(web.url("/loop"))


def test_server_errors_and_missing_pages_are_named(web):
    with pytest.raises(FetchError, match="answered 404"):
        fetch(web.url("/nothing-here"))
    with pytest.raises(FetchError, match="answered 500"):
        fetch(web.url("/error"))


def test_size_limit_and_gzip_bomb(web):
    with pytest.raises(FetchError, match="larger than the 1 MB limit"):
        fetch(web.url("/huge"), max_bytes=1024 * 1024)
    with pytest.raises(FetchError, match="larger than the 5 MB limit"):
        fetch(web.url("/gzip-bomb"))


def test_slow_servers_time_out(web):
    with pytest.raises(FetchError, match="no answer within 1 seconds"):
        fetch(web.url("/slow"), timeout=1)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x.example/"])
def test_only_web_addresses(url):
    with pytest.raises(FetchError, match="only http:// and https://"):
        fetch(url)


def test_private_addresses_are_refused_unless_allowed(web, settings):
    settings.SITREP_FETCH_ALLOW_PRIVATE = False
    with pytest.raises(FetchError, match=r"127\.0\.0\.1 points to a private or local address"):
        fetch(web.url("/rss.xml"))
    with pytest.raises(FetchError, match="private or local address"):
        fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(FetchError, match="private or local address"):
        fetch("http://[::1]:9/")


def test_a_redirect_to_a_private_address_is_checked_too(web, settings, monkeypatch):
    settings.SITREP_FETCH_ALLOW_PRIVATE = False
    original = http._public_address

    def loopback_counts_as_public(host, port):  # stand-in for a public site that redirects
        return "127.0.0.1" if host == "127.0.0.1" else original(host, port)

    monkeypatch.setattr(http, "_public_address", loopback_counts_as_public)
    with pytest.raises(FetchError, match=r"10\.0\.0\.1 points to a private or local address"):
        fetch(web.url("/to-private"))


def test_unknown_host_is_named():
    with pytest.raises(FetchError, match="does not resolve"):
        fetch("http://no-such-host.invalid/")


def test_user_agent_is_ours():
    assert http.USER_AGENT.startswith("sitrep/")
