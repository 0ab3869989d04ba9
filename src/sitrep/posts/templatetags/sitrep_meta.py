"""Sharing metadata: JSON-LD for a post, with its quoted sources as citations."""

import json

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from sitrep.core.html import to_text

register = template.Library()


@register.simple_tag(takes_context=True)
def post_jsonld(context, post, card=None):
    request = context["request"]
    url = request.build_absolute_uri(post.get_absolute_url())
    clips = list(post.clips.all())
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.headline[:110],
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": post.published_at.isoformat() if post.published_at else None,
        "dateModified": post.updated.isoformat(),
        "author": {"@type": "Person", "name": post.author.display_name()},
        "publisher": {"@type": "Organization", "name": settings.SITREP_SITE_NAME},
        "keywords": [label.name for label in post.labels.all()],
        "description": post_description(post),
        **(
            {
                "image": {
                    "@type": "ImageObject",
                    "url": card["url"],
                    "width": card["width"],
                    "height": card["height"],
                }
            }
            if card
            else {}
        ),  # fmt: skip
        "citation": [
            {
                "@type": "NewsArticle",
                "headline": clip.source_headline,
                "url": clip.url,
                "author": clip.authors or None,
                "publisher": {"@type": "Organization", "name": clip.outlet.name},
                "datePublished": clip.source_published.isoformat()
                if clip.source_published
                else None,
            }
            for clip in clips
        ],
    }
    text = json.dumps(data, ensure_ascii=False)
    # Inside <script>, "</" would end the element: escape it the way JSON allows.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.filter
def post_description(post) -> str:
    """One line for previews: the first clip's attribution and the start of its excerpt."""
    clips = list(post.clips.all())
    if clips:
        lead = to_text(clips[0].excerpt_html).split("\n")[0]
        return f"{clips[0].outlet.name}: {clips[0].source_headline}. {lead}"[:280]
    return to_text(post.note_html or post.text_html)[:280] or post.headline
