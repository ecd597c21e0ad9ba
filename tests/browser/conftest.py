"""A real server in a thread and Debian's Chromium driven by Playwright.

Browser tests run on SQLite only: the store's behaviour on PostgreSQL is covered by the
server-side tests, and one backend keeps the browser suite's runtime modest.

Without /usr/bin/chromium (or the playwright package) they skip with the reason, unless
ALINEA_REQUIRE_BROWSER=1, which turns the skip into a failure.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.config import Settings
from app.ingest import DEFAULT_LANGUAGES
from app.services import add_document, store_alignment
from app.store import db as store_db
from app.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("ALINEA_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " (ALINEA_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; no browser is ever downloaded."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing; install it with `apt-get install -y chromium`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class LiveServer:
    url: str
    sessions: object
    alignment_id: int
    app: object = None


@pytest.fixture
def live_server(tmp_path, corpus_pair, corpus_result) -> Iterator[LiveServer]:
    """The app on 127.0.0.1 at a free port, over a fresh SQLite file holding the demo."""
    url = f"sqlite:///{tmp_path / 'alinea.db'}"
    store_db.upgrade(url)
    settings = Settings(
        database_url=url, instance_path=tmp_path / "instance", languages=DEFAULT_LANGUAGES
    )
    app = create_app(settings)
    sessions = app.extensions["alinea.sessions"]
    es, en = corpus_pair
    with store_db.transaction(sessions) as session:
        source, target = add_document(session, es), add_document(session, en)
        alignment_id = store_alignment(session, source, target, corpus_result).id
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", sessions, alignment_id, app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["alinea.engine"].dispose()


@pytest.fixture
def page(browser):
    """A fresh browser context at 1280×800, the smallest screen the page is made for."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a screenshot of the page under test-artifacts/browser/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    capture(page, path)
    return path


def capture(page, path: Path, attempts: int = 3) -> None:
    """Take a screenshot, trying again when headless Chromium is mid-frame.

    Chromium now and then answers "Unable to capture screenshot" while it is still
    painting (seen after opening a dialog); a short wait and a second try succeed.
    """
    from playwright.sync_api import Error

    for attempt in range(attempts):
        try:
            page.screenshot(path=str(path))
            return
        except Error:
            if attempt == attempts - 1:
                raise
            page.wait_for_timeout(250)


def key(page, keys: str) -> None:
    """Type a shortcut that changes the alignment, and wait until the page shows the result
    in place (the alignment's version on the page moves on, and no edit is pending)."""
    version = page.locator(".beads").get_attribute("data-version")
    page.keyboard.type(keys)
    settle(page, version)


def settle(page, version: str | None) -> None:
    """Wait until the page's alignment version is no longer ``version`` and it is idle."""
    page.wait_for_function(
        """v => document.querySelector('.beads').dataset.version !== v
               && !document.body.classList.contains('busy')""",
        arg=version,
    )


ALIGNMENT_PAGE = re.compile(r"/alignments/\d+\?job=\d+")


def watch_progress(page, over: float = 5.0, tries: int = 1800) -> float | None:
    """Follow a running job's page until it shows more than ``over`` percent.

    A quick job may finish between two of the page's polls, and the page then opens the
    alignment by itself; that is success too, and gives None. Otherwise the percent shown.
    """
    from playwright.sync_api import Error as PlaywrightError

    for _ in range(tries):
        if ALIGNMENT_PAGE.search(page.url):
            return None
        try:
            shown = float(page.inner_text("#job-percent", timeout=1000).rstrip("%"))
        except PlaywrightError:
            continue  # the page is leaving for the alignment; the next turn sees it
        if shown > over:
            return shown
        page.wait_for_timeout(100)
    raise AssertionError(f"the job page stayed at or under {over}% and never opened the alignment")
