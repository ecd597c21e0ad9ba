"""A real RQ worker on the real Redis runs the alignments queued from the web UI.

Each test starts `alinea worker` processes against the test database and follows the
job through ``/jobs/<id>.json``, as the job page does.
"""

from __future__ import annotations

import re
import threading
import time
import uuid

import pytest
from sqlalchemy import func, select

from app.jobs import batch
from app.jobs import queue as job_queue
from app.jobs.worker import AlineaWorker
from app.store import models
from app.store.jobs import Job

from .conftest import CORPUS, STALE_AFTER, children, job_settings, kill, wait_for


def upload_pair(client, folder=CORPUS) -> int:
    """Queue a pair (``folder``'s es.txt and en.txt; the corpus pair by default) from the
    "New alignment" form; returns the job id."""
    with (folder / "es.txt").open("rb") as es, (folder / "en.txt").open("rb") as en:
        response = client.post(
            "/alignments/new",
            data={"source_file": (es, "es.txt"), "target_file": (en, "en.txt")},
            content_type="multipart/form-data",
        )
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def status(client, job_id: int) -> dict:
    response = client.get(f"/jobs/{job_id}.json")
    assert response.status_code == 200
    return response.get_json()


def alignments(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(models.Alignment))


def test_a_worker_runs_a_queued_alignment_and_the_api_shows_its_progress(client, workers, sessions):
    job_id = upload_pair(client)
    assert status(client, job_id)["state"] == "queued"
    worker = workers.start("--burst")

    seen = []

    def finished():
        view = status(client, job_id)
        seen.append(view)
        return view if view["finished"] else None

    final = wait_for(finished, what="the job to finish")
    assert workers.exit_code(worker, timeout=60) == 0

    assert final["state"] == "done", final["error"]
    assert final["percent"] == 100.0
    assert final["attempts"] == 1
    running = [view for view in seen if view["state"] == "running"]
    percents = [view["percent"] for view in running]
    assert len(set(percents)) >= 3, f"progress seen: {percents}"
    assert percents == sorted(percents), "progress never goes back"
    assert 0 < min(p for p in percents if p > 0) < 100
    stages = {view["stage"] for view in running}
    # The embedding takes seconds; shorter stages may pass between two looks.
    assert "embedding" in stages and len(stages) >= 2, stages
    assert any(view["stage_total"] > 0 for view in running)

    page = client.get(final["alignment_url"])
    assert page.status_code == 200
    assert (
        final["result"]["beads"] == 28 - final["result"]["one_sided"] + final["result"]["one_sided"]
        or final["result"]["beads"] > 0
    )
    with sessions() as session:
        levels = session.scalars(select(models.Alignment.level)).all()
    assert sorted(levels) == ["paragraph", "sentence"]


def _horse_pid(view: dict) -> int:
    match = re.search(r"pid (\d+)$", view["worker"] or "")
    assert match, view["worker"]
    return int(match.group(1))


def _wait_until_embedding(client, job_id: int) -> dict:
    def embedding():
        view = status(client, job_id)
        assert not view["finished"], view
        return view if view["state"] == "running" and view["percent"] > 5 else None

    return wait_for(embedding, what="the job to be under way")


def test_a_job_whose_worker_is_killed_leaves_no_alignment_and_runs_again(client, workers, sessions):
    job_id = upload_pair(client)
    worker = workers.start()
    view = _wait_until_embedding(client, job_id)
    # The whole worker dies at once, work-horse included, as when a machine is lost.
    for child in children(worker.pid):
        kill(child)
    kill(worker.pid)
    worker.wait(timeout=30)
    assert _horse_pid(view) not in children(worker.pid)

    def given_up():
        current = status(client, job_id)
        assert alignments(sessions) == 0, "a killed job left an alignment behind"
        return current if current["state"] != "running" else None

    requeued = wait_for(given_up, timeout=STALE_AFTER * 10, what="the dead job to be noticed")
    assert requeued["state"] == "queued"
    assert "stopped answering" in requeued["notes"][-1]["message"]

    workers.start("--burst")
    final = wait_for(lambda: (v := status(client, job_id))["finished"] and v, what="the retry")
    assert final["state"] == "done", final["error"]
    assert final["attempts"] == 2
    with sessions() as session:
        paragraph_levels = session.scalar(
            select(func.count())
            .select_from(models.Alignment)
            .where(models.Alignment.parent_id.is_(None))
        )
    assert paragraph_levels == 1


@pytest.mark.parametrize("attempts", [1])
def test_a_job_whose_work_horse_is_killed_on_its_last_attempt_fails_with_the_reason(
    client, workers, sessions, attempts
):
    job_id = upload_pair(client)
    worker = workers.start("--burst")
    view = _wait_until_embedding(client, job_id)
    kill(_horse_pid(view))
    assert workers.exit_code(worker, timeout=60) == 0

    final = status(client, job_id)
    assert final["state"] == "failed"
    assert "killed by signal SIGKILL" in final["error"]
    assert "no attempts left" in final["error"]
    assert final["alignment_id"] is None
    assert alignments(sessions) == 0


def test_a_job_for_a_file_that_is_not_text_fails_with_the_importers_message(
    settings, sessions, workers, tmp_path
):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    pair = batch.PairSpec(binary, CORPUS / "en.txt")
    _label, (job_id,) = batch.submit(sessions, settings, [pair], local=False)
    worker = workers.start("--burst")
    assert workers.exit_code(worker, timeout=120) == 0

    with sessions() as session:
        job = session.get(Job, job_id)
        assert job.state == "failed"
        assert job.error == "scan.txt: this looks like a binary file, not text"
        assert session.scalar(select(func.count()).select_from(models.Document)) == 0
    assert alignments(sessions) == 0


def upload_long_pair(client, tmp_path, copies: int = 12) -> int:
    """The corpus pair written out ``copies`` times (each copy numbered, so no paragraph
    repeats): long enough to be caught while it runs."""
    for name in ("es.txt", "en.txt"):
        paragraphs = (CORPUS / name).read_text(encoding="utf-8").split("\n\n")
        text = "\n\n".join(f"{k}. {p}" for k in range(copies) for p in paragraphs)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return upload_pair(client, tmp_path)


def test_a_running_job_cancelled_from_the_page_stops_and_stores_nothing(
    client, workers, sessions, tmp_path
):
    job_id = upload_long_pair(client, tmp_path)
    worker = workers.start("--burst")
    _wait_until_embedding(client, job_id)

    response = client.post(f"/jobs/{job_id}/cancel")

    assert response.status_code == 303
    assert status(client, job_id)["state"] == "cancelled"
    # The worker's run notices at its next progress report, drops its work and moves on.
    assert workers.exit_code(worker, timeout=120) == 0
    final = status(client, job_id)
    assert final["state"] == "cancelled" and final["error"].startswith("cancelled by ")
    assert alignments(sessions) == 0
    assert "no longer owns the job" in workers.output()


def test_a_queued_job_cancelled_is_never_run_and_a_finished_one_cannot_be(
    client, workers, sessions
):
    job_id = upload_pair(client)
    cancelled = client.post(f"/jobs/{job_id}/cancel", headers={"Accept": "application/json"})
    assert cancelled.status_code == 200 and cancelled.get_json()["state"] == "cancelled"

    worker = workers.start("--burst")
    assert workers.exit_code(worker, timeout=120) == 0

    assert status(client, job_id)["state"] == "cancelled"
    assert alignments(sessions) == 0
    again = client.post(f"/jobs/{job_id}/cancel", headers={"Accept": "application/json"})
    assert again.status_code == 409 and again.get_json()["cancelled"] is False


def test_a_worker_stops_listening_for_commands_promptly(redis_queue):
    """A worker stops its listener for RQ's commands as it exits. The listener, woken by
    the unsubscribe, goes back to waiting for a subscription; stopping it must not wait
    out that sleep (a minute in RQ's own setting)."""
    worker = AlineaWorker(
        [redis_queue],
        connection=job_queue.check(job_settings(redis_queue)),
        name=f"test-listener-{uuid.uuid4().hex[:8]}",
    )
    worker.subscribe()
    worker.pubsub.unsubscribe()
    wait_for(lambda: not worker.pubsub.subscribed, what="the listener to be unsubscribed")
    time.sleep(0.5)  # the listener is back in its wait

    stopping = threading.Thread(target=worker.unsubscribe, daemon=True)
    stopping.start()
    stopping.join(timeout=20)
    assert not stopping.is_alive(), "stopping the listener waits out its sleep"
    assert not worker.pubsub_thread.is_alive()
