"""Public pages as plain files that nginx serves itself (SITREP_PAGE_FILES, deploy/nginx.conf).

nginx answers from its own cache at about two thirds of its speed with a plain file for a large
page: a cache entry's body starts after a header of uneven length, and sending a file from an
offset that is not a multiple of the memory page costs the kernel twice the pieces (measured,
bench/README.md). A file of its own starts at zero. So when nginx asks for a page the app
marks public (X-Sitrep-Public), the app also writes what it sent to
`$SITREP_DATA_DIR/pages/<second>/<scheme>/<host>/<path>/index.html`, with a gzip copy beside
it, and nginx looks in the folder of the current second before it asks the app again. (Scheme
and host as nginx's cache keys pages: a page names its own address, in its canonical link.)

A folder serves only during its own second, exactly like the microcache's one-second entries:
the comment form's time stamp in the file is under a second old, and a change is visible to
every reader within a second, whichever process or machine made it, with nothing to delete.
Folders a few seconds old are swept by the processes that write the next ones.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import shutil
import threading
import time
from pathlib import Path

from django.conf import settings
from django.http.request import split_domain_port

logger = logging.getLogger(__name__)

KEEP_SECONDS = 3  # a folder this much older than the current second is swept
# Paths that name the same file for nginx and for the app: plain ASCII segments, none hidden
# (so no "." or ".."), ending in a slash. Anything else is left to nginx's microcache.
_PATH = re.compile(r"/(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/)*")
# Host names as nginx's $host has them (lower case, no port, no trailing dot); others (an IPv6
# address, say) get no files.
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_swept = {"second": 0}
_warned = {"done": False}


def address(request) -> str | None:
    """scheme/host/path of the file nginx will look for this request's page in (as its root
    and try_files put them together), or None: not GET, a query string, or a path or host name
    nginx would name otherwise."""
    if not (
        settings.PAGE_FILES_DIR
        and request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and _PATH.fullmatch(request.path)
    ):
        return None
    host = split_domain_port(request.get_host())[0]
    return f"{request.scheme}/{host}{request.path}" if _HOST.fullmatch(host) else None


def folder(root: Path, second: int, address: str) -> Path:
    return root / str(second) / address.strip("/")


def write(address: str, body: bytes, now: float | None = None) -> None:
    """Keep `body` as the file nginx serves for `address` (scheme/host/path) during the current
    second. Never fails the request it was made for: a full disk or a permission only costs
    the speed-up."""
    root = settings.PAGE_FILES_DIR
    second = int(time.time() if now is None else now)
    target = folder(root, second, address)
    tag = f"{os.getpid()}.{threading.get_ident()}"
    try:
        target.mkdir(parents=True, exist_ok=True)
        # The gzip copy first: nginx (gzip_static) takes it only beside an index.html, and
        # each file appears whole (written under another name, then renamed).
        for name, data in (("index.html.gz", gzip.compress(body, 6, mtime=0)),
                           ("index.html", body)):  # fmt: skip
            temporary = target / f".{name}.{tag}"
            temporary.write_bytes(data)
            os.replace(temporary, target / name)
    except OSError as error:
        if not _warned["done"]:
            _warned["done"] = True
            logger.warning(
                "page files: cannot write under %s (%s); nginx asks the app", root, error
            )
        return
    if _swept["second"] != second:
        _swept["second"] = second
        sweep(root, second)


def sweep(root: Path, second: int) -> None:
    """Remove the folders of seconds long gone (any process may do it; one that loses the race
    finds nothing left)."""
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        if entry.name.isdigit() and int(entry.name) < second - KEEP_SECONDS:
            shutil.rmtree(entry.path, ignore_errors=True)
