"""Fixtures for the review use cases: the demo alignment's beads read back as plain values."""

from __future__ import annotations

from app.services import review
from app.store.db import transaction


def states(sessions, alignment_id: int):
    """The alignment's beads as plain values, as the store has them now."""
    with sessions() as session:
        return review.bead_states(session, alignment_id)


def version(sessions, alignment_id: int) -> int:
    from app.store import models

    with sessions() as session:
        return session.get(models.Alignment, alignment_id).version


def apply(sessions, alignment_id: int, operation: review.Operation) -> review.Outcome:
    """Apply an operation on the current version, in a transaction of its own."""
    current = version(sessions, alignment_id)
    with transaction(sessions) as session:
        return review.apply_operation(session, alignment_id, current, operation)


def check(sessions, alignment_id: int) -> None:
    with sessions() as session:
        review.check_alignment(session, alignment_id)
