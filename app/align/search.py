"""Monotone dynamic-programming search for the best sequence of beads.

A bead covers ``a`` source and ``b`` target segments, for (a, b) in the allowed moves.
The search maximises the sum of the beads' gains; a one-sided bead gains nothing, so a
two-sided bead is chosen only where its gain is positive (see ``bead_gain``).
Only cells within a band around the diagonal are visited, so time and memory grow
with ``length * band`` rather than with the product of the lengths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

BeadGain = Callable[[int, int, int, int], float]

# Paragraph level: translators split and merge paragraphs, rarely more than two at once.
DEFAULT_MOVES: tuple[tuple[int, int], ...] = ((1, 0), (0, 1), (1, 1), (1, 2), (2, 1), (2, 2))


@dataclass(frozen=True)
class SearchParams:
    moves: tuple[tuple[int, int], ...] = DEFAULT_MOVES
    skip: float = 0.35
    # Penalty per bead shape, in the same units as the gain: discourages merging
    # two good 1-1 beads into one 2-2 bead whose concatenations look just as similar.
    penalties: dict[str, float] = field(
        default_factory=lambda: {"1-2": 0.3, "2-1": 0.3, "2-2": 0.55, "1-3": 0.6, "3-1": 0.6}
    )
    min_band: int = 40

    def penalty(self, a: int, b: int) -> float:
        return self.penalties.get(f"{a}-{b}", 0.0)


@dataclass(frozen=True)
class Path:
    """The chosen beads as ((s0, s1), (t0, t1)) position ranges, in order."""

    spans: tuple[tuple[tuple[int, int], tuple[int, int]], ...]


def band_width(n: int, m: int, params: SearchParams) -> int:
    return max(params.min_band, abs(n - m) + params.min_band // 2)


def matched_size(src_chars: int, tgt_chars: int, ratio: float, unit: float) -> float:
    """The part of a bead's text that has a counterpart on the other side, in units.

    The shorter side, once the source is scaled by the documents' length ratio, bounds
    what can be a translation: text beyond it, such as a segment that translates
    nothing, adds nothing to the bead's weight.
    """
    return 2 * min(src_chars * ratio, tgt_chars) / max(unit, 1.0)


def bead_gain(similarity: float, size: float, a: int, b: int, params: SearchParams) -> float:
    """What a two-sided bead adds to the path.

    ``size`` is the bead's matched size (see ``matched_size``): a segment absorbed into a
    bead it does not translate makes the bead no heavier, so it gains the path nothing,
    while the penalty for the merged shape makes it lose. ``skip`` is the similarity
    below which leaving the segments unaligned is better.
    """
    return size * (similarity - params.skip) - params.penalty(a, b)


def search(
    n: int,
    m: int,
    gain: BeadGain,
    params: SearchParams | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Best monotone path from (0, 0) to (n, m); ``gain(s0, s1, t0, t1)`` of two-sided beads.

    ``progress(done, n)`` hears after each source segment how many have been placed.
    """
    params = params or SearchParams()
    width = band_width(n, m, params)
    best: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n + 1):
        for j in _band_columns(i, n, m, width):
            if (i, j) == (0, 0):
                continue
            choice = _best_move(i, j, best, gain, params)
            if choice is not None:
                best[(i, j)], back[(i, j)] = choice
        if progress is not None:
            progress(i, n)
    if (n, m) not in best:
        raise RuntimeError("no alignment path inside the search band")
    return Path(tuple(_trace(back, n, m)))


def _band_columns(i: int, n: int, m: int, width: int) -> Iterable[int]:
    centre = i * m / n if n else m
    low = max(0, int(centre - width))
    high = min(m, int(centre + width) + 1)
    if i == n:
        high = m  # the end cell is always reachable
    return range(low, high + 1)


def _best_move(i, j, best, gain, params):
    top: tuple[float, tuple[int, int]] | None = None
    for a, b in params.moves:
        start = (i - a, j - b)
        previous = best.get(start)
        if previous is None:
            continue
        total = previous + (0.0 if a == 0 or b == 0 else gain(i - a, i, j - b, j))
        if top is None or total > top[0]:
            top = (total, (a, b))
    return top


def _trace(back, n, m):
    spans = []
    i, j = n, m
    while (i, j) != (0, 0):
        a, b = back[(i, j)]
        spans.append(((i - a, i), (j - b, j)))
        i, j = i - a, j - b
    spans.reverse()
    return canonical_order(spans)


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
