"""Reading a document's segments at one level: the one place that writes those queries.

Every function here takes a document and a level ("paragraph" or "sentence") and, where it
says so, a half-open range of positions ``[start, end)``; ``None`` leaves that end of the
range open. Lists come in document order (by position).

``condition`` and ``query`` are the building blocks for the queries that need more than
the plain readers below: correlated subqueries, bulk UPDATEs, extra filters.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from app.segments import Segment, SegmentKind
from app.store import models

# A position bound: a number, or a column (the segments inside a bead's range, say).
Bound = int | ColumnElement[int] | None


def condition(
    document_id: int | ColumnElement[int], level: str, start: Bound = None, end: Bound = None
) -> ColumnElement[bool]:
    """The condition "a segment of document ``document_id`` at ``level``, at a position in
    ``[start, end)``". The document may be a column, for a correlated subquery."""
    segment = models.Segment
    parts = [segment.document_id == document_id, segment.level == level]
    if start is not None:
        parts.append(segment.position >= start)
    if end is not None:
        parts.append(segment.position < end)
    return and_(*parts)


def query(
    document_id: int, level: str, *columns: Any, start: Bound = None, end: Bound = None
) -> Select:
    """SELECT ``columns`` (the ORM rows when none are given) of the document's segments at
    ``level`` in ``[start, end)``, ordered by position."""
    segment = models.Segment
    return (
        select(*(columns or (segment,)))
        .where(condition(document_id, level, start, end))
        .order_by(segment.position)
    )


def texts(
    session: Session, document_id: int, level: str, start: int | None = None, end: int | None = None
) -> list[str]:
    """The texts of the document's segments at ``level`` in ``[start, end)``, in order."""
    return list(
        session.scalars(query(document_id, level, models.Segment.text, start=start, end=end))
    )


def pieces(
    session: Session, document_id: int, level: str, start: int | None = None, end: int | None = None
) -> list[Segment]:
    """The document's segments at ``level`` in ``[start, end)`` as plain
    ``app.segments.Segment`` values (text and kind), in order, as the aligner takes them."""
    segment = models.Segment
    found = session.execute(
        query(document_id, level, segment.text, segment.kind, start=start, end=end)
    )
    return [Segment(text, SegmentKind(kind)) for text, kind in found]


def rows(
    session: Session, document_id: int, level: str, start: int | None = None, end: int | None = None
) -> list[models.Segment]:
    """The document's segments at ``level`` in ``[start, end)`` as ORM rows (to change
    them), in order."""
    return list(session.scalars(query(document_id, level, start=start, end=end)))


def row(session: Session, document_id: int, level: str, position: int) -> models.Segment | None:
    """The document's segment at ``level`` and ``position`` as an ORM row, or None."""
    segment = models.Segment
    return session.scalars(
        select(segment).where(condition(document_id, level), segment.position == position)
    ).first()


def count(session: Session, document_id: int, level: str) -> int:
    """How many segments the document has at ``level``."""
    return (
        session.scalar(
            select(func.count()).select_from(models.Segment).where(condition(document_id, level))
        )
        or 0
    )


def exist(session: Session, document_id: int, level: str) -> bool:
    """Whether the document has any segment at ``level`` (cheaper than ``count``)."""
    segment = models.Segment
    return (
        session.scalar(select(segment.id).where(condition(document_id, level)).limit(1)) is not None
    )
