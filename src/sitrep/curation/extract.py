"""Fill a clip from any article URL: trafilatura reads the page (with htmldate for the date),
core.urlnorm normalises the canonical address, and the outlet is matched by domain."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

import trafilatura

from sitrep.core.html import clean
from sitrep.core.http import FetchError, fetch
from sitrep.core.urlnorm import BadURL, domain_of, normalize_url
from sitrep.posts.models import Outlet

LEAD_PARAGRAPHS = 3  # an excerpt, not the article: quote the lead and link to the rest
MAX_PAGE_BYTES = 8 * 1024 * 1024


@dataclass
class ClipDraft:
    url: str
    source_headline: str = ""
    authors: str = ""
    outlet_name: str = ""
    outlet_known: bool = False
    source_published: dt.date | None = None
    excerpt: str = ""
    error: str = ""  # why something could not be filled in; the editor fills it by hand

    def as_json(self) -> dict:
        data = asdict(self)
        if self.source_published:
            data["source_published"] = self.source_published.isoformat()
        return data


def _authors(raw: str) -> str:
    names = [n.strip() for n in re.split(r";|\|", raw or "") if n.strip()]
    if len(names) <= 1:
        return names[0] if names else ""
    return ", ".join(names[:-1]) + " and " + names[-1]


def _outlet(url: str, sitename: str) -> tuple[str, bool]:
    domain = domain_of(url)
    for outlet in Outlet.objects.filter(domains__icontains=domain) if domain else []:
        if domain in outlet.domain_list():
            return outlet.name, True
    return (sitename or domain), False


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if len(p.strip()) > 40]


def clip_extract(url: str, *, selection: str = "") -> ClipDraft:
    """A clip filled from the page at `url`. Never raises: failures come back in .error, with
    whatever could be filled (always the URL), so the editor can finish by hand."""
    try:
        url = normalize_url(url)
    except BadURL as exc:
        return ClipDraft(url=url, error=str(exc))
    draft = ClipDraft(url=url, excerpt=_selection(selection))
    try:
        response = fetch(url, accept="text/html,application/xhtml+xml", max_bytes=MAX_PAGE_BYTES)
    except FetchError as exc:
        draft.error = f"could not fetch the page: {exc}"
        draft.outlet_name, draft.outlet_known = _outlet(url, "")
        return draft
    if response.content_type not in ("text/html", "application/xhtml+xml", ""):
        draft.error = f"this is not a web page ({response.content_type})"
        return draft
    html = response.content.decode("utf-8", errors="replace")
    extracted = trafilatura.bare_extraction(
        html, url=response.url, with_metadata=True, include_comments=False
    )
    document = extracted.as_dict() if extracted else None
    if not document:
        draft.error = "could not find an article on this page"
        draft.outlet_name, draft.outlet_known = _outlet(response.url, "")
        return draft
    canonical = document.get("url") or response.url
    try:
        draft.url = normalize_url(canonical)
    except BadURL:
        draft.url = normalize_url(response.url)
    draft.source_headline = (document.get("title") or "").strip()
    draft.authors = _authors(document.get("author") or "")
    draft.outlet_name, draft.outlet_known = _outlet(draft.url, document.get("sitename") or "")
    if document.get("date"):
        try:
            draft.source_published = dt.date.fromisoformat(document["date"][:10])
        except ValueError:
            pass
    if not draft.excerpt:
        lead = _paragraphs(document.get("text") or "")[:LEAD_PARAGRAPHS]
        draft.excerpt = "\n\n".join(lead)
    return draft


def _selection(text: str) -> str:
    """Selected text from the bookmarklet: kept as paragraphs, stripped of any markup."""
    text = clean(text or "", tags=set()) if "<" in (text or "") else (text or "")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\r\n\r\n", text) if p.strip()]
    return "\n\n".join(paragraphs)[:10000]
