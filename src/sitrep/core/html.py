"""The one door for outside markup: every *_html field sitrep renders comes from here.

Comments and editor text are written in a Markdown subset (markdown-it-py) and then sanitized
with nh3; excerpts pasted or imported as HTML go straight through nh3 with a narrower tag set.
Templates mark only these outputs as safe.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

LINK_REL = "nofollow ugc noopener"
URL_SCHEMES = {"http", "https", "mailto"}

# What a reader may use in a comment: paragraphs, links, quotes, emphasis, lists and code.
COMMENT_TAGS = {"p", "br", "a", "blockquote", "em", "strong", "ul", "ol", "li", "code", "pre"}
# What an excerpt of someone else's article may keep: paragraphs and inline links only.
EXCERPT_TAGS = {"p", "br", "a", "em", "strong", "i", "b"}
# The editor's own text and notes: the comment subset.
EDITOR_TAGS = COMMENT_TAGS
# Post bodies brought in from another platform: what blog HTML commonly uses, images included.
IMPORTED_TAGS = COMMENT_TAGS | {"b", "i", "u", "s", "sub", "sup", "h2", "h3", "h4", "hr", "img"}

# Bare URLs are shown shortened to keep long pasted links from dominating a comment.
SHORT_URL_LENGTH = 60


def _shorten(url: str) -> str:
    parts = urlsplit(url)
    shown = (parts.netloc.removeprefix("www.") + parts.path).rstrip("/")
    if parts.query:
        shown += "?" + parts.query
    if len(shown) > SHORT_URL_LENGTH:
        shown = shown[: SHORT_URL_LENGTH - 1] + "…"
    return shown or url


def _build_markdown() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": True, "breaks": True, "typographer": False})
    md.enable(
        [
            "paragraph",
            "newline",
            "escape",
            "backticks",
            "emphasis",
            "link",
            "autolink",
            "linkify",
            "blockquote",
            "list",
            "code",
            "fence",
        ]
    )
    md.validateLink = lambda url: urlsplit(url.strip()).scheme.lower() in URL_SCHEMES

    def render_text(self, tokens, idx, options, env):
        # Linkified bare URLs show a short form as their text; the href keeps the whole URL.
        content = tokens[idx].content
        if idx > 0 and tokens[idx - 1].type == "link_open" and tokens[idx - 1].markup == "linkify":
            content = _shorten(content)
        return escapeHtml(content)

    md.add_render_rule("text", render_text)
    return md


_markdown = _build_markdown()


def clean(html: str, *, tags: set[str] = COMMENT_TAGS) -> str:
    """Sanitize HTML: only `tags`, only http(s)/mailto links, rel="nofollow ugc noopener" on all."""
    return nh3.clean(
        html,
        tags=tags,
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}},
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def render_markdown(text: str, *, tags: set[str] = COMMENT_TAGS) -> str:
    """Markdown subset to safe HTML. Raw HTML in the input is shown as text, never run."""
    return clean(_markdown.render(text or ""), tags=tags)


def render_excerpt(text: str) -> str:
    """An excerpt as the editor pasted it: HTML is sanitized, plain text becomes paragraphs."""
    stripped = (text or "").strip()
    if stripped.startswith("<"):
        return clean(stripped, tags=EXCERPT_TAGS)
    return render_markdown(stripped, tags=EXCERPT_TAGS)


_BREAKS = re.compile(r"(<br\b[^>]*>|</(?:p|li|blockquote|h[1-6]|div|tr|pre)>)", re.I)


def to_text(html: str) -> str:
    """Plain text of HTML, for search indexing and comparisons: line and paragraph breaks
    become newlines, so words on either side of a tag never run together."""
    spaced = _BREAKS.sub(lambda m: m.group(0) + "\n", html or "")
    return html_lib.unescape(nh3.clean(spaced, tags=set())).strip()
