"""Length agreement: Gale and Church's character-length model.

A translation's length is roughly proportional to the original's. The expected ratio is
taken from the two documents themselves (total target characters over total source
characters), so the scorer needs no table per language pair.
"""

from __future__ import annotations

import math

from app.align.runs import Side
from app.align.scorers.base import Scorer

# Variance of target length per source character; Gale & Church (1993) measured 6.8
# on English-French-German parliamentary text.
VARIANCE_PER_CHAR = 6.8
LOG_FLOOR = 10.0


class LengthScorer(Scorer):
    name = "length"

    def __init__(self) -> None:
        self.ratio = 1.0

    def prepare(self, src: Side, tgt: Side, max_run: int) -> None:
        src_total = src.run_chars(0, len(src))
        tgt_total = tgt.run_chars(0, len(tgt))
        self.ratio = tgt_total / src_total if src_total and tgt_total else 1.0

    def score(self, src: Side, s0: int, s1: int, tgt: Side, t0: int, t1: int) -> float | None:
        probability = self.probability(src.run_chars(s0, s1), tgt.run_chars(t0, t1))
        # On a log scale, so that 1e-3 and 1e-9 stay far apart: 1.0 for a perfect
        # match, 0.0 for a probability of e^-10 or less.
        return 1.0 + max(math.log(max(probability, 1e-300)), -LOG_FLOOR) / LOG_FLOOR

    def probability(self, src_chars: int, tgt_chars: int) -> float:
        """Two-tailed probability of a length difference at least this large."""
        mean_length = (src_chars + tgt_chars / self.ratio) / 2
        if mean_length == 0:
            return 1.0
        delta = (tgt_chars - src_chars * self.ratio) / math.sqrt(mean_length * VARIANCE_PER_CHAR)
        return math.erfc(abs(delta) / math.sqrt(2))

    def describe(self) -> dict[str, object]:
        return {"ratio": round(self.ratio, 4), "variance_per_char": VARIANCE_PER_CHAR}
