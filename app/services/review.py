"""Review use cases: apply an operation, undo, redo and re-align, each as one history event.

Every function takes an open session inside the caller's transaction (see
``app.store.db.transaction``): the beads, the alignment's version and the event are written
together or not at all. Changes carry the alignment version the reviewer saw; a stale one
raises Conflict, so two reviewers never overwrite each other silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidRequest, NotFound
from app.review import keys, ops
from app.review.beads import BeadState, Edit
from app.review.invariants import check_cover, check_nesting
from app.review.realign import AlignGap, realign_gaps
from app.segments import Segment, SegmentKind
from app.services.rescore import rescore_beads
from app.store import models

# Accounts come later; until then every change is made by the one local reviewer.
LOCAL_ACTOR = "local"

STALE_MESSAGE = (
    "this alignment was changed by someone else since the page was loaded; "
    "the page now shows the current state, make your change again if it is still needed"
)

STALE_SENTENCES = (
    "these sentence pairs have changed since, by someone else or by a change of the "
    "paragraph pairs around them; the page now shows the current state"
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


def pair_number(position: int) -> int:
    """The number a reviewer sees for the bead at ``position``: pairs count from 1."""
    return position + 1


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
        inherited=bool(bead.inherited),
    )


def bead_states(session: Session, alignment_id: int) -> list[BeadState]:
    """Every bead of the alignment as plain values, in order."""
    beads = session.scalars(
        select(models.Bead)
        .where(models.Bead.alignment_id == alignment_id)
        .order_by(models.Bead.sort_key)
    )
    return [bead_state(bead) for bead in beads]


def apply_operation(
    session: Session,
    alignment_id: int,
    version: int,
    operation: Operation,
    actor: str = LOCAL_ACTOR,
    score: bool = True,
) -> Outcome:
    """Apply one operation made on ``version`` of the alignment; raise Conflict when stale.

    The beads the operation makes are scored at once, unless ``score`` is False: then
    ``score_latest`` scores them in a second step (the page shows the change first).
    """
    alignment = _locked_alignment(session, alignment_id, version)
    return _apply(session, alignment, operation, actor, score)


def score_latest(session: Session, alignment_id: int) -> Outcome | None:
    """Score the unscored beads the alignment's latest change made, and record the scores
    in that change's history event (so that its undo and redo still match the store).

    Returns the changed stretch, or None when there was nothing to score or the alignment
    has changed since (the newer change's own scoring then applies).
    """
    alignment = _locked_alignment(session, alignment_id, None)
    event = session.scalars(
        select(models.ReviewEvent)
        .where(models.ReviewEvent.alignment_id == alignment_id)
        .order_by(models.ReviewEvent.id.desc())
        .limit(1)
    ).first()
    if (
        event is None
        or event.alignment_version != alignment.version
        or event.action in ("text", "split_text", "join_text")
    ):
        return None
    edit = _event_edit(event)
    scored = tuple(rescore_beads(session, alignment, edit.after))
    if scored == edit.after:
        return None
    rows = _rows_from(session, alignment.id, edit.start, len(edit.after))
    # The stored flags were found after the change was recorded: they take no part.
    if tuple(_reviewed(bead_state(row)) for row in rows) != tuple(map(_reviewed, edit.after)):
        return None
    now = datetime.now(UTC)
    for row, old, new in zip(rows, edit.after, scored, strict=True):
        if new != old:
            _assign(row, replace(new, flags=list(row.flags or [])), now)
    event.after = [bead.as_dict() for bead in scored]
    session.flush()
    count = len(scored)
    return Outcome(
        alignment.version, edit.start, "scored", start=edit.start, removed=count, added=count
    )


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
        select(models.Bead.alignment_id, models.Bead.sort_key).where(models.Bead.id == bead_id)
    ).first()
    if row is None:
        raise NotFound(f"there is no pair {bead_id}")
    alignment = _locked_alignment(session, row[0], None)
    # Read again under the alignment's lock: the first read may predate a concurrent change.
    current = session.execute(
        select(models.Bead.sort_key, models.Bead.version).where(models.Bead.id == bead_id)
    ).first()
    if current is None or current[1] != bead_version:
        raise Conflict(
            "this pair was changed by someone else since the page was loaded; "
            "reload to see the current state"
        )
    position = bead_rank(session, alignment.id, current[0])
    return _apply(session, alignment, Operation(operation_name, position, **arguments), actor)


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
    if event.action in ("split_text", "join_text"):
        from app.services.text_edits import reshape

        reshape(session, alignment, old[0], new[0])
        position = _bead_holding(session, alignment.id, old[0]["side"], old[0]["segment"])
        return _record_text(
            session,
            alignment,
            summary,
            position,
            *old,
            *new,
            actor,
            reverts_id=event.id,
            action=action,
        )
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
    from app.services import levels

    edit = _event_edit(event)
    edit = edit.inverse() if action == "undo" else edit
    if action == "undo" and event.cascade:
        # The sentence level first, back to what it was under the old paragraph beads.
        levels.replay(session, event.cascade, undo=True, actor=actor)
    try:
        write_beads(session, alignment.id, edit)
    except Conflict:
        if alignment.parent_id is None:
            raise
        raise Conflict(STALE_SENTENCES) from None
    if event.cascade is None:
        # Recorded without a sentence level below (or before this was kept): derive it.
        cascade = levels.cascade(session, alignment, edit, summary, actor)
    else:
        cascade = event.cascade
        if action == "redo":
            levels.replay(session, event.cascade, undo=False, actor=actor)
    return _record(session, alignment, action, summary, edit, actor, event.id, cascade=cascade)


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

    ``aligner`` defaults to the engine (``app.align.levels.align_segments``); tests may
    pass a faster one. A sentence alignment is re-aligned inside each bead of its
    paragraph alignment, with the sentence aligner (``levels.realign_child``).
    """
    from app.services import levels

    alignment = _locked_alignment(session, alignment_id, version)
    if alignment.parent_id is not None:
        # Sentences are re-aligned inside each paragraph bead, never across two.
        edit = levels.realign_child(session, alignment)
        if edit is None:
            return Outcome(alignment.version, 0, "re-alignment changed nothing")
        _check_full_cover(session, alignment)
        return _record(
            session, alignment, "realign", "re-aligned unconfirmed sentences", edit, actor
        )
    rows = list(
        session.scalars(
            select(models.Bead)
            .where(models.Bead.alignment_id == alignment.id)
            .order_by(models.Bead.sort_key)
        )
    )
    beads = [bead_state(row) for row in rows]
    edits = realign_gaps(beads, gap_aligner(session, alignment, aligner))
    if not edits:
        return Outcome(alignment.version, 0, "re-alignment changed nothing")
    # Applied last first (as listed), so each edit's positions are still those it was made
    # on, and the rows read above still stand at those positions.
    for edit in edits:
        write_beads(session, alignment.id, edit, (0, rows))
    combined = _combined(beads, edits)
    _check_full_cover(session, alignment)
    summary = f"re-aligned {len(edits)} unconfirmed stretch{'es' if len(edits) > 1 else ''}"
    cascade = levels.cascade(session, alignment, combined, summary, actor)
    return _record(session, alignment, "realign", summary, combined, actor, cascade=cascade)


def confirm_many(
    session: Session,
    alignment_id: int,
    version: int,
    *,
    min_similarity: float | None = None,
    through: int | None = None,
    actor: str = LOCAL_ACTOR,
) -> Outcome:
    """Confirm, as one event, every unreviewed pair scored at least ``min_similarity``, or
    every unreviewed pair up to position ``through`` (one-sided ones too: the reviewer has
    seen them)."""
    from dataclasses import replace

    from app.review.beads import AUTOMATIC, CONFIRMED
    from app.services import levels

    if (min_similarity is None) == (through is None):
        raise InvalidRequest("say either the lowest similarity or the last pair to confirm")
    alignment = _locked_alignment(session, alignment_id, version)
    query = (
        select(models.Bead)
        .where(models.Bead.alignment_id == alignment.id)
        .order_by(models.Bead.sort_key)
    )
    if through is not None:
        query = query.limit(through + 1)
    rows = list(session.scalars(query))
    beads = [bead_state(row) for row in rows]

    def wanted(bead: BeadState) -> bool:
        if bead.status != AUTOMATIC:
            return False
        if min_similarity is None:
            return True
        return bead.similarity is not None and bead.similarity >= min_similarity

    chosen = {k for k, bead in enumerate(beads) if wanted(bead)}
    if not chosen:
        raise InvalidRequest("there is no unreviewed pair to confirm there")
    first, last = min(chosen), max(chosen) + 1
    after = tuple(
        replace(bead, status=CONFIRMED, inherited=False) if k in chosen else bead
        for k, bead in enumerate(beads[first:last], start=first)
    )
    edit = Edit(first, tuple(beads[first:last]), after)
    write_beads(session, alignment.id, edit, (0, rows))
    count = f"{len(chosen)} pair{'s' if len(chosen) > 1 else ''}"
    if min_similarity is not None:
        summary = f"confirmed {count} with similarity at least {min_similarity:g}"
    else:
        summary = f"confirmed {count} up to pair {pair_number(through or 0)}"
    cascade = levels.cascade(session, alignment, edit, summary, actor)
    return _record(session, alignment, "confirm_many", summary, edit, actor, cascade=cascade)


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
    keeps its beads. A paragraph's sentences (the sentence level) follow the correction and
    keep their number (``text_edits.corrected_sentences``). The caller checks that the
    reviewer's role may edit text.
    """
    from app.services.text_edits import corrected_sentences

    alignment = _locked_alignment(session, alignment_id, version)
    text = text.strip()
    if not text:
        raise InvalidRequest("a segment cannot be emptied; make it one-sided instead")
    row = _segment_row(session, alignment, side, segment)
    change: dict = {"side": side, "segment": segment, "text": text}
    before: dict = {"side": side, "segment": segment, "text": row.text}
    if row.text == text:
        raise InvalidRequest("the text is unchanged")
    if alignment.level == "paragraph":
        document = alignment.source if side == "source" else alignment.target
        sentences = corrected_sentences(session, document, segment, row.text, text)
        if sentences is not None:
            before["sentences"], change["sentences"] = sentences
            _set_sentences(session, row.document_id, change["sentences"])
    row.text = text
    position = _bead_holding(session, alignment.id, side, segment)
    side_name = "original" if side == "source" else "translated"
    summary = f"corrected {side_name} segment {segment + 1} of pair {pair_number(position)}"
    return _record_text(session, alignment, summary, position, before, change, actor)


def split_segment_text(
    session: Session,
    alignment_id: int,
    version: int,
    side: str,
    segment: int,
    offset: int,
    actor: str = LOCAL_ACTOR,
) -> Outcome:
    """Split one segment's text in two before character ``offset``; the new segment joins
    the same bead. The caller checks that the reviewer's role may edit text."""
    from app.services.text_edits import plan_split, reshape

    alignment = _locked_alignment(session, alignment_id, version)
    before, after = plan_split(session, alignment, side, segment, offset)
    reshape(session, alignment, before, after)
    position = _bead_holding(session, alignment.id, side, segment)
    summary = (
        f"split {_side_name(side)} segment {segment + 1} of pair {pair_number(position)} in two"
    )
    return _record_text(
        session, alignment, summary, position, before, after, actor, action="split_text"
    )


def join_segment_text(
    session: Session,
    alignment_id: int,
    version: int,
    side: str,
    segment: int,
    actor: str = LOCAL_ACTOR,
) -> Outcome:
    """Join one segment with the next of the same document; both must be in one bead."""
    from app.services.text_edits import plan_join, reshape

    alignment = _locked_alignment(session, alignment_id, version)
    before, after = plan_join(session, alignment, side, segment)
    reshape(session, alignment, before, after)
    position = _bead_holding(session, alignment.id, side, segment)
    summary = (
        f"joined {_side_name(side)} segments {segment + 1} and {segment + 2} "
        f"of pair {pair_number(position)}"
    )
    return _record_text(
        session, alignment, summary, position, before, after, actor, action="join_text"
    )


def _side_name(side: str) -> str:
    return "original" if side == "source" else "translated"


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


def check_levels(session: Session, alignment_id: int) -> None:
    """Raise BrokenAlignment unless the sentence alignment ``alignment_id`` tiles both
    documents and none of its beads crosses a bead of its paragraph alignment."""
    child = session.get(models.Alignment, alignment_id)
    if child is None or child.parent_id is None:
        raise NotFound(f"there is no sentence alignment {alignment_id}")
    _check_full_cover(session, child)
    check_nesting(
        bead_states(session, child.parent_id),
        bead_states(session, child.id),
        _sentence_paragraphs(session, child.source_id),
        _sentence_paragraphs(session, child.target_id),
    )


def _sentence_paragraphs(session: Session, document_id: int) -> list[int]:
    return list(
        session.scalars(
            select(models.Segment.paragraph)
            .where(models.Segment.document_id == document_id, models.Segment.level == "sentence")
            .order_by(models.Segment.position)
        )
    )


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
    key = session.scalar(
        select(bead.sort_key).where(
            bead.alignment_id == alignment_id, start <= segment, end > segment
        )
    )
    return 0 if key is None else bead_rank(session, alignment_id, key)


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
    from app.services.qa import recheck_family

    # A segment's text changed under both levels: their flags are found again.
    recheck_family(session, alignment)
    _add_event(
        session,
        alignment,
        action=action,
        summary=summary,
        position=position,
        before=[before],
        after=[after],
        actor=actor,
        reverts_id=reverts_id,
        new_operation=reverts_id is None,
    )
    return Outcome(alignment.version, position, summary)


def _swap_text(session: Session, alignment: models.Alignment, current: dict, wanted: dict) -> None:
    """Put back a segment's text from history; raise Conflict if it changed since."""
    row = _segment_row(session, alignment, current["side"], current["segment"])
    if row.text != current["text"]:
        raise Conflict(STALE_MESSAGE)
    if "sentences" in current:
        if (
            _sentence_texts(session, row.document_id, current["sentences"])
            != current["sentences"]["texts"]
        ):
            raise Conflict(STALE_SENTENCES)
        _set_sentences(session, row.document_id, wanted["sentences"])
    row.text = wanted["text"]


def _sentence_texts(session: Session, document_id: int, sentences: dict) -> list[str]:
    segment = models.Segment
    first = sentences["first"]
    return list(
        session.scalars(
            select(segment.text)
            .where(
                segment.document_id == document_id,
                segment.level == "sentence",
                segment.position >= first,
                segment.position < first + len(sentences["texts"]),
            )
            .order_by(segment.position)
        )
    )


def _set_sentences(session: Session, document_id: int, sentences: dict) -> None:
    """Give the sentences from ``sentences["first"]`` on the texts ``sentences["texts"]``."""
    segment = models.Segment
    rows = session.scalars(
        select(segment)
        .where(
            segment.document_id == document_id,
            segment.level == "sentence",
            segment.position >= sentences["first"],
            segment.position < sentences["first"] + len(sentences["texts"]),
        )
        .order_by(segment.position)
    )
    for row, text in zip(rows, sentences["texts"], strict=True):
        row.text = text


def _apply(
    session: Session,
    alignment: models.Alignment,
    operation: Operation,
    actor: str,
    score: bool = True,
) -> Outcome:
    position = operation.position
    # A status or a note concerns the bead alone; the other operations its neighbours too.
    reach = 0 if operation.name in ("status", "note") else 1
    start = max(position - reach, 0)
    rows = _rows_from(session, alignment.id, start, position + reach + 1 - start)
    window = ops.Window(start, tuple(bead_state(row) for row in rows))
    try:
        edit, summary = _plan(window, operation)
    except ops.OperationRefused as error:
        raise InvalidRequest(str(error)) from None
    from app.services import levels

    levels.refuse_crossing(session, alignment, edit)
    edit = levels.inherit_paragraph_status(session, alignment, edit)
    if score and levels.changed_ranges(edit):
        edit = Edit(edit.start, edit.before, tuple(rescore_beads(session, alignment, edit.after)))
    write_beads(session, alignment.id, edit, (start, rows))

    cascade = levels.cascade(session, alignment, edit, summary, actor)
    return _record(
        session, alignment, operation.name, summary, edit, actor, focus=position, cascade=cascade
    )


def _plan(window: ops.Window, op: Operation) -> tuple[Edit, str]:
    """The Edit an operation makes on the window, and its one-line summary."""
    p = op.position
    n = pair_number(p)
    side = "original" if op.side == "source" else "translation"
    if op.name == "status":
        return ops.set_status(window, p, op.status), f"{_status_verb(op.status)} pair {n}"
    if op.name == "note":
        return ops.set_note(window, p, op.note), f"noted pair {n}"
    if op.name == "merge_next":
        return ops.merge_next(window, p), f"merged pair {n} with the next"
    if op.name == "merge_previous":
        return ops.merge_previous(window, p), f"merged pair {n} with the previous"
    if op.name == "split":
        bead = window.require(p)
        cuts = ops.default_split(bead)
        src_cut = cuts[0] if op.src_cut is None else op.src_cut
        tgt_cut = cuts[1] if op.tgt_cut is None else op.tgt_cut
        return ops.split(window, p, src_cut, tgt_cut), f"split pair {n} after {src_cut}/{tgt_cut}"
    if op.name == "shift_up":
        return ops.shift_up(window, p, op.side), f"moved the first {side} segment of pair {n} up"
    if op.name == "shift_down":
        return ops.shift_down(window, p, op.side), f"moved the last {side} segment of pair {n} down"
    if op.name == "detach":
        edit = ops.detach(window, p, op.side, op.end)
        return edit, f"made the {op.end} {side} segment of pair {n} one-sided"
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


def bead_rank(session: Session, alignment_id: int, sort_key: int) -> int:
    """The position (pair number, from 0) of the bead with ``sort_key``: its rank."""
    return (
        session.scalar(
            select(func.count())
            .select_from(models.Bead)
            .where(models.Bead.alignment_id == alignment_id, models.Bead.sort_key < sort_key)
        )
        or 0
    )


def key_at(session: Session, alignment_id: int, position: int) -> int | None:
    """The sort key of the bead at ``position`` (its rank), None when there is none."""
    if position < 0:
        return None
    return session.scalar(
        select(models.Bead.sort_key)
        .where(models.Bead.alignment_id == alignment_id)
        .order_by(models.Bead.sort_key)
        .offset(position)
        .limit(1)
    )


def beads_from(session: Session, alignment_id: int, position: int, count: int) -> list[models.Bead]:
    """The beads at positions ``[position, position + count)``, fewer at the end."""
    return _rows_from(session, alignment_id, position, count)


def _rows_from(session: Session, alignment_id: int, position: int, count: int) -> list[models.Bead]:
    """The beads at positions ``[position, position + count)``, fewer at the end.

    One statement: the sort key at ``position`` is found by skipping entries of the
    (alignment, sort key) index, which is cheap beside reading the rows.
    """
    bead = models.Bead
    first_key = (
        select(bead.sort_key)
        .where(bead.alignment_id == alignment_id)
        .order_by(bead.sort_key)
        .offset(max(position, 0))
        .limit(1)
        .scalar_subquery()
    )
    return list(
        session.scalars(
            select(bead)
            .where(bead.alignment_id == alignment_id, bead.sort_key >= first_key)
            .order_by(bead.sort_key)
            .limit(count)
        )
    )


Loaded = tuple[int, list[models.Bead]]


def write_beads(
    session: Session, alignment_id: int, edit: Edit, loaded: Loaded | None = None
) -> None:
    """Replace the beads at the edit's positions; raise Conflict if they are not its before.

    Only the edit's own beads are written: beads that stay are updated in place, surplus
    ones deleted, new ones inserted with sort keys between their neighbours'. ``loaded``
    is (position, rows) of beads already read from that position on, to save reading them
    again.
    """
    size = len(edit.before)
    current = _loaded_rows(loaded, edit.start, size)
    following = _loaded_rows(loaded, edit.start + size, 1)
    if current is None:
        rows = _rows_from(session, alignment_id, edit.start, size + 1)
        current, following = rows[:size], rows[size:]
    # QA flags are derived from the text, checked again below, so they take no part in
    # deciding whether the edit was made on the current state.
    if tuple(_reviewed(bead_state(row)) for row in current) != tuple(map(_reviewed, edit.before)):
        raise Conflict(STALE_MESSAGE)
    if edit.before and edit.after and _span(edit.before) != _span(edit.after):
        # The edit must cover exactly the segments it replaces, or segments would be lost.
        raise InvalidRequest("the change would lose or repeat segments; nothing was changed")
    now = datetime.now(UTC)
    common = min(size, len(edit.after))
    reshaped: list[models.Bead] = []
    for row, state in zip(current[:common], edit.after[:common], strict=True):
        if _ranges(bead_state(row)) != _ranges(state):
            reshaped.append(row)
            _assign(row, state, now)
        elif _reviewed(bead_state(row)) != _reviewed(state):
            # Same segments: the flags found on them stay, whatever the edit remembers.
            flags = row.flags
            _assign(row, state, now)
            row.flags = flags
    for row in current[common:]:
        session.delete(row)
    added = edit.after[common:]
    if added:
        if common:
            left: models.Bead | None = current[common - 1]
        else:
            previous = _rows_from(session, alignment_id, edit.start - 1, 1) if edit.start else []
            left = previous[0] if previous else None
        if following is None:
            following = _rows_from(session, alignment_id, edit.start + size, 1)
        right_key = following[0].sort_key if following else None
        new_keys = _free_keys(session, alignment_id, left, right_key, len(added))
        for key, state in zip(new_keys, added, strict=True):
            row = models.Bead(alignment_id=alignment_id, sort_key=key, version=0)
            _assign(row, state, now)
            session.add(row)
            reshaped.append(row)
    session.flush()
    # A pair whose segments changed is checked again in the same transaction, so the
    # stored flags always describe the pairs as they are.
    from app.services.qa import recheck

    recheck(session, alignment_id, reshaped)


def _reviewed(state: BeadState) -> BeadState:
    """``state`` without its QA flags."""
    return replace(state, flags=[])


def _ranges(state: BeadState) -> tuple[int, int, int, int]:
    return (state.src_start, state.src_end, state.tgt_start, state.tgt_end)


def _loaded_rows(loaded: Loaded | None, position: int, count: int) -> list[models.Bead] | None:
    """The rows ``[position, position + count)`` out of ``loaded``; None unless it holds
    them all (near the end, it cannot tell whether there are more)."""
    if loaded is None:
        return None
    start, rows = loaded
    offset = position - start
    if offset < 0 or offset + count > len(rows):
        return None
    return rows[offset : offset + count]


def _free_keys(
    session: Session,
    alignment_id: int,
    left: models.Bead | None,
    right_key: int | None,
    count: int,
) -> list[int]:
    """``count`` unused sort keys between ``left`` and the key ``right_key``.

    When the gap is too narrow, the beads around it are given new, evenly spread keys, a
    few at first and more until the stretch has room: order is kept, and a stretch is
    spread again only after several inserts in the same place.
    """
    keys_found = keys.between(left.sort_key if left else None, right_key, count)
    if keys_found is not None:
        return keys_found
    bead = models.Bead
    pivot = left.sort_key if left else -1
    reach = 8
    while True:
        lower = list(
            session.scalars(
                select(bead)
                .where(bead.alignment_id == alignment_id, bead.sort_key <= pivot)
                .order_by(bead.sort_key.desc())
                .limit(reach + 1)
            )
        )
        upper = list(
            session.scalars(
                select(bead)
                .where(bead.alignment_id == alignment_id, bead.sort_key > pivot)
                .order_by(bead.sort_key)
                .limit(reach + 1)
            )
        )
        low = lower[reach].sort_key if len(lower) > reach else None
        high = upper[reach].sort_key if len(upper) > reach else None
        stretch_lower, stretch_upper = lower[:reach][::-1], upper[:reach]
        spread = keys.respread(low, high, len(stretch_lower) + count + len(stretch_upper))
        if spread is not None:
            break
        reach *= 8
    moved = stretch_lower + stretch_upper
    # Two steps: the (alignment, sort key) uniqueness is checked row by row, so the moved
    # beads first take distinct negative keys, which no bead ever has otherwise.
    for k, row in enumerate(moved):
        row.sort_key = -1 - k
    session.flush()
    final = spread[: len(stretch_lower)] + spread[len(stretch_lower) + count :]
    for row, key in zip(moved, final, strict=True):
        row.sort_key = key
    session.flush()
    return spread[len(stretch_lower) : len(stretch_lower) + count]


def _assign(row: models.Bead, state: BeadState, now: datetime) -> None:
    row.src_start, row.src_end = state.src_start, state.src_end
    row.tgt_start, row.tgt_end = state.tgt_start, state.tgt_end
    row.similarity = state.similarity
    row.scores = dict(state.scores)
    row.status = state.status
    row.note = state.note
    row.flags = list(state.flags)
    row.inherited = state.inherited
    row.version = (row.version or 0) + 1
    row.updated_at = now


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
    cascade: list | None = None,
) -> Outcome:
    _add_event(
        session,
        alignment,
        action=action,
        summary=summary,
        position=edit.start,
        before=[bead.as_dict() for bead in edit.before],
        after=[bead.as_dict() for bead in edit.after],
        actor=actor,
        reverts_id=reverts_id,
        new_operation=action not in ("undo", "redo"),
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


def _add_event(
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
    new_operation: bool,
    cascade: list | None = None,
) -> None:
    """Record one change as the alignment's next version; a new operation (not an undo or
    redo) makes the undone ones unreachable."""
    if new_operation:
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
            state="record" if reverts_id is not None else "applied",
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


def gap_aligner(
    session: Session, alignment: models.Alignment, aligner: Callable[..., object] | None
) -> AlignGap:
    """A function aligning one stretch of both documents with the alignment's languages."""
    if aligner is None:
        from app.align.levels import align_segments

        def aligner(src, tgt, src_lang, tgt_lang):
            return align_segments(src, tgt, src_lang, tgt_lang, level=alignment.level)

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
