"""Splitting a segment's text in two and joining a segment with the next: the store's side.

Both change how many segments a document has, so every alignment of that document at that
level has its beads' ranges renumbered past the change (one UPDATE per side), and the
segments after it move by one. The new segment of a split goes into the bead that held the
old one; a join is allowed only when both segments are in the same bead of every such
alignment. Splitting or joining paragraphs carries the document's sentences along (see
``app.review.text.sentence_cut``), so a sentence-level alignment below stays consistent
without being re-aligned.

A change is recorded as the segment's state before and after: ``{"side", "segment",
"texts", "kinds"}`` with one text or two, plus ``"sentences"`` on the two-text state of a
paragraph (which sentences go to the second paragraph, and the sentence the cut split).
Undo and redo go from one state to the other (``reshape``), and restore the exact texts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, exists, func, select, update
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidRequest, NotFound
from app.review import ops
from app.review.text import carry_sentences, join_texts, sentence_cut, split_text
from app.store import models, segments

State = dict[str, Any]

SENTENCE = "sentence"
PARAGRAPH = "paragraph"


def plan_split(
    session: Session, alignment: models.Alignment, side: str, segment: int, offset: int
) -> tuple[State, State]:
    """The states before and after splitting ``segment`` at ``offset``; refuses bad cuts."""
    document_id = document_of(alignment, side)
    row = segments.row(session, document_id, alignment.level, segment)
    if row is None:
        raise NotFound(f"there is no segment {segment}")
    try:
        first, second = split_text(row.text, offset)
    except ops.OperationRefused as error:
        raise InvalidRequest(str(error)) from None
    before = _state(side, segment, [row.text], [row.kind])
    after = _state(side, segment, [first, second], [row.kind, row.kind])
    if alignment.level == PARAGRAPH:
        sentences = _sentences_of(session, document_id, segment)
        if sentences:
            cut = sentence_cut(row.text, [text for _, text in sentences], offset)
            first_position = sentences[0][0]
            plan: dict[str, Any] = {"moves": first_position + cut.moves, "split": None}
            if cut.split is not None:
                index, one, two = cut.split
                plan["split"] = {
                    "segment": first_position + index,
                    "text": sentences[index][1],
                    "texts": [one, two],
                }
            after["sentences"] = plan
    return before, after


def plan_join(
    session: Session, alignment: models.Alignment, side: str, segment: int
) -> tuple[State, State]:
    """The states before and after joining ``segment`` with the next one."""
    document_id = document_of(alignment, side)
    rows = segments.rows(session, document_id, alignment.level, segment, segment + 2)
    if len(rows) < 2:
        raise InvalidRequest("the last segment of a document has no next segment to join")
    first, second = rows
    if alignment.level == SENTENCE and first.paragraph != second.paragraph:
        raise InvalidRequest(
            "these sentences belong to different paragraphs; join the paragraphs instead"
        )
    before = _state(side, segment, [first.text, second.text], [first.kind, second.kind])
    after = _state(side, segment, [join_texts(first.text, second.text)], [first.kind])
    if alignment.level == PARAGRAPH and segments.exist(session, document_id, SENTENCE):
        # Joining keeps every sentence; undoing it sends those of the second paragraph back.
        moves = session.scalar(
            select(func.count())
            .select_from(models.Segment)
            .where(segments.condition(document_id, SENTENCE), models.Segment.paragraph <= segment)
        )
        before["sentences"] = {"moves": moves or 0, "split": None}
    return before, after


def reshape(session: Session, alignment: models.Alignment, current: State, wanted: State) -> None:
    """Go from the ``current`` state of a segment to the ``wanted`` one (split or join).

    Raises Conflict when the store no longer holds ``current``, or when a join would put
    segments of two beads in one.
    """
    document_id = document_of(alignment, current["side"])
    level, segment = alignment.level, current["segment"]
    rows = segments.rows(session, document_id, level, segment, segment + len(current["texts"]))
    if [row.text for row in rows] != current["texts"]:
        raise Conflict(
            "the text of this segment was changed by someone else since the page was "
            "loaded; reload to see the current text"
        )
    if len(current["texts"]) == 1:
        _split(session, document_id, level, segment, wanted["texts"], wanted["kinds"], rows[0])
        plan = wanted.get("sentences")
        if level == PARAGRAPH and plan:
            _renumber_paragraphs(session, document_id, segment, +1)
            if plan["split"]:
                split = plan["split"]
                at = split["segment"]
                sentence = segments.rows(session, document_id, SENTENCE, at, at + 1)
                if [row.text for row in sentence] != [split["text"]]:
                    raise Conflict("a sentence of this paragraph changed since; reload")
                _split(
                    session,
                    document_id,
                    SENTENCE,
                    split["segment"],
                    split["texts"],
                    [sentence[0].kind] * 2,
                    sentence[0],
                )
            _move_sentences(session, document_id, plan["moves"], segment, segment + 1)
    else:
        _refuse_join_across_beads(session, document_id, level, segment)
        plan = current.get("sentences")
        if level == PARAGRAPH and plan:
            _renumber_paragraphs(session, document_id, segment, -1)
            if plan["split"]:
                split = plan["split"]
                at = split["segment"]
                halves = segments.rows(session, document_id, SENTENCE, at, at + 2)
                if [row.text for row in halves] != split["texts"]:
                    raise Conflict("a sentence of this paragraph changed since; reload")
                _refuse_join_across_beads(session, document_id, SENTENCE, split["segment"])
                _join(session, document_id, SENTENCE, split["segment"], split["text"], halves)
        _join(session, document_id, level, segment, wanted["texts"][0], rows)
        rows[0].kind = wanted["kinds"][0]
    session.flush()


def corrected_sentences(
    session: Session, document: models.Document, paragraph: int, old: str, new: str
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The sentences of ``paragraph`` before and after its text is corrected from ``old``
    to ``new``, as {"first", "texts"}; None when the document has no sentence level.

    Their number stays (sentence beads rest on it): the sentences are carried over to the
    new text, or split from it afresh when that gives as many. Refused otherwise.
    """
    from app.ingest import split_sentences

    sentences = _sentences_of(session, document.id, paragraph)
    if not sentences:
        return None
    texts = [text for _, text in sentences]
    carried = carry_sentences(old, new, texts)
    if carried is None:
        fresh = split_sentences(new, document.language) or [new]
        if len(fresh) != len(texts):
            raise InvalidRequest(
                f"the corrected paragraph has {len(fresh)} sentences where the sentence "
                f"level has {len(texts)}; correct it sentence by sentence in the sentence "
                "view, or split or join the paragraph first"
            )
        carried = fresh
    first = sentences[0][0]
    return {"first": first, "texts": texts}, {"first": first, "texts": carried}


# Internals --------------------------------------------------------------------------------


def _state(side: str, segment: int, texts: list[str], kinds: list[str]) -> State:
    return {"side": side, "segment": segment, "texts": texts, "kinds": kinds}


def document_of(alignment: models.Alignment, side: str) -> int:
    """The id of the alignment's document on ``side`` ("source" or "target")."""
    if side not in ("source", "target"):
        raise InvalidRequest(f"side must be source or target, not '{side}'")
    return alignment.source_id if side == "source" else alignment.target_id


def _sentences_of(session: Session, document_id: int, paragraph: int) -> list[tuple[int, str]]:
    segment = models.Segment
    rows = session.execute(
        segments.query(document_id, SENTENCE, segment.position, segment.text).where(
            segment.paragraph == paragraph
        )
    )
    return [(position, text) for position, text in rows]


def _split(
    session: Session,
    document_id: int,
    level: str,
    position: int,
    texts: list[str],
    kinds: list[str],
    row: models.Segment,
) -> None:
    """Segment ``position`` becomes ``texts[0]``; a new segment ``texts[1]`` follows it."""
    _move_segments(session, document_id, level, position, +1)
    row.text, row.kind = texts[0], kinds[0]
    session.add(
        models.Segment(
            document_id=document_id,
            level=level,
            position=position + 1,
            paragraph=row.paragraph,
            kind=kinds[1],
            text=texts[1],
        )
    )
    _move_boundaries(session, document_id, level, position, +1)


def _join(
    session: Session,
    document_id: int,
    level: str,
    position: int,
    text: str,
    rows: list[models.Segment],
) -> None:
    """Segments ``position`` and ``position + 1`` become one with ``text``."""
    rows[0].text = text
    session.delete(rows[1])
    session.flush()
    _move_segments(session, document_id, level, position + 1, -1)
    _move_boundaries(session, document_id, level, position + 1, -1)


def _move_segments(session: Session, document_id: int, level: str, after: int, delta: int) -> None:
    """Move the segments at positions > ``after`` by ``delta``, through negative positions
    (PostgreSQL checks the uniqueness of (document, level, position) row by row)."""
    segment = models.Segment
    where = segments.condition(document_id, level)
    session.execute(
        update(segment)
        .where(where, segment.position > after)
        .values(position=-(segment.position + delta) - 1)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(segment)
        .where(where, segment.position < 0)
        .values(position=-segment.position - 1)
        .execution_options(synchronize_session=False)
    )
    # Segments loaded earlier in this session now have stale positions.
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, models.Segment) and loaded.document_id == document_id:
            session.expire(loaded, ["position"])


def _move_boundaries(
    session: Session, document_id: int, level: str, after: int, delta: int
) -> None:
    """Renumber the bead ranges of every alignment of the document at ``level``: a range
    boundary past ``after`` moves by ``delta``. Those alignments' versions go up, so that
    their open pages are stale."""
    bead, alignment = models.Bead, models.Alignment
    touched: list[int] = []
    for column, start, end in (
        (alignment.source_id, bead.src_start, bead.src_end),
        (alignment.target_id, bead.tgt_start, bead.tgt_end),
    ):
        ids = list(
            session.scalars(
                select(alignment.id).where(column == document_id, alignment.level == level)
            )
        )
        if not ids:
            continue
        touched += ids
        session.execute(
            update(bead)
            .where(bead.alignment_id.in_(ids), end > after)
            .values(
                {
                    start: case((start > after, start + delta), else_=start),
                    end: end + delta,
                }
            )
            .execution_options(synchronize_session=False)
        )
    if touched:
        session.execute(
            update(alignment)
            .where(alignment.id.in_(touched))
            .values(version=alignment.version + 1)
            .execution_options(synchronize_session=False)
        )
        for loaded in list(session.identity_map.values()):
            if isinstance(loaded, models.Bead | models.Alignment):
                session.expire(loaded)


def _refuse_join_across_beads(
    session: Session, document_id: int, level: str, position: int
) -> None:
    """Refuse unless segments ``position`` and ``position + 1`` share a bead in every
    alignment of the document at ``level``."""
    bead, alignment = models.Bead, models.Alignment
    for column, start, end, side in (
        (alignment.source_id, bead.src_start, bead.src_end, "original"),
        (alignment.target_id, bead.tgt_start, bead.tgt_end, "translated"),
    ):
        holding = exists().where(
            and_(bead.alignment_id == alignment.id, start <= position, end >= position + 2)
        )
        apart = session.scalar(
            select(alignment.id)
            .where(column == document_id, alignment.level == level, ~holding)
            .limit(1)
        )
        if apart is not None:
            raise InvalidRequest(
                f"{side} segments {position + 1} and {position + 2} are in different pairs of "
                f"alignment #{apart}; merge the pairs first, then join the segments"
            )


def _renumber_paragraphs(session: Session, document_id: int, after: int, delta: int) -> None:
    """The sentences of paragraphs past ``after`` now belong to the paragraph ``delta`` on."""
    segment = models.Segment
    session.execute(
        update(segment)
        .where(segments.condition(document_id, SENTENCE), segment.paragraph > after)
        .values(paragraph=segment.paragraph + delta)
        .execution_options(synchronize_session=False)
    )


def _move_sentences(
    session: Session, document_id: int, first: int, paragraph: int, to: int
) -> None:
    """The sentences of ``paragraph`` from position ``first`` on go to paragraph ``to``."""
    segment = models.Segment
    session.execute(
        update(segment)
        .where(
            segments.condition(document_id, SENTENCE, start=first),
            segment.paragraph == paragraph,
        )
        .values(paragraph=to)
        .execution_options(synchronize_session=False)
    )
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, models.Segment) and loaded.document_id == document_id:
            session.expire(loaded)
