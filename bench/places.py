"""Precision and recall of the place matcher on our own labelled sentences (measured; the test
suite only guards against a large regression).

    .venv/bin/python bench/places.py [--show-errors]

tests/data/places/labelled.tsv: one sentence per line, a tab, then the places it names as
"name|country code" separated by ";". A label is resolved through the gazetteer to the place
it means (so "Kiev|UA" and "Kyiv|UA" are one place); a found place counts when it is that
place. Sentences with no place test that ordinary words are not taken for towns.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "places" / "labelled.tsv"
# Written after the matcher was tuned on DATA and never tuned on: the honest number.
HELD_OUT = ROOT / "tests" / "data" / "places" / "heldout.tsv"


def load(path: Path = DATA) -> list[tuple[str, list[str]]]:
    rows = []
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sentence, _, labels = line.partition("\t")
        rows.append((sentence, [label for label in labels.split(";") if label.strip()]))
    return rows


def evaluate(rows, gazetteer) -> dict:
    """Micro-averaged precision and recall, with the errors for reading."""
    tp = fp = fn = 0
    errors = []
    for sentence, labels in rows:
        expected = set()
        for label in labels:
            name, _, country = label.partition("|")
            found = gazetteer.lookup(name, country_code=country)
            expected.add(found[0].key if found else f"unknown:{label}")
        got = {m.candidate.key: m for m in gazetteer.find(sentence)}
        tp += len(expected & got.keys())
        fp += len(got.keys() - expected)
        fn += len(expected - got.keys())
        if expected != got.keys():
            extra = [f"{got[k].text}->{got[k].candidate.name}|{got[k].candidate.country_code}"
                     for k in got.keys() - expected]  # fmt: skip
            errors.append((sentence, sorted(expected - got.keys()), extra))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"sentences": len(rows), "tp": tp, "fp": fp, "fn": fn,
            "precision": precision, "recall": recall, "errors": errors}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sitrep.config.settings")
    from sitrep.places.gazetteer import gazetteer

    started = time.perf_counter()
    g = gazetteer()
    built = time.perf_counter() - started
    print(f"gazetteer: {len(g.index):,} spellings, built in {built:.1f}s")
    for name, path in (("tuning set", DATA), ("held-out set", HELD_OUT)):
        started = time.perf_counter()
        result = evaluate(load(path), g)
        took = time.perf_counter() - started
        print(f"{name}: {result['sentences']} sentences in {took * 1000:.0f} ms: "
              f"precision {result['precision']:.3f}, recall {result['recall']:.3f} "
              f"(tp {result['tp']}, fp {result['fp']}, fn {result['fn']})")  # fmt: skip
        if args.show_errors:
            for sentence, missed, extra in result["errors"]:
                print(f"- {sentence}\n    missed: {missed}  extra: {extra}")


if __name__ == "__main__":
    main()
