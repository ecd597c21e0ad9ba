"""Background jobs as the UI and the CLI see them: create, list, show, and watch for dead ones.

The rows live in ``app.store.jobs``; running them is ``app.jobs``. Nothing here talks to
Redis: where a job must be queued again, the caller passes ``enqueue``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.align import progress as stages
from app.errors import NotFound
from app.store.base import aware, possible_id
from app.store.db import transaction
from app.store.jobs import Job, JobFile, JobState

ALIGN = "align"
REALIGN = "realign"
LOCAL_QUEUE = "local"
# Jobs that `alinea serve` runs itself, without Redis (``app.jobs.embedded.LocalRunner``):
# queued in the database only, found there by the server's runner.
SERVER_QUEUE = "server"

# Stages a pair goes through besides the aligner's, and the share of the work that each
# stage takes: (stage, percent at its start, percent at its end). The shares are rough
# averages over news articles; the ETA corrects for the rest as the job goes.
IMPORTING = "importing"
SAVING = "saving"
REALIGNING = "re-aligning"
STAGE_SPANS: dict[str, tuple[float, float]] = {
    IMPORTING: (0.0, 5.0),
    REALIGNING: (0.0, 97.0),
    stages.EMBEDDING: (5.0, 40.0),
    stages.ALIGNING_PARAGRAPHS: (40.0, 50.0),
    stages.EMBEDDING_SENTENCES: (50.0, 75.0),
    stages.ALIGNING_SENTENCES: (75.0, 97.0),
    SAVING: (97.0, 100.0),
}
# Below this much done, an estimate of the time left says more about start-up than rate.
MIN_PERCENT_FOR_ETA = 3.0


def now() -> datetime:
    return datetime.now(UTC)


def overall_percent(stage: str, done: int, total: int) -> float:
    """The job's percent done when ``stage`` has done ``done`` of ``total``."""
    start, end = STAGE_SPANS.get(stage, (0.0, 0.0))
    share = min(1.0, done / total) if total > 0 else 0.0
    return round(start + (end - start) * share, 1)


def align_parameters(
    source: dict[str, Any],
    target: dict[str, Any],
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    title: str | None = None,
    project_id: int | None = None,
) -> dict[str, Any]:
    """Parameters of an align job; each side is {"document": id} or {"path": absolute path}.

    ``project_id`` is the project the alignment goes to (None: the default project)."""
    return {
        "source": source,
        "target": target,
        "src_lang": src_lang or None,
        "tgt_lang": tgt_lang or None,
        "title": title or None,
        "project": project_id,
    }


def job_project(job: Job) -> int | None:
    """The project whose members may see the job (None: the default project)."""
    return (job.parameters or {}).get("project")


def create_job(
    session: Session,
    kind: str,
    parameters: dict[str, Any],
    queue: str,
    max_attempts: int,
    batch: str | None = None,
) -> Job:
    job = Job(
        kind=kind,
        parameters=parameters,
        state=JobState.QUEUED.value,
        queue=queue,
        batch=batch,
        max_attempts=max_attempts,
        stage_done=0,
        stage_total=0,
        percent=0.0,
        result={},
        notes=[],
        attempts=0,
    )
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, job_id: int) -> Job:
    job = session.get(Job, job_id) if possible_id(job_id) else None
    if job is None:
        raise NotFound(f"there is no job {job_id}")
    return job


def finished_summary(session: Session, job_id: int, alignment_id: int) -> str | None:
    """What job ``job_id`` did to alignment ``alignment_id`` (its result's summary), for
    the alignment's page the job page opens when the job is done; None for any other job."""
    job = session.get(Job, job_id) if possible_id(job_id) else None
    if job is None or job.alignment_id != alignment_id or job.state != JobState.DONE.value:
        return None
    return (job.result or {}).get("summary") or None


def list_jobs(
    session: Session, state: str | None = None, batch: str | None = None, limit: int = 100
) -> list[Job]:
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if state:
        query = query.where(Job.state == state)
    if batch:
        query = query.where(Job.batch == batch)
    return list(session.scalars(query))


def batch_jobs(session: Session, batch: str) -> list[Job]:
    return list(session.scalars(select(Job).where(Job.batch == batch).order_by(Job.id)))


def eta_seconds(job: Job, at: datetime | None = None) -> float | None:
    """Seconds left, from the rate so far: percent done over the time it took."""
    if job.state != JobState.RUNNING.value or job.started_at is None or job.progress_at is None:
        return None
    if job.percent < MIN_PERCENT_FOR_ETA:
        return None
    at = at or now()
    elapsed = (aware(job.progress_at) - aware(job.started_at)).total_seconds()
    if elapsed <= 0:
        return None
    left = (100.0 - job.percent) * elapsed / job.percent
    left -= (at - aware(job.progress_at)).total_seconds()
    return round(max(0.0, left), 1)


def describe(job: Job) -> dict[str, Any]:
    """Everything a page or a script needs to show the job, as plain JSON values."""
    return {
        "id": job.id,
        "kind": job.kind,
        "title": job_title(job),
        "state": job.state,
        "finished": job.job_state.finished,
        "stage": job.stage,
        "stage_done": job.stage_done,
        "stage_total": job.stage_total,
        "percent": job.percent,
        "eta_seconds": eta_seconds(job),
        "alignment_id": job.alignment_id,
        "result": job.result,
        "error": job.error,
        "notes": job.notes,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "queue": job.queue,
        "batch": job.batch,
        "worker": job.worker,
        "created_at": _iso(job.created_at),
        "started_at": _iso(job.started_at),
        "heartbeat_at": _iso(job.heartbeat_at),
        "finished_at": _iso(job.finished_at),
    }


def job_title(job: Job) -> str:
    params = job.parameters or {}
    if params.get("title"):
        return str(params["title"])
    return f"{_side_name(params.get('source'))} → {_side_name(params.get('target'))}"


def _side_name(side: dict[str, Any] | None) -> str:
    if not side:
        return "?"
    if "document" in side:
        return f"document {side['document']}"
    return str(side.get("name") or side.get("path", "?")).rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Reaped:
    """A job whose worker stopped answering: queued again, or failed for good."""

    job_id: int
    requeued: bool


def reap(
    sessions: sessionmaker[Session],
    stale_after: float,
    enqueue: Callable[[int, str], str] | None,
    at: datetime | None = None,
) -> list[Reaped]:
    """Find running jobs whose heartbeat stopped; queue them again or mark them failed.

    ``enqueue(job_id, queue)`` puts a job on its queue and returns RQ's id for it; without
    it, jobs with attempts left are left for a process that can reach the queue. Local
    jobs (``alinea batch --local``) have no queue: a dead one fails at once. Safe to run
    from many processes at once: each change is conditional on the row being as it was.
    """
    cutoff = (at or now()) - timedelta(seconds=stale_after)
    with sessions() as session:
        stale = list(
            session.scalars(
                select(Job).where(Job.state == JobState.RUNNING.value, Job.heartbeat_at < cutoff)
            )
        )
    out = []
    for job in stale:
        seen = aware(job.heartbeat_at) if job.heartbeat_at else None
        reason = (
            f"attempt {job.attempts} of {job.max_attempts} on {job.worker or 'a worker'} stopped"
            f" answering (last heartbeat {_iso(seen)}): its process was killed or crashed"
        )
        reaped = abandon(sessions, job.id, job.attempts, reason, enqueue)
        if reaped is not None:
            out.append(reaped)
    return out


def abandon(
    sessions: sessionmaker[Session],
    job_id: int,
    attempt: int,
    reason: str,
    enqueue: Callable[[int, str], str] | None,
) -> Reaped | None:
    """Give up attempt ``attempt`` of a running job: queue the job again while it has
    attempts left, else fail it with ``reason``. None when the attempt is no longer current.
    """
    with transaction(sessions) as session:
        job = session.get(Job, job_id)
        if job is None:
            return None
        queue = job.queue
        retry = queue != LOCAL_QUEUE and attempt < job.max_attempts
        # The server's own jobs wait in the database: queued again is all they need.
        on_redis = queue != SERVER_QUEUE
        if retry and on_redis and enqueue is None:
            return None  # left for a process that can reach the queue
        values: dict[str, Any] = {
            "notes": [*(job.notes or []), {"at": _iso(now()), "message": reason}],
            "worker": None,
        }
        if retry:
            values |= {"state": JobState.QUEUED.value, "rq_id": None}
        else:
            values |= {
                "state": JobState.FAILED.value,
                "error": reason + "; no attempts left" if attempt >= job.max_attempts else reason,
                "finished_at": now(),
            }
        changed = session.execute(
            update(Job)
            .where(
                Job.id == job_id,
                Job.state == JobState.RUNNING.value,
                Job.attempts == attempt,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed == 1 and not retry:
            discard_files(session, job_id)
    if changed != 1:
        return None
    if retry and on_redis and enqueue is not None:
        rq_id = enqueue(job_id, queue)
        with transaction(sessions) as session:
            session.execute(update(Job).where(Job.id == job_id).values(rq_id=rq_id))
    return Reaped(job_id, retry)


def _iso(moment: datetime | None) -> str | None:
    return aware(moment).isoformat(timespec="seconds") if moment else None


def fail_unfinished(sessions: sessionmaker[Session], job_id: int, message: str) -> None:
    """Fail a job that is still queued or running, e.g. after its local process died."""
    with transaction(sessions) as session:
        session.execute(
            update(Job)
            .where(
                Job.id == job_id,
                Job.state.in_([JobState.QUEUED.value, JobState.RUNNING.value]),
            )
            .values(state=JobState.FAILED.value, error=message, finished_at=now())
            .execution_options(synchronize_session=False)
        )
        discard_files(session, job_id)


def cancel(sessions: sessionmaker[Session], job_id: int, by: str) -> bool:
    """Cancel a job that is queued or running; False if it had already finished.

    Nothing is interrupted from here: a queued job is no longer claimed, and a running one
    loses its ownership (every write of a run requires the job to be running), so its
    next progress report stops it and its result is never stored.
    """
    with transaction(sessions) as session:
        changed = session.execute(
            update(Job)
            .where(
                Job.id == job_id,
                Job.state.in_([JobState.QUEUED.value, JobState.RUNNING.value]),
            )
            .values(
                state=JobState.CANCELLED.value,
                error=f"cancelled by {by}"[:4000],
                finished_at=now(),
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed == 1:
            discard_files(session, job_id)
    return changed == 1


def add_file(session: Session, job: Job, name: str, data: bytes) -> int:
    """Keep an uploaded file for ``job`` to import; returns the file's id."""
    stored = JobFile(job_id=job.id, name=name[:255], size=len(data), data=data)
    session.add(stored)
    session.flush()
    return stored.id


def read_file(session: Session, file_id: int) -> tuple[str, bytes]:
    """The name and bytes of an uploaded file; NotFound once its job has finished."""
    stored = session.get(JobFile, file_id)
    if stored is None:
        raise NotFound("the uploaded file is no longer kept: upload it again")
    return stored.name, stored.data


def discard_files(session: Session, job_id: int) -> None:
    """Remove the uploaded files of a job that has finished (done, failed or cancelled)."""
    session.execute(
        delete(JobFile).where(JobFile.job_id == job_id).execution_options(synchronize_session=False)
    )
