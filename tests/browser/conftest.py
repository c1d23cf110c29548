"""Browser tests: the real app on a free local port, driven by Debian's Chromium through
Playwright. Chromium must be installed (``apt-get install -y chromium``); Playwright never
downloads a browser here. A failing test leaves a screenshot in ``test-artifacts/``."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from models import db
from tests.factories import row_counts

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 15_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright_driver():
    """Start Playwright once per session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - an installation problem, said plainly
        pytest.fail("Playwright is missing: pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """Launch Debian's Chromium, headless, once per session."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium", pytrace=False)
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM),
                                                args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """Serve the test's app on a free local port in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def new_page(request, browser, live_server):
    """Return a function opening a browser page (viewport, Accept-Language) on the app."""
    contexts = []

    def open_page(locale: str = "en-US", width: int = 1280, height: int = 900):
        context = browser.new_context(base_url=live_server, locale=locale,
                                      viewport={"width": width, "height": height})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    failed = any(getattr(request.node, f"report_{when}", None) is not None
                 and getattr(request.node, f"report_{when}").failed
                 for when in ("setup", "call"))
    for number, context in enumerate(contexts):
        if failed:
            save_screenshots(request.node.nodeid, number, context)
        context.close()


def save_screenshots(nodeid: str, number: int, context) -> None:
    """Save a full-page screenshot of each page of a failed test."""
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", nodeid.split("::", 1)[-1])
    for index, page in enumerate(context.pages):
        page.screenshot(path=str(ARTIFACTS / f"{name}-{number}-{index}.png"), full_page=True)


@pytest.fixture
def page(new_page):
    """A desktop-sized browser page in English."""
    return new_page()


@pytest.fixture
def counts(app):
    """Return the number of rows per table, then end the read so the server can write."""

    def count() -> dict[str, int]:
        try:
            return row_counts()
        finally:
            db.session.rollback()

    return count


@pytest.fixture
def account(make_user):
    """Create a user of a role in the test thread and return its e-mail address."""

    def create(role: str = "sme", **kw) -> str:
        email = make_user(role, **kw).email
        db.session.rollback()  # end the read, so the live server can write (SQLite)
        return email

    return create
