"""Forgery protection for the forms in pages every reader shares (the comment form, flag and
delete buttons): by the headers the browser itself sets, not by a per-reader token.

A token in the page would make each reader's copy of a post page different, so no cache could
share it (nginx would have to rewrite every page it serves). Browsers say where a request comes
from: Sec-Fetch-Site (every current browser since 2023), else Origin (sent on every POST since
2020). The rule is that of Go's net/http CrossOriginProtection and ASP.NET Core's
ICsrfProtection: same-origin or typed by the reader passes; another site is refused; a request
with neither header is no browser's, so nobody's visit can be borrowed through it. The rest of
the site (desk, accounts, moderation) keeps Django's token check.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def is_same_origin(request) -> bool:
    if request.method in SAFE_METHODS:
        return True
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    trusted = origin is not None and origin in settings.CSRF_TRUSTED_ORIGINS
    if site is not None:
        return site in ("same-origin", "none") or trusted
    if origin is None:
        return True
    own = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    return origin == own or trusted


def same_origin_only(view):
    """The view takes unsafe requests from this site's own pages only (see the module)."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_same_origin(request):
            raise PermissionDenied("This form was sent from another site; nothing was changed.")
        return view(request, *args, **kwargs)

    return wrapper
