"""Importing a file: which format it is, its records read twice (checked, then written by
importers.writer), and where an error is in it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from sitrep.importers import blogger, disqus, sitrep_jsonl, wordpress
from sitrep.importers.images import images_queue
from sitrep.importers.models import ImportRun
from sitrep.importers.records import ImportFileError, ImportReport
from sitrep.importers.writer import Writer

FORMATS = {"blogger": blogger, "wordpress": wordpress, "disqus": disqus, "sitrep": sitrep_jsonl}


def detect_format(path: Path) -> str:
    with path.open("rb") as stream:
        peek = stream.read(8192)
    for name, module in FORMATS.items():
        if module.detect(peek):
            return name
    raise ImportFileError(
        "this is not a file sitrep can import: expected a Blogger export (Atom XML), a "
        "WordPress export (WXR), a Disqus export (XML) or a sitrep export (JSON lines)",
        line=1,
        column=1,
    )


def records_of(path: Path, fmt: str, *, on_bytes: Callable[[int], None] | None = None):
    """Stream the records of `path`. `on_bytes(n)` is called as the file is read (progress)."""
    module = FORMATS[fmt]
    with path.open("rb") as raw:
        stream = _Counting(raw, on_bytes) if on_bytes else raw
        yield from module.parse(stream)


class _Counting:
    def __init__(self, raw, callback):
        self.raw, self.callback = raw, callback

    def read(self, size=-1):
        data = self.raw.read(size)
        self.callback(len(data))
        return data

    def readline(self, size=-1):
        data = self.raw.readline(size)
        self.callback(len(data))
        return data

    def __iter__(self):
        while line := self.readline():
            yield line


def import_file(
    path: Path,
    *,
    fmt: str | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_phase: Callable[[str], None] | None = None,
    run: ImportRun | None = None,
) -> ImportReport:
    """Import an export file: first read it through to find any error (writing nothing), then
    write it in short transactions, so that readers and commenters never wait long for the
    database; if writing fails midway, what this import wrote is removed again, so it is all
    or nothing still. Running it again adds only what is new. With a `run`, what it brings in
    is recorded under it, and so are the images its posts show."""
    fmt = fmt or detect_format(path)
    if on_phase:
        on_phase("checking")
    try:
        for _ in records_of(path, fmt, on_bytes=on_bytes):
            pass
    except ImportFileError as exc:
        raise _located(exc, path) from None
    if on_phase:
        on_phase("importing")
    writer = Writer(run=run)
    try:
        report = writer.write(records_of(path, fmt, on_bytes=on_bytes))
        if run is not None:
            with transaction.atomic():
                report.images = images_queue(run=run, post_ids=writer.new_post_ids)
    except BaseException:
        writer.undo()
        raise
    return report


def _located(exc: ImportFileError, path: Path) -> ImportFileError:
    """The error with its column, when the parser knew only the line: where the text at fault
    (or else the line's first non-blank character) starts, counted from 1."""
    if exc.line is None or exc.column is not None:
        return exc
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if number == exc.line:
                text = raw.decode("utf-8", "replace")
                found = text.find(exc.near) if exc.near else -1
                column = found if found >= 0 else len(text) - len(text.lstrip())
                return exc.located(exc.line, column + 1)
    return exc
