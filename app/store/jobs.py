"""Background jobs: one row per job, the truth that the UI, the CLI and the workers share.

RQ carries a job's id to a worker; everything else lives here, so that any number of
workers on any number of machines, and the pages watching them, agree on a job's state.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.store.base import Base, created, intpk
from app.store.models import Alignment


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


class Job(Base):
    """A unit of background work, e.g. aligning one document pair.

    ``attempts`` counts the runs started; the run that started last owns the row, and
    every write of a run (heartbeat, progress, result) is conditional on it, so a run
    given up for dead can never overwrite its successor.
    """

    __tablename__ = "jobs"

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(32))
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED.value, index=True)
    # "local" for jobs run by `alinea batch --local`, else the RQ queue's name.
    queue: Mapped[str] = mapped_column(String(100))
    rq_id: Mapped[str | None] = mapped_column(String(100))
    # Jobs enqueued together by one `alinea batch` share this label.
    batch: Mapped[str | None] = mapped_column(String(64), index=True)

    stage: Mapped[str | None] = mapped_column(String(64))
    stage_done: Mapped[int] = mapped_column(default=0)
    stage_total: Mapped[int] = mapped_column(default=0)
    percent: Mapped[float] = mapped_column(default=0.0)

    alignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("alignments.id", ondelete="SET NULL")
    )
    # Figures about the result: beads, one-sided beads, mean similarity...
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    # What happened to earlier runs: [{"at": iso time, "message": ...}].
    notes: Mapped[list[Any]] = mapped_column(JSON, default=list)

    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    worker: Mapped[str | None] = mapped_column(String(200))

    created_at: Mapped[created]
    started_at: Mapped[datetime | None]
    progress_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    alignment: Mapped[Alignment | None] = relationship()

    @property
    def job_state(self) -> JobState:
        return JobState(self.state)


class JobFile(Base):
    """A file uploaded on "New alignment", kept until its job has imported it.

    The web request only stores the bytes (size-limited) and queues the job; reading the
    file (decoding, segmenting, detecting the language) is the job's work. Kept in the
    database, not on disk, so that a worker on another machine reads it too.
    """

    __tablename__ = "job_files"

    id: Mapped[intpk]
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[created]
