"""What a worker does with a job: claim it, run it with heartbeat and progress, store the
result and the job's new state in one transaction.

Every write of a run is conditional on the run still owning the job (``app.jobs.attempt``):
a run given up for dead that wakes up again cannot store a second alignment.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from app import services
from app.align.result import Progress
from app.config import Settings
from app.errors import AlineaError, InvalidRequest
from app.ingest import IngestError
from app.jobs.attempt import (
    Heartbeat,
    ProgressWriter,
    Superseded,
    fail,
    finish,
    note,
    start_saving,
)
from app.jobs.compare import COMPARE, compare_job
from app.jobs.realign import realign_job
from app.services import jobs as job_service
from app.services import pairing, pairs
from app.services.pairing import Side
from app.store import db as store_db
from app.store.jobs import Job, JobState
from app.store.queries import sentence_level

log = logging.getLogger(__name__)

# Settings of the worker process that runs jobs; set by `alinea worker` and the local
# batch pool, else read from the environment.
_settings: Settings | None = None


def configure(settings: Settings) -> None:
    global _settings
    _settings = settings


def settings() -> Settings:
    return _settings or Settings.from_env()


def run_job(job_id: int) -> str:
    """The RQ entry point: run job ``job_id`` with this process's settings."""
    worker = os.environ.get("RQ_WORKER_ID") or "rq"
    return execute(settings(), job_id, f"{worker} pid {os.getpid()}")


def local_worker_name() -> str:
    return f"local {socket.gethostname()} pid {os.getpid()}"


def execute(settings: Settings, job_id: int, worker: str) -> str:
    """Run job ``job_id`` once; returns the job's state afterwards."""
    engine = store_db.make_engine(settings.database_url)
    sessions = store_db.make_session_factory(engine)
    try:
        attempt = claim(sessions, job_id, worker)
        if attempt is None:
            log.warning("job %s is not waiting to run; nothing done", job_id)
            return "skipped"
        return _run(sessions, settings, job_id, attempt)
    finally:
        engine.dispose()


def _run(sessions: sessionmaker[Session], settings: Settings, job_id: int, attempt: int) -> str:
    heartbeat = Heartbeat(sessions, job_id, attempt, settings.jobs.heartbeat)
    heartbeat.start()
    try:
        with sessions() as session:
            job = job_service.get_job(session, job_id)
            kind, parameters = job.kind, dict(job.parameters)
        writer = ProgressWriter(sessions, job_id, attempt, heartbeat)
        if kind == job_service.ALIGN:
            align_job(sessions, settings, job_id, attempt, parameters, writer)
        elif kind == job_service.REALIGN:
            realign_job(sessions, job_id, attempt, parameters, writer)
        elif kind == COMPARE:
            compare_job(sessions, job_id, attempt, parameters, writer)
        else:
            raise InvalidRequest(f"unknown kind of job {kind!r}")
        return JobState.DONE.value
    except Superseded:
        log.warning(
            "job %s: attempt %s no longer owns the job (cancelled, or given up for dead); "
            "its work is dropped",
            job_id,
            attempt,
        )
        return "superseded"
    except (AlineaError, IngestError) as error:
        fail(sessions, job_id, attempt, str(error))
        return JobState.FAILED.value
    except Exception as error:
        if (interruption := _interruption(error)) is not None:
            # Stopped (a signal, Ctrl+C), not failed: whoever stops the run puts the job back.
            raise interruption from error
        # The traceback goes to the worker's log; RQ keeps it in its failed-job registry.
        if "Timeout" in type(error).__name__:  # RQ's limit, raised inside the job
            message = f"the job ran longer than {settings.jobs.timeout} s and was stopped"
        else:
            message = f"unexpected error: {type(error).__name__}: {error}"
        fail(sessions, job_id, attempt, message)
        raise
    finally:
        heartbeat.stop()


def _interruption(error: BaseException) -> BaseException | None:
    """The interruption behind ``error``, if one is. A database driver interrupted in the
    middle of a call (by the local runner's stop signal, say) may give up with an error of
    its own, caused by the interruption."""
    seen: BaseException | None = error
    while seen is not None:
        if not isinstance(seen, Exception):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def claim(sessions: sessionmaker[Session], job_id: int, worker: str) -> int | None:
    """Mark a queued job running under a new attempt; returns the attempt's number."""
    moment = job_service.now()
    with store_db.transaction(sessions) as session:
        changed = session.execute(
            update(Job)
            .where(
                Job.id == job_id,
                Job.state == JobState.QUEUED.value,
                Job.attempts < Job.max_attempts,
            )
            .values(
                state=JobState.RUNNING.value,
                attempts=Job.attempts + 1,
                worker=worker[:200],
                started_at=moment,
                heartbeat_at=moment,
                progress_at=moment,
                stage=job_service.IMPORTING,
                stage_done=0,
                stage_total=0,
                percent=0.0,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed != 1:
            return None
        return session.get(Job, job_id).attempts


def align_job(
    sessions: sessionmaker[Session],
    settings: Settings,
    job_id: int,
    attempt: int,
    parameters: dict[str, Any],
    report: ProgressWriter,
) -> None:
    """Import (from a file or the store), align both levels, store all in one transaction."""
    report(job_service.IMPORTING, 0, 2)
    source, target = pairing.prepare_pair(
        sessions,
        settings,
        side_of(sessions, parameters["source"], parameters.get("src_lang")),
        side_of(sessions, parameters["target"], parameters.get("tgt_lang")),
        side_read=lambda count: report(job_service.IMPORTING, count, 2),
    )
    note(
        sessions,
        job_id,
        attempt,
        [
            f"Check the language: {warning}."
            for warning in services.language_warnings(source, target)
        ],
    )
    pair = pairs.compute(sessions, source, target, Progress.reporting(report))
    report(job_service.SAVING, 0, 1)
    figures = pairs.figures(pair)
    with store_db.transaction(sessions) as session:
        start_saving(session, job_id, attempt)
        alignment = pairs.store(session, pair, parameters.get("project"))
        sentence = sentence_level(session, alignment.id)
        result = {
            **figures.as_dict(),
            "sentence_alignment_id": sentence.id if sentence else None,
            "source_language": source.language,
            "target_language": target.language,
            "source_title": source.title,
            "target_title": target.title,
            "segments": [len(source.segments), len(target.segments)],
        }
        finish(session, job_id, result, alignment_id=alignment.id)


def side_of(sessions: sessionmaker[Session], side: dict[str, Any], lang: str | None):
    """A job's source or target as a pair's side: a stored document, or a file to import."""
    if "document" in side:
        return Side(lang=lang, document=int(side["document"]))
    if "upload" in side:
        # Uploaded on "New alignment": read here, not in the web request.
        with sessions() as session:
            name, data = job_service.read_file(session, int(side["upload"]))
        return Side(lang=lang, name=name, data=data)
    return Side(lang=lang, path=Path(side["path"]))
