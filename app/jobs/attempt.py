"""One run's hold on its job: the writes a run makes to the job's row, each conditional on
the run still owning the job.

A run owns its job while its attempt number is the job's ``attempts`` and the job is
running. A run given up for dead by ``app.services.jobs.reap`` that wakes up again finds
every write refused and stops with ``Superseded``, so it cannot overwrite its successor's
work or store a second result. Every kind of job (``app.jobs.run``, ``compare``,
``realign``) writes through here.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from sqlalchemy import Update, update
from sqlalchemy.orm import Session, sessionmaker

from app.services import jobs as job_service
from app.store import db as store_db
from app.store.jobs import Job, JobState

log = logging.getLogger(__name__)

# Progress is written at most this often (seconds), besides every change of stage.
PROGRESS_INTERVAL = 0.5


class Superseded(Exception):
    """This run no longer owns its job: it was cancelled, or given up for dead and queued
    again."""


def owned(job_id: int, attempt: int) -> Update:
    """An UPDATE of the job that changes nothing unless attempt ``attempt`` still owns it."""
    return update(Job).where(
        Job.id == job_id, Job.attempts == attempt, Job.state == JobState.RUNNING.value
    )


def _write(session: Session, job_id: int, attempt: int, **values: Any) -> bool:
    """Write ``values`` to the job's row if the run owns it; whether it did."""
    changed = session.execute(
        owned(job_id, attempt).values(**values).execution_options(synchronize_session=False)
    ).rowcount
    return changed == 1


def start_saving(session: Session, job_id: int, attempt: int) -> None:
    """Take the job's row for the final transaction, or raise ``Superseded``.

    Taking the row first makes the run's ownership and its result one decision: on
    PostgreSQL the row stays locked until commit, on SQLite the database does.
    """
    if not _write(session, job_id, attempt, stage=job_service.SAVING):
        raise Superseded


def finish(
    session: Session, job_id: int, result: dict[str, Any], alignment_id: int | None = None
) -> None:
    """Mark the job done with ``result``, in the transaction that stored it (after
    ``start_saving``)."""
    values: dict[str, Any] = {"alignment_id": alignment_id} if alignment_id is not None else {}
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(
            state=JobState.DONE.value,
            result=result,
            stage=job_service.SAVING,
            stage_done=1,
            stage_total=1,
            percent=100.0,
            error=None,
            finished_at=job_service.now(),
            **values,
        )
        .execution_options(synchronize_session=False)
    )
    job_service.discard_files(session, job_id)


def fail(sessions: sessionmaker[Session], job_id: int, attempt: int, message: str) -> None:
    with store_db.transaction(sessions) as session:
        failed = _write(
            session,
            job_id,
            attempt,
            state=JobState.FAILED.value,
            error=message[:4000],
            finished_at=job_service.now(),
        )
        if failed:
            job_service.discard_files(session, job_id)


def note(sessions: sessionmaker[Session], job_id: int, attempt: int, messages: list[str]) -> None:
    """Add ``messages`` to the job's notes, shown on its page (while the run owns the job)."""
    if not messages:
        return
    with store_db.transaction(sessions) as session:
        job = session.get(Job, job_id)
        stamped = [
            {"at": job_service.now().isoformat(timespec="seconds"), "message": m} for m in messages
        ]
        _write(session, job_id, attempt, notes=[*(job.notes or []), *stamped])


class Heartbeat(threading.Thread):
    """Stamps the job's row every ``interval`` seconds while the run goes on.

    A process killed outright stops stamping, which is how the others learn of it.
    """

    def __init__(
        self, sessions: sessionmaker[Session], job_id: int, attempt: int, interval: float
    ) -> None:
        super().__init__(name=f"heartbeat-job-{job_id}", daemon=True)
        self._sessions, self._job_id, self._attempt = sessions, job_id, attempt
        self._interval = interval
        self._stopped = threading.Event()
        self.lost = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self._interval):
            try:
                with store_db.transaction(self._sessions) as session:
                    stamped = _write(
                        session, self._job_id, self._attempt, heartbeat_at=job_service.now()
                    )
            except Exception:  # a busy database: try again at the next beat
                log.exception("job %s: heartbeat not written", self._job_id)
                continue
            if not stamped:
                self.lost.set()
                return

    def stop(self) -> None:
        self._stopped.set()


class ProgressWriter:
    """``report(stage, done, total)`` for the aligner, written to the job's row.

    Raises Superseded inside the aligner once the run has lost its job, which stops
    the work early.
    """

    def __init__(
        self, sessions: sessionmaker[Session], job_id: int, attempt: int, heartbeat: Heartbeat
    ) -> None:
        self._sessions, self._job_id, self._attempt = sessions, job_id, attempt
        self._heartbeat = heartbeat
        self._stage: str | None = None
        self._written = 0.0
        self._percent = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.show(stage, done, total, job_service.overall_percent(stage, done, total))

    def show(self, stage: str, done: int, total: int, percent: float) -> None:
        """Write one step, at most every PROGRESS_INTERVAL within a stage."""
        if self._heartbeat.lost.is_set():
            raise Superseded
        clock = time.monotonic()
        if stage == self._stage and done < total and clock - self._written < PROGRESS_INTERVAL:
            return
        # Stages a short text skips never make the percent go back.
        percent = max(self._percent, percent)
        moment = job_service.now()
        with store_db.transaction(self._sessions) as session:
            written = _write(
                session,
                self._job_id,
                self._attempt,
                stage=stage,
                stage_done=done,
                stage_total=total,
                percent=percent,
                progress_at=moment,
                heartbeat_at=moment,
            )
        if not written:
            raise Superseded
        self._stage, self._written, self._percent = stage, clock, percent
