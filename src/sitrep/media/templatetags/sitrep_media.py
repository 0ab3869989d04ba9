"""A library image in a template, as readers get it."""

from django import template

from sitrep.media import html

register = template.Library()


@register.simple_tag
def media_figure(media, eager=False):
    return html.figure(media, eager=bool(eager))
