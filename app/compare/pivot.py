"""Lining several pair alignments up on their common original.

Each version is aligned to the original on its own, so each has its own beads: one
version may pair original paragraphs 3-4 with one paragraph of its own where another
pairs them one by one. A pivot row is the smallest run of original segments that no
version's bead crosses; every version's beads inside that run form its cell. So the
rows tile the original, and each version's text appears exactly once, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


class Span(Protocol):
    """A bead as the pivot needs it: a run of original segments with a run of the version's."""

    src_start: int
    src_end: int
    tgt_start: int
    tgt_end: int


@dataclass(frozen=True)
class Cell:
    """One version's part of a pivot row: its segments ``[start, end)`` and the beads
    (indices into that version's bead list) that hold them."""

    start: int
    end: int
    beads: tuple[int, ...]

    @property
    def empty(self) -> bool:
        return self.start == self.end


@dataclass(frozen=True)
class PivotRow:
    """Original segments ``[src_start, src_end)`` and each version's cell, in version order."""

    src_start: int
    src_end: int
    cells: tuple[Cell, ...] = field(default_factory=tuple)


def cut_points(original_length: int, versions: Sequence[Sequence[Span]]) -> list[int]:
    """The positions of the original where a row may start: 0, the end, and every
    position that is a bead boundary (or no bead's inside) in every version."""
    crossed = [False] * (original_length + 1)
    for beads in versions:
        for bead in beads:
            for inside in range(bead.src_start + 1, min(bead.src_end, original_length + 1)):
                crossed[inside] = True
    return [p for p in range(original_length + 1) if not crossed[p]]


def build_pivot(original_length: int, versions: Sequence[Sequence[Span]]) -> list[PivotRow]:
    """The pivot rows of an original of ``original_length`` segments against each version's
    beads (in the beads' order).

    A bead with no original segment (text the version added) joins the row at whose
    position it stands; one at the very end joins the last row. An empty original makes
    one row holding every version's whole text.
    """
    cuts = cut_points(original_length, versions)
    bounds = list(zip(cuts, cuts[1:], strict=False)) or [(0, original_length)]
    row_of_start = {start: k for k, (start, _end) in enumerate(bounds)}
    cells: list[list[Cell]] = [[] for _ in bounds]
    for beads in versions:
        members: list[list[int]] = [[] for _ in bounds]
        row = 0
        for index, bead in enumerate(beads):
            row = _row_for(bead.src_start, row, bounds, row_of_start)
            members[row].append(index)
        for k, held in enumerate(members):
            if held:
                first, last = beads[held[0]], beads[held[-1]]
                cells[k].append(Cell(first.tgt_start, last.tgt_end, tuple(held)))
            else:
                # Nothing of this version here: an empty cell at the version's current point.
                at = _position_before(beads, members, k)
                cells[k].append(Cell(at, at, ()))
    return [
        PivotRow(start, end, tuple(row_cells))
        for (start, end), row_cells in zip(bounds, cells, strict=True)
    ]


def _row_for(src_start: int, current: int, bounds: list[tuple[int, int]], starts: dict) -> int:
    """The row holding a bead that starts at ``src_start``; rows only move forward."""
    if src_start in starts:
        return max(current, starts[src_start])
    while current + 1 < len(bounds) and bounds[current][1] <= src_start:
        current += 1
    return current


def _position_before(beads: Sequence[Span], members: list[list[int]], row: int) -> int:
    """Where the version stands at row ``row``: the end of its last bead in an earlier row."""
    for earlier in range(row - 1, -1, -1):
        if members[earlier]:
            return beads[members[earlier][-1]].tgt_end
    return 0
