"""`alinea serve` runs background jobs itself when nothing else does: with Redis, a worker
embedded in the server; without Redis, the server's own runner. Both are child processes
of the server, stopped with it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from redis import Redis
from rq import Worker
from sqlalchemy import func, select

from app.jobs.embedded import EmbeddedWorker, LocalRunner, choose_runner, workers_on_queue
from app.services import jobs as job_service
from app.store import models
from app.store.jobs import Job
from app.web import create_app

from .conftest import CORPUS, REDIS_URL, wait_for
from .test_worker import alignments, status, upload_long_pair, upload_pair


@pytest.fixture
def no_redis(settings):
    return replace(settings, jobs=replace(settings.jobs, redis_url=None))


@pytest.fixture
def serve(request):
    """A web app with a job runner started as `alinea serve` does; both stopped at the end."""
    started = []

    def start(settings, embedded: bool = True):
        app = create_app(settings, TESTING=True, WTF_CSRF_ENABLED=False)
        runner = choose_runner(settings, embedded)
        if runner is not None:
            runner.start()
            app.extensions["alinea.runner"] = runner
        started.append((app, runner))
        return app, runner

    yield start
    for app, runner in started:
        if runner is not None:
            runner.stop()
        app.extensions["alinea.engine"].dispose()


def flags_of(sessions, alignment_id: int) -> list:
    with sessions() as session:
        return list(
            session.scalars(
                select(models.Bead.flags).where(models.Bead.alignment_id == alignment_id)
            )
        )


def test_without_redis_the_server_runs_the_uploaded_pair_and_reports_a_bad_file(
    serve, no_redis, tmp_path
):
    app, runner = serve(no_redis)
    assert isinstance(runner, LocalRunner)
    client, sessions = app.test_client(), app.extensions["alinea.sessions"]
    page = client.get("/alignments/new").get_data(as_text=True)
    assert "queue-unavailable" not in page and runner.label in page

    binary = tmp_path / "scan.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    with binary.open("rb") as scan, (CORPUS / "en.txt").open("rb") as en:
        response = client.post(
            "/alignments/new",
            data={"source_file": (scan, "scan.txt"), "target_file": (en, "en.txt")},
            content_type="multipart/form-data",
        )
    bad = int(response.headers["Location"].rsplit("/", 1)[-1])
    good = upload_pair(client)
    assert "waiting for this server" in status(client, good)["runner"]

    failed = wait_for(
        lambda: status(client, bad)["finished"] and status(client, bad), what="failure"
    )
    assert failed["state"] == "failed"
    assert failed["error"] == "scan.txt: this looks like a binary file, not text"
    seen = []

    def done():
        view = status(client, good)
        seen.append((view["state"], view["percent"], view["runner"]))
        return view["finished"] and view

    view = wait_for(done, what="the alignment")
    assert view["state"] == "done", view
    assert any(state == "running" and 0 < percent < 100 for state, percent, _ in seen)
    assert view["runner"].startswith(f"ran on {runner.label}")
    # Checked by QA at once: the corpus pair's one-sided passages are flagged.
    assert any(flags_of(sessions, view["alignment_id"]))


def test_a_stopped_server_puts_its_job_back_and_a_cancelled_job_stores_nothing(
    serve, no_redis, tmp_path
):
    app, runner = serve(no_redis)
    client, sessions = app.test_client(), app.extensions["alinea.sessions"]
    job_id = upload_long_pair(client, tmp_path)
    wait_for(lambda: status(client, job_id)["state"] == "running", what="the job to start")

    runner.stop()
    view = status(client, job_id)
    assert view["state"] == "queued" and view["attempts"] == 1
    assert "the server stopped while this job ran" in view["notes"][-1]["message"]

    _app, again = serve(no_redis)
    wait_for(lambda: status(client, job_id)["attempts"] == 2, what="the job to start again")
    wait_for(lambda: status(client, job_id)["percent"] > 5, what="progress")
    response = client.post(f"/jobs/{job_id}/cancel")
    assert response.status_code == 303
    assert status(client, job_id)["state"] == "cancelled"
    # The runner drops the cancelled work and serves the next job.
    second = upload_pair(client)
    assert (
        wait_for(lambda: status(client, second)["finished"] and status(client, second))["state"]
        == "done"
    )
    with sessions() as session:
        assert session.get(Job, job_id).alignment_id is None
    assert alignments(sessions) == 2  # the second pair's two levels only


def test_with_redis_and_no_worker_the_server_embeds_one(serve, settings):
    assert workers_on_queue(settings) == 0
    app, runner = serve(settings)
    assert isinstance(runner, EmbeddedWorker)
    client, sessions = app.test_client(), app.extensions["alinea.sessions"]
    job_id = upload_pair(client)
    view = wait_for(lambda: status(client, job_id)["finished"] and status(client, job_id))
    assert view["state"] == "done", view
    assert view["runner"].startswith(f"ran on {runner.label}")
    assert any(flags_of(sessions, view["alignment_id"]))
    assert workers_on_queue(settings) == 1

    runner.stop()
    with Redis.from_url(REDIS_URL) as redis:
        names = [
            w.name for w in Worker.all(connection=redis) if settings.jobs.queue in w.queue_names()
        ]
    assert runner.name not in names


def test_a_server_with_workers_or_told_not_to_embeds_nothing(serve, settings, workers):
    workers.start()
    wait_for(lambda: workers_on_queue(settings) == 1, what="the worker to register")
    app, runner = serve(settings)
    assert runner is None
    _app, none = serve(settings, embedded=False)
    assert none is None
    client = app.test_client()
    job_id = upload_pair(client)
    assert "waiting for a worker on the queue" in status(client, job_id)["runner"]
    view = wait_for(lambda: status(client, job_id)["finished"] and status(client, job_id))
    assert view["state"] == "done"
    with app.extensions["alinea.sessions"]() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 1
    assert view["queue"] != job_service.SERVER_QUEUE
