from pathlib import Path

import pytest

from sitrep.importers.load import import_file

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def imported(db, django_capture_on_commit_callbacks):
    """Import a file from tests/data with its on-commit work (search index) run."""

    def run(name, fmt=None):
        with django_capture_on_commit_callbacks(execute=True):
            return import_file(DATA / name, fmt=fmt)

    return run
