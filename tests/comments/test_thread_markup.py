"""Replies are structure, not styling: each reply's list item sits in its parent's, so a screen
reader or a page without CSS shows which comment answers which (WCAG 1.3.1)."""

import lxml.html
import pytest

from sitrep.comments import selectors
from sitrep.comments.models import Comment
from sitrep.comments.views import thread_html

pytestmark = pytest.mark.django_db


def add(post, body, parent=None):
    return Comment.objects.create(
        post=post, parent=parent, author_kind="named", author_name=f"Reader {body}",
        body=body, body_html=f"<p>{body}</p>",
    )  # fmt: skip


def parent_item(document, comment):
    """The comment whose list item holds `comment`'s, through a reply list; None at the top."""
    item = document.get_element_by_id(f"c{comment.pk}")
    holder = item.getparent()
    if "replies" in holder.classes:
        return holder.getparent().get("id")
    assert "thread" in holder.classes
    return None


def test_a_reply_sits_inside_the_item_of_the_comment_it_answers(client, make_post):
    post = make_post()
    first = add(post, "first")
    reply = add(post, "reply", parent=first)
    chain = [reply]
    for n in range(5):  # six deep in all: past the nesting depth of four
        chain.append(add(post, f"deep {n}", parent=chain[-1]))
    second = add(post, "second")
    document = lxml.html.fromstring(client.get(post.get_absolute_url()).content)
    assert parent_item(document, first) is None and parent_item(document, second) is None
    assert parent_item(document, reply) == f"c{first.pk}"
    for child, parent in zip(chain[1:4], chain[:3], strict=True):
        assert parent_item(document, child) == f"c{parent.pk}"
    # Beyond four levels replies line up beside the deepest one and say whom they answer.
    for comment in chain[4:]:
        assert parent_item(document, comment) == f"c{chain[2].pk}"
        item = document.get_element_by_id(f"c{comment.pk}")
        assert "in reply to" in item.text_content()
    assert len(document.xpath("//ol[@class='thread']/li")) == 2


def test_a_page_that_starts_inside_a_branch_is_still_well_nested(make_post, monkeypatch):
    monkeypatch.setattr(selectors, "COMMENTS_PER_PAGE", 3)
    post = make_post()
    top = add(post, "top")
    a = add(post, "a", parent=top)
    b = add(post, "b", parent=a)
    c = add(post, "c", parent=top)
    after = add(post, "after")
    html = thread_html(selectors.thread_page(post, 2), post, {})
    document = lxml.html.fromstring(html)
    assert html.count('<li class="comment') == html.count("</li>") == 2
    assert html.count("<ol") == html.count("</ol>")
    assert parent_item(document, c) is None  # its parent is on page 1: it leads page 2
    assert parent_item(document, after) is None
    assert {top.pk, a.pk, b.pk}.isdisjoint(
        int(item.get("id")[1:]) for item in document.xpath("//li")
    )
