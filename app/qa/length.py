"""Length ratio far from what this alignment's language pair shows elsewhere.

The expected ratio is learned from the alignment itself: the median of log(target length /
source length) over its two-sided pairs, with the median absolute deviation as spread, so
Spanish → English (shorter) and English → German (longer) need no table. A pair far
outside is likely missing or adding a sentence.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator, Sequence

from app.qa.base import Check, QaPair

MIN_CHARS = 40
"""Short texts vary too much in length to say anything (a heading, a caption)."""

MIN_PAIRS = 8
"""Below this many measurable pairs nothing is learned and the defaults hold."""

DEFAULT_SPREAD = 0.15
MIN_SPREAD = 0.08
"""Spread of log ratios assumed without enough pairs, and the least one trusted."""

DEVIATIONS = 3.0
MIN_DEVIATION = math.log(1.3)
"""A pair is flagged when more than DEVIATIONS spreads and 30 % away from the expected."""


def log_ratio(pair: QaPair) -> float | None:
    """Return log(target length / source length), or None when the pair is too short."""
    source, target = len(pair.source.strip()), len(pair.target.strip())
    if max(source, target) < MIN_CHARS or min(source, target) == 0:
        return None
    return math.log(target / source)


class LengthRatioCheck(Check):
    """Flags pairs whose length ratio is an outlier for this alignment."""

    check_id = "length"
    description = "the target is much longer or shorter than expected"

    def __init__(self) -> None:
        self.expected = 0.0
        self.spread = DEFAULT_SPREAD

    def learn(self, pairs: Sequence[QaPair]) -> None:
        """Learn the median log ratio and its spread (scaled MAD) from the two-sided pairs."""
        ratios = [r for pair in pairs if pair.two_sided and (r := log_ratio(pair)) is not None]
        if len(ratios) < MIN_PAIRS:
            return
        self.expected = statistics.median(ratios)
        # 1.4826 × MAD estimates the standard deviation, unmoved by the outliers we look for.
        mad = statistics.median(abs(r - self.expected) for r in ratios)
        self.spread = max(1.4826 * mad, MIN_SPREAD)

    def problems(self, pair: QaPair) -> Iterator[str]:
        ratio = log_ratio(pair)
        if ratio is None:
            return
        deviation = ratio - self.expected
        if abs(deviation) > max(DEVIATIONS * self.spread, MIN_DEVIATION):
            factor = math.exp(abs(deviation))
            direction = "longer" if deviation > 0 else "shorter"
            yield (
                f"the target is {factor:.1f}× {direction} than this alignment's pairs suggest "
                "(a sentence added or missing?)"
            )
