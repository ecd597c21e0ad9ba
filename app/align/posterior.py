"""How sure the model is of each chosen bead: its posterior probability.

Read a path's total score, divided by a temperature, as a log-weight: the probability of
a path is its weight over the sum of the weights of all paths in the band, and a bead's
marginal probability is the share of that sum carried by the paths that pass through
it. A bead chosen against close rivals (a 1-2 that might as well be a 1-1 and a 0-1)
gets a low marginal even when its own score is high.

The sums run over the same banded lattice as ``banded.search`` (forward-backward in log
space): a forward table of every row, then the backward pass row by row, keeping only
the few rows a move can reach. The gains of the two-sided moves are computed once, in
the forward pass, and kept for the backward one, so memory grows with rows times band
width (times the number of moves).
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


def forward(
    n: int,
    m: int,
    moves: Sequence[tuple[int, int]],
    gain: GainFunction,
    band: Band,
    temperature: float = 1.0,
) -> Forward:
    two_sided = [(a, b) for a, b in moves if a and b]
    width = int(np.max(band.hi - band.lo)) + 1
    alpha = np.full((n + 1, width), NEG)
    gains = np.full((len(two_sided), n + 1, width), NEG)
    for i in range(n + 1):
        cols = np.arange(band.lo[i], band.hi[i] + 1)
        row = np.full(cols.size, NEG)
        if i == 0:
            row[cols == 0] = 0.0
        if (1, 0) in moves and i >= 1:
            row = np.logaddexp(row, _row_values(alpha, band, i - 1, cols))
        for k, (a, b) in enumerate(two_sided):
            if i < a:
                continue
            previous = _row_values(alpha, band, i - a, cols - b)
            usable = np.isfinite(previous)
            if not usable.any():
                continue
            scaled = np.full(cols.size, NEG)
            scaled[usable] = gain(a, b, np.full(int(usable.sum()), i), cols[usable]) / temperature
            gains[k, i, : cols.size] = scaled
            row = np.logaddexp(row, previous + scaled)
        if (0, 1) in moves:
            # Insertions chain along the row: alpha[j] = logaddexp(row[j], alpha[j - 1]).
            row = np.logaddexp.accumulate(row)
        alpha[i, : cols.size] = row
    return Forward(band, two_sided, alpha, gains, (1, 0) in moves, (0, 1) in moves)


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
    cols = np.arange(band.lo[i], band.hi[i] + 1)
    row = np.full(cols.size, NEG)
    if i == n:
        row[cols == m] = 0.0
    if table.omission and i < n:
        row = np.logaddexp(row, _read(later[i + 1], band, i + 1, cols))
    for k, (a, b) in enumerate(table.two_sided):
        if i + a > n:
            continue
        ends = cols + b
        onward = _read(later[i + a], band, i + a, ends)
        edge = _read(table.gains[k, i + a], band, i + a, ends)
        row = np.logaddexp(row, onward + edge)
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


def _row_values(table: np.ndarray, band: Band, row: int, cols: np.ndarray) -> np.ndarray:
    return _read(table[row], band, row, cols)


def _read(values: np.ndarray, band: Band, row: int, cols: np.ndarray) -> np.ndarray:
    """values[cols - lo] for a row stored from its band's first column, -inf where a
    column lies outside the band."""
    lo, hi = band.lo[row], band.hi[row]
    inside = (cols >= lo) & (cols <= hi)
    out = np.full(cols.size, NEG)
    out[inside] = values[cols[inside] - lo]
    return out
