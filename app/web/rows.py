"""What the review templates show: beads joined with their texts, and display formats.

The web layer does not know how the aligner scores; it shows the combined similarity and
whatever component scores a bead carries, by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.formats.base import as_utc
from app.store import models
from app.web.queries import SegmentText

# Lower bounds of the colour bands, highest first.
BANDS: tuple[tuple[float, str], ...] = ((0.8, "high"), (0.5, "mid"), (0.0, "low"))


def similarity_band(similarity: float | None) -> str:
    """Return the colour band of a similarity: high, mid, low, or none for one-sided beads."""
    if similarity is None:
        return "none"
    for lower, band in BANDS:
        if similarity >= lower:
            return band
    return "low"


def format_score(value: Any) -> str:
    """Return a score with two decimals, or a dash when there is none (or it is not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    return f"{value:.2f}"


def format_utc(moment: datetime | None) -> str:
    return "" if moment is None else as_utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def iso_utc(moment: datetime | None) -> str:
    return "" if moment is None else as_utc(moment).isoformat()


@dataclass(frozen=True)
class BeadRow:
    """One bead with the segments it covers on each side."""

    bead: models.Bead
    source: list[SegmentText]
    target: list[SegmentText]

    @property
    def shape(self) -> str:
        return f"{len(self.source)}-{len(self.target)}"

    @property
    def only_in(self) -> str | None:
        """Which side a one-sided bead has text on: "original", "translation", or None."""
        if not self.target and self.source:
            return "original"
        if not self.source and self.target:
            return "translation"
        return None

    @property
    def two_sided(self) -> bool:
        return bool(self.source) and bool(self.target)

    @property
    def band(self) -> str:
        return similarity_band(self.bead.similarity)


def bead_rows(
    beads: Iterable[models.Bead], source: list[SegmentText], target: list[SegmentText]
) -> list[BeadRow]:
    return [
        BeadRow(
            bead=bead,
            source=source[bead.src_start : bead.src_end],
            target=target[bead.tgt_start : bead.tgt_end],
        )
        for bead in beads
    ]
