"""Lighthouse scores for the front page, a post with 200 comments and a post with a lead image
(measured, not asserted).

.venv/bin/python tools/lighthouse.py        # or: make lighthouse
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from site_for_checks import pictured_post, running_site  # noqa: E402

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def main() -> None:
    lighthouse = ROOT / "node_modules/.bin/lighthouse"
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    with running_site() as (base, busy_post):
        pages = [("front page", "/"), ("post, 200 comments", busy_post),
                 ("post, lead image", pictured_post())]  # fmt: skip
        for label, path in pages:
            out = Path(tempfile.mkdtemp()) / "report.json"
            subprocess.run(
                [str(lighthouse), base + path, "--quiet", "--output=json", f"--output-path={out}",
                 "--only-categories=" + ",".join(CATEGORIES),
                 "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
                 "--disable-background-networking"],
                env=env, check=True,
            )  # fmt: skip
            report = json.loads(out.read_text())
            scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
            weight = report["audits"]["total-byte-weight"]["numericValue"] / 1024
            print(f"{label:<20} " + "  ".join(f"{c} {s}" for c, s in scores.items())
                  + f"  transfer {weight:.0f} KB")  # fmt: skip
            for c in CATEGORIES:
                refs = {r["id"] for r in report["categories"][c]["auditRefs"]}
                failing = [
                    a["title"]
                    for a in report["audits"].values()
                    if a["id"] in refs and a.get("score") is not None and a["score"] < 0.9
                ]
                if failing:
                    print(f"    {c}: {'; '.join(failing[:6])}")


if __name__ == "__main__":
    main()
