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
        lo = np.floor(centre - width).astype(np.int64)
        hi = np.ceil(centre + width).astype(np.int64)
        return cls.valid(lo, hi, m)

    @classmethod
    def valid(cls, lo: np.ndarray, hi: np.ndarray, m: int) -> Band:
        """The band ``lo..hi`` per row, widened so that the corners and every step
        between neighbouring rows stay reachable."""
        lo = np.clip(np.asarray(lo, dtype=np.int64), 0, m)
        hi = np.clip(np.asarray(hi, dtype=np.int64), 0, m)
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


# Gains are asked for in blocks of rows holding about this many cells: one call per
# shape and block instead of one per shape and row, so the numpy work per call is large
# enough to outweigh Python's overhead, and the arrays a feature gathers stay small.
BLOCK_CELLS = 4096


def search(
    n: int,
    m: int,
    moves: Sequence[tuple[int, int]],
    gain: GainFunction,
    band: Band,
    block_cells: int = BLOCK_CELLS,
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The best monotone path from (0, 0) to (n, m), as ((s0, s1), (t0, t1)) spans."""
    two_sided = [(a, b) for a, b in moves if a and b]
    omission = (1, 0) in moves
    width = int(np.max(band.hi - band.lo)) + 1
    best = np.full((n + 1, width), NEG)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    codes = {move: k for k, move in enumerate([(0, 1), (1, 0), *two_sided])}
    block = _Block.empty()

    for i in range(n + 1):
        if i >= block.end:
            block = _Block.gains(band, i, block_cells, two_sided, gain)
        lo, hi = band.lo[i], band.hi[i]
        cols = np.arange(lo, hi + 1)
        row = np.full(cols.size, NEG)
        row_back = np.full(cols.size, -1, dtype=np.int8)
        if i == 0:
            row[cols == 0] = 0.0
        if omission and i >= 1:
            _consider(row, row_back, _previous(best, band, i - 1, lo, cols.size), codes[(1, 0)])
        for a, b in two_sided:
            if i < a:
                continue
            values = _previous(best, band, i - a, lo - b, cols.size) + block.row(i, (a, b))
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


@dataclass(frozen=True)
class _Block:
    """The gains of every move into the cells of rows [start, end), row after row."""

    start: int
    end: int
    offsets: np.ndarray  # where each row's cells begin in the flat arrays
    values: dict[tuple[int, int], np.ndarray]

    @classmethod
    def empty(cls) -> _Block:
        return cls(0, 0, np.zeros(1, dtype=np.int64), {})

    @classmethod
    def gains(cls, band: Band, start: int, block_cells: int, moves, gain) -> _Block:
        widths = band.hi - band.lo + 1
        cumulative = np.cumsum(widths[start:])
        end = start + max(1, int(np.searchsorted(cumulative, block_cells, side="right")))
        end = min(end, widths.size)
        offsets = np.concatenate([[0], np.cumsum(widths[start:end])])
        rows = np.repeat(np.arange(start, end), widths[start:end])
        cols = np.arange(offsets[-1]) - np.repeat(offsets[:-1], widths[start:end])
        cols += np.repeat(band.lo[start:end], widths[start:end])
        values = {}
        for a, b in moves:
            # Only cells whose bead starts inside the band of an earlier row.
            before = np.maximum(rows - a, 0)
            usable = (rows >= a) & (cols - b >= band.lo[before]) & (cols - b <= band.hi[before])
            out = np.full(rows.size, NEG)
            if usable.any():
                out[usable] = gain(a, b, rows[usable], cols[usable])
            values[(a, b)] = out
        return cls(start, end, offsets, values)

    def row(self, i: int, move: tuple[int, int]) -> np.ndarray:
        k = i - self.start
        return self.values[move][self.offsets[k] : self.offsets[k + 1]]


def _previous(best: np.ndarray, band: Band, row: int, first: int, count: int) -> np.ndarray:
    """best[row, first : first + count], with -inf where a column lies outside that
    row's band (the columns are contiguous, so the inside ones are one slice)."""
    lo, hi = band.lo[row], band.hi[row]
    values = np.full(count, NEG)
    start, end = max(first, lo), min(first + count - 1, hi)
    if start <= end:
        values[start - first : end - first + 1] = best[row, start - lo : end - lo + 1]
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


def canonical_order(spans):
    """Within a run of one-sided beads, put omissions (source only) before insertions.

    Any order of adjacent one-sided beads covers the same segments; one canonical
    order makes alignments comparable with each other and with gold standards.
    """
    ordered, run = [], []
    for span in [*spans, None]:
        if span is not None and (span[0][0] == span[0][1] or span[1][0] == span[1][1]):
            run.append(span)
            continue
        if run:
            ordered.extend(_split_run(run))
            run = []
        if span is not None:
            ordered.append(span)
    return ordered


def _split_run(run):
    omissions = [s for s in run if s[1][0] == s[1][1]]
    insertions = [s for s in run if s[1][0] != s[1][1]]
    # Omissions sit at the run's first target position, insertions after the run's last
    # source segment, so positions stay monotone.
    t_first = min(s[1][0] for s in run)
    s_last = max(s[0][1] for s in run)
    out = [(s[0], (t_first, t_first)) for s in omissions]
    out += [((s_last, s_last), s[1]) for s in insertions]
    return out
