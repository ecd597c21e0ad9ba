"""The "New alignment" form and the job page in a real browser, with a real worker: the
page follows the job by itself until it links to the alignment."""

from __future__ import annotations

import os
import re
import threading

import pytest
from jobs.conftest import CORPUS, Workers, job_settings, redis_queue  # noqa: F401
from werkzeug.serving import make_server

from app.config import Settings
from app.ingest import DEFAULT_LANGUAGES
from app.store import db as store_db
from app.web import create_app

from .conftest import screenshot, watch_progress


@pytest.fixture
def job_server(tmp_path, redis_queue):  # noqa: F811
    """The app at a free port, with a queue of its own, and a way to start workers."""
    url = f"sqlite:///{tmp_path / 'alinea.db'}"
    store_db.upgrade(url)
    settings = Settings(url, tmp_path / "instance", DEFAULT_LANGUAGES, job_settings(redis_queue))
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ALINEA_INSTANCE": str(settings.instance_path),
        "REDIS_URL": settings.jobs.redis_url or "",
        "ALINEA_QUEUE": settings.jobs.queue,
        # The worker must stamp its heartbeat well within what the server waits for.
        "ALINEA_JOB_HEARTBEAT": str(settings.jobs.heartbeat),
        "ALINEA_JOB_STALE_AFTER": str(settings.jobs.stale_after),
    }
    workers = Workers(env, tmp_path)
    try:
        yield f"http://127.0.0.1:{server.server_port}", workers
    finally:
        workers.stop_all()
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["alinea.engine"].dispose()


def test_upload_a_pair_and_watch_the_job_page_until_it_opens_the_alignment(page, job_server):
    url, workers = job_server
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{url}/")
    page.click("text=New alignment")
    page.set_input_files("#source_file", str(CORPUS / "es.txt"))
    page.set_input_files("#target_file", str(CORPUS / "en.txt"))
    page.click("button[type=submit]")
    page.wait_for_selector("#job[data-state=queued]")
    assert page.inner_text("#job-state") == "queued"

    workers.start("--burst")
    page.wait_for_selector("#job[data-state=running]", timeout=120_000)
    if watch_progress(page) is not None:
        # Caught while running: the bar shows what the figure says.
        assert float(page.get_attribute("#job-progress", "value") or 0) > 5
        screenshot(page, "job-running")
    # When the job is done, the page opens the alignment by itself.
    page.wait_for_url(re.compile(r"/alignments/\d+\?job=\d+$"), timeout=240_000)
    page.wait_for_selector("article.bead")
    screenshot(page, "job-done-alignment")
    assert errors == []
