"""A web worker freezes what it has built at start-up and after its first requests."""

import gc
import itertools

import pytest
from django.core.signals import request_finished

from sitrep.core import gcfreeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(monkeypatch):
    monkeypatch.setattr(gcfreeze, "_served", itertools.count(1))
    gcfreeze.freeze_as_worker()
    yield
    request_finished.disconnect(dispatch_uid="sitrep-gc-freeze")
    gc.unfreeze()


def test_a_worker_freezes_at_start_and_after_its_1st_and_10th_requests(worker, client):
    at_start = gc.get_freeze_count()
    assert at_start > 0
    made = [[n] for n in range(2000)]  # lives on, as a compiled template would
    client.get("/")
    after_first = gc.get_freeze_count()
    assert after_first >= at_start + 2000
    made += [[n] for n in range(2000)]
    for _ in range(8):  # requests 2 to 9
        client.get("/")
    assert gc.get_freeze_count() <= after_first  # made since: not frozen
    client.get("/")  # the 10th
    assert gc.get_freeze_count() >= after_first + 2000
    assert len(made) == 4000
