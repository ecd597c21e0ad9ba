"""Machine translation then chrF: translate one side with Apertium, compare with the other.

Every segment is translated once, in one batch, when the scorer is prepared; a run's
translation is its segments' translations joined. The comparison is sacrebleu's chrF
(``chrf.chrf`` on n-gram counts extracted once per run), with the translation as the
hypothesis and the other side as the reference.
"""

from __future__ import annotations

from collections import Counter

from app.align import mt as apertium
from app.align.runs import Side
from app.align.scorers.base import Scorer
from app.align.scorers.chrf import CHAR_ORDER, chrf
from app.segments import Segment


class MtScorer(Scorer):
    name = "mt"

    def __init__(self, mode: str, translates: str = "source") -> None:
        if translates not in ("source", "target"):
            raise ValueError(f"translates must be 'source' or 'target', not {translates!r}")
        self.mode = mode
        self.translates = translates
        self._hyp: dict[tuple[int, int], list[Counter]] = {}
        self._ref: dict[tuple[int, int], list[Counter]] = {}

    def prepare(self, src: Side, tgt: Side, max_run: int) -> None:
        from app.align.scorers.chrf import _run_ngrams

        original, other = (src, tgt) if self.translates == "source" else (tgt, src)
        translated = apertium.translate([s.text for s in original.segments], self.mode)
        translation = Side(tuple(Segment(t) for t in translated), other.language)
        self._hyp = _run_ngrams(translation, max_run)
        self._ref = _run_ngrams(other, max_run)

    def score(self, src: Side, s0: int, s1: int, tgt: Side, t0: int, t1: int) -> float | None:
        if self.translates == "source":
            return chrf(self._hyp[(s0, s1)], self._ref[(t0, t1)])
        return chrf(self._hyp[(t0, t1)], self._ref[(s0, s1)])

    def describe(self) -> dict[str, object]:
        return {"apertium": self.mode, "translates": self.translates, "char_order": CHAR_ORDER}
