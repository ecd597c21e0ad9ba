"""Read-only queries the review pages need beyond ``app.services``: filtered beads, progress.

Filtering happens in SQL so that a long document's page does not load every bead to show a
handful.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from app.errors import InvalidRequest, NotFound
from app.segments import BeadStatus, SegmentKind
from app.store import models

STATUS_CHOICES = tuple(status.value for status in BeadStatus)


@dataclass(frozen=True)
class BeadFilter:
    """Which beads the alignment page shows; the default shows them all."""

    max_similarity: float | None = None
    status: BeadStatus | None = None
    one_sided: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> BeadFilter:
        """Read the filter from query parameters; raise InvalidRequest naming a bad one.

        Empty values count as absent, because a GET form sends its empty fields.
        """
        return cls(
            max_similarity=parse_threshold(args.get("max_similarity", ""), "max_similarity"),
            status=parse_status(args.get("status", "")),
            one_sided=_parse_flag(args.get("one_sided", ""), "one_sided"),
        )

    @property
    def active(self) -> bool:
        return self != BeadFilter()

    def as_args(self) -> dict[str, str]:
        """The query parameters that select this filter again."""
        args: dict[str, str] = {}
        if self.max_similarity is not None:
            args["max_similarity"] = f"{self.max_similarity:g}"
        if self.status is not None:
            args["status"] = self.status.value
        if self.one_sided:
            args["one_sided"] = "1"
        return args

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.max_similarity is not None:
            # One-sided beads have no similarity (NULL), so they never match a threshold.
            conditions.append(models.Bead.similarity < self.max_similarity)
        if self.status is not None:
            conditions.append(models.Bead.status == self.status.value)
        if self.one_sided:
            conditions.append(
                or_(
                    models.Bead.src_end == models.Bead.src_start,
                    models.Bead.tgt_end == models.Bead.tgt_start,
                )
            )
        return conditions


def parse_threshold(value: str, name: str) -> float | None:
    """Return a similarity threshold in [0, 1] from a form value, None when empty."""
    value = value.strip()
    if not value:
        return None
    try:
        threshold = float(value)
    except ValueError:
        raise InvalidRequest(f"{name} must be a number between 0 and 1, not '{value}'") from None
    # float() also accepts "nan" and "inf", which no similarity can be compared with.
    if not math.isfinite(threshold) or not 0 <= threshold <= 1:
        raise InvalidRequest(f"{name} must be a number between 0 and 1, not '{value}'")
    return threshold


def parse_status(value: str) -> BeadStatus | None:
    """Return the bead status named by a form value, None when empty."""
    value = value.strip()
    if not value:
        return None
    try:
        return BeadStatus(value)
    except ValueError:
        choices = ", ".join(STATUS_CHOICES)
        raise InvalidRequest(f"status must be one of {choices}, not '{value}'") from None


def _parse_flag(value: str, name: str) -> bool:
    value = value.strip()
    if value in ("", "0"):
        return False
    if value == "1":
        return True
    raise InvalidRequest(f"{name} must be 1 or 0, not '{value}'")


def filtered_beads(
    session: Session, alignment_id: int, bead_filter: BeadFilter
) -> list[models.Bead]:
    """The alignment's beads that pass ``bead_filter``, in document order."""
    query = (
        select(models.Bead)
        .where(models.Bead.alignment_id == alignment_id, *bead_filter.conditions())
        .order_by(models.Bead.position)
    )
    return list(session.scalars(query))


@dataclass(frozen=True)
class Progress:
    total: int
    confirmed: int
    rejected: int

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
        ).where(models.Bead.alignment_id == alignment_id)
    ).one()
    return Progress(total=row[0], confirmed=row[1], rejected=row[2])


@dataclass(frozen=True)
class SegmentText:
    kind: SegmentKind
    text: str

    @property
    def is_heading(self) -> bool:
        return self.kind is SegmentKind.HEADING


def segment_texts(session: Session, document_id: int) -> list[SegmentText]:
    """The document's segments in order, without loading the ORM objects."""
    rows = session.execute(
        select(models.Segment.kind, models.Segment.text)
        .where(models.Segment.document_id == document_id)
        .order_by(models.Segment.position)
    )
    return [SegmentText(SegmentKind(kind), text) for kind, text in rows]


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
        select(models.Bead.alignment_id, models.Bead.position).where(models.Bead.id == bead_id)
    ).first()
    if row is None:
        raise NotFound(f"there is no pair {bead_id}")
    return BeadPlace(alignment_id=row[0], position=row[1])
