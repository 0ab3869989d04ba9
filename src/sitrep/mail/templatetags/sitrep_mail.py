import re

from django import template
from django.utils.html import strip_tags

register = template.Library()

_PARAGRAPH = re.compile(r"<p[^>]*>(.*?)</p>", re.S | re.I)


@register.filter
def first_paragraph(html: str) -> str:
    """The first paragraph of rendered HTML, as plain text (a mail's short form of an excerpt)."""
    found = _PARAGRAPH.search(html or "")
    return " ".join(strip_tags(found.group(1) if found else html or "").split())
