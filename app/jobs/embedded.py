"""Running jobs inside `alinea serve`, so that a laptop needs nothing else started.

Two runners, each one child process of the server, started and stopped with it:

- ``EmbeddedWorker``: with Redis and no worker on the queue, an ordinary RQ worker
  (``app.jobs.worker``), which forks a process per job like `alinea worker`.
- ``LocalRunner``: without Redis, a process that takes the jobs queued for this server
  (queue ``server``) from the database, oldest first, one at a time, and runs them with
  the same code as a worker (``app.jobs.run.execute``): the same job rows, progress,
  cancelling and error messages.

A child process rather than a thread: an alignment keeps a core busy for minutes, which
would slow every page of the server down; RQ's worker needs signals, which only a main
thread receives; and a crash or a kill in a job costs the job, never the server.

When the server stops, its runner stops too, at once: the job it was running is put back
on its queue (its attempt counted) and runs again when a worker or the server is back.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from multiprocessing.process import BaseProcess

from sqlalchemy import select

from app.config import Settings
from app.jobs import queue as job_queue
from app.services import jobs as job_service
from app.store import db as store_db
from app.store.jobs import Job, JobState

log = logging.getLogger(__name__)

# How often the local runner looks for queued jobs, and the server for a dead runner.
POLL_SECONDS = 1.0
# Seconds given to a stopping runner before it is killed.
STOP_GRACE = 10.0


def workers_on_queue(settings: Settings) -> int:
    """How many RQ workers listen on the configured queue (0 when Redis is unreachable)."""
    from rq import Worker

    try:
        redis = job_queue.check(settings.jobs)
        return sum(1 for worker in Worker.all(connection=redis) if _serves(worker, settings))
    except Exception:  # no Redis, or one that does not answer: nobody serves the queue
        return 0


def _serves(worker, settings: Settings) -> bool:
    return settings.jobs.queue in worker.queue_names() and _alive(worker)


def _alive(worker) -> bool:
    """False for a worker of this machine whose process is gone: one killed outright stays
    registered in Redis for minutes, and would otherwise be taken for a live one."""
    if worker.hostname != socket.gethostname() or not worker.pid:
        return True  # another machine's worker: Redis forgets it when it stops answering
    try:
        os.kill(worker.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def choose_runner(settings: Settings, embedded: bool = True) -> Runner | None:
    """The runner `alinea serve` starts: None when told not to or when workers serve the
    queue; the embedded RQ worker when Redis answers; the local runner without Redis."""
    if not embedded:
        return None
    if job_queue.unavailable_reason(settings.jobs) is not None:
        return LocalRunner(settings)
    if workers_on_queue(settings) > 0:
        return None
    return EmbeddedWorker(settings)


class Runner:
    """A child process of the server that runs jobs, restarted if it dies."""

    # Shown on job pages: who runs this server's jobs.
    label = ""
    # True when jobs are queued in the database for this server rather than on Redis.
    local = False

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.name = f"alinea-serve.{socket.gethostname()}.{os.getpid()}"
        self._process: BaseProcess | None = None
        self._stopping = threading.Event()
        self._watch: threading.Thread | None = None

    def start(self) -> None:
        self._spawn()
        self._watch = threading.Thread(
            target=self._keep_alive, name="job-runner-watch", daemon=True
        )
        self._watch.start()

    def wake(self) -> None:
        """A job was queued (the runner finds it within ``POLL_SECONDS`` anyway)."""

    def stop(self) -> None:
        """Stop the child now; put the job it was running back on its queue."""
        self._stopping.set()
        process = self._process
        if process is not None and process.is_alive():
            self._terminate(process)
        self._requeue_own_jobs("the server stopped while this job ran")

    def runs(self, worker: str | None) -> bool:
        """True when a job's ``worker`` field names this server's runner."""
        return bool(worker) and worker.startswith(self.name)

    def _spawn(self) -> None:
        # Spawned, not forked: the server's threads, engine and sockets stay behind.
        context = multiprocessing.get_context("spawn")
        self._process = context.Process(
            target=self._target(), args=(self.settings, self.name, os.getpid()), daemon=False
        )
        self._process.start()
        log.info("%s started (pid %s)", self.label, self._process.pid)

    def _target(self):
        raise NotImplementedError

    def _terminate(self, process: BaseProcess) -> None:
        process.terminate()
        process.join(STOP_GRACE)
        if process.is_alive():
            process.kill()
            process.join()

    def _keep_alive(self) -> None:
        while not self._stopping.wait(POLL_SECONDS):
            process = self._process
            if process is None or process.is_alive():
                continue
            log.warning(
                "%s stopped (exit code %s); starting it again", self.label, process.exitcode
            )
            self._requeue_own_jobs(
                f"the job runner of the server stopped (exit code {process.exitcode})"
            )
            if not self._stopping.is_set():
                self._spawn()

    def _requeue_own_jobs(self, reason: str) -> None:
        engine = store_db.make_engine(self.settings.database_url)
        sessions = store_db.make_session_factory(engine)
        try:
            with sessions() as session:
                running = [
                    (job.id, job.attempts, job.max_attempts, job.worker)
                    for job in session.scalars(
                        select(Job).where(Job.state == JobState.RUNNING.value)
                    )
                    if self.runs(job.worker)
                ]
            for job_id, attempt, max_attempts, worker in running:
                message = f"attempt {attempt} of {max_attempts} on {worker} was stopped: {reason}"
                job_service.abandon(
                    sessions, job_id, attempt, message, job_queue.enqueuer(self.settings.jobs)
                )
        except Exception:  # the server is stopping; the reaper settles what is left
            log.exception("could not put the running jobs back on their queue")
        finally:
            engine.dispose()


class EmbeddedWorker(Runner):
    """An RQ worker on the configured queue, as a child process of the server."""

    label = "the worker embedded in this server (alinea serve)"

    def _target(self):
        return run_embedded_worker

    def _terminate(self, process: BaseProcess) -> None:
        # RQ's worker waits for its job on the first signal and kills it on the second,
        # which it ignores when it comes within a second of the first.
        process.terminate()
        process.join(1.5)
        if process.is_alive():
            process.terminate()
        super()._terminate(process)


class LocalRunner(Runner):
    """Runs the jobs queued for this server in the database, one at a time."""

    label = "this server (alinea serve, without Redis)"
    local = True

    def _target(self):
        return run_local_jobs


def _child_setup(parent_pid: int) -> None:
    """Leave Ctrl+C to the server, and stop if the server dies without stopping us."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def orphaned() -> None:
        while os.getppid() == parent_pid:
            time.sleep(POLL_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=orphaned, name="parent-watch", daemon=True).start()


def run_embedded_worker(settings: Settings, name: str, parent_pid: int) -> None:
    """The embedded worker's process: `alinea worker` under the server's name."""
    from app.jobs import worker
    from app.web.logs import configure_logging

    configure_logging(settings.log_level)
    _child_setup(parent_pid)
    worker.start(settings, None, burst=False, name=name)
    # RQ re-installs its own SIGINT handler; Ctrl+C reaches the server, which stops us.


def run_local_jobs(settings: Settings, name: str, parent_pid: int) -> None:
    """The local runner's process: run the server's queued jobs until told to stop."""
    from app.jobs import run
    from app.web.logs import configure_logging

    configure_logging(settings.log_level)
    _child_setup(parent_pid)
    stop = threading.Event()

    def stop_now(*_signal) -> None:
        stop.set()
        raise _Stop

    signal.signal(signal.SIGTERM, stop_now)
    run.configure(settings)
    engine = store_db.make_engine(settings.database_url)
    sessions = store_db.make_session_factory(engine)
    worker = f"{name} pid {os.getpid()}"
    try:
        while not stop.is_set():
            job_id = next_local_job(sessions)
            if job_id is None:
                stop.wait(POLL_SECONDS)
                continue
            try:
                run.execute(settings, job_id, worker)
            except Exception:  # already stored on the job as its error; keep serving
                log.exception("job %s failed", job_id)
    except _Stop:
        pass
    finally:
        engine.dispose()


class _Stop(BaseException):
    """Raised in the local runner's main thread by SIGTERM: leave the job at once."""


def next_local_job(sessions) -> int | None:
    """The oldest job queued for this server, if any."""
    with sessions() as session:
        return session.scalar(
            select(Job.id)
            .where(
                Job.queue == job_service.SERVER_QUEUE,
                Job.state == JobState.QUEUED.value,
                Job.attempts < Job.max_attempts,
            )
            .order_by(Job.id)
            .limit(1)
        )
