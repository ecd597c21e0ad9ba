"""Correcting the documents' text from the review: a segment's text corrected, split in two
or joined with the next, each as one history event, and put back on undo and redo.

The store's side of a split or a join (renumbering segments and beads) is
``app.services.text_edits``; this module makes them review use cases: the alignment's
version is checked and bumped, the event recorded, and the QA flags of both levels found
again. The caller checks that the reviewer's role may edit text.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidRequest, NotFound
from app.review.ops import side_name
from app.services.history import LOCAL_ACTOR, Outcome, add_event
from app.services.qa import recheck_family
from app.services.text_edits import (
    corrected_sentences,
    document_of,
    plan_join,
    plan_split,
    reshape,
)
from app.store import models, segments
from app.store.beads import STALE_MESSAGE, STALE_SENTENCES, bead_rank, locked_alignment, pair_number


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
    alignment = locked_alignment(session, alignment_id, version)
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
    summary = f"corrected {side_name(side)} segment {segment + 1} of pair {pair_number(position)}"
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
    alignment = locked_alignment(session, alignment_id, version)
    before, after = plan_split(session, alignment, side, segment, offset)
    reshape(session, alignment, before, after)
    position = _bead_holding(session, alignment.id, side, segment)
    summary = (
        f"split {side_name(side)} segment {segment + 1} of pair {pair_number(position)} in two"
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
    alignment = locked_alignment(session, alignment_id, version)
    before, after = plan_join(session, alignment, side, segment)
    reshape(session, alignment, before, after)
    position = _bead_holding(session, alignment.id, side, segment)
    summary = (
        f"joined {side_name(side)} segments {segment + 1} and {segment + 2} "
        f"of pair {pair_number(position)}"
    )
    return _record_text(
        session, alignment, summary, position, before, after, actor, action="join_text"
    )


def revert(
    session: Session,
    alignment: models.Alignment,
    event: models.ReviewEvent,
    action: str,
    summary: str,
    actor: str,
) -> Outcome:
    """Undo (``action`` "undo") or redo ("redo") the text change ``event``, and record that."""
    old, new = (event.after, event.before) if action == "undo" else (event.before, event.after)
    if event.action == "text":
        _swap_text(session, alignment, old[0], new[0])
        position = event.position
    else:
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


def _segment_row(
    session: Session, alignment: models.Alignment, side: str, segment: int
) -> models.Segment:
    row = segments.row(session, document_of(alignment, side), alignment.level, segment)
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
    # A segment's text changed under both levels: their flags are found again.
    recheck_family(session, alignment)
    add_event(
        session,
        alignment,
        action=action,
        summary=summary,
        position=position,
        before=[before],
        after=[after],
        actor=actor,
        reverts_id=reverts_id,
    )
    return Outcome(alignment.version, position, summary)


def _swap_text(session: Session, alignment: models.Alignment, current: dict, wanted: dict) -> None:
    """Put back a segment's text from history; raise Conflict if it changed since."""
    row = _segment_row(session, alignment, current["side"], current["segment"])
    if row.text != current["text"]:
        raise Conflict(STALE_MESSAGE)
    if "sentences" in current:
        first, texts = current["sentences"]["first"], current["sentences"]["texts"]
        if segments.texts(session, row.document_id, "sentence", first, first + len(texts)) != texts:
            raise Conflict(STALE_SENTENCES)
        _set_sentences(session, row.document_id, wanted["sentences"])
    row.text = wanted["text"]


def _set_sentences(session: Session, document_id: int, sentences: dict) -> None:
    """Give the sentences from ``sentences["first"]`` on the texts ``sentences["texts"]``."""
    first = sentences["first"]
    rows = segments.rows(session, document_id, "sentence", first, first + len(sentences["texts"]))
    for row, text in zip(rows, sentences["texts"], strict=True):
        row.text = text
