"""How sure the model is of each chosen bead: its posterior probability.

Read a path's total score, divided by a temperature, as a log-weight: the probability of
a path is its weight over the sum of the weights of all paths in the band, and a bead's
marginal probability is the share of that sum carried by the paths that pass through
it. A bead chosen against close rivals (a 1-2 that might as well be a 1-1 and a 0-1)
gets a low marginal even when its own score is high.

The sums run over the same banded lattice as ``banded.search`` (forward-backward in log
space): a forward table of every row, then the backward pass row by row, keeping only
the few rows a move can reach. The gains of the two-sided moves are asked for once, for
every cell of the band in a few large batches (one call per row and move would cost as
much as the search itself), and kept for both passes, so memory grows with rows times
band width (times the number of moves).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.align.banded import Band, GainFunction

NEG = -np.inf
Span = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class Forward:
    """The forward table: ``alpha[i, j - band.lo[i]]`` is the log of the summed weight
    of the paths from (0, 0) to (i, j); ``gains[k, i, ...]`` the scaled gain of move
    ``two_sided[k]`` ending at (i, j) (-inf where the move cannot end there)."""

    band: Band
    two_sided: list[tuple[int, int]]
    alpha: np.ndarray
    gains: np.ndarray
    omission: bool
    insertion: bool

    @property
    def log_total(self) -> float:
        n = self.alpha.shape[0] - 1
        return float(self.alpha[n, self.band.hi[n] - self.band.lo[n]])

    def cell(self, table: np.ndarray, i: int, j: int) -> float:
        lo, hi = self.band.lo[i], self.band.hi[i]
        return float(table[i, j - lo]) if lo <= j <= hi else NEG


# Cells whose gains are asked for in one call: enough to make the call overhead
# negligible, few enough that features gathered per cell (chrF counts) stay small.
GAIN_BATCH = 4096


def forward(
    n: int,
    m: int,
    moves: Sequence[tuple[int, int]],
    gain: GainFunction,
    band: Band,
    temperature: float = 1.0,
) -> Forward:
    two_sided = [(a, b) for a, b in moves if a and b]
    gains = band_gains(n, two_sided, gain, band) / temperature
    alpha = np.full(gains.shape[1:], NEG)
    for i in range(n + 1):
        size = band.hi[i] - band.lo[i] + 1
        row = np.full(size, NEG)
        if i == 0 and band.lo[0] == 0:
            row[0] = 0.0  # every path starts at (0, 0)
        if (1, 0) in moves and i >= 1:
            row = np.logaddexp(row, _shifted(alpha, band, i - 1, i, 0))
        for k, (a, b) in enumerate(two_sided):
            if i >= a:
                row = np.logaddexp(row, _shifted(alpha, band, i - a, i, b) + gains[k, i, :size])
        if (0, 1) in moves:
            # Insertions chain along the row: alpha[j] = logaddexp(row[j], alpha[j - 1]).
            row = np.logaddexp.accumulate(row)
        alpha[i, :size] = row
    return Forward(band, two_sided, alpha, gains, (1, 0) in moves, (0, 1) in moves)


def band_gains(n: int, two_sided, gain: GainFunction, band: Band) -> np.ndarray:
    """gains[k, i, j - lo[i]]: the gain of move ``two_sided[k]`` ending at (i, j), for
    every cell of the band where it can end, asked for in a few large batches rather
    than row by row; -inf elsewhere."""
    width = int(np.max(band.hi - band.lo)) + 1
    gains = np.full((len(two_sided), n + 1, width), NEG)
    sizes = band.hi - band.lo + 1
    rows = np.repeat(np.arange(n + 1), sizes)
    offsets = np.arange(rows.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    cols = band.lo[rows] + offsets
    for k, (a, b) in enumerate(two_sided):
        start = np.maximum(rows - a, 0)
        usable = (rows >= a) & (cols - b >= band.lo[start]) & (cols - b <= band.hi[start])
        where = np.flatnonzero(usable)
        for first in range(0, where.size, GAIN_BATCH):
            chunk = where[first : first + GAIN_BATCH]
            gains[k, rows[chunk], offsets[chunk]] = gain(a, b, rows[chunk], cols[chunk])
    return gains


def marginals(
    n: int,
    m: int,
    moves: Sequence[tuple[int, int]],
    gain: GainFunction,
    band: Band,
    beads: Sequence[Span],
    temperature: float = 1.0,
) -> np.ndarray:
    """The posterior probability of each bead ((s0, s1), (t0, t1)): 0 for a bead outside
    the band or of a shape not in ``moves``."""
    table = forward(n, m, moves, gain, band, temperature)
    return bead_marginals(table, n, m, beads)


def bead_marginals(table: Forward, n: int, m: int, beads: Sequence[Span]) -> np.ndarray:
    """The backward pass, row by row from the last, reading each bead's marginal off
    when the row where it ends is done."""
    log_total = table.log_total
    out = np.zeros(len(beads))
    ending: dict[int, list[int]] = {}
    for index, ((_, s1), _) in enumerate(beads):
        ending.setdefault(s1, []).append(index)
    reach = max([1, *(a for a, _ in table.two_sided)])
    later: dict[int, np.ndarray] = {}
    for i in range(n, -1, -1):
        later[i] = beta = _backward_row(table, later, i, n, m)
        later.pop(i + reach, None)
        for index in ending.get(i, ()):
            out[index] = _marginal(table, beads[index], beta, log_total)
    return out


def _backward_row(table: Forward, later: dict[int, np.ndarray], i: int, n: int, m: int):
    """beta[i]: the log of the summed weight of the paths from (i, j) to (n, m)."""
    band = table.band
    row = np.full(band.hi[i] - band.lo[i] + 1, NEG)
    if i == n:
        row[m - band.lo[n]] = 0.0
    if table.omission and i < n:
        row = np.logaddexp(row, _shifted_row(later[i + 1], band, i + 1, i, 0))
    for k, (a, b) in enumerate(table.two_sided):
        if i + a <= n:
            # The move from (i, j) ends at (i + a, j + b): its gain and what follows.
            onward = later[i + a] + table.gains[k, i + a, : later[i + a].size]
            row = np.logaddexp(row, _shifted_row(onward, band, i + a, i, -b))
    if table.insertion:
        # beta[j] = logaddexp(row[j], beta[j + 1]): the same chain, right to left.
        row = np.logaddexp.accumulate(row[::-1])[::-1]
    return row


def _marginal(table: Forward, bead: Span, beta: np.ndarray, log_total: float) -> float:
    (s0, s1), (t0, t1) = bead
    a, b = s1 - s0, t1 - t0
    if a and b:
        if (a, b) not in table.two_sided:
            return 0.0
        edge = table.cell(table.gains[table.two_sided.index((a, b))], s1, t1)
    elif (a, b) in ((1, 0), (0, 1)):
        usable = table.omission if a else table.insertion
        edge = 0.0 if usable else NEG
    else:
        return 0.0
    band = table.band
    if not band.lo[s1] <= t1 <= band.hi[s1]:
        return 0.0
    total = table.cell(table.alpha, s0, t0) + edge + float(beta[t1 - band.lo[s1]]) - log_total
    return float(np.exp(min(total, 0.0))) if np.isfinite(total) else 0.0


def _shifted(table: np.ndarray, band: Band, source: int, target: int, b: int) -> np.ndarray:
    return _shifted_row(table[source], band, source, target, b)


def _shifted_row(values: np.ndarray, band: Band, source: int, target: int, b: int):
    """For each column j of row ``target``'s band, the value of row ``source`` (stored
    from its band's first column) at column j - b; -inf outside that row's band."""
    size = band.hi[target] - band.lo[target] + 1
    shift = band.lo[target] - b - band.lo[source]
    valid = band.hi[source] - band.lo[source] + 1
    out = np.full(size, NEG)
    first, last = max(0, -shift), min(size, valid - shift)
    if first < last:
        out[first:last] = values[first + shift : last + shift]
    return out
