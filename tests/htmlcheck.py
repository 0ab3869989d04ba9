"""Structural checks of rendered HTML: which tags and attributes a browser would actually see."""

from html.parser import HTMLParser
from urllib.parse import urlsplit


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = _Collector()
    parser.feed(html)
    return parser.tags


def assert_safe(html: str, allowed_tags: set[str]) -> None:
    for tag, attrs in elements(html):
        assert tag in allowed_tags, f"<{tag}> got through"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} got through"
            if name == "href":
                assert urlsplit(value).scheme.lower() in {"", "http", "https", "mailto"}, value
