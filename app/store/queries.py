"""The review page's read model: selected beads page by page, ranks, progress, segment texts.

Read-only queries over the store, for the web pages and whoever else needs them. Selecting
happens in SQL (``app.store.selection.BeadSelection``) so that a long document's page does
not load every bead to show a handful.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session, joinedload

from app.errors import NotFound
from app.segments import BeadStatus, SegmentKind
from app.store import models, segments
from app.store.beads import bead_rank, key_at
from app.store.selection import BeadSelection

PAGE_SIZE = 200

# The combining marks that make accents and vowel points once a text is decomposed: the
# diacritics of the Latin, Greek and Cyrillic scripts (and their extensions), Hebrew points,
# Arabic harakat. One regular expression, as a loop over characters in Python would cost
# ten times more on a long document.
_MARKS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]"
)


def fold(text: str) -> str:
    """``text`` without accents and case, for comparison only: decomposed (NFKD), without
    the combining marks above, and case-folded (so "ß" matches "ss")."""
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():
        decomposed = _MARKS.sub("", decomposed)
    return decomposed.casefold()


def resolve_text(
    session: Session, alignment: models.Alignment, selection: BeadSelection
) -> BeadSelection:
    """The filter with its text search looked up once: the beads whose segments match.

    Matching the segments first and placing them in beads by bisection reads each document
    once, where a per-bead subquery would probe the segments 10,000 times. Matching ignores
    accents and case (``fold``).
    """
    if not selection.text:
        return selection
    # Folded in Python (accents and case), the same on every backend; a document is read
    # once per search.
    wanted = fold(selection.text)
    segment = models.Segment
    found: dict[str, list[int]] = {}
    for side, document_id in (("src", alignment.source_id), ("tgt", alignment.target_id)):
        rows = session.execute(
            select(segment.position, segment.text).where(
                segments.condition(document_id, alignment.level)
            )
        )
        found[side] = [position for position, text in rows if wanted and wanted in fold(text)]
    positions: set[int] = set()
    rows: list = []
    if found["src"] or found["tgt"]:
        bead = models.Bead
        rows = session.execute(
            select(bead.sort_key, bead.src_end, bead.tgt_end)
            .where(bead.alignment_id == alignment.id)
            .order_by(bead.sort_key)
        ).all()
        for side, column in (("src", 1), ("tgt", 2)):
            # Ends are non-decreasing: the bead holding segment k is the first ending after k.
            ends = [row[column] for row in rows]
            positions.update(bisect_right(ends, k) for k in found[side] if k < ends[-1])
    # In document order, so that a page of matches is a slice.
    matches = {rows[position][0]: position for position in sorted(positions)}
    return replace(selection, matches=matches)


def sentence_level(session: Session, alignment_id: int) -> models.Alignment | None:
    """The sentence alignment refining paragraph alignment ``alignment_id`` (the newest,
    should there be several), or None."""
    return session.scalars(
        select(models.Alignment)
        .where(models.Alignment.parent_id == alignment_id)
        .order_by(models.Alignment.id.desc())
        .limit(1)
    ).first()


def alignment_for_page(session: Session, alignment_id: int) -> models.Alignment:
    """The alignment with its two documents' titles and languages, but not their full text.

    A 10,000-paragraph document's text is megabytes the page never shows.
    """
    alignment = session.get(
        models.Alignment,
        alignment_id,
        options=[
            joinedload(models.Alignment.source).defer(models.Document.text),
            joinedload(models.Alignment.target).defer(models.Document.text),
        ],
    )
    if alignment is None:
        raise NotFound(f"there is no alignment {alignment_id}")
    return alignment


def _filtered(alignment: models.Alignment, selection: BeadSelection):
    return select(models.Bead).where(
        models.Bead.alignment_id == alignment.id, *selection.conditions(alignment)
    )


def doubt() -> ColumnElement[float]:
    """How likely a pair is to need the reviewer, from 0 to 1, in SQL: one minus its
    similarity (the probability that it is right); 1 for a pair the aligner could not pair
    or score (a passage missing on one side, a web-page leftover); at least 0.5 for a pair
    with QA flags. A confirmed or rejected pair gets -1, after every pair still to review:
    the reviewer has decided."""
    bead = models.Bead
    return case(
        (bead.status != BeadStatus.AUTOMATIC.value, -1.0),
        (
            or_(
                bead.src_end == bead.src_start,
                bead.tgt_end == bead.tgt_start,
                bead.similarity.is_(None),
            ),
            1.0,
        ),
        (func.json_array_length(bead.flags) > 0, 0.5 + 0.5 * (1.0 - bead.similarity)),
        else_=1.0 - bead.similarity,
    )


def _order(selection: BeadSelection) -> list[ColumnElement]:
    if selection.sort == "doubt":
        return [doubt().desc(), models.Bead.sort_key]
    if selection.sort == "similarity":
        # One-sided beads (no similarity) last on every backend, then document order.
        return [
            models.Bead.similarity.is_(None),
            models.Bead.similarity,
            models.Bead.sort_key,
        ]
    return [models.Bead.sort_key]


def in_document_order(selection: BeadSelection) -> bool:
    """Whether the filter shows every bead in document order, so that the n-th bead shown
    is the bead at position n."""
    return selection.sort == "position" and not selection.active


def filtered_beads(
    session: Session,
    alignment: models.Alignment,
    selection: BeadSelection,
    page: int = 1,
    size: int | None = PAGE_SIZE,
) -> list[tuple[int, models.Bead]]:
    """One page (from 1) of the alignment's beads that pass ``selection``, in its order,
    each with its position (the pair number, from 0)."""
    first = 0 if size is None else (page - 1) * size
    if _text_alone(selection):
        # The matches are known in document order: read only this page's beads.
        assert selection.matches is not None
        shown = list(selection.matches.items())
        shown = shown[first:] if size is None else shown[first : first + size]
        narrowed = replace(selection, matches=dict(shown))
        query = _filtered(alignment, narrowed).order_by(models.Bead.sort_key)
        return [(narrowed.matches[bead.sort_key], bead) for bead in session.scalars(query)]
    query = _filtered(alignment, selection).order_by(*_order(selection))
    if size is not None:
        query = query.offset(first).limit(size)
    beads = list(session.scalars(query))
    if in_document_order(selection):
        return list(enumerate(beads, start=first))
    if selection.matches is not None:
        return [(selection.matches[bead.sort_key], bead) for bead in beads]
    ranks = bead_ranks(session, alignment.id, [bead.sort_key for bead in beads])
    return [(ranks[bead.sort_key], bead) for bead in beads]


def _text_alone(selection: BeadSelection) -> bool:
    """Whether the filter is a looked-up text search in document order, and nothing else."""
    return (
        selection.matches is not None
        and selection.sort == "position"
        and selection.narrowing == BeadSelection(text=selection.text)
    )


def bead_ranks(session: Session, alignment_id: int, sort_keys: Iterable[int]) -> dict[int, int]:
    """The positions of the beads with these sort keys: their ranks in the alignment.

    One statement that numbers the alignment's beads in order and keeps the wanted ones.
    """
    wanted = sorted(set(sort_keys))
    if not wanted:
        return {}
    bead = models.Bead
    numbered = (
        select(
            bead.sort_key.label("sort_key"),
            (func.row_number().over(order_by=bead.sort_key) - 1).label("position"),
        )
        .where(bead.alignment_id == alignment_id)
        .subquery()
    )
    rows = session.execute(
        select(numbered.c.sort_key, numbered.c.position).where(numbered.c.sort_key.in_(wanted))
    )
    return {sort_key: position for sort_key, position in rows}


def count_beads(session: Session, alignment: models.Alignment, selection: BeadSelection) -> int:
    """How many of the alignment's beads pass ``selection``."""
    if _text_alone(selection):
        assert selection.matches is not None
        return len(selection.matches)
    inner = _filtered(alignment, selection).with_only_columns(models.Bead.id).subquery()
    return session.scalar(select(func.count()).select_from(inner)) or 0


def page_of_position(
    session: Session, alignment: models.Alignment, selection: BeadSelection, position: int
) -> int:
    """The page (from 1) on which the bead at ``position`` appears, or would in order."""
    if in_document_order(selection):
        return max(position, 0) // PAGE_SIZE + 1
    if _text_alone(selection):
        assert selection.matches is not None
        rank = sum(1 for shown in selection.matches.values() if shown < position)
        return rank // PAGE_SIZE + 1
    bead = models.Bead
    key = key_at(session, alignment.id, position)
    if key is None:
        # Past the end: the last page.
        rank = count_beads(session, alignment, selection)
        return max(rank - 1, 0) // PAGE_SIZE + 1
    before: ColumnElement[bool] = bead.sort_key < key
    if selection.sort == "doubt":
        value = session.scalar(
            select(doubt()).where(bead.alignment_id == alignment.id, bead.sort_key == key)
        )
        before = or_(doubt() > value, and_(doubt() == value, bead.sort_key < key))
    elif selection.sort == "similarity":
        similarity = session.scalar(
            select(bead.similarity).where(bead.alignment_id == alignment.id, bead.sort_key == key)
        )
        if similarity is None:
            before = or_(bead.similarity.is_not(None), before)
        else:
            before = or_(
                bead.similarity < similarity,
                and_(bead.similarity == similarity, bead.sort_key < key),
            )
    inner = _filtered(alignment, selection).where(before).with_only_columns(bead.id).subquery()
    rank = session.scalar(select(func.count()).select_from(inner)) or 0
    return rank // PAGE_SIZE + 1


def next_unreviewed(session: Session, alignment_id: int, after: int) -> int | None:
    """The position of the first bead not yet confirmed or rejected after ``after``,
    wrapping round to the start; None when every bead is reviewed."""
    bead = models.Bead
    query = select(bead.sort_key).where(
        bead.alignment_id == alignment_id, bead.status == BeadStatus.AUTOMATIC.value
    )
    after_key = key_at(session, alignment_id, after)
    found = None
    if after_key is not None:
        found = session.scalar(
            query.where(bead.sort_key > after_key).order_by(bead.sort_key).limit(1)
        )
    if found is None:
        found = session.scalar(query.order_by(bead.sort_key).limit(1))
    return None if found is None else bead_rank(session, alignment_id, found)


@dataclass(frozen=True)
class Progress:
    total: int
    confirmed: int
    rejected: int
    # The mean similarity of the two-sided pairs: the figure the alignments list shows too.
    mean_similarity: float | None = None

    @property
    def reviewed(self) -> int:
        return self.confirmed + self.rejected


def review_progress(session: Session, alignment_id: int) -> Progress:
    """How many of the alignment's beads there are, and how many are confirmed or rejected."""
    row = session.execute(
        select(
            func.count(),
            func.count().filter(models.Bead.status == BeadStatus.CONFIRMED.value),
            func.count().filter(models.Bead.status == BeadStatus.REJECTED.value),
            func.avg(models.Bead.similarity),
        ).where(models.Bead.alignment_id == alignment_id)
    ).one()
    return Progress(total=row[0], confirmed=row[1], rejected=row[2], mean_similarity=row[3])


@dataclass(frozen=True)
class SegmentText:
    kind: SegmentKind
    text: str

    @property
    def is_heading(self) -> bool:
        return self.kind is SegmentKind.HEADING


def segment_texts(
    session: Session, document_id: int, level: str, positions: Iterable[int] | None = None
) -> dict[int, SegmentText]:
    """The document's segments at ``level`` by position, without loading the ORM objects.

    With ``positions``, only those: a page of a long document reads only what it shows.
    """
    segment = models.Segment
    query = segments.query(document_id, level, segment.position, segment.kind, segment.text)
    if positions is not None:
        wanted = sorted(set(positions))
        if not wanted:
            return {}
        low, high = wanted[0], wanted[-1]
        if high - low < 4 * len(wanted):
            # A contiguous page: a range reads the index once.
            query = query.where(segment.position >= low, segment.position <= high)
        else:
            query = query.where(segment.position.in_(wanted))
    rows = session.execute(query)
    return {position: SegmentText(SegmentKind(kind), text) for position, kind, text in rows}


@dataclass(frozen=True)
class BeadPlace:
    """Where a bead sits: enough to send the reviewer back to it."""

    alignment_id: int
    position: int


def locate_bead(session: Session, bead_id: int) -> BeadPlace:
    """Return the bead's alignment and position; raise NotFound when there is no such bead."""
    # Plain columns, not the ORM object: the update that follows must read the bead afresh
    # under its row lock rather than find a copy read earlier in the identity map.
    row = session.execute(
        select(models.Bead.alignment_id, models.Bead.sort_key).where(models.Bead.id == bead_id)
    ).first()
    if row is None:
        raise NotFound(f"there is no pair {bead_id}")
    return BeadPlace(alignment_id=row[0], position=bead_rank(session, row[0], row[1]))
