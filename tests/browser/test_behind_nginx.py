"""A commenter behind deploy/nginx.conf, in a real browser: other readers get the post page from
nginx (a page file or its cache; the same bytes for everyone, as the forms carry no per-reader
token), and the commenter, whose own-comment cookie sends them to the app for its fifteen
minutes, gets the same page from the app's page cache with their edit links in the HTML, as
without nginx and without JavaScript."""

import re
import time

from tests.test_deploy_nginx import get, stack  # noqa: F401 (the fixture: nginx + `sitrep serve`)


def test_a_commenter_gets_the_shared_page_with_their_edit_links(page, stack):  # noqa: F811
    base, _ = stack
    page.goto(base + "/")
    page.locator("a[rel=bookmark]").first.click()
    post_url = page.url
    ids = []
    for text in ("A first thought behind nginx.", "Written behind nginx; still mine to edit."):
        page.goto(post_url)
        page.fill("textarea[name=body]", text)
        page.fill("input[name=author_name]", "Test Commenter")
        page.wait_for_timeout(3200)  # people take seconds to write; the spam check counts them
        page.click("#comment-form button[type=submit]")
        page.wait_for_url(re.compile(r"#c\d+$"))
        ids.append(re.search(r"#c(\d+)$", page.url)[1])
        assert "Your comment is posted." in page.content()  # a message: the app answered
    first_id, comment_id = ids  # the cookie lists both (quoted: Django writes the comma as \054)
    # Other readers get the page from nginx, without anyone's edit links; the commenter gets it
    # from the app, with theirs in the bytes (no script needed).
    answers, others = [], []
    for _ in range(3):
        headers, other = get(post_url)
        others.append(headers["X-Cache-Status"])
        assert f"/comments/{comment_id}/edit/" not in other
        response = page.goto(post_url)
        answers.append(response.headers.get("x-cache-status", "app"))
        assert f'href="/comments/{comment_id}/edit/"' in response.text()
        mine = page.locator(f"#c{comment_id} .own-actions")
        assert mine.get_by_role("link", name="Edit").get_attribute("href") == (
            f"/comments/{comment_id}/edit/")  # fmt: skip
    assert {"HIT", "FILE"} & set(others)
    assert not {"HIT", "FILE"} & set(answers)
    assert page.locator(f"#c{first_id} .own-actions").count() == 1
    assert page.locator(".own-actions").count() == 2  # nobody else's comments
    mine.get_by_role("link", name="Edit").click()
    assert page.locator("textarea[name=body]").input_value().startswith("Written behind nginx")
    page.fill("textarea[name=body]", "Written behind nginx, and edited.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"#c{comment_id}$"))
    assert "Written behind nginx, and edited." in page.locator(f"#c{comment_id}").inner_text()
    edited = time.monotonic()  # nginx keeps a page until the end of the second it was made in
    while "Written behind nginx, and edited." not in page.goto(post_url).text():
        assert time.monotonic() - edited < 1.1, "the edit is not out within a second"
        page.wait_for_timeout(100)
    assert "Reply · Edit · Delete · Flag" in " ".join(
        page.locator(f"#c{comment_id} .comment-meta").inner_text().split()
    )
