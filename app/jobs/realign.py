"""The "Re-align unconfirmed" job: the aligner runs outside any transaction, the result
is written in one short one.

First the unconfirmed stretches of the alignment are aligned from a plain read, with
progress, while reviewers go on working (nothing is locked). Then, in one transaction,
``app.services.review.realign`` is applied to the version the job was asked for, fed the
results computed before: if someone changed the alignment in between, the version check
refuses and nothing is written; the job fails and says so. A sentence-level alignment is
re-aligned with the fast sentence aligner inside that transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app import services
from app.errors import Conflict
from app.jobs.attempt import finish, start_saving
from app.review.realign import realign_gaps, unconfirmed_gaps
from app.services import jobs as job_service
from app.services import review
from app.services.history import LOCAL_ACTOR
from app.store import db as store_db
from app.store.beads import bead_states

Key = tuple[tuple[str, ...], tuple[str, ...]]


def realign_parameters(
    alignment_id: int, version: int, actor: str, title: str, project_id: int | None
) -> dict[str, Any]:
    """Parameters of a re-align job on ``version`` of the alignment, asked by ``actor``."""
    return {
        "alignment": alignment_id,
        "version": version,
        "actor": actor,
        "title": f"Re-align: {title}",
        "project": project_id,
    }


class AlignedStretches:
    """The aligner's results on each stretch, computed once and then replayed."""

    def __init__(self, report: Callable[[str, int, int], None], total: int) -> None:
        self._results: dict[Key, object] = {}
        self._report, self._total, self._done = report, total, 0

    def computing(self, aligner: Callable[..., object]) -> Callable[..., object]:
        def align(src: Sequence, tgt: Sequence, src_lang: str, tgt_lang: str) -> object:
            result = aligner(src, tgt, src_lang, tgt_lang)
            self._results[_key(src, tgt)] = result
            self._done += 1
            self._report(job_service.REALIGNING, self._done, self._total)
            return result

        return align

    def replaying(self, src: Sequence, tgt: Sequence, _src_lang: str, _tgt_lang: str) -> object:
        try:
            return self._results[_key(src, tgt)]
        except KeyError:
            raise Conflict(CHANGED) from None


CHANGED = (
    "the alignment was changed while it was being re-aligned; nothing was changed. "
    "Re-align it again"
)


def _key(src: Sequence, tgt: Sequence) -> Key:
    return tuple(segment.text for segment in src), tuple(segment.text for segment in tgt)


def _segment_aligner(level: str) -> Callable[..., object]:
    """The engine's aligner at ``level``, as ``app.services.review.gap_aligner`` calls it."""
    from app.align.levels import align_segments

    def align(src: Sequence, tgt: Sequence, src_lang: str, tgt_lang: str) -> object:
        return align_segments(src, tgt, src_lang, tgt_lang, level=level)

    return align


def realign_job(
    sessions: sessionmaker[Session],
    job_id: int,
    attempt: int,
    parameters: dict[str, Any],
    report: Callable[[str, int, int], None],
    aligner: Callable[..., object] | None = None,
) -> None:
    """Re-align the unconfirmed stretches (``aligner`` defaults to the engine's, at the
    alignment's level)."""
    alignment_id, version = int(parameters["alignment"]), int(parameters["version"])
    with sessions() as session:
        alignment = services.get_alignment(session, alignment_id)
        if alignment.version != version:
            raise Conflict(CHANGED.replace("while it was being", "before it could be"))
        stretches = AlignedStretches(report, 0)
        if aligner is None:
            aligner = _segment_aligner(alignment.level)
        if alignment.parent_id is None:
            beads = bead_states(session, alignment_id)
            gaps = [
                gap
                for gap in unconfirmed_gaps(beads)
                if gap.src[0] < gap.src[1] and gap.tgt[0] < gap.tgt[1]
            ]
            stretches = AlignedStretches(report, max(1, len(gaps)))
            report(job_service.REALIGNING, 0, max(1, len(gaps)))
            realign_gaps(
                beads, review.gap_aligner(session, alignment, stretches.computing(aligner))
            )
    report(job_service.SAVING, 0, 1)
    with store_db.transaction(sessions) as session:
        start_saving(session, job_id, attempt)
        outcome = review.realign(
            session,
            alignment_id,
            version,
            actor=str(parameters.get("actor") or LOCAL_ACTOR),
            aligner=stretches.replaying,
        )
        result = {"summary": outcome.summary, "version": outcome.version}
        finish(session, job_id, result, alignment_id=alignment_id)
