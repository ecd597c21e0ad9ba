"""Running the QA checks over a stored alignment and keeping the flags on its beads.

The caller owns the transaction (``app.store.db.transaction``): every bead's flags are
replaced together, or none is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.qa import Glossary, QaPair, default_checks, run_checks
from app.store import models, segments
from app.store.beads import all_rows


@dataclass(frozen=True)
class QaReport:
    """What a QA run found: beads checked and flagged, and flags per check."""

    beads: int
    flagged: int
    by_check: dict[str, int]

    def describe(self) -> str:
        """Return a one-line summary such as '3 of 28 pairs flagged (numbers 2, names 1)'."""
        counts = ", ".join(f"{name} {count}" for name, count in sorted(self.by_check.items()))
        return f"{self.flagged} of {self.beads} pairs flagged" + (f" ({counts})" if counts else "")


def qa_pairs(
    session: Session, alignment: models.Alignment
) -> tuple[list[models.Bead], list[QaPair]]:
    """Return the alignment's beads in order, and each as the checks see it."""
    source = segments.texts(session, alignment.source_id, alignment.level)
    target = segments.texts(session, alignment.target_id, alignment.level)
    beads = all_rows(session, alignment.id)
    pairs = [
        QaPair(
            position=position,
            source=" ".join(source[bead.src_start : bead.src_end]),
            target=" ".join(target[bead.tgt_start : bead.tgt_end]),
            source_lang=alignment.source.language,
            target_lang=alignment.target.language,
            one_sided=bead.one_sided,
        )
        for position, bead in enumerate(beads)
    ]
    return beads, pairs


def run_qa(
    session: Session, alignment: models.Alignment, glossary: Glossary | None = None
) -> QaReport:
    """Check every bead of ``alignment``, replace its stored flags, and report.

    Flags are data about the text, not a review decision, so the beads' versions (used to
    detect stale review forms) are left alone.
    """
    beads, pairs = qa_pairs(session, alignment)
    found = run_checks(pairs, default_checks(glossary))
    by_check: Counter[str] = Counter()
    for bead, flags in zip(beads, found, strict=True):
        stored = [flag.as_dict() for flag in flags]
        if bead.flags != stored:
            bead.flags = stored
        by_check.update(flag.check for flag in flags)
    session.flush()
    return QaReport(len(beads), sum(1 for flags in found if flags), dict(by_check))


def check_new(session: Session, alignment: models.Alignment) -> QaReport:
    """Check a newly stored alignment at once, so that its flags are there when it is shown.

    Called by everything that stores an alignment (``alinea align``, jobs, batches, TMX
    and XLIFF imports); ``alinea qa`` runs the same checks again, with a glossary if given.
    """
    session.flush()
    return run_qa(session, alignment)


def recheck(session: Session, alignment_id: int, changed: Sequence[models.Bead]) -> None:
    """Check the ``changed`` beads of an alignment again, after a review change altered
    their segments or their text, inside the caller's transaction.

    The checks learn from the whole alignment as it now is, as in a full run. Glossary
    flags of a changed bead are dropped, since the glossary is not kept with the
    alignment: ``alinea qa --glossary`` brings them back.
    """
    if not changed:
        return
    alignment = session.get(models.Alignment, alignment_id)
    if alignment is None:
        return
    session.flush()
    wanted = {bead.id for bead in changed}
    beads, pairs = qa_pairs(session, alignment)
    checks = default_checks()
    for check in checks:
        check.learn(pairs)
    for bead, pair in zip(beads, pairs, strict=True):
        if bead.id in wanted:
            stored = [flag.as_dict() for check in checks for flag in check.flags(pair)]
            if bead.flags != stored:
                bead.flags = stored
    session.flush()


def recheck_family(session: Session, alignment: models.Alignment) -> None:
    """Check again every bead of an alignment and of its other level (after a change of a
    segment's text, which both levels read)."""
    family = [alignment]
    if alignment.parent_id is not None:
        family.append(session.get(models.Alignment, alignment.parent_id))
    family += list(
        session.scalars(select(models.Alignment).where(models.Alignment.parent_id == alignment.id))
    )
    session.flush()
    for member in family:
        if member is not None:
            run_qa(session, member)
