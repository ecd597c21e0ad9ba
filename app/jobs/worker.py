"""`alinea worker`: an RQ worker that runs Alinea's jobs and watches for dead ones.

Any number of workers, on any machines that reach the same Redis and database, share a
queue. Besides running jobs, every worker looks at regular intervals for jobs whose
process stopped stamping its heartbeat (killed, machine lost) and queues them again or
fails them (``app.services.jobs.reap``); several workers doing so at once is harmless.
"""

from __future__ import annotations

import logging
import os
import signal
import socket

from rq import SimpleWorker, Worker
from sqlalchemy import Engine

from app.config import Settings
from app.jobs import queue as job_queue
from app.jobs import run
from app.services import jobs as job_service
from app.store import db as store_db
from app.store.jobs import Job, JobState

log = logging.getLogger(__name__)


class Watchman:
    """The database side of a worker: reaping dead jobs, noting killed work-horses."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Engine | None = None

    def sessions(self):
        if self._engine is None:
            self._engine = store_db.make_engine(self.settings.database_url)
        return store_db.make_session_factory(self._engine)

    def reap(self) -> None:
        try:
            reaped = job_service.reap(
                self.sessions(),
                self.settings.jobs.stale_after,
                job_queue.enqueuer(self.settings.jobs),
            )
        except Exception:  # a database hiccup must not stop the worker
            log.exception("looking for dead jobs failed")
            return
        for item in reaped:
            action = "queued again" if item.requeued else "marked failed"
            log.warning("job %s lost its worker: %s", item.job_id, action)

    def horse_killed(self, rq_job, _pid, status, _rusage) -> None:
        """The process running a job died under this worker: settle the job at once."""
        if not rq_job.args:
            return
        job_id = int(rq_job.args[0])
        signal_name = ""
        if status is not None and os.WIFSIGNALED(status):
            signal_name = f" by signal {signal.Signals(os.WTERMSIG(status)).name}"
        with self.sessions()() as session:
            job = session.get(Job, job_id)
            if job is None or job.state != JobState.RUNNING.value:
                return
            attempt, where = job.attempts, job.worker or "a worker"
        reason = (
            f"attempt {attempt} of {job.max_attempts} on {where} was killed{signal_name}"
            " before it finished"
        )
        job_service.abandon(
            self.sessions(), job_id, attempt, reason, job_queue.enqueuer(self.settings.jobs)
        )

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


# How long the thread listening for RQ's commands (stop a job, shut down) waits for a
# message before looking again. RQ waits a minute; redis-py (8.2 and later) joins the
# thread when RQ stops it, and a thread that has just been unsubscribed sleeps that long
# waiting to be subscribed again, so a worker could take a minute to exit.
COMMAND_POLL_SECONDS = 1.0


class _Watched:
    """What Alinea adds to RQ's workers: the watchman's rounds in RQ's periodic
    maintenance, and a listener for commands that stops promptly."""

    watchman: Watchman

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()  # type: ignore[misc]
        self.watchman.reap()

    def subscribe(self) -> None:
        self.pubsub = self.connection.pubsub()  # type: ignore[attr-defined]
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})  # type: ignore[attr-defined]
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=COMMAND_POLL_SECONDS,
            daemon=True,
            exception_handler=self._pubsub_exception_handler,  # type: ignore[attr-defined]
        )


class AlineaWorker(_Watched, Worker):
    """Runs each job in a forked process: a crash or a kill costs that job only."""


class AlineaSimpleWorker(_Watched, SimpleWorker):
    """Runs jobs in the worker's own process (where fork is unavailable)."""


def preload_models() -> None:
    """Load the embedding model before RQ forks a work-horse for each job, so that every
    job inherits it (pages shared, copy-on-write) instead of loading it again."""
    from app.align.encoders import use_encoder

    try:
        use_encoder()
    except Exception:  # a job that needs the model will report why it could not load
        log.exception("preloading the embedding model failed")


def worker_name() -> str:
    return f"{socket.gethostname()}.{os.getpid()}"


def start(
    settings: Settings,
    queue_name: str | None,
    burst: bool,
    simple: bool = False,
    name: str | None = None,
) -> bool:
    """Work on the queue until stopped (or, with ``burst``, until it is empty)."""
    redis = job_queue.check(settings.jobs)
    run.configure(settings)
    watchman = Watchman(settings)
    cls = AlineaSimpleWorker if simple else AlineaWorker
    worker = cls(
        [queue_name or settings.jobs.queue],
        connection=redis,
        name=name or worker_name(),
        # Often enough that a dead job is noticed soon after it goes stale.
        maintenance_interval=max(5, int(settings.jobs.stale_after / 2)),
        work_horse_killed_handler=watchman.horse_killed,
    )
    worker.watchman = watchman
    if not simple:
        preload_models()
    try:
        return worker.work(burst=burst, logging_level="INFO")
    finally:
        watchman.close()
