"""The one door to the outside web: every outbound request sitrep makes goes through fetch().

It only speaks http(s); refuses private, loopback, link-local and other non-public addresses
(unless SITREP_FETCH_ALLOW_PRIVATE, which the tests use) and connects to the very address it
checked, so a DNS answer cannot change between the check and the connection; follows at most
five redirects, checking each; sends conditional headers; and enforces a connect timeout, a
total time budget and a size cap on the decompressed body (a gzip bomb stops at the cap).
Every failure is a FetchError whose message an editor can act on.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

USER_AGENT = "sitrep/0.1 (curated news; +https://github.com/sitrep)"
MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_TIMEOUT = 15.0  # seconds for the whole exchange, body included


# Names reserved for examples and tests (RFC 2606, RFC 6761): the demo week cites them. Nothing
# is fetched from them, and no web archive is asked to keep them.
RESERVED_SUFFIXES = (".example", ".test", ".invalid", ".localhost")
RESERVED_NAMES = ("example.com", "example.net", "example.org", "localhost")


def reserved(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host.endswith(RESERVED_SUFFIXES) or any(
        host == name or host.endswith("." + name) for name in RESERVED_NAMES
    )


class FetchError(Exception):
    """Why a fetch failed, in plain words; `status` is the HTTP status when the server answered
    with an error (404, 503, ...), None when there was no answer."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass
class Response:
    url: str  # after redirects
    status: int
    content: bytes = b""
    headers: dict = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


_pools = urllib3.PoolManager(num_pools=50, maxsize=4, retries=False)


def _public_address(host: str, port: int) -> str:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        raise FetchError(f"the name {host} does not resolve") from None
    allow_private = getattr(settings, "SITREP_FETCH_ALLOW_PRIVATE", False)
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global and not allow_private:
            raise FetchError(f"{host} points to a private or local address ({address}); refused")
    return infos[0][4][0]


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    accept: str = "*/*",
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float | None = None,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict | None = None,
    sign=None,
) -> Response:
    """GET (or HEAD) `url`, following redirects; the Response's url is where it ended.

    POST sends `body` and follows no redirect. `headers` are added to ours; `sign(method, url,
    headers, body)` returns the headers with a signature, made again for each address a
    redirect leads to (fediverse servers sign their requests)."""
    timeout = timeout or DEFAULT_TIMEOUT
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("only http:// and https:// addresses can be fetched")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = _public_address(parts.hostname, port)
        sent = {
            "User-Agent": USER_AGENT,
            "Accept": accept,
            "Accept-Encoding": "gzip, deflate",
            "Host": parts.netloc,
            **(headers or {}),
        }
        if etag:
            sent["If-None-Match"] = etag
        if last_modified:
            sent["If-Modified-Since"] = last_modified
        if sign is not None:
            sent = sign(method, url, sent, body or b"")
        pool_kwargs = {}
        if parts.scheme == "https":  # verify the certificate for the name, not the address
            pool_kwargs = {"server_hostname": parts.hostname, "assert_hostname": parts.hostname}
        pool = _pools.connection_from_host(
            address, port=port, scheme=parts.scheme, pool_kwargs=pool_kwargs
        )
        try:
            raw = _open(pool, method, parts, sent, deadline, body)
        except urllib3.exceptions.TimeoutError:
            raise FetchError(f"no answer within {timeout:.0f} seconds") from None
        except urllib3.exceptions.SSLError:
            raise FetchError("the secure connection failed (certificate problem)") from None
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(f"could not connect ({type(exc).__name__})") from None
        try:
            moved = raw.status in (301, 302, 303, 307, 308) and raw.headers.get("location")
            if moved and method == "POST":
                raise FetchError(f"the server answered {raw.status}, a redirect", status=raw.status)
            if moved:
                url = urljoin(url, raw.headers["location"])
                continue
            if raw.status == 304:
                return Response(url=url, status=304, headers=_headers(raw))
            if raw.status >= 400:
                message = f"the server answered {raw.status} {raw.reason or ''}".strip()
                raise FetchError(message, status=raw.status)
            return Response(
                url=url,
                status=raw.status,
                content=b""
                if method == "HEAD"
                else _read(raw, max_bytes=max_bytes, deadline=deadline, timeout=timeout),
                headers=_headers(raw),
            )
        finally:
            raw.release_conn()
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def _open(pool, method, parts, headers, deadline, body=None):
    """Send the request; once more if the connection broke before any answer came. A pooled
    connection the server has just closed (after an error answer, say) fails that way, and GET
    and HEAD are safe to repeat; a POST is sent once."""
    for attempt in (1, 2) if method in ("GET", "HEAD") else (2,):
        remaining = max(0.1, deadline - time.monotonic())
        try:
            return pool.urlopen(
                method,
                parts.path + (f"?{parts.query}" if parts.query else "") or "/",
                headers=headers,
                body=body,
                redirect=False,
                preload_content=False,
                decode_content=True,
                timeout=urllib3.Timeout(connect=min(5.0, remaining), read=remaining),
            )
        except urllib3.exceptions.ProtocolError:
            if attempt == 2:
                raise


def _headers(raw) -> dict:
    return {k.lower(): v for k, v in raw.headers.items()}


def _read(raw, *, max_bytes, deadline, timeout) -> bytes:
    chunks, size = [], 0
    try:
        for chunk in raw.stream(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"larger than the {max_bytes // (1024 * 1024)} MB limit")
            if time.monotonic() > deadline:
                raise FetchError(f"took longer than {timeout:.0f} seconds to download")
            chunks.append(chunk)
    except urllib3.exceptions.TimeoutError:
        raise FetchError(f"no answer within {timeout:.0f} seconds") from None
    except urllib3.exceptions.DecodeError:
        raise FetchError("the compressed answer is corrupt") from None
    except urllib3.exceptions.ProtocolError:
        raise FetchError("the connection broke off mid-answer") from None
    return b"".join(chunks)


def http_date(timestamp: float) -> str:
    return formatdate(timestamp, usegmt=True)
