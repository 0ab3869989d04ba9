"""URL normalisation: the one place where a cited URL becomes the form we store and compare."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url as _courlan_normalize


class BadURL(ValueError):
    pass


def normalize_url(url: str) -> str:
    """Canonical form of a source URL: http(s) only, tracking parameters and fragment removed.

    courlan lowercases the host, drops default ports, sorts the query and removes known trackers
    (utm_*, fbclid, gclid, ...); feedparser and pasted links both pass `javascript:` through, so
    the scheme check here is what keeps them out of the database.
    """
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        raise BadURL("Enter a full web address starting with http:// or https://")
    try:
        normalized = _courlan_normalize(url)
    except (ValueError, AttributeError):
        raise BadURL("This web address cannot be understood") from None
    parts = urlsplit(normalized)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def domain_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")
