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
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from sitrep.core import cache as cache_keys

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


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
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
        if hit is not None and now < hit["fresh_until"]:
            response = HttpResponse(hit["body"], status=200)
            for name, value in hit["headers"].items():
                response[name] = value
            response["X-Cache"] = "hit"
            response["X-Sitrep-Public"] = "1"
            return response
        response = self.get_response(request)
        if (
            getattr(response, "sitrep_public", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        ):
            from sitrep.posts.views import fresh_until

            cache.set(
                _key(request),
                {
                    "body": response.content,
                    "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
                    "fresh_until": fresh_until(now),
                },
                MAX_AGE,
            )
            response["X-Cache"] = "miss"
            response["X-Sitrep-Public"] = "1"  # deploy/nginx.conf caches only these
        return response
