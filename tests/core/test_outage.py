"""Storage failing under a request: the site's 503 page, the visitor's text given back, and one
line in the log instead of a traceback."""

import errno
import logging

import pytest
from django.db import OperationalError
from django.test import Client

from sitrep.comments import views as comment_views
from sitrep.config import settings as site_settings
from sitrep.core import outage

pytestmark = pytest.mark.django_db


def failing(error):
    def view(*args, **kwargs):
        raise error

    return view


@pytest.mark.parametrize(
    "error, heading",
    [
        (OperationalError("connection to server at 127.0.0.1 failed"), "Back in a minute"),
        (OperationalError("database or disk is full"), "cannot save anything right now"),
        (OSError(errno.ENOSPC, "No space left on device"), "cannot save anything right now"),
    ],
)
def test_a_comment_that_cannot_be_stored_gets_the_503_page_with_its_text(
    make_post, monkeypatch, caplog, error, heading
):
    post = make_post()
    monkeypatch.setattr(comment_views, "comment_submit", failing(error))
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post(
            f"/comments/post/{post.pk}/",
            {"body": "The bridge <b>held</b> & the ferry ran.", "author_name": "Wren"},
            HTTP_SEC_FETCH_SITE="same-origin",
        )
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert heading in page and "Traceback" not in page
    assert "The bridge &lt;b&gt;held&lt;/b&gt; &amp; the ferry ran." in page  # given back, escaped
    assert "storage" in site_settings.LOGGING["handlers"]["console"]["filters"]  # as deployed
    for record in caplog.records:
        outage.QuietStorageFailures().filter(record)  # as the console handler does
    lines = [r.getMessage() for r in caplog.records]
    assert any("unavailable" in line or "out of storage" in line for line in lines), lines
    assert all(r.exc_info is None for r in caplog.records)


def test_a_bug_is_still_a_500_with_its_traceback_logged(make_post, monkeypatch, caplog):
    post = make_post()
    monkeypatch.setattr(comment_views, "comment_submit", failing(ValueError("a bug")))
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post(f"/comments/post/{post.pk}/", {"body": "Text."},
                               HTTP_SEC_FETCH_SITE="same-origin")  # fmt: skip
    assert response.status_code == 500
    assert any(r.exc_info for r in caplog.records)
