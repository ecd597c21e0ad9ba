"""Plain data shared by every layer: segments, beads and exported pairs.

Nothing here knows about the database, Flask or a file format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class SegmentKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"


class BeadStatus(StrEnum):
    AUTOMATIC = "automatic"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Segment:
    """One unit of a document at paragraph level: a heading or a paragraph."""

    text: str
    kind: SegmentKind = SegmentKind.PARAGRAPH


@dataclass(frozen=True)
class BeadSpan:
    """A run of source segments aligned with a run of target segments.

    Positions are half-open ranges over each document's segment list; an empty
    range on one side makes a one-sided bead (omission or insertion).
    """

    src_start: int
    src_end: int
    tgt_start: int
    tgt_end: int
    similarity: float | None = None
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def shape(self) -> str:
        return f"{self.src_end - self.src_start}-{self.tgt_end - self.tgt_start}"

    @property
    def one_sided(self) -> bool:
        return self.src_start == self.src_end or self.tgt_start == self.tgt_end


@dataclass(frozen=True)
class PairRecord:
    """One bilingual pair as exporters see it."""

    position: int
    source: str
    target: str
    similarity: float | None
    status: BeadStatus
    note: str | None = None
    changed_at: datetime | None = None
