"""Screenshots of the main pages at desktop and phone widths, light and dark, into
docs/screenshots/ (Debian's Chromium through Playwright).  make screenshots"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from site_for_checks import running_site  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with running_site() as (base, busy_post), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        pages = {"front": "/", "post": busy_post, "archive": "/archive/",
                 "search": "/search/?q=bridge",
                 "story": "/stories/standoff-at-the-kalder-crossings/",
                 "map": "/map/?window=7d"}  # fmt: skip
        for size, viewport in SIZES.items():
            for scheme in ("light", "dark"):
                context = browser.new_context(viewport=viewport, color_scheme=scheme,
                                              is_mobile=size == "phone")  # fmt: skip
                page = context.new_page()
                for name, path in pages.items():
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")  # the map's outlines and markers
                    target = OUT / f"{name}-{size}-{scheme}.png"
                    page.screenshot(path=str(target))
                    print(target.relative_to(ROOT))
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
