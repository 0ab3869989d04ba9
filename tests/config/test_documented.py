"""Every environment variable sitrep reads is documented in docs/configuration.md and
.env.example."""

import re
from pathlib import Path

import pytest

from sitrep.config import env

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "src" / "sitrep"


@pytest.mark.parametrize("document", ["docs/configuration.md", ".env.example"])
def test_every_variable_is_documented(document):
    text = (ROOT / document).read_text()
    missing = [name for name in env.VARIABLES if name not in text]
    assert missing == []


def test_code_reads_no_variable_that_is_not_listed():
    read = set()
    for path in SOURCES.rglob("*.py"):
        read.update(re.findall(r'env\.get\("([A-Z_]+)"', path.read_text()))
        read.update(re.findall(r'os\.environ\.get\("([A-Z_]+)"', path.read_text()))
    read.discard("DJANGO_SETTINGS_MODULE")
    assert read <= set(env.VARIABLES)
