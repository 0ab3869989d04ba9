"""The one door for outside markup: every *_html field sitrep renders comes from here.

Comments and editor text are written in a Markdown subset (markdown-it-py) and then sanitized
with nh3; excerpts pasted or imported as HTML go straight through nh3 with a narrower tag set.
Templates mark only these outputs as safe.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
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
# The editor's own text and notes: the comment subset, and the site's own images (an image in
# the editor's Markdown is rendered by the caller's `image`, never by what the text says).
EDITOR_TAGS = COMMENT_TAGS | {"figure", "figcaption", "picture", "source", "img", "span"}
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


def _build_markdown(*, images: bool = False) -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": True, "breaks": True, "typographer": False})
    md.enable(
        [
            *(["image"] if images else []),
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
    if images:  # the editor may also point at the site's own pages and files: /2026/12/...
        md.validateLink = lambda url: _allowed(url) or _site_path(url)
    else:
        md.validateLink = _allowed

    def render_text(self, tokens, idx, options, env):
        # Linkified bare URLs show a short form as their text; the href keeps the whole URL.
        content = tokens[idx].content
        if idx > 0 and tokens[idx - 1].type == "link_open" and tokens[idx - 1].markup == "linkify":
            content = _shorten(content)
        return escapeHtml(content)

    md.add_render_rule("text", render_text)
    if images:
        md.add_render_rule("image", _render_image)
        md.add_render_rule("paragraph_open", _paragraph_unless_image)
        md.add_render_rule("paragraph_close", _paragraph_unless_image)
    return md


def _allowed(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() in URL_SCHEMES


def _site_path(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def _image_alone(children) -> bool:
    shown = [t for t in children or () if not (t.type == "text" and not t.content.strip())]
    return len(shown) == 1 and shown[0].type == "image"


def _render_image(self, tokens, idx, options, env):
    # The caller decides what an image shows (env["image"]); without one, its alt text stays.
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    found = env.get("image") and env["image"](token.attrGet("src") or "", alt, _image_alone(tokens))
    return found if found is not None else escapeHtml(alt)


def _paragraph_unless_image(self, tokens, idx, options, env):
    # A paragraph that is only an image becomes the image's own <figure>, not <p><figure>.
    inline = tokens[idx + 1] if tokens[idx].nesting == 1 else tokens[idx - 1]
    if env.get("image") and inline.type == "inline" and _image_alone(inline.children):
        return ""
    return self.renderToken(tokens, idx, options, env)


_markdown = _build_markdown()
_editor_markdown = _build_markdown(images=True)


ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}}
# The attributes of the site's own <picture>s, in the editor's text.
PICTURE_ATTRIBUTES = {
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "source": {"type", "srcset", "sizes"},
    "figure": {"class"},
    "span": {"class"},
}


def clean(html: str, *, tags: set[str] = COMMENT_TAGS) -> str:
    """Sanitize HTML: only `tags`, only http(s)/mailto links, rel="nofollow ugc noopener" on all."""
    return nh3.clean(
        html,
        tags=tags,
        attributes=ATTRIBUTES | PICTURE_ATTRIBUTES if "picture" in tags else ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def render_markdown(text: str, *, tags: set[str] = COMMENT_TAGS) -> str:
    """Markdown subset to safe HTML. Raw HTML in the input is shown as text, never run."""
    return clean(_markdown.render(text or ""), tags=tags)


def render_editor_markdown(text: str, *, image: Callable[[str, str, bool], str | None]) -> str:
    """The editor's Markdown to safe HTML, with images: `image(src, alt, alone)` gives the HTML
    of an image the text shows (`alone`: the whole paragraph), or None to show its alt text."""
    return clean(_editor_markdown.render(text or "", {"image": image}), tags=EDITOR_TAGS)


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
