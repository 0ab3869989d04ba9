"""Whole-page cache for anonymous readers: a public page is rendered once per change, not once
per view.

Views opt in with @public_page. A page is served from the cache to any request without a
session cookie (a signed-in reader or editor) and without pending messages; other cookies
(the CSRF cookie, a commenter's own-comment cookie) do not bypass it, so the readers who comment
are served as fast as the ones who never do. The key carries the content generation that every
write service bumps (core.cache), and a cached page never outlives the next scheduled post, so
readers see a change on their next request, from any process sharing the cache.
"""

from __future__ import annotations

import hashlib
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from sitrep.core import cache as cache_keys
from sitrep.core import formtoken

MAX_AGE = 600  # seconds; the generation and the scheduled-post deadline usually end it sooner
# Each process also keeps what it served for this long, without asking the shared cache: a
# change reaches every process within this time (the freshness promise is one second).
LOCAL_SECONDS = 0.5
_local: dict[str, tuple[float, dict]] = {}
_LOCAL_MAX = 500
cache_keys.on_bump.append(_local.clear)
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


# Per-reader parts of a page that the cache must not share: a session (signed in) and pending
# messages. The 15-minute own-comment cookie (edit links on the post pages its comments are
# on) bypasses only pages with the comment form, post pages; listings stay shared. The comment
# form's CSRF and time-stamp fields are filled in per request instead (see _personalise).
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
OWN_COOKIE = "sitrep_own"
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_FORM_FIELD = re.compile(rb'(name="form_token" value=")[^"]*(")')
CSRF_HOLE = "__sitrep_csrf_token__"  # stands in for a reader's CSRF token in shared HTML
_CSRF_HOLE, _FORM_HOLE = CSRF_HOLE.encode(), b"__sitrep_form_token__"


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if any(name in request.COOKIES for name in PERSONAL_COOKIES):
        return False
    return not request.path.startswith(SKIP_PREFIXES)


def _key(request) -> str:
    # Hashed: a URL can be longer than a cache key may be (memcached's 250 bytes, for one).
    digest = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    return cache_keys.key("page", digest)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        now = timezone.now()
        path_key = f"{request.get_host()}{request.get_full_path()}"
        local = _local.get(path_key)
        if local is not None and time.monotonic() < local[0] and now < local[1]["fresh_until"]:
            hit = local[1]
        else:
            hit = cache.get(_key(request))
            if hit is not None:
                if len(_local) >= _LOCAL_MAX:
                    _local.clear()
                _local[path_key] = (time.monotonic() + LOCAL_SECONDS, hit)
        own = OWN_COOKIE in request.COOKIES
        if hit is not None and now < hit["fresh_until"] and not (own and hit.get("has_form")):
            if hit.get("has_form"):
                return _personalise(request, hit)
            response = HttpResponse(hit["body"], status=200)
            for name, value in hit["headers"].items():
                response[name] = value
            response["X-Cache"] = "hit"
            response["X-Sitrep-Public"] = "1"
            return response
        response = self.get_response(request)
        if (
            not own  # rendered for an author who may still edit: never shared
            and getattr(response, "sitrep_public", False)
            and response.status_code == 200
            and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
            and not response.streaming
        ):
            from sitrep.posts.views import fresh_until

            body = _CSRF_FIELD.sub(rb"\1" + _CSRF_HOLE + rb"\2", response.content)
            body = _FORM_FIELD.sub(rb"\1" + _FORM_HOLE + rb"\2", body)
            has_form = body != response.content
            cache.set(
                _key(request),
                {
                    "body": body,
                    "has_form": has_form,
                    "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
                    "fresh_until": fresh_until(now),
                },
                MAX_AGE,
            )
            response["X-Cache"] = "miss"
            if not has_form:  # a page with a form is never shared by a cache in front of us
                response["X-Sitrep-Public"] = "1"  # deploy/nginx.conf caches only these
        return response


def _noop(request):  # CsrfViewMiddleware needs a get_response; only its hooks are used here
    return None


def csrf_filled(html: str, request) -> str:
    """A fragment rendered once for everyone with CSRF_HOLE as its token (comments.views keeps
    a post's thread that way), with this reader's token put in."""
    return html.replace(CSRF_HOLE, get_token(request))


def _personalise(request, hit) -> HttpResponse:
    """A cached page with the comment form: this reader's CSRF token (Django's own middleware
    reads and, if needed, sets the cookie, exactly as for a rendered page) and a fresh form
    time stamp go into the holes left when the page was stored."""
    csrf = CsrfViewMiddleware(_noop)
    csrf.process_request(request)
    body = hit["body"].replace(_CSRF_HOLE, get_token(request).encode())
    body = body.replace(_FORM_HOLE, formtoken.issue(time.time()).encode())
    response = HttpResponse(body, status=200)
    for name, value in hit["headers"].items():
        response[name] = value
    response["X-Cache"] = "hit"
    patch_vary_headers(response, ("Cookie",))
    return csrf.process_response(request, response)
