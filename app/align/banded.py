"""A vectorised monotone alignment search inside a band of columns per row.

Row ``i`` of the table stands for "the first ``i`` source segments are aligned", column
``j`` for "the first ``j`` target segments are". Each row keeps only the columns
``[lo[i], hi[i]]``, so time and memory grow with ``rows * band width``, never with the
product of the two lengths.

Gains follow ``search.py``: one-sided beads gain nothing, so the insertion move (0-1)
is a running maximum along a row, and every other move reads only earlier rows. That
lets each row be computed with a handful of numpy operations.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

NEG = -np.inf

# gain(a, b, rows, cols) -> gains of the beads ending at cells (rows[k], cols[k]) that
# cover source [rows-a, rows) and target [cols-b, cols); only called with a, b >= 1.
GainFunction = Callable[[int, int, np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Band:
    """Inclusive column bounds per row, rows 0..n."""

    lo: np.ndarray
    hi: np.ndarray

    @classmethod
    def around(cls, centre: np.ndarray, width: int, m: int) -> Band:
        """Columns within ``width`` of ``centre[i]``, widened so that the corners and
        every step between neighbouring rows stay reachable."""
        lo = np.clip(np.floor(centre - width).astype(np.int64), 0, m)
        hi = np.clip(np.ceil(centre + width).astype(np.int64), 0, m)
        lo[0], hi[-1] = 0, m
        # A row must overlap the next one, or no path could pass from one to the other.
        lo = np.minimum.accumulate(lo[::-1])[::-1]
        hi = np.maximum.accumulate(hi)
        hi[:-1] = np.maximum(hi[:-1], lo[1:])
        return cls(lo, hi)

    @classmethod
    def diagonal(cls, n: int, m: int, width: int) -> Band:
        centre = np.arange(n + 1) * (m / n if n else 0.0)
        return cls.around(centre, width, m)

    @property
    def cells(self) -> int:
        return int(np.sum(self.hi - self.lo + 1))


def search(
    n: int,
    m: int,
    moves: Sequence[tuple[int, int]],
    gain: GainFunction,
    band: Band,
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The best monotone path from (0, 0) to (n, m), as ((s0, s1), (t0, t1)) spans."""
    two_sided = [(a, b) for a, b in moves if a and b]
    omission = (1, 0) in moves
    width = int(np.max(band.hi - band.lo)) + 1
    best = np.full((n + 1, width), NEG)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    codes = {move: k for k, move in enumerate([(0, 1), (1, 0), *two_sided])}

    for i in range(n + 1):
        lo, hi = band.lo[i], band.hi[i]
        cols = np.arange(lo, hi + 1)
        row = np.full(cols.size, NEG)
        row_back = np.full(cols.size, -1, dtype=np.int8)
        if i == 0:
            row[cols == 0] = 0.0
        if omission and i >= 1:
            _consider(row, row_back, _previous(best, band, i - 1, cols), codes[(1, 0)])
        for a, b in two_sided:
            if i < a:
                continue
            previous = _previous(best, band, i - a, cols - b)
            usable = np.isfinite(previous)
            if not usable.any():
                continue
            values = np.full(cols.size, NEG)
            values[usable] = previous[usable] + gain(
                a, b, np.full(int(usable.sum()), i), cols[usable]
            )
            _consider(row, row_back, values, codes[(a, b)])
        if (0, 1) in moves:
            running = np.maximum.accumulate(row)
            from_left = running > row
            row_back[from_left] = codes[(0, 1)]
            row = running
        best[i, : cols.size] = row
        back[i, : cols.size] = row_back

    if not np.isfinite(best[n, m - band.lo[n]]):
        raise RuntimeError("no alignment path inside the search band")
    return _trace(back, band, n, m, {k: move for move, k in codes.items()})


def _previous(best: np.ndarray, band: Band, row: int, cols: np.ndarray) -> np.ndarray:
    """best[row, cols], with -inf where a column lies outside that row's band."""
    lo, hi = band.lo[row], band.hi[row]
    inside = (cols >= lo) & (cols <= hi)
    values = np.full(cols.size, NEG)
    values[inside] = best[row, cols[inside] - lo]
    return values


def _consider(row: np.ndarray, row_back: np.ndarray, values: np.ndarray, code: int) -> None:
    better = values > row
    row[better] = values[better]
    row_back[better] = code


def _trace(back, band, n, m, moves):
    spans = []
    i, j = n, m
    while (i, j) != (0, 0):
        a, b = moves[int(back[i, j - band.lo[i]])]
        spans.append(((i - a, i), (j - b, j)))
        i, j = i - a, j - b
    spans.reverse()
    return spans
