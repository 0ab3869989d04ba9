"""Keeping what a web worker builds for good out of the garbage collector's sight.

A full collection walks every object it tracks. What a worker loads at start-up (Django, the
apps, their modules) and builds in its first requests (compiled templates, URL and ORM caches)
lives as long as the worker, so it is frozen (`gc.freeze`): collections no longer walk it. The
start-up freeze alone left the first requests' objects in sight, and a page that makes many
objects (the reading order of a 20,000-comment thread) set off a full collection in about every
third request. Freezing again after the worker's first requests more than halved the time
spent collecting (bench/README.md).

Frozen objects are never collected as cycles: what a request in flight holds at a freeze stays
for good if it later becomes cyclic garbage. Four freezes in a worker's life bound that to a
few requests' worth.
"""

from __future__ import annotations

import gc
import itertools

from django.core.signals import request_finished

# After the worker's 1st, 10th, 100th and 1,000th request.
FREEZE_AFTER = frozenset({1, 10, 100, 1000})

_served = itertools.count(1)  # next() on it is atomic under the GIL: threads share it safely


def freeze() -> None:
    gc.collect()
    gc.freeze()


def _request_finished(**kwargs) -> None:
    if next(_served) in FREEZE_AFTER:
        freeze()


def freeze_as_worker() -> None:
    """Freeze what is loaded now, and again after the worker's first requests."""
    freeze()
    request_finished.connect(_request_finished, dispatch_uid="sitrep-gc-freeze")
