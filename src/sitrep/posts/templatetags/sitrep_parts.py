"""`{% post_part_templates as names %}`: the templates other apps add to a post (posts/parts.py)."""

from django import template

from sitrep.posts import parts

register = template.Library()


@register.simple_tag
def post_part_templates() -> list[str]:
    return parts.templates()
