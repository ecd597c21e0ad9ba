"""Re-aligning the unconfirmed stretches of an alignment, keeping every confirmed bead."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.review.beads import CONFIRMED, BeadState, Edit

# Aligns src[s0:s1] with tgt[t0:t1]; returns beads whose ranges are relative to those slices.
AlignGap = Callable[[int, int, int, int], list[BeadState]]


@dataclass(frozen=True)
class Gap:
    """A run of unconfirmed beads ``[first, stop)`` and the segments they cover."""

    first: int
    stop: int
    src: tuple[int, int]
    tgt: tuple[int, int]


def unconfirmed_gaps(beads: Sequence[BeadState]) -> list[Gap]:
    """The maximal runs of beads that are not confirmed, in document order."""
    gaps: list[Gap] = []
    start: int | None = None
    for index, bead in enumerate([*beads, None]):
        if bead is not None and bead.status != CONFIRMED:
            start = index if start is None else start
            continue
        if start is not None:
            first, last = beads[start], beads[index - 1]
            gaps.append(
                Gap(start, index, (first.src_start, last.src_end), (first.tgt_start, last.tgt_end))
            )
            start = None
    return gaps


def realign_gaps(beads: Sequence[BeadState], align_gap: AlignGap) -> list[Edit]:
    """One Edit per unconfirmed run whose new beads differ, positions as in ``beads``.

    Edits are listed last first, so applying them in order never moves a later one.
    """
    edits: list[Edit] = []
    for gap in reversed(unconfirmed_gaps(beads)):
        before = tuple(beads[gap.first : gap.stop])
        after = tuple(
            _offset(bead, gap.src[0], gap.tgt[0]) for bead in align_gap(*gap.src, *gap.tgt)
        )
        # A bead the aligner draws again keeps its review fields (a rejection, a note).
        kept = {(b.src_start, b.src_end, b.tgt_start, b.tgt_end): b for b in before}
        after = tuple(kept.get(_key(bead), bead) for bead in after)
        if after != before:
            edits.append(Edit(gap.first, before, after))
    return edits


def _offset(bead: BeadState, src: int, tgt: int) -> BeadState:
    return BeadState(
        src_start=bead.src_start + src,
        src_end=bead.src_end + src,
        tgt_start=bead.tgt_start + tgt,
        tgt_end=bead.tgt_end + tgt,
        similarity=bead.similarity,
        scores=dict(bead.scores),
    )


def _key(bead: BeadState) -> tuple[int, int, int, int]:
    return (bead.src_start, bead.src_end, bead.tgt_start, bead.tgt_end)
