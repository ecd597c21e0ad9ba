"""Review use cases: apply an operation, undo, redo and re-align, each as one history event.

Every function takes an open session inside the caller's transaction (see
``app.store.db.transaction``): the beads, the alignment's version and the event are written
together or not at all. Changes carry the alignment version the reviewer saw; a stale one
raises Conflict, so two reviewers never overwrite each other silently.

The beads are read and written by ``app.store.beads`` (through ``app.services.beads`` where
QA must follow), events by ``app.services.history``; a change of paragraph beads carries
the sentence level along (``app.services.levels``); text corrections are
``app.services.text_review``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidRequest, NotFound
from app.review import ops
from app.review.beads import AUTOMATIC, CONFIRMED, BeadState, Edit
from app.review.invariants import check_cover, check_nesting
from app.review.realign import AlignGap, realign_gaps
from app.services import levels, text_review
from app.services.beads import write_beads, write_edits
from app.services.history import (
    LOCAL_ACTOR,
    TEXT_ACTIONS,
    Outcome,
    combined,
    event_edit,
    latest,
    record,
    to_redo,
    to_undo,
)
from app.services.rescore import rescore_beads
from app.store import models, segments
from app.store.beads import (
    STALE_SENTENCES,
    all_rows,
    bead_rank,
    bead_state,
    bead_states,
    locked_alignment,
    pair_number,
    replace_scores,
    rows_from,
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
    alignment = locked_alignment(session, alignment_id, version)
    return _apply(session, alignment, operation, actor, score)


def score_latest(session: Session, alignment_id: int) -> Outcome | None:
    """Score the unscored beads the alignment's latest change made, and record the scores
    in that change's history event (so that its undo and redo still match the store).

    Returns the changed stretch, or None when there was nothing to score or the alignment
    has changed since (the newer change's own scoring then applies).
    """
    alignment = locked_alignment(session, alignment_id, None)
    event = latest(session, alignment_id)
    if (
        event is None
        or event.alignment_version != alignment.version
        or event.action in TEXT_ACTIONS
    ):
        return None
    edit = event_edit(event)
    scored = tuple(rescore_beads(session, alignment, edit.after))
    if scored == edit.after:
        return None
    if not replace_scores(session, alignment.id, edit.start, edit.after, scored):
        return None
    event.after = [bead.as_dict() for bead in scored]
    session.flush()
    count = len(scored)
    return Outcome(
        alignment.version, edit.start, "scored", start=edit.start, removed=count, added=count
    )


def apply_to_bead(
    session: Session,
    bead_id: int,
    bead_version: int | None,
    operation_name: str,
    actor: str = LOCAL_ACTOR,
    **arguments: str,
) -> Outcome:
    """Apply a one-bead operation (status, note) made on ``bead_version`` of that bead
    (None: on whichever version it has).

    The plain HTML forms name a bead by id and version; a change elsewhere in the alignment
    does not make them stale.
    """
    row = session.execute(
        select(models.Bead.alignment_id, models.Bead.sort_key).where(models.Bead.id == bead_id)
    ).first()
    if row is None:
        raise NotFound(f"there is no pair {bead_id}")
    alignment = locked_alignment(session, row[0], None)
    # Read again under the alignment's lock: the first read may predate a concurrent change.
    current = session.execute(
        select(models.Bead.sort_key, models.Bead.version).where(models.Bead.id == bead_id)
    ).first()
    if current is None or bead_version not in (None, current[1]):
        raise Conflict(
            "this pair was changed by someone else since the page was loaded; "
            "reload to see the current state"
        )
    position = bead_rank(session, alignment.id, current[0])
    return _apply(session, alignment, Operation(operation_name, position, **arguments), actor)


def undo(session: Session, alignment_id: int, version: int, actor: str = LOCAL_ACTOR) -> Outcome:
    """Revert the latest applied operation; raise InvalidRequest when there is none."""
    return _step(session, alignment_id, version, actor, "undo")


def redo(session: Session, alignment_id: int, version: int, actor: str = LOCAL_ACTOR) -> Outcome:
    """Apply again the operation undone last; raise InvalidRequest when there is none."""
    return _step(session, alignment_id, version, actor, "redo")


# For undo and redo: the event each takes, and the state it leaves that event in.
_STEPS = {"undo": (to_undo, "undone"), "redo": (to_redo, "applied")}


def _step(session: Session, alignment_id: int, version: int, actor: str, way: str) -> Outcome:
    alignment = locked_alignment(session, alignment_id, version)
    find, state = _STEPS[way]
    event = find(session, alignment_id)
    if event is None:
        raise InvalidRequest(f"there is nothing to {way}")
    event.state = state
    return _replay(session, alignment, event, way, actor)


def _replay(
    session: Session,
    alignment: models.Alignment,
    event: models.ReviewEvent,
    action: str,
    actor: str,
) -> Outcome:
    """Revert ``event`` (action "undo") or apply it again ("redo"), and record that."""
    summary = f"{'undid' if action == 'undo' else 'redid'}: {event.summary}"
    if event.action in TEXT_ACTIONS:
        return text_review.revert(session, alignment, event, action, summary, actor)
    edit = event_edit(event)
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
    return record(session, alignment, action, summary, edit, actor, event.id, cascade=cascade)


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
    alignment = locked_alignment(session, alignment_id, version)
    if alignment.parent_id is not None:
        # Sentences are re-aligned inside each paragraph bead, never across two.
        edit = levels.realign_child(session, alignment)
        if edit is None:
            return Outcome(alignment.version, 0, "re-alignment changed nothing")
        _check_full_cover(session, alignment)
        return record(
            session, alignment, "realign", "re-aligned unconfirmed sentences", edit, actor
        )
    rows = all_rows(session, alignment.id)
    beads = [bead_state(row) for row in rows]
    edits = realign_gaps(beads, gap_aligner(session, alignment, aligner))
    if not edits:
        return Outcome(alignment.version, 0, "re-alignment changed nothing")
    # Applied last first (as listed), so each edit's positions are still those it was made
    # on, and the rows read above still stand at those positions.
    write_edits(session, alignment.id, edits, (0, rows))
    whole = combined(beads, edits)
    _check_full_cover(session, alignment)
    summary = f"re-aligned {len(edits)} unconfirmed stretch{'es' if len(edits) > 1 else ''}"
    cascade = levels.cascade(session, alignment, whole, summary, actor)
    return record(session, alignment, "realign", summary, whole, actor, cascade=cascade)


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
    if (min_similarity is None) == (through is None):
        raise InvalidRequest("say either the lowest similarity or the last pair to confirm")
    alignment = locked_alignment(session, alignment_id, version)
    rows = all_rows(session, alignment.id, None if through is None else through + 1)
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
    return record(session, alignment, "confirm_many", summary, edit, actor, cascade=cascade)


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
    return list(session.scalars(segments.query(document_id, "sentence", models.Segment.paragraph)))


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
    rows = rows_from(session, alignment.id, start, position + reach + 1 - start)
    window = ops.Window(start, tuple(bead_state(row) for row in rows))
    try:
        edit, summary = _plan(window, operation)
    except ops.OperationRefused as error:
        raise InvalidRequest(str(error)) from None
    levels.refuse_crossing(session, alignment, edit)
    edit = levels.inherit_paragraph_status(session, alignment, edit)
    if score and levels.changed_ranges(edit):
        edit = Edit(edit.start, edit.before, tuple(rescore_beads(session, alignment, edit.after)))
    write_beads(session, alignment.id, edit, (start, rows))

    cascade = levels.cascade(session, alignment, edit, summary, actor)
    return record(
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


def _check_full_cover(session: Session, alignment: models.Alignment) -> None:
    check_cover(
        bead_states(session, alignment.id),
        segments.count(session, alignment.source_id, alignment.level),
        segments.count(session, alignment.target_id, alignment.level),
    )


def gap_aligner(
    session: Session, alignment: models.Alignment, aligner: Callable[..., object] | None
) -> AlignGap:
    """A function aligning one stretch of both documents with the alignment's languages."""
    if aligner is None:
        from app.align.levels import align_segments

        def aligner(src, tgt, src_lang, tgt_lang):
            return align_segments(src, tgt, src_lang, tgt_lang, level=alignment.level)

    src = segments.pieces(session, alignment.source_id, alignment.level)
    tgt = segments.pieces(session, alignment.target_id, alignment.level)
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
