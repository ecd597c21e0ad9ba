"""A job's life in the database: claimed by one run, watched by its heartbeat, given up
when the heartbeat stops, and never written by a run that has lost it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.config import JobSettings, Settings
from app.ingest import DEFAULT_LANGUAGES
from app.jobs import attempt, run
from app.services import jobs as job_service
from app.store import db as store_db
from app.store import models
from app.store.jobs import Job

from .conftest import CORPUS


@pytest.fixture
def sessions(database_url):
    engine = store_db.make_engine(database_url)
    yield store_db.make_session_factory(engine)
    engine.dispose()


def new_job(sessions, queue: str = "q", max_attempts: int = 2) -> int:
    parameters = job_service.align_parameters(
        {"path": str(CORPUS / "es.txt")}, {"path": str(CORPUS / "en.txt")}, "es", "en"
    )
    with store_db.transaction(sessions) as session:
        return job_service.create_job(session, "align", parameters, queue, max_attempts).id


def age_heartbeat(sessions, job_id: int, seconds: float) -> None:
    with store_db.transaction(sessions) as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(heartbeat_at=job_service.now() - timedelta(seconds=seconds))
        )


def load(sessions, job_id: int) -> Job:
    with sessions() as session:
        return session.get(Job, job_id)


def test_a_queued_job_is_claimed_by_one_run_only(sessions):
    job_id = new_job(sessions)
    assert run.claim(sessions, job_id, "worker a") == 1
    assert run.claim(sessions, job_id, "worker b") is None
    job = load(sessions, job_id)
    assert (job.state, job.attempts, job.worker) == ("running", 1, "worker a")


def test_a_running_job_with_a_fresh_heartbeat_is_left_alone(sessions):
    job_id = new_job(sessions)
    run.claim(sessions, job_id, "worker a")
    assert job_service.reap(sessions, 60, lambda _id, _queue: "rq-1") == []
    assert load(sessions, job_id).state == "running"


def test_a_silent_job_with_attempts_left_is_queued_again_with_a_note(sessions):
    job_id = new_job(sessions)
    run.claim(sessions, job_id, "worker a pid 42")
    age_heartbeat(sessions, job_id, 120)
    enqueued = []

    reaped = job_service.reap(
        sessions, 60, lambda job, queue: enqueued.append((job, queue)) or "rq-2"
    )

    assert reaped == [job_service.Reaped(job_id, requeued=True)]
    assert enqueued == [(job_id, "q")]
    job = load(sessions, job_id)
    assert (job.state, job.rq_id, job.worker, job.error) == ("queued", "rq-2", None, None)
    assert "attempt 1 of 2 on worker a pid 42 stopped answering" in job.notes[-1]["message"]


def test_a_silent_job_on_its_last_attempt_fails_with_the_reason(sessions):
    job_id = new_job(sessions, max_attempts=1)
    run.claim(sessions, job_id, "worker a")
    age_heartbeat(sessions, job_id, 120)
    job_service.reap(sessions, 60, lambda _id, _queue: "unused")
    job = load(sessions, job_id)
    assert job.state == "failed"
    assert job.error.endswith("its process was killed or crashed; no attempts left")


def test_a_silent_job_is_left_for_a_process_that_can_reach_its_queue(sessions):
    job_id = new_job(sessions)
    run.claim(sessions, job_id, "worker a")
    age_heartbeat(sessions, job_id, 120)
    assert job_service.reap(sessions, 60, enqueue=None) == []
    assert load(sessions, job_id).state == "running"


def test_a_silent_local_job_fails_at_once(sessions):
    job_id = new_job(sessions, queue=job_service.LOCAL_QUEUE, max_attempts=1)
    run.claim(sessions, job_id, "local pid 7")
    age_heartbeat(sessions, job_id, 120)
    job_service.reap(sessions, 60, enqueue=None)
    assert load(sessions, job_id).state == "failed"


def test_a_run_given_up_for_dead_cannot_store_its_alignment(sessions, database_url, tmp_path):
    settings = Settings(database_url, tmp_path, DEFAULT_LANGUAGES, JobSettings(redis_url=None))
    job_id = new_job(sessions)
    stale_attempt = run.claim(sessions, job_id, "worker a")
    age_heartbeat(sessions, job_id, 120)
    job_service.reap(sessions, 60, lambda _id, _queue: "rq-2")
    fresh_attempt = run.claim(sessions, job_id, "worker b")
    assert (stale_attempt, fresh_attempt) == (1, 2)

    heartbeat = attempt.Heartbeat(sessions, job_id, stale_attempt, interval=60)
    stale_writer = attempt.ProgressWriter(sessions, job_id, stale_attempt, heartbeat)
    with pytest.raises(attempt.Superseded):
        stale_writer("embedding", 1, 10)
    # The stale run works to the end (its progress going to the current run's row), and
    # only its final write, which checks ownership in the same transaction, stops it.
    parameters = dict(load(sessions, job_id).parameters)
    current_writer = attempt.ProgressWriter(sessions, job_id, fresh_attempt, heartbeat)
    with pytest.raises(attempt.Superseded):
        run.align_job(sessions, settings, job_id, stale_attempt, parameters, current_writer)

    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(models.Alignment)) == 0
        assert session.scalar(select(func.count()).select_from(models.Document)) == 0
    job = load(sessions, job_id)
    assert (job.state, job.attempts, job.worker) == ("running", 2, "worker b")


@pytest.mark.parametrize(
    ("stage", "done", "total", "percent"),
    [
        ("importing", 0, 2, 0.0),
        ("embedding", 0, 100, 5.0),
        ("embedding", 50, 100, 22.5),
        ("aligning paragraphs", 10, 10, 50.0),
        ("aligning sentences", 0, 0, 75.0),
        ("saving", 1, 1, 100.0),
    ],
)
def test_the_overall_percent_places_each_stage_in_its_share(stage, done, total, percent):
    assert job_service.overall_percent(stage, done, total) == percent


def test_the_time_left_follows_the_rate_so_far(sessions):
    job_id = new_job(sessions)
    run.claim(sessions, job_id, "worker a")
    start = job_service.now()
    with store_db.transaction(sessions) as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(started_at=start, progress_at=start + timedelta(seconds=30), percent=25.0)
        )
    job = load(sessions, job_id)
    # 25% took 30 s, so 75% takes 90 s more, 10 s of which have passed since.
    assert job_service.eta_seconds(job, at=start + timedelta(seconds=40)) == 80.0
    with store_db.transaction(sessions) as session:
        session.execute(update(Job).where(Job.id == job_id).values(percent=1.0))
    assert job_service.eta_seconds(load(sessions, job_id)) is None


class _Interrupted(BaseException):
    """A stop signal, as the local runner raises it."""


def test_a_driver_error_caused_by_a_stop_is_the_stop_and_the_job_is_left_to_be_put_back(
    sessions, database_url, tmp_path, monkeypatch
):
    settings = Settings(database_url, tmp_path, DEFAULT_LANGUAGES, JobSettings(redis_url=None))
    job_id = new_job(sessions)
    attempt_number = run.claim(sessions, job_id, "local pid 7")

    def interrupted_inside_the_driver(*_arguments):
        try:
            raise _Interrupted
        except _Interrupted:
            raise RuntimeError("can't change 'autocommit' now") from None

    monkeypatch.setattr(run, "align_job", interrupted_inside_the_driver)
    with pytest.raises(_Interrupted):
        run._run(sessions, settings, job_id, attempt_number)
    job = load(sessions, job_id)
    assert (job.state, job.error) == ("running", None)


def test_an_error_of_the_job_itself_fails_it(sessions, database_url, tmp_path, monkeypatch):
    settings = Settings(database_url, tmp_path, DEFAULT_LANGUAGES, JobSettings(redis_url=None))
    job_id = new_job(sessions)
    attempt_number = run.claim(sessions, job_id, "local pid 7")

    def broken(*_arguments):
        raise RuntimeError("a bug")

    monkeypatch.setattr(run, "align_job", broken)
    with pytest.raises(RuntimeError):
        run._run(sessions, settings, job_id, attempt_number)
    job = load(sessions, job_id)
    assert job.state == "failed"
    assert job.error == "unexpected error: RuntimeError: a bug"
