"""A post's lead image: at the top of the post, and in link previews."""

from django import template

from sitrep.media import html as media_html
from sitrep.media.services import CARD

register = template.Library()


@register.simple_tag
def lead_figure(post, eager=False):
    """The lead image with its caption and credit; it loads at once only where it is on the
    first screen (`eager`), lazily elsewhere."""
    return media_html.figure(post.lead_image, eager=bool(eager)) if post.lead_image else ""


@register.simple_tag(takes_context=True)
def lead_card(context, post) -> dict:
    """The link preview's picture of a post: {url, width, height, alt}, or {} without one."""
    media = post.lead_image
    if not media:
        return {}
    made = "card" in media.sizes
    return {
        "url": context["request"].build_absolute_uri(media_html.card_url(media)),
        "width": CARD[0] if made else media.width,
        "height": CARD[1] if made else media.height,
        "alt": media.alt,
    }
