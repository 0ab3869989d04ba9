import pytest

from sitrep.core.html import COMMENT_TAGS, EXCERPT_TAGS, render_excerpt, render_markdown
from tests.htmlcheck import assert_safe

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg/onload=alert(1)>",
    '"><iframe src="https://evil.example"></iframe>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<style>body{display:none}</style>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_never_lets_markup_or_scripts_through(payload):
    assert_safe(render_markdown(payload), COMMENT_TAGS)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_excerpts_keep_only_paragraphs_and_links(payload):
    assert_safe(render_excerpt(f"<p>Lead {payload}</p>"), EXCERPT_TAGS)


def test_bare_urls_become_nofollow_links_with_short_text():
    url = "https://news.example/article/2017/06/a-very-long-slug-that-keeps-going-and-going-on"
    html = render_markdown(f'{url}\n\n"A quoted passage."')
    assert f'href="{url}"' in html
    assert 'rel="nofollow ugc noopener"' in html
    assert ">news.example/article/2017/06/" in html and "…</a>" in html
    assert '<p>"A quoted passage."</p>' in html


def test_supported_markdown_subset():
    html = render_markdown("*em* **strong** `code`\n\n> quoted\n\n- one\n- two\n\n1. first")
    for tag in ("<em>", "<strong>", "<code>", "<blockquote>", "<ul>", "<li>", "<ol>"):
        assert tag in html


def test_headings_and_images_are_not_part_of_the_subset():
    html = render_markdown("# Big\n\n![img](https://x.example/a.png)")
    assert "<h1" not in html and "<img" not in html


def test_plain_text_excerpt_becomes_paragraphs():
    assert render_excerpt("One.\n\nTwo.") == "<p>One.</p>\n<p>Two.</p>"
