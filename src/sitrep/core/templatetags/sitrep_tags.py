from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ dict|get_item:key }}: a dictionary lookup by a variable key."""
    return (mapping or {}).get(key)
