"""What other apps add to a post (posts/parts.py): `{% post_part_templates as names %}`, the
templates shown after its body, and `{% post_tools post as tools %}`, staff links under it."""

from django import template

from sitrep.posts import parts

register = template.Library()


@register.simple_tag
def post_part_templates() -> list[str]:
    return parts.templates()


@register.simple_tag(takes_context=True)
def post_tools(context, post) -> list[tuple[str, str]]:
    request = context.get("request")
    return parts.tools_for(request.user, post) if request is not None else []
