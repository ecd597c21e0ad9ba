"""The comparison in a real browser: built from the form, columns chosen, differences
marked, rows sorted by divergence, exported."""

from __future__ import annotations

import csv
import io
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.config import JobSettings, Settings
from app.ingest import DEFAULT_LANGUAGES
from app.store import db as store_db
from app.web import create_app

from .conftest import capture, screenshot

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "dw-2025-02-17-mexico-border"
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "comparison-page.png"


@pytest.fixture
def inline_server(tmp_path):
    """The app over a fresh SQLite file, running jobs inside the request (no queue)."""
    url = f"sqlite:///{tmp_path / 'alinea.db'}"
    store_db.upgrade(url)
    settings = Settings(
        url,
        tmp_path / "instance",
        DEFAULT_LANGUAGES,
        jobs=JobSettings(redis_url=None, run_inline=True),
    )
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["alinea.engine"].dispose()


def visible_cells(page, column: int) -> int:
    return page.locator(f"article.crow .ccell[data-column='{column}']:visible").count()


def test_build_a_comparison_choose_columns_sort_and_export(page, inline_server):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{inline_server}/")
    page.click("text=Comparisons")
    page.click("text=New comparison")
    page.fill("#title", "DW article: published and literal English")
    page.set_input_files("#original_file", str(CORPUS / "es.txt"))
    page.set_input_files("#version_files", [str(CORPUS / "en.txt"), str(CORPUS / "en-literal.txt")])
    # Without a job queue the versions are aligned while the request waits.
    page.click("button[type=submit]", timeout=240_000)
    page.wait_for_selector("#compare-grid", timeout=240_000)

    assert page.locator("h1").inner_text() == "DW article: published and literal English"
    rows = page.locator("article.crow").count()
    assert rows > 15
    assert page.locator(".chead .ccell").count() == 3

    # Inline differences: the literal version is marked against the published one.
    assert page.locator(".ccell[data-column='2'] ins").count() > 0
    assert page.locator(".ccell[data-column='2'] del").count() > 0
    assert page.locator(".ccell[data-column='1'] ins").count() == 0
    page.keyboard.press("d")
    assert page.locator(".ccell[data-column='2'] ins:visible").count() == 0
    page.keyboard.press("d")
    assert page.locator(".ccell[data-column='2'] ins:visible").count() > 0

    # Column choice: hide the published version, move the literal one first; both kept
    # after a reload.
    page.uncheck(".column-shown[data-column='1']")
    assert visible_cells(page, 1) == 0 and visible_cells(page, 2) == rows
    page.click(".column-left[data-column='2']")
    page.click(".column-left[data-column='2']")
    page.reload()
    assert visible_cells(page, 1) == 0
    first = page.locator("article.crow").first
    order = first.locator(".ccell[data-column='2']").evaluate("e => getComputedStyle(e).order")
    original = first.locator(".ccell[data-column='0']").evaluate("e => getComputedStyle(e).order")
    assert int(order) < int(original)
    page.check(".column-shown[data-column='1']")
    screenshot(page, "comparison-columns")

    # Sorting by divergence: the most different rows first.
    page.click("text=Most divergent first")
    page.wait_for_url("**sort=divergence**")
    values = [float(t.split()[1]) for t in page.locator(".cmeta .divergence").all_inner_texts()]
    assert values and values == sorted(values, reverse=True)

    # The keyboard opens one row across all versions.
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_selector(".segment-view")
    assert page.locator(".segment-view .version").count() == 3
    assert "chrF" in page.locator(".pair-diff .pair-metrics").first.inner_text()
    page.go_back()
    page.wait_for_selector("#compare-grid")

    # Export as CSV: one column per version.
    page.select_option("#compare-export select[name=format]", "csv")
    with page.expect_download() as download_info:
        page.click("#compare-export button[type=submit]")
    path = download_info.value.path()
    table = list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8"))))
    assert table[0][1:4] == [
        "original (es): Original",
        "version 1 (en): en.txt",
        "version 2 (en): en-literal.txt",
    ]
    assert len(table) == rows + 1
    assert errors == []

    # The picture shows the page as a first visit finds it.
    page.evaluate("window.localStorage.clear()")
    page.goto(page.url.split("?")[0])
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "comparison-page")
    if os.environ.get("ALINEA_RENEW_SCREENSHOT") == "1":
        capture(page, DOCS_SCREENSHOT)
