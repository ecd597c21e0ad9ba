"""The "compare" job: align every version of a comparison with its original, then store
the comparison (or the added versions) in one transaction.

It runs under the same claim, heartbeat and ownership rules as an alignment job
(``app.jobs.run``); only the work and the progress differ: the percent done is the share
of versions aligned, each version going through the stages of one pair alignment.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.errors import InvalidRequest
from app.services import jobs as job_service
from app.store import db as store_db
from app.store.comparisons import VersionKind
from app.store.jobs import Job, JobState

COMPARE = "compare"


def compare_parameters(
    original_id: int,
    versions: list[dict[str, Any]],
    machine: bool = False,
    title: str | None = None,
    project_id: int | None = None,
    comparison_id: int | None = None,
) -> dict[str, Any]:
    """Parameters of a compare job. ``versions`` are {"document": id, "label": ...};
    with ``comparison_id`` the versions are added to that comparison."""
    return {
        "original": {"document": original_id},
        "versions": versions,
        "machine": machine,
        "title": title or None,
        "project": project_id,
        "comparison": comparison_id,
    }


class VersionProgress:
    """``report(number, count, stage, done, total)`` written to the job's row, at most
    every ``interval`` seconds besides every change of stage; raises ``Superseded`` once
    the run has lost its job."""

    def __init__(self, sessions, job_id: int, attempt: int, heartbeat, interval: float) -> None:
        self._sessions, self._job_id, self._attempt = sessions, job_id, attempt
        self._heartbeat, self._interval = heartbeat, interval
        self._stage: str | None = None
        self._written = 0.0
        self._percent = 0.0

    def __call__(self, number: int, count: int, stage: str, done: int, total: int) -> None:
        from app.jobs.run import Superseded, _owned

        if self._heartbeat.lost.is_set():
            raise Superseded
        label = f"version {number} of {count}: {stage}"[:64]
        clock = time.monotonic()
        if label == self._stage and done < total and clock - self._written < self._interval:
            return
        pair = job_service.overall_percent(stage, done, total)
        percent = max(self._percent, round(((number - 1) * 100 + pair) / count * 0.97, 1))
        moment = job_service.now()
        with store_db.transaction(self._sessions) as session:
            changed = session.execute(
                _owned(self._job_id, self._attempt)
                .values(
                    stage=label,
                    stage_done=done,
                    stage_total=total,
                    percent=percent,
                    progress_at=moment,
                    heartbeat_at=moment,
                )
                .execution_options(synchronize_session=False)
            ).rowcount
        if changed != 1:
            raise Superseded
        self._stage, self._written, self._percent = label, clock, percent


def compare_job(
    sessions: sessionmaker[Session],
    settings: Settings,
    job_id: int,
    attempt: int,
    parameters: dict[str, Any],
    heartbeat,
) -> None:
    from app import services
    from app.jobs.run import PROGRESS_INTERVAL, Superseded, _owned
    from app.services import comparisons

    report = VersionProgress(sessions, job_id, attempt, heartbeat, PROGRESS_INTERVAL)
    with sessions() as session:
        original = services.loaded_from_store(
            services.get_document(session, int(parameters["original"]["document"]))
        )
        inputs = [
            comparisons.VersionInput(
                services.loaded_from_store(services.get_document(session, int(v["document"]))),
                v.get("label") or None,
            )
            for v in parameters.get("versions", [])
        ]
    if parameters.get("machine"):
        for language in sorted({i.document.language for i in inputs} - {original.language}):
            translated = comparisons.machine_version(original, language)
            if translated is not None:
                inputs.append(
                    comparisons.VersionInput(
                        translated, f"Apertium MT ({language})", VersionKind.MACHINE
                    )
                )
    if not inputs:
        raise InvalidRequest("give at least one version to compare with the original")
    computed = comparisons.compute_all(sessions, original, inputs, report)
    with store_db.transaction(sessions) as session:
        owned = session.execute(
            _owned(job_id, attempt)
            .values(stage=job_service.SAVING)
            .execution_options(synchronize_session=False)
        ).rowcount
        if owned != 1:
            raise Superseded
        if parameters.get("comparison"):
            comparison = comparisons.get(session, int(parameters["comparison"]))
            for version, pair in computed:
                comparisons.store_version(session, comparison, pair, version.label, version.kind)
        else:
            comparison = comparisons.store_all(
                session, original, computed, parameters.get("title"), parameters.get("project")
            )
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(
                state=JobState.DONE.value,
                result={
                    "comparison_id": comparison.id,
                    "versions": len(comparison.versions),
                    "added": len(computed),
                },
                stage=job_service.SAVING,
                stage_done=1,
                stage_total=1,
                percent=100.0,
                error=None,
                finished_at=job_service.now(),
            )
            .execution_options(synchronize_session=False)
        )
