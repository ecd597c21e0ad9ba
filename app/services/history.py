"""The review history: every change to an alignment as one event, and undo and redo's view
of it.

An event keeps the beads (or the segment text) before and after a change, as JSON, and the
alignment version the change made. A new operation makes the undone events unreachable
(``drop_redo``); undo and redo themselves are review use cases (``app.services.review``),
which find their event here and record what they did with ``record``.

Every function takes an open session inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.review.beads import BeadState, Edit
from app.store import models

# Who made a change when no account is logged in: the one reviewer of a local instance.
LOCAL_ACTOR = "local"

# The actions of events that changed a segment's text rather than beads.
TEXT_ACTIONS = ("text", "split_text", "join_text")


@dataclass(frozen=True)
class Outcome:
    """What an applied change left: the alignment's new version and the bead to show.

    For a change of beads, ``start``, ``removed`` and ``added`` say which: the beads at
    ``[start, start + removed)`` before are ``[start, start + added)`` now, and the beads
    after them moved by ``added - removed``. A text change leaves ``start`` None.
    """

    version: int
    position: int
    summary: str
    start: int | None = None
    removed: int = 0
    added: int = 0


def record(
    session: Session,
    alignment: models.Alignment,
    action: str,
    summary: str,
    edit: Edit,
    actor: str,
    reverts_id: int | None = None,
    focus: int | None = None,
    cascade: list | None = None,
) -> Outcome:
    """Record ``edit`` as the alignment's next version, and say what it left: the bead to
    show is ``focus`` (default: the edit's first), kept inside the edit's beads."""
    add_event(
        session,
        alignment,
        action=action,
        summary=summary,
        **edit_data(edit),
        actor=actor,
        reverts_id=reverts_id,
        cascade=cascade,
    )
    position = edit.start if focus is None else focus
    last = edit.start + max(len(edit.after) - 1, 0)
    return Outcome(
        alignment.version,
        min(max(position, edit.start), last),
        summary,
        start=edit.start,
        removed=len(edit.before),
        added=len(edit.after),
    )


def add_event(
    session: Session,
    alignment: models.Alignment,
    *,
    action: str,
    summary: str,
    position: int,
    before: list,
    after: list,
    actor: str,
    reverts_id: int | None,
    cascade: list | None = None,
    state: str | None = None,
) -> None:
    """Record one change as the alignment's next version; a new operation (one that reverts
    no event: not an undo or redo) makes the undone ones unreachable. An undo or redo is
    kept as a "record", and so is ``state="record"`` (a change made from elsewhere)."""
    if reverts_id is None:
        drop_redo(session, alignment.id)
    alignment.version += 1
    session.add(
        models.ReviewEvent(
            alignment_id=alignment.id,
            actor=actor,
            action=action,
            summary=summary[:300],
            position=position,
            before=before,
            after=after,
            state=state or ("record" if reverts_id is not None else "applied"),
            reverts_id=reverts_id,
            alignment_version=alignment.version,
            cascade=cascade,
        )
    )
    session.flush()


def drop_redo(session: Session, alignment_id: int) -> None:
    """A new operation makes the undone ones unreachable: redo would no longer apply."""
    session.execute(
        update(models.ReviewEvent)
        .where(
            models.ReviewEvent.alignment_id == alignment_id,
            models.ReviewEvent.state == "undone",
        )
        .values(state="dropped")
        .execution_options(synchronize_session=False)
    )


def edit_data(edit: Edit) -> dict[str, Any]:
    """A change of beads as history stores it (an event's, or a cascade entry's, fields)."""
    return {
        "position": edit.start,
        "before": [bead.as_dict() for bead in edit.before],
        "after": [bead.as_dict() for bead in edit.after],
    }


def edit_from_data(position: int, before: list, after: list) -> Edit:
    """The change of beads ``edit_data`` stored."""
    return Edit(
        position,
        tuple(BeadState.from_dict(data) for data in before),
        tuple(BeadState.from_dict(data) for data in after),
    )


def event_edit(event: models.ReviewEvent) -> Edit:
    """The change of beads an event recorded."""
    return edit_from_data(event.position, event.before, event.after)


def combined(beads: list[BeadState], edits: list[Edit]) -> Edit:
    """One Edit from the first to the last changed bead, for a single history event."""
    ordered = sorted(edits, key=lambda edit: edit.start)
    start = ordered[0].start
    stop = ordered[-1].start + len(ordered[-1].before)
    after: list[BeadState] = []
    cursor = start
    for edit in ordered:
        after.extend(beads[cursor : edit.start])
        after.extend(edit.after)
        cursor = edit.start + len(edit.before)
    return Edit(start, tuple(beads[start:stop]), tuple(after))


def history(
    session: Session, alignment_id: int, position: int | None = None, limit: int = 200
) -> list[models.ReviewEvent]:
    """The alignment's events, newest first; with ``position``, those that touched that bead."""
    query = select(models.ReviewEvent).where(models.ReviewEvent.alignment_id == alignment_id)
    if position is None:
        return list(session.scalars(query.order_by(models.ReviewEvent.id.desc()).limit(limit)))
    # Which beads an event touched is in its JSON; the range is checked here rather than
    # in SQL, over the events that start at or before the bead.
    query = query.where(models.ReviewEvent.position <= position)
    events = session.scalars(query.order_by(models.ReviewEvent.id.desc()).limit(limit * 5))
    return [event for event in events if touches(event, position)][:limit]


def touches(event: models.ReviewEvent, position: int) -> bool:
    """Whether the event changed the bead at ``position``."""
    return position < event.position + max(len(event.before), len(event.after), 1)


def undo_redo_available(session: Session, alignment_id: int) -> tuple[bool, bool]:
    """Whether undo and redo have something to act on."""
    states = set(
        session.scalars(
            select(models.ReviewEvent.state)
            .where(
                models.ReviewEvent.alignment_id == alignment_id,
                models.ReviewEvent.state.in_(("applied", "undone")),
            )
            .distinct()
        )
    )
    return "applied" in states, "undone" in states


def latest(session: Session, alignment_id: int) -> models.ReviewEvent | None:
    """The alignment's newest event, whatever its state."""
    return _first_event(session, alignment_id, None, newest=True)


def to_undo(session: Session, alignment_id: int) -> models.ReviewEvent | None:
    """The event undo reverts: the latest applied one."""
    return _first_event(session, alignment_id, "applied", newest=True)


def to_redo(session: Session, alignment_id: int) -> models.ReviewEvent | None:
    """The event redo applies again: the one undone last."""
    # Undone events are always the newest operations, undone newest first: the oldest of
    # them is the one undone last.
    return _first_event(session, alignment_id, "undone", newest=False)


def _first_event(
    session: Session, alignment_id: int, state: str | None, *, newest: bool
) -> models.ReviewEvent | None:
    """The alignment's newest (or oldest) event, of ``state`` if given."""
    query = select(models.ReviewEvent).where(models.ReviewEvent.alignment_id == alignment_id)
    if state is not None:
        query = query.where(models.ReviewEvent.state == state)
    order = models.ReviewEvent.id.desc() if newest else models.ReviewEvent.id
    return session.scalars(query.order_by(order).limit(1)).first()


def record_cascade(
    session: Session, child: models.Alignment, edit: Edit, summary: str, actor: str
) -> None:
    """Record in a sentence alignment's own history a change its paragraph alignment made
    there (a record: undone and redone with the paragraph event, never on its own)."""
    add_event(
        session,
        child,
        action="cascade",
        summary=summary,
        **edit_data(edit),
        actor=actor,
        reverts_id=None,
        state="record",
    )
