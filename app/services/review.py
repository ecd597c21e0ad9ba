"""Review use cases: apply an operation, undo, redo and re-align, each as one history event.

Every function takes an open session inside the caller's transaction (see
``app.store.db.transaction``): the beads, the alignment's version and the event are written
together or not at all. Changes carry the alignment version the reviewer saw; a stale one
raises Conflict, so two reviewers never overwrite each other silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidRequest, NotFound
from app.review import ops
from app.review.beads import BeadState, Edit
from app.review.invariants import check_cover
from app.review.realign import AlignGap, realign_gaps
from app.segments import Segment, SegmentKind
from app.store import models

# Accounts come later; until then every change is made by the one local reviewer.
LOCAL_ACTOR = "local"

STALE_MESSAGE = (
    "this alignment was changed by someone else since the page was loaded; "
    "the page now shows the current state, make your change again if it is still needed"
)


@dataclass(frozen=True)
class Operation:
    """A reviewer's request: the operation's name, the bead's position and its arguments."""

    name: str
    position: int
    side: str = "target"
    end: str = "last"
    status: str = ""
    note: str = ""
    src_cut: int | None = None
    tgt_cut: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What an applied change left: the alignment's new version and the bead to show."""

    version: int
    position: int
    summary: str


def bead_state(bead: models.Bead) -> BeadState:
    return BeadState(
        src_start=bead.src_start,
        src_end=bead.src_end,
        tgt_start=bead.tgt_start,
        tgt_end=bead.tgt_end,
        similarity=bead.similarity,
        scores=dict(bead.scores or {}),
        status=bead.status,
        note=bead.note,
        flags=list(bead.flags or []),
    )


def bead_states(session: Session, alignment_id: int) -> list[BeadState]:
    """Every bead of the alignment as plain values, in order."""
    beads = session.scalars(
        select(models.Bead)
        .where(models.Bead.alignment_id == alignment_id)
        .order_by(models.Bead.position)
    )
    return [bead_state(bead) for bead in beads]


def apply_operation(
    session: Session,
    alignment_id: int,
    version: int,
    operation: Operation,
    actor: str = LOCAL_ACTOR,
) -> Outcome:
    """Apply one operation made on ``version`` of the alignment; raise Conflict when stale."""
    alignment = _locked_alignment(session, alignment_id, version)
    return _apply(session, alignment, operation, actor)


def apply_to_bead(
    session: Session,
    bead_id: int,
    bead_version: int,
    operation_name: str,
    actor: str = LOCAL_ACTOR,
    **arguments: str,
) -> Outcome:
    """Apply a one-bead operation (status, note) made on ``bead_version`` of that bead.

    The plain HTML forms name a bead by id and version; a change elsewhere in the alignment
    does not make them stale.
    """
    row = session.execute(
        select(models.Bead.alignment_id, models.Bead.position, models.Bead.version).where(
            models.Bead.id == bead_id
        )
    ).first()
    if row is None:
        raise NotFound(f"there is no pair {bead_id}")
    alignment = _locked_alignment(session, row[0], None)
    current = session.scalar(select(models.Bead.version).where(models.Bead.id == bead_id))
    if current != bead_version:
        raise Conflict(
            "this pair was changed by someone else since the page was loaded; "
            "reload to see the current state"
        )
    return _apply(session, alignment, Operation(operation_name, row[1], **arguments), actor)


def undo(session: Session, alignment_id: int, version: int, actor: str = LOCAL_ACTOR) -> Outcome:
    """Revert the latest applied operation; raise InvalidRequest when there is none."""
    alignment = _locked_alignment(session, alignment_id, version)
    event = session.scalars(
        select(models.ReviewEvent)
        .where(
            models.ReviewEvent.alignment_id == alignment_id, models.ReviewEvent.state == "applied"
        )
        .order_by(models.ReviewEvent.id.desc())
        .limit(1)
    ).first()
    if event is None:
        raise InvalidRequest("there is nothing to undo")
    event.state = "undone"
    return _replay(session, alignment, event, "undo", actor)


def redo(session: Session, alignment_id: int, version: int, actor: str = LOCAL_ACTOR) -> Outcome:
    """Apply again the operation undone last; raise InvalidRequest when there is none."""
    alignment = _locked_alignment(session, alignment_id, version)
    # Undone events are always the newest operations, undone newest first: the oldest of
    # them is the one undone last.
    event = session.scalars(
        select(models.ReviewEvent)
        .where(
            models.ReviewEvent.alignment_id == alignment_id, models.ReviewEvent.state == "undone"
        )
        .order_by(models.ReviewEvent.id)
        .limit(1)
    ).first()
    if event is None:
        raise InvalidRequest("there is nothing to redo")
    event.state = "applied"
    return _replay(session, alignment, event, "redo", actor)


def _replay(
    session: Session,
    alignment: models.Alignment,
    event: models.ReviewEvent,
    action: str,
    actor: str,
) -> Outcome:
    """Revert ``event`` (action "undo") or apply it again ("redo"), and record that."""
    summary = f"{'undid' if action == 'undo' else 'redid'}: {event.summary}"
    old, new = (event.after, event.before) if action == "undo" else (event.before, event.after)
    if event.action == "text":
        _swap_text(session, alignment, old[0], new[0])
        return _record_text(
            session,
            alignment,
            summary,
            event.position,
            *old,
            *new,
            actor,
            reverts_id=event.id,
            action=action,
        )
    edit = _event_edit(event)
    edit = edit.inverse() if action == "undo" else edit
    _write(session, alignment.id, edit)
    return _record(session, alignment, action, summary, edit, actor, event.id)


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


def realign(
    session: Session,
    alignment_id: int,
    version: int,
    actor: str = LOCAL_ACTOR,
    aligner: Callable[..., object] | None = None,
) -> Outcome:
    """Re-run the aligner between confirmed beads, keeping every confirmed bead as it is.

    ``aligner`` defaults to ``app.align.aligner.align``; tests may pass a faster one.
    """
    alignment = _locked_alignment(session, alignment_id, version)
    beads = bead_states(session, alignment.id)
    edits = realign_gaps(beads, _gap_aligner(session, alignment, aligner))
    if not edits:
        return Outcome(alignment.version, 0, "re-alignment changed nothing")
    # Applied last first (as listed), so each edit's positions are still those it was made on.
    for edit in edits:
        _write(session, alignment.id, edit)
    combined = _combined(beads, edits)
    _check_full_cover(session, alignment)
    summary = f"re-aligned {len(edits)} unconfirmed stretch{'es' if len(edits) > 1 else ''}"
    return _record(session, alignment, "realign", summary, combined, actor)


def edit_segment_text(
    session: Session,
    alignment_id: int,
    version: int,
    side: str,
    segment: int,
    text: str,
    actor: str = LOCAL_ACTOR,
) -> Outcome:
    """Correct one segment's text (an OCR or typing error); the old text stays in history.

    Only the text changes, never the number of segments, so every alignment of the document
    keeps its beads. The caller checks that the reviewer's role may edit text.
    """
    alignment = _locked_alignment(session, alignment_id, version)
    text = text.strip()
    if not text:
        raise InvalidRequest("a segment cannot be emptied; make it one-sided instead")
    row = _segment_row(session, alignment, side, segment)
    change = {"side": side, "segment": segment, "text": text}
    before = {"side": side, "segment": segment, "text": row.text}
    if row.text == text:
        raise InvalidRequest("the text is unchanged")
    row.text = text
    position = _bead_holding(session, alignment.id, side, segment)
    side_name = "original" if side == "source" else "translated"
    summary = f"corrected {side_name} segment {segment} of pair {position}"
    return _record_text(session, alignment, summary, position, before, change, actor)


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
    return [event for event in events if _touches(event, position)][:limit]


def _touches(event: models.ReviewEvent, position: int) -> bool:
    return position < event.position + max(len(event.before), len(event.after), 1)


def check_alignment(session: Session, alignment_id: int) -> None:
    """Raise BrokenAlignment unless the beads tile both documents (for tests and the CLI)."""
    alignment = session.get(models.Alignment, alignment_id)
    if alignment is None:
        raise NotFound(f"there is no alignment {alignment_id}")
    _check_full_cover(session, alignment)


# Internals --------------------------------------------------------------------------------


def _segment_row(
    session: Session, alignment: models.Alignment, side: str, segment: int
) -> models.Segment:
    if side not in ("source", "target"):
        raise InvalidRequest(f"side must be source or target, not '{side}'")
    document_id = alignment.source_id if side == "source" else alignment.target_id
    row = session.scalars(
        select(models.Segment).where(
            models.Segment.document_id == document_id,
            models.Segment.level == alignment.level,
            models.Segment.position == segment,
        )
    ).first()
    if row is None:
        raise NotFound(f"there is no {side} segment {segment}")
    return row


def _bead_holding(session: Session, alignment_id: int, side: str, segment: int) -> int:
    bead = models.Bead
    start, end = (
        (bead.src_start, bead.src_end) if side == "source" else (bead.tgt_start, bead.tgt_end)
    )
    position = session.scalar(
        select(bead.position).where(
            bead.alignment_id == alignment_id, start <= segment, end > segment
        )
    )
    return position or 0


def _record_text(
    session: Session,
    alignment: models.Alignment,
    summary: str,
    position: int,
    before: dict,
    after: dict,
    actor: str,
    reverts_id: int | None = None,
    action: str = "text",
) -> Outcome:
    if reverts_id is None:
        _drop_redo(session, alignment.id)
    alignment.version += 1
    session.add(
        models.ReviewEvent(
            alignment_id=alignment.id,
            actor=actor,
            action=action,
            summary=summary[:300],
            position=position,
            before=[before],
            after=[after],
            state="record" if reverts_id is not None else "applied",
            reverts_id=reverts_id,
            alignment_version=alignment.version,
        )
    )
    session.flush()
    return Outcome(alignment.version, position, summary)


def _swap_text(session: Session, alignment: models.Alignment, current: dict, wanted: dict) -> None:
    """Put back a segment's text from history; raise Conflict if it changed since."""
    row = _segment_row(session, alignment, current["side"], current["segment"])
    if row.text != current["text"]:
        raise Conflict(STALE_MESSAGE)
    row.text = wanted["text"]


def _apply(
    session: Session, alignment: models.Alignment, operation: Operation, actor: str
) -> Outcome:
    position = operation.position
    window = _window(session, alignment.id, position - 1, position + 2)
    try:
        edit, summary = _plan(window, operation)
    except ops.OperationRefused as error:
        raise InvalidRequest(str(error)) from None
    _write(session, alignment.id, edit)
    return _record(session, alignment, operation.name, summary, edit, actor, focus=position)


def _plan(window: ops.Window, op: Operation) -> tuple[Edit, str]:
    """The Edit an operation makes on the window, and its one-line summary."""
    p = op.position
    side = "original" if op.side == "source" else "translation"
    if op.name == "status":
        return ops.set_status(window, p, op.status), f"{_status_verb(op.status)} pair {p}"
    if op.name == "note":
        return ops.set_note(window, p, op.note), f"noted pair {p}"
    if op.name == "merge_next":
        return ops.merge_next(window, p), f"merged pair {p} with the next"
    if op.name == "merge_previous":
        return ops.merge_previous(window, p), f"merged pair {p} with the previous"
    if op.name == "split":
        bead = window.require(p)
        cuts = ops.default_split(bead)
        src_cut = cuts[0] if op.src_cut is None else op.src_cut
        tgt_cut = cuts[1] if op.tgt_cut is None else op.tgt_cut
        return ops.split(window, p, src_cut, tgt_cut), f"split pair {p} after {src_cut}/{tgt_cut}"
    if op.name == "shift_up":
        return ops.shift_up(window, p, op.side), f"moved the first {side} segment of pair {p} up"
    if op.name == "shift_down":
        return ops.shift_down(window, p, op.side), f"moved the last {side} segment of pair {p} down"
    if op.name == "detach":
        edit = ops.detach(window, p, op.side, op.end)
        return edit, f"made the {op.end} {side} segment of pair {p} one-sided"
    raise InvalidRequest(f"there is no operation '{op.name}'")


def _status_verb(status: str) -> str:
    return {"confirmed": "confirmed", "rejected": "rejected"}.get(status, "reset")


def _locked_alignment(session: Session, alignment_id: int, version: int | None) -> models.Alignment:
    # The row lock makes the version check and the write one step: a second reviewer waits,
    # then sees the new version and gets a conflict. SQLite has no row locks and ignores
    # FOR UPDATE; there a write that changes nothing takes the database's write lock first,
    # so that what is read next is the latest state and stays so until the commit (without
    # it, two reviewers could both pass the check and both write).
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(models.Alignment)
            .where(models.Alignment.id == alignment_id)
            .values(version=models.Alignment.version)
            .execution_options(synchronize_session=False)
        )
    alignment = session.get(models.Alignment, alignment_id, with_for_update=True)
    if alignment is None:
        raise NotFound(f"there is no alignment {alignment_id}")
    if version is not None and alignment.version != version:
        raise Conflict(STALE_MESSAGE)
    return alignment


def _window(session: Session, alignment_id: int, start: int, stop: int) -> ops.Window:
    rows = list(
        session.scalars(
            select(models.Bead)
            .where(
                models.Bead.alignment_id == alignment_id,
                models.Bead.position >= max(start, 0),
                models.Bead.position < stop,
            )
            .order_by(models.Bead.position)
        )
    )
    offset = rows[0].position if rows else max(start, 0)
    return ops.Window(offset, tuple(bead_state(row) for row in rows))


def _write(session: Session, alignment_id: int, edit: Edit) -> None:
    """Replace the beads at the edit's positions; raise Conflict if they are not its before."""
    stop = edit.start + len(edit.before)
    rows = list(
        session.scalars(
            select(models.Bead)
            .where(
                models.Bead.alignment_id == alignment_id,
                models.Bead.position >= edit.start,
                models.Bead.position < stop,
            )
            .order_by(models.Bead.position)
        )
    )
    if tuple(bead_state(row) for row in rows) != edit.before:
        raise Conflict(STALE_MESSAGE)
    if edit.before and edit.after and _span(edit.before) != _span(edit.after):
        # The edit must cover exactly the segments it replaces, or segments would be lost.
        raise InvalidRequest("the change would lose or repeat segments; nothing was changed")
    now = datetime.now(UTC)
    common = min(len(rows), len(edit.after))
    for row, state in zip(rows[:common], edit.after[:common], strict=True):
        if bead_state(row) != state:
            _assign(row, state, now)
    for row in rows[common:]:
        session.delete(row)
    session.flush()
    _shift(session, alignment_id, stop, edit.delta)
    for offset, state in enumerate(edit.after[common:], start=edit.start + common):
        row = models.Bead(alignment_id=alignment_id, position=offset, version=1)
        _assign(row, state, now)
        row.version = 1
        session.add(row)
    session.flush()


def _assign(row: models.Bead, state: BeadState, now: datetime) -> None:
    row.src_start, row.src_end = state.src_start, state.src_end
    row.tgt_start, row.tgt_end = state.tgt_start, state.tgt_end
    row.similarity = state.similarity
    row.scores = dict(state.scores)
    row.status = state.status
    row.note = state.note
    row.flags = list(state.flags)
    row.version = (row.version or 0) + 1
    row.updated_at = now


def _shift(session: Session, alignment_id: int, start: int, delta: int) -> None:
    """Move the beads at positions >= ``start`` by ``delta``.

    Two steps through negative positions: PostgreSQL checks the unique (alignment,
    position) constraint row by row, so a plain ``position + 1`` would collide.
    """
    if delta == 0:
        return
    bead = models.Bead
    session.execute(
        update(bead)
        .where(bead.alignment_id == alignment_id, bead.position >= start)
        .values(position=-(bead.position + delta) - 1)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(bead)
        .where(bead.alignment_id == alignment_id, bead.position < 0)
        .values(position=-bead.position - 1)
        .execution_options(synchronize_session=False)
    )
    # Beads loaded earlier in this session now have stale positions.
    session.expire_all()


def _span(beads: tuple[BeadState, ...]) -> tuple[int, int, int, int]:
    return (beads[0].src_start, beads[-1].src_end, beads[0].tgt_start, beads[-1].tgt_end)


def _record(
    session: Session,
    alignment: models.Alignment,
    action: str,
    summary: str,
    edit: Edit,
    actor: str,
    reverts_id: int | None = None,
    focus: int | None = None,
) -> Outcome:
    if action not in ("undo", "redo"):
        _drop_redo(session, alignment.id)
    alignment.version += 1
    session.add(
        models.ReviewEvent(
            alignment_id=alignment.id,
            actor=actor,
            action=action,
            summary=summary[:300],
            position=edit.start,
            before=[bead.as_dict() for bead in edit.before],
            after=[bead.as_dict() for bead in edit.after],
            state="record" if reverts_id is not None else "applied",
            reverts_id=reverts_id,
            alignment_version=alignment.version,
        )
    )
    session.flush()
    position = edit.start if focus is None else focus
    last = edit.start + max(len(edit.after) - 1, 0)
    return Outcome(alignment.version, min(max(position, edit.start), last), summary)


def _drop_redo(session: Session, alignment_id: int) -> None:
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


def _event_edit(event: models.ReviewEvent) -> Edit:
    return Edit(
        event.position,
        tuple(BeadState.from_dict(data) for data in event.before),
        tuple(BeadState.from_dict(data) for data in event.after),
    )


def _combined(beads: list[BeadState], edits: list[Edit]) -> Edit:
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


def _segments(session: Session, document_id: int, level: str) -> list[Segment]:
    rows = session.execute(
        select(models.Segment.text, models.Segment.kind)
        .where(models.Segment.document_id == document_id, models.Segment.level == level)
        .order_by(models.Segment.position)
    )
    return [Segment(text, SegmentKind(kind)) for text, kind in rows]


def _segment_count(session: Session, document_id: int, level: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(models.Segment)
            .where(models.Segment.document_id == document_id, models.Segment.level == level)
        )
        or 0
    )


def _check_full_cover(session: Session, alignment: models.Alignment) -> None:
    check_cover(
        bead_states(session, alignment.id),
        _segment_count(session, alignment.source_id, alignment.level),
        _segment_count(session, alignment.target_id, alignment.level),
    )


def _gap_aligner(
    session: Session, alignment: models.Alignment, aligner: Callable[..., object] | None
) -> AlignGap:
    """A function aligning one stretch of both documents with the alignment's languages."""
    if aligner is None:
        from app.align.aligner import align as aligner
    src = _segments(session, alignment.source_id, alignment.level)
    tgt = _segments(session, alignment.target_id, alignment.level)
    src_lang, tgt_lang = alignment.source.language, alignment.target.language

    def align_gap(s0: int, s1: int, t0: int, t1: int) -> list[BeadState]:
        if s0 == s1 or t0 == t1:
            # Nothing to pair with: each segment stays on its own.
            return [BeadState(k - s0, k - s0 + 1, 0, 0) for k in range(s0, s1)] + [
                BeadState(s1 - s0, s1 - s0, k - t0, k - t0 + 1) for k in range(t0, t1)
            ]
        result = aligner(src[s0:s1], tgt[t0:t1], src_lang, tgt_lang)
        return [
            BeadState(b.src_start, b.src_end, b.tgt_start, b.tgt_end, b.similarity, dict(b.scores))
            for b in result.beads  # type: ignore[attr-defined]
        ]

    return align_gap
