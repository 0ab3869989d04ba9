"""The worker's clock runs every app's periodic work, and one failing job never stops another."""

import logging

from sitrep.core import schedule


def test_each_app_registers_its_own_periodic_work():
    assert set(schedule.JOBS) >= {"feed polls", "link checks"}


def test_a_failing_job_is_logged_and_the_others_still_run(monkeypatch, caplog):
    def broken():
        raise RuntimeError("no such table: curation_feed")

    monkeypatch.setattr(schedule, "JOBS", {"feed polls": broken, "link checks": lambda: 3})
    with caplog.at_level(logging.INFO, logger="sitrep.worker"):
        assert schedule.tick() == {"link checks": 3}
    assert "could not queue feed polls" in caplog.text
    assert "queued 3 link checks" in caplog.text
