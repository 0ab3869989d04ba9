"""When storage fails: the database restarting, or the disk full. The visitor gets the site's
own 503 page rather than a traceback, with the text they typed given back; the log gets one
line rather than a traceback for each request. Pages in the page cache keep being served."""

from __future__ import annotations

import errno
import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

# Fields whose text a person typed at length: given back when it could not be stored.
TYPED_FIELDS = ("body", "text", "note", "headline", "excerpt")
RETRY_AFTER_SECONDS = 30


def out_of_space(error: BaseException | None) -> bool:
    return getattr(error, "errno", None) == errno.ENOSPC or "disk is full" in str(error)


def storage_failure(error: BaseException | None) -> bool:
    """The database not answering, or nowhere to write: not a bug in sitrep."""
    return isinstance(error, (OperationalError, InterfaceError)) or out_of_space(error)


def unavailable(request, error: BaseException) -> HttpResponse:
    """The 503 page; Django's request log gets its one line through QuietStorageFailures."""
    texts = []
    if request is not None and request.method == "POST":
        try:
            texts = [v for k in TYPED_FIELDS for v in request.POST.getlist(k) if v.strip()]
        except Exception:  # a body that cannot be read: nothing to give back
            texts = []
    context = {"full": out_of_space(error), "texts": texts, "site_name": settings.SITREP_SITE_NAME}
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class QuietStorageFailures(logging.Filter):
    """On django.request: a storage failure is logged as one line saying what failed, without
    the traceback (during a database restart every request would print one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if storage_failure(error):
            what = "out of storage space" if out_of_space(error) else "database unavailable"
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            record.msg, record.args = "%s: %s (%s)", (record.getMessage(), what, first)
            record.exc_info = record.exc_text = None
        return True
