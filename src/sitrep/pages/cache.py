"""Whole-page cache: a public page is rendered once per change, not once per view.

Views opt in with @public_page. Pages are kept in two versions: one for anonymous readers and
one for signed-in readers without editing or moderating powers, whose only differences (their
name in the menu and above the comment form) are holes filled in per request, like the forms'
CSRF and time-stamp fields. So the readers who comment, signed in or not, are served as fast
as the ones who never do; a commenter's edit links for their own comments of the last fifteen
minutes go into the shared page per request too (reader_parts). Rendered for one request
only: editors and moderators (their tools are on the pages), pending messages and a ban notice
(views call mark_personal). The key carries the content generation that every
write service bumps (core.cache), and a cached page never outlives the next scheduled post, so
readers see a change on their next request, from any process sharing the cache.

The comment form and the flag and delete buttons carry no per-reader token (core.crossorigin
guards them by the browser's own headers), so an anonymous reader's post page is the same
bytes for everyone, like a listing: a cache in front (deploy/nginx.conf, header
X-Sitrep-Public) keeps it too. A commenter's own-comment cookie sends them past that cache to
this one for its fifteen minutes, so their edit links are put in the same way with and without
nginx, and need no script.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from functools import wraps
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.crypto import constant_time_compare
from django.utils.html import escape

from sitrep.accounts.selectors import reader_summary
from sitrep.core import cache as cache_keys
from sitrep.core import formtoken
from sitrep.pages import files as pagefiles

MAX_AGE = 600  # seconds; the generation and the scheduled-post deadline usually end it sooner
# Each process also keeps what it served for this long, without asking the shared cache: a
# change reaches every process within this time (the freshness promise is one second).
LOCAL_SECONDS = 0.5
_local: dict[str, tuple[float, dict]] = {}
_LOCAL_MAX = 500
cache_keys.on_bump.append(_local.clear)
# Sent by a proxy that keeps pages itself for a second (deploy/nginx.conf): its requests skip
# the per-process copy, so that second is all a reader behind it can wait for a change.
PROXY_CACHE_HEADER = "HTTP_X_SITREP_PROXY_CACHE"
SKIP_PREFIXES = ("/desk/", "/admin/", "/accounts/", "/comments/", "/static/")
KEPT_HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "Vary")


def public_page(view):
    """Mark a view's successful GET responses as the same for every anonymous reader."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.sitrep_public = True
        return response

    return wrapper


# Per-reader parts of a page that the cache must not share: pending messages. A session is looked
# at (below). The 15-minute own-comment cookie does not bypass this cache: the edit links it
# gives on post pages go into the shared page per request (reader_parts).
OWN_COOKIE = "sitrep_own"
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_FORM_FIELD = re.compile(rb'(name="form_token" value=")[^"]*(")')
_READER_NAME = re.compile(rb"(<span data-reader-name>)[^<]*(</span>)")
CSRF_HOLE = "__sitrep_csrf_token__"  # stands in for a reader's CSRF token in shared HTML
FORM_HOLE = "__sitrep_form_token__"  # for the comment form's time stamp
NAME_HOLE = "__sitrep_reader_name__"  # and for a signed-in reader's name
_CSRF_HOLE, _FORM_HOLE, _NAME_HOLE = CSRF_HOLE.encode(), FORM_HOLE.encode(), NAME_HOLE.encode()
# Only a form field's hole is filled, never the same letters elsewhere (a link in a comment
# could otherwise carry a reader's token away).
CSRF_SLOT = f'name="csrfmiddlewaretoken" value="{CSRF_HOLE}"'
_CSRF_SLOT = CSRF_SLOT.encode()
_AUTH_KEYS = {SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY}
ANONYMOUS = object()  # a reader with no session: the anonymous version of a page
# Functions (request, body, user id or None) -> body that put one reader's own bits into a page
# with forms (the comment app's edit links for its own comments), cached or rendered: each
# returns the body unchanged when it has nothing for this reader.
reader_parts: list = []
# Functions (now) -> the moment pages must be made again whatever happens (the next scheduled
# post going live), registered by the apps that know one.
deadlines: list = []


def reader_part(fill) -> None:
    """Have `fill(request, body, user id or None) -> body` put one reader's own bits into every
    page they get (the only way a shared page shows a reader something of their own)."""
    if fill not in reader_parts:
        reader_parts.append(fill)


def expires_by(deadline) -> None:
    """Have `deadline(now)` bound how long a page is kept (None: no deadline now)."""
    if deadline not in deadlines:
        deadlines.append(deadline)


def fresh_until(now):
    """Until when a page made now may be served: MAX_AGE, or the earliest registered deadline."""
    until = now + dt.timedelta(seconds=MAX_AGE)
    for deadline in deadlines:
        moment = deadline(now)
        if moment is not None and moment < until:
            until = moment
    return until


def mark_personal(request) -> None:
    """This response shows something for this reader only: it is never stored for others."""
    request.sitrep_personal = True


def _audience(request, session_store):
    """ANONYMOUS, a signed-in plain reader's summary, or None: render for this request only."""
    if request.method not in ("GET", "HEAD") or request.path.startswith(SKIP_PREFIXES):
        return None
    if request.COOKIES.get("messages"):  # (an emptied one is no message)
        return None
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return ANONYMOUS
    # The session store Django would use (cached_db: a cache read), read without the rest of
    # Django's stack; an expired or unknown session is an empty one.
    data = session_store(session_key).load()
    if not data:
        return ANONYMOUS
    if set(data) - _AUTH_KEYS or SESSION_KEY not in data:
        return None  # something else kept for this visitor: Django's full path decides
    reader = reader_summary(data[SESSION_KEY])
    if not reader or not reader["plain"]:
        return None
    if not constant_time_compare(data.get(HASH_SESSION_KEY, ""), reader["hash"]):
        return None  # the password changed since: Django will end this session
    return {**reader, "id": int(data[SESSION_KEY])}


def _with_reader_parts(request, body: bytes, user_id: int | None) -> bytes:
    if user_id or OWN_COOKIE in request.COOKIES:
        for part in reader_parts:
            body = part(request, body, user_id)
    return body


def _key(request, reader: bool) -> str:
    # Hashed: a URL can be longer than a cache key may be (memcached's 250 bytes, for one).
    digest = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    return cache_keys.key("page", "reader" if reader else "anonymous", digest)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request):
        audience = _audience(request, self.session_store)
        if audience is None:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if (
                request.method == "GET"
                and response.status_code == 200
                and not response.streaming
                and response.get("Content-Type", "").startswith("text/html")
            ):
                _personal_response(request, response, user.pk if user is not None else None)
            return response
        reader = audience if audience is not ANONYMOUS else None
        now = timezone.now()
        path_key = f"{'r' if reader else 'a'}:{request.get_host()}{request.get_full_path()}"
        local = None if PROXY_CACHE_HEADER in request.META else _local.get(path_key)
        # The key, with the generation in it, is taken before rendering: a page made from what
        # was read before a write elsewhere is kept under the generation before that write.
        key = None
        if local is not None and time.monotonic() < local[0] and now < local[1]["fresh_until"]:
            hit = local[1]
        else:
            key = _key(request, bool(reader))
            hit = cache.get(key)
            if hit is not None:
                if len(_local) >= _LOCAL_MAX:
                    _local.clear()
                _local[path_key] = (time.monotonic() + LOCAL_SECONDS, hit)
        if hit is not None and now < hit["fresh_until"]:
            if reader or hit.get("has_csrf", True):  # (pages kept by an older version: True)
                return _personalise(request, hit, reader)
            return _shared(request, hit)
        key = key or _key(request, bool(reader))
        response = self.get_response(request)
        if (
            not getattr(request, "sitrep_personal", False)
            and getattr(response, "sitrep_public", False)
            and response.status_code == 200
            and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
            and not response.streaming
        ):
            content = response.content
            body = _CSRF_FIELD.sub(rb"\1" + _CSRF_HOLE + rb"\2", content)
            has_csrf = body != content
            stamped = _FORM_FIELD.sub(rb"\1" + _FORM_HOLE + rb"\2", body)
            has_stamp, body = stamped != body, stamped
            if reader:
                body = _READER_NAME.sub(rb"\1" + _NAME_HOLE + rb"\2", body)
            stored = {
                "body": body,
                "has_csrf": has_csrf,
                "has_stamp": has_stamp,
                "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
                "fresh_until": fresh_until(now),
            }
            cache.set(key, stored, MAX_AGE)
            if not (reader or has_csrf):  # as everyone gets it, this reader's own bits put in
                return _shared(request, stored, "miss")
            response["X-Cache"] = "miss"
            _personal_response(request, response, reader and reader["id"])
        return response


def _shared(request, hit: dict, status: str = "hit") -> HttpResponse:
    """A stored page for an anonymous reader: the comment form's time stamp made now, and a
    commenter's own edit links. Without those links it is what every reader gets, and a cache
    in front may keep it (X-Sitrep-Public; one second in deploy/nginx.conf)."""
    body = hit["body"]
    if hit.get("has_stamp", True):
        body = body.replace(_FORM_HOLE, formtoken.issue(time.time()).encode())
    shared = body
    body = _with_reader_parts(request, body, None)
    if body is shared and PROXY_CACHE_HEADER in request.META:
        # A file only of what every reader gets: a commenter, sent here by their cookie for
        # every view, would otherwise rewrite (and gzip) the page on each one.
        if address := pagefiles.address(request):
            pagefiles.write(address, shared)
    response = _stored_response(hit, body, status)
    if body is shared:
        response["X-Sitrep-Public"] = "1"
        # nginx counts a cache's lifetime in whole seconds: "1s" kept a page up to two. Until
        # the end of this second instead (absolute, in nginx's own header): under one.
        response["X-Accel-Expires"] = f"@{int(time.time())}"
    return response


def _stored_response(hit: dict, body: bytes, status: str) -> HttpResponse:
    """A page from the cache with the headers it was stored with, and its length (without one
    it went out chunked, and nginx kept serving its copies chunked too)."""
    response = HttpResponse(body, status=200)
    for name, value in hit["headers"].items():
        response[name] = value
    response["X-Cache"] = status
    response["Content-Length"] = str(len(body))
    return response


def _personal_response(request, response, user_id: int | None) -> None:
    """A rendered page with this reader's own bits put in (see reader_parts)."""
    content = response.content  # joined anew on every access: once here
    body = _with_reader_parts(request, content, user_id)
    if body is not content:
        response.content = body
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(body))


def _noop(request):  # CsrfViewMiddleware needs a get_response; only its hooks are used here
    return None


def _slot_filled(token: str) -> str:
    return CSRF_SLOT.replace(CSRF_HOLE, token)


def csrf_filled(html: str, request) -> str:
    """A fragment rendered once for everyone with CSRF_HOLE as its token (comments.views keeps
    a post's thread that way), with this reader's token put in."""
    if CSRF_SLOT not in html:  # (no token asked for: no CSRF cookie set for nothing)
        return html
    return html.replace(CSRF_SLOT, _slot_filled(get_token(request)))


def _personalise(request, hit, reader: dict | None = None) -> HttpResponse:
    """A cached page with the comment form or for a signed-in reader: this reader's CSRF token
    (Django's own middleware reads and, if needed, sets the cookie, exactly as for a rendered
    page), a fresh form time stamp and the reader's name go into the holes left when the page
    was stored."""
    csrf = CsrfViewMiddleware(_noop)
    csrf.process_request(request)
    body = hit["body"].replace(_CSRF_SLOT, _slot_filled(get_token(request)).encode())
    body = body.replace(_FORM_HOLE, formtoken.issue(time.time()).encode())
    if reader:
        body = body.replace(_NAME_HOLE, escape(reader["name"]).encode())
    body = _with_reader_parts(request, body, reader and reader["id"])
    response = _stored_response(hit, body, "hit")
    patch_vary_headers(response, ("Cookie",))
    return csrf.process_response(request, response)
