"""Where to send a browser back to after a form: the page it names, if that page is ours."""

from __future__ import annotations

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, fallback: str, *, target: str | None = None) -> str:
    """The posted `next` (or `target`) when it points at this site, else `fallback` (a URL or a
    URL name). A posted address is never trusted as it stands: it would make any form an open
    redirect."""
    if target is None:
        target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback)
