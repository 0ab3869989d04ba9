"""Real-browser tests: Debian's Chromium driven by Playwright, against a live Django server."""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API keeps an event loop in the test thread; the ORM calls in these tests are
# still plain synchronous code (https://github.com/microsoft/playwright-pytest/issues/29).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _robots_type_fast(monkeypatch):
    """A test types a comment in milliseconds; people take seconds, and the spam score says
    so. The live server runs in this process, so the threshold can be lowered here."""
    from sitrep.comments import spam

    monkeypatch.setattr(spam, "MIN_SECONDS_TO_WRITE", 0)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True)
    yield context.new_page()
    context.close()


def axe(page) -> list[dict]:
    """WCAG 2.1 A and AA violations axe-core finds on the current page."""
    # Evaluated through the DevTools protocol, which the page's strict CSP does not cover;
    # a <script> tag would (rightly) be refused.
    page.evaluate((ROOT / "node_modules/axe-core/axe.min.js").read_text())
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: "tag",
             values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.click("main button:has-text('Sign in')")
    page.wait_for_url(f"{live_server.url}/")
