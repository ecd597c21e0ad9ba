"""The "compare" job: align every version of a comparison with its original, then store
the comparison (or the added versions) in one transaction.

It runs under the same claim, heartbeat and ownership rules as an alignment job
(``app.jobs.attempt``); only the work and the progress differ: the percent done is the share
of versions aligned, each version going through the stages of one pair alignment.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app import services
from app.errors import InvalidRequest
from app.jobs.attempt import ProgressWriter, finish, start_saving
from app.services import comparisons
from app.services import jobs as job_service
from app.store import db as store_db
from app.store.comparisons import VersionKind

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
    """``report(number, count, stage, done, total)``: the progress of one version among
    ``count``, written through the run's ``ProgressWriter``; the percent done is the share
    of versions aligned."""

    def __init__(self, writer: ProgressWriter) -> None:
        self._writer = writer

    def __call__(self, number: int, count: int, stage: str, done: int, total: int) -> None:
        label = f"version {number} of {count}: {stage}"[:64]
        pair = job_service.overall_percent(stage, done, total)
        # The last 3 % are left for storing the comparison.
        percent = round(((number - 1) * 100 + pair) / count * 0.97, 1)
        self._writer.show(label, done, total, percent)


def compare_job(
    sessions: sessionmaker[Session],
    job_id: int,
    attempt: int,
    parameters: dict[str, Any],
    report: ProgressWriter,
) -> None:
    """Align every version with the original, then store the comparison (or add the
    versions to the one named) in one transaction."""
    progress = VersionProgress(report)
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
    computed = comparisons.compute_all(sessions, original, inputs, progress)
    with store_db.transaction(sessions) as session:
        start_saving(session, job_id, attempt)
        if parameters.get("comparison"):
            comparison = comparisons.get(session, int(parameters["comparison"]))
            for version, pair in computed:
                comparisons.store_version(session, comparison, pair, version.label, version.kind)
        else:
            comparison = comparisons.store_all(
                session, original, computed, parameters.get("title"), parameters.get("project")
            )
        result = {
            "comparison_id": comparison.id,
            "versions": len(comparison.versions),
            "added": len(computed),
        }
        finish(session, job_id, result)
