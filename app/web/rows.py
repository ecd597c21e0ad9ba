"""What the review templates show: beads joined with their texts, and display formats.

The web layer does not know how the aligner scores; it shows the combined similarity and
whatever component scores a bead carries, by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.formats.base import as_utc
from app.store import models
from app.store.queries import SegmentText

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
    """One bead, its position (the pair number), and the segments it covers on each side."""

    position: int
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

    @property
    def flags(self) -> list[tuple[str, str]]:
        return flag_messages(self.bead)


def bead_rows(
    beads: Iterable[tuple[int, models.Bead]],
    source: Mapping[int, SegmentText],
    target: Mapping[int, SegmentText],
) -> list[BeadRow]:
    """Join (position, bead) pairs with their segments, given by position on each side."""
    return [
        BeadRow(
            position=position,
            bead=bead,
            source=[source[k] for k in range(bead.src_start, bead.src_end) if k in source],
            target=[target[k] for k in range(bead.tgt_start, bead.tgt_end) if k in target],
        )
        for position, bead in beads
    ]


def covered_positions(
    beads: Iterable[tuple[int, models.Bead]],
) -> tuple[list[int], list[int]]:
    """The source and target segment positions the beads cover."""
    source: list[int] = []
    target: list[int] = []
    for _, bead in beads:
        source.extend(range(bead.src_start, bead.src_end))
        target.extend(range(bead.tgt_start, bead.tgt_end))
    return source, target


# A check whose flag says again what another check's flag says more precisely: shown only
# when that other check did not flag the pair ("likely omission" already says the
# translation is empty).
SAID_BY: dict[str, str] = {"empty": "omission"}


def flag_messages(bead: models.Bead) -> list[tuple[str, str]]:
    """The QA flags of a bead as (check, message), each finding once; tolerant of flags
    without either."""
    flags = bead.flags if isinstance(bead.flags, list) else []
    found = [
        (str(flag.get("check", "")), str(flag.get("message", "")))
        for flag in flags
        if isinstance(flag, dict)
    ]
    checks = {check for check, _ in found}
    shown: list[tuple[str, str]] = []
    for check, message in found:
        if SAID_BY.get(check) in checks or (check, message) in shown:
            continue
        shown.append((check, message))
    return shown


# A value no real id takes, replaced by "{}" to make a pattern for str.format.
_SENTINEL = 987654321


def url_pattern(endpoint: str, name: str, **values: Any) -> str:
    """The URL of ``endpoint`` with ``name`` left as "{}", built once for a page of beads.

    Building one URL per bead and form with url_for costs more than the rest of the page.
    """
    from flask import url_for

    return url_for(endpoint, **{name: _SENTINEL}, **values).replace(str(_SENTINEL), "{}")
