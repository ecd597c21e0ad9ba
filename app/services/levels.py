"""The sentence level follows the paragraph level: re-derived under the changed pairs.

After a review operation changes paragraph beads, ``cascade`` derives the sentence beads
under those beads again (``app.review.levels.rederive``) in every sentence alignment below,
in the same transaction, and returns what it changed; the paragraph event keeps that, and
undo and redo replay it exactly (``replay``). The sentence alignment's own history gets a
record of each change, and its redo list is dropped, as after any change of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import Conflict
from app.review.beads import AUTOMATIC, BeadState, Edit
from app.review.levels import (
    Box,
    changed_ranges,
    follow_status,
    inherit_status,
    ranges,
    rederive,
)
from app.services import history
from app.services.beads import write_beads
from app.store import models, segments
from app.store.beads import all_rows, bead_rank, bead_state, bead_states

SENTENCE = "sentence"

# Aligns two lists of sentence texts; returns beads relative to them. The default is the
# sentence aligner's fast model (no neural model), quick enough for one operation.
SentenceAligner = Callable[[Sequence[str], Sequence[str]], list[BeadState]]

CHILD_CHANGED = (
    "the sentence level under these pairs has changed since; undo those changes in the "
    "sentence view first"
)


def fast_sentence_aligner() -> SentenceAligner:
    from app.align.engine import align_units
    from app.align.model import load_model

    model = load_model("fast")

    def align(src: Sequence[str], tgt: Sequence[str]) -> list[BeadState]:
        result = align_units(src, tgt, model)
        return [
            BeadState(b.src_start, b.src_end, b.tgt_start, b.tgt_end, b.similarity, dict(b.scores))
            for b in result.beads
        ]

    return align


def cascade(
    session: Session,
    parent: models.Alignment,
    edit: Edit,
    summary: str,
    actor: str,
    aligner: SentenceAligner | None = None,
) -> list[dict[str, Any]] | None:
    """Derive the sentence level again under the paragraph beads ``edit`` changed.

    Returns the changes made, as JSON for the paragraph event: a list (empty when the
    sentence level needed no change), or None when there is no sentence level below.
    """
    if parent.level != "paragraph":
        return None
    children = list(
        session.scalars(
            select(models.Alignment.id)
            .where(models.Alignment.parent_id == parent.id)
            .order_by(models.Alignment.id)
        )
    )
    if not children:
        return None
    if not changed_ranges(edit):
        return _cascade_status(session, parent, children, edit, summary, actor)
    changes: list[dict[str, Any]] = []
    for child_id in children:
        planned = _child_edit(session, parent, child_id, edit, aligner)
        if planned is None:
            continue
        child_edit, rows = planned
        write_beads(session, child_id, child_edit, (child_edit.start, rows))
        _record_child(
            session,
            child_id,
            child_edit,
            f"sentences under the changed paragraph pairs aligned again ({summary})",
            actor,
        )
        changes.append(_cascade_entry(child_id, child_edit))
    return changes


def _cascade_status(
    session: Session,
    parent: models.Alignment,
    children: list[int],
    edit: Edit,
    summary: str,
    actor: str,
) -> list[dict[str, Any]]:
    """The sentence beads under paragraph beads whose status ``edit`` changed take that
    status, unless they were reviewed on their own (``app.review.levels.follow_status``)."""
    changed = [
        k
        for k, (old, new) in enumerate(zip(edit.before, edit.after, strict=True))
        if old.status != new.status
    ]
    if not changed:
        return []
    a0, a1 = edit.after[0].src_start, edit.after[-1].src_end
    b0, b1 = edit.after[0].tgt_start, edit.after[-1].tgt_end
    src = _sentence_starts(session, parent.source_id, a0, a1)
    tgt = _sentence_starts(session, parent.target_id, b0, b1)
    region = Box(src[a0], src[a1], tgt[b0], tgt[b1])
    boxes = [
        Box(src[b.src_start], src[b.src_end], tgt[b.tgt_start], tgt[b.tgt_end]) for b in edit.after
    ]
    changes: list[dict[str, Any]] = []
    for child_id in children:
        run = _child_run(session, child_id, region)
        if run is None:
            continue
        rows, position = run
        before = [bead_state(row) for row in rows]
        after = follow_status(edit.after, boxes, changed, before)
        child_edit = _trimmed(position, before, after)
        if child_edit is None:
            continue
        offset = child_edit.start - position
        write_beads(session, child_id, child_edit, (child_edit.start, rows[offset:]))
        note = f"sentences follow the paragraph pairs ({summary})"
        _record_child(session, child_id, child_edit, note, actor)
        changes.append(_cascade_entry(child_id, child_edit))
    return changes


def _cascade_entry(child_id: int, edit: Edit) -> dict[str, Any]:
    """What a paragraph operation changed in one sentence alignment, kept on its event so
    that undo reverts it too."""
    return {"alignment_id": child_id, **history.edit_data(edit)}


def _trimmed(position: int, before: list[BeadState], after: list[BeadState]) -> Edit | None:
    """The Edit from the first to the last bead that differ (same number of beads), or None."""
    differ = [k for k, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
    if not differ:
        return None
    first, last = differ[0], differ[-1] + 1
    return Edit(position + first, tuple(before[first:last]), tuple(after[first:last]))


def inherit_paragraph_status(session: Session, child: models.Alignment, edit: Edit) -> Edit:
    """A sentence-level fix inside a reviewed paragraph pair: the new sentence beads take
    the paragraph's status, so the paragraph's review still covers them."""
    if child.parent_id is None or not changed_ranges(edit):
        return edit
    statuses = {}
    after = []
    for new in edit.after:
        side, sentence = ("source", new.src_start) if new.src_len else ("target", new.tgt_start)
        if new.empty:
            after.append(new)
            continue
        key = (side, sentence)
        if key not in statuses:
            statuses[key] = _paragraph_status(session, child, side, sentence)
        after.append(inherit_status(new, statuses[key]))
    return Edit(edit.start, edit.before, tuple(after))


def _paragraph_status(session: Session, child: models.Alignment, side: str, sentence: int) -> str:
    """The status of the paragraph bead holding sentence ``sentence`` of one side."""
    segment, bead = models.Segment, models.Bead
    document_id = child.source_id if side == "source" else child.target_id
    paragraph = session.scalar(
        select(segment.paragraph).where(
            segments.condition(document_id, SENTENCE), segment.position == sentence
        )
    )
    if paragraph is None:
        return AUTOMATIC
    start, end = (
        (bead.src_start, bead.src_end) if side == "source" else (bead.tgt_start, bead.tgt_end)
    )
    status = session.scalar(
        select(bead.status).where(
            bead.alignment_id == child.parent_id, start <= paragraph, end > paragraph
        )
    )
    return status or AUTOMATIC


def replay(session: Session, changes: list[dict[str, Any]], undo: bool, actor: str) -> None:
    """Revert (``undo``) or make again the sentence-level changes of a paragraph event."""
    for change in reversed(changes) if undo else changes:
        child_id = change["alignment_id"]
        if session.get(models.Alignment, child_id, with_for_update=True) is None:
            continue  # the sentence alignment was deleted since
        edit = history.edit_from_data(change["position"], change["before"], change["after"])
        edit = edit.inverse() if undo else edit
        try:
            write_beads(session, child_id, edit)
        except Conflict:
            raise Conflict(CHILD_CHANGED) from None
        verb = "undid" if undo else "redid"
        _record_child(session, child_id, edit, f"{verb} a paragraph change here", actor)


def _record_child(session: Session, child_id: int, edit: Edit, summary: str, actor: str) -> None:
    child = session.get(models.Alignment, child_id, with_for_update=True)
    assert child is not None
    history.record_cascade(session, child, edit, summary, actor)


def _child_edit(
    session: Session,
    parent: models.Alignment,
    child_id: int,
    edit: Edit,
    aligner: SentenceAligner | None,
) -> tuple[Edit, list[models.Bead]] | None:
    """The sentence beads under the edit's stretch derived again, or None if unchanged."""
    a0, a1 = edit.after[0].src_start, edit.after[-1].src_end
    b0, b1 = edit.after[0].tgt_start, edit.after[-1].tgt_end
    src = _sentence_starts(session, parent.source_id, a0, a1)
    tgt = _sentence_starts(session, parent.target_id, b0, b1)
    region = Box(src[a0], src[a1], tgt[b0], tgt[b1])
    if (region.s0, region.t0) == (region.s1, region.t1):
        return None
    run = _child_run(session, child_id, region)
    if run is None:
        # The sentence beads here do not tile the stretch (made so in the sentence view):
        # left as they are.
        return None
    rows, position = run
    before = [bead_state(row) for row in rows]
    boxes = [
        Box(src[b.src_start], src[b.src_end], tgt[b.tgt_start], tgt[b.tgt_end]) for b in edit.after
    ]
    kept = {ranges(b) for b in edit.before} & {ranges(b) for b in edit.after}
    src_texts = segments.texts(session, parent.source_id, SENTENCE, region.s0, region.s1)
    tgt_texts = segments.texts(session, parent.target_id, SENTENCE, region.t0, region.t1)
    align_texts = aligner or fast_sentence_aligner()

    def align(s0: int, s1: int, t0: int, t1: int) -> list[BeadState]:
        return align_texts(
            src_texts[s0 - region.s0 : s1 - region.s0], tgt_texts[t0 - region.t0 : t1 - region.t0]
        )

    after = rederive(edit.after, boxes, kept, before, align)
    if after == before:
        return None
    return Edit(position, tuple(before), tuple(after)), rows


def _sentence_starts(session: Session, document_id: int, first: int, last: int) -> dict[int, int]:
    """The index of the first sentence of each paragraph ``first..last`` (inclusive; a
    paragraph without sentences starts where the next one does)."""
    segment = models.Segment
    where = segments.condition(document_id, SENTENCE)
    found = dict(
        session.execute(
            select(segment.paragraph, func.min(segment.position))
            .where(where, segment.paragraph >= first, segment.paragraph < last)
            .group_by(segment.paragraph)
        ).all()
    )
    end = session.scalar(select(func.min(segment.position)).where(where, segment.paragraph >= last))
    if end is None:
        end = segments.count(session, document_id, SENTENCE)
    starts = {last: end}
    for paragraph in range(last - 1, first - 1, -1):
        starts[paragraph] = found.get(paragraph, starts[paragraph + 1])
    return starts


def _child_run(
    session: Session, child_id: int, region: Box
) -> tuple[list[models.Bead], int] | None:
    """The sentence beads that tile ``region`` and the position of the first, or None."""
    bead = models.Bead

    def first_at(src: int, tgt: int) -> int | None:
        # Both starts grow along the beads' order, so the first bead at or after (src, tgt)
        # by starts is the first in order; the (alignment, src_start, tgt_start) index.
        return session.scalar(
            select(bead.sort_key)
            .where(bead.alignment_id == child_id, bead.src_start >= src, bead.tgt_start >= tgt)
            .order_by(bead.src_start, bead.tgt_start)
            .limit(1)
        )

    first = first_at(region.s0, region.t0)
    if first is None:
        return None
    following = first_at(region.s1, region.t1)
    query = select(bead).where(bead.alignment_id == child_id, bead.sort_key >= first)
    if following is not None:
        query = query.where(bead.sort_key < following)
    rows = list(session.scalars(query.order_by(bead.sort_key)))
    src, tgt = region.s0, region.t0
    for row in rows:
        if (row.src_start, row.tgt_start) != (src, tgt):
            return None
        src, tgt = row.src_end, row.tgt_end
    if (src, tgt) != (region.s1, region.t1):
        return None
    return rows, bead_rank(session, child_id, first)


def refuse_crossing(session: Session, child: models.Alignment, edit: Edit) -> None:
    """Refuse a sentence-level change whose new beads would cross paragraph beads."""
    from app.errors import InvalidRequest

    if child.parent_id is None or not changed_ranges(edit):
        return
    bead, segment = models.Bead, models.Segment
    ends = {"source": set(), "target": set()}
    for new in edit.after:
        if new.src_len:
            ends["source"] |= {new.src_start, new.src_end - 1}
        if new.tgt_len:
            ends["target"] |= {new.tgt_start, new.tgt_end - 1}
    paragraph: dict[str, dict[int, int]] = {}
    for side, document_id in (("source", child.source_id), ("target", child.target_id)):
        paragraph[side] = (
            dict(
                session.execute(
                    select(segment.position, segment.paragraph).where(
                        segments.condition(document_id, SENTENCE),
                        segment.position.in_(sorted(ends[side])),
                    )
                ).all()
            )
            if ends[side]
            else {}
        )

    def holder(side: str, number: int) -> int | None:
        start, end = (
            (bead.src_start, bead.src_end) if side == "source" else (bead.tgt_start, bead.tgt_end)
        )
        other = bead.tgt_start if side == "source" else bead.src_start
        row = session.execute(
            select(bead.id, end)
            .where(bead.alignment_id == child.parent_id, start <= number)
            .order_by(start.desc(), other.desc())
            .limit(1)
        ).first()
        return row[0] if row is not None and row[1] > number else None

    for new in edit.after:
        owners = set()
        for side, first, last, size in (
            ("source", new.src_start, new.src_end - 1, new.src_len),
            ("target", new.tgt_start, new.tgt_end - 1, new.tgt_len),
        ):
            if size:
                for k in (first, last):
                    number = paragraph[side].get(k)
                    if number is not None:
                        owners.add(holder(side, number))
        if len(owners) > 1:
            raise InvalidRequest(
                "this would put sentences of two paragraph pairs in one sentence pair; "
                "change the paragraph pairs first"
            )


def realign_child(
    session: Session, child: models.Alignment, aligner: SentenceAligner | None = None
) -> Edit | None:
    """Re-align a sentence alignment's unconfirmed sentences inside each paragraph bead,
    keeping every confirmed sentence bead; the Edit made, or None when nothing changed."""
    parents = bead_states(session, child.parent_id)
    rows = all_rows(session, child.id)
    before = [bead_state(row) for row in rows]
    if not parents or not before:
        return None
    a1, b1 = parents[-1].src_end, parents[-1].tgt_end
    src = _sentence_starts(session, child.source_id, 0, a1)
    tgt = _sentence_starts(session, child.target_id, 0, b1)
    boxes = [
        Box(src[b.src_start], src[b.src_end], tgt[b.tgt_start], tgt[b.tgt_end]) for b in parents
    ]
    src_texts = segments.texts(session, child.source_id, SENTENCE, 0, src[a1])
    tgt_texts = segments.texts(session, child.target_id, SENTENCE, 0, tgt[b1])
    align_texts = aligner or fast_sentence_aligner()

    def align(s0: int, s1: int, t0: int, t1: int) -> list[BeadState]:
        return align_texts(src_texts[s0:s1], tgt_texts[t0:t1])

    after = rederive(parents, boxes, set(), before, align)
    # A sentence bead drawn again keeps its review fields (a rejection, a note).
    old = {ranges(b): b for b in before}
    after = [old.get(ranges(b), b) for b in after]
    # Only the stretch that changed goes into the edit and the history.
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(before), len(after)) - head
        and before[len(before) - 1 - tail] == after[len(after) - 1 - tail]
    ):
        tail += 1
    if head == len(before) == len(after):
        return None
    edit = Edit(
        head, tuple(before[head : len(before) - tail]), tuple(after[head : len(after) - tail])
    )
    write_beads(session, child.id, edit, (0, rows))
    return edit
