"""Character n-gram F-score between the two sides: chrF as sacrebleu defines it.

Across languages chrF mostly rewards what survives translation unchanged: names,
numbers, cognates. It is a weak signal alone and a useful one beside the others.

sacrebleu's ``sentence_score`` re-extracts the n-grams of both texts on every call; a
search compares each run with dozens of candidates, so the n-gram counts of every run
are extracted once (with sacrebleu's own helper) and the score is computed from them
with sacrebleu's default settings (character order 6, beta 2, no word n-grams). A test
checks the result against ``sentence_score``.
"""

from __future__ import annotations

from collections import Counter

from sacrebleu.metrics.helpers import extract_all_char_ngrams

from app.align.runs import Side
from app.align.scorers.base import Scorer

CHAR_ORDER = 6
BETA = 2.0
EPSILON = 1e-16


def chrf(hypothesis: list[Counter], reference: list[Counter]) -> float:
    """chrF in [0, 1] from per-order n-gram counts of the two texts."""
    precision_sum = recall_sum = 0.0
    effective_order = 0
    for hyp, ref in zip(hypothesis, reference, strict=True):
        hyp_total, ref_total = sum(hyp.values()), sum(ref.values())
        if not hyp_total or not ref_total:
            continue
        matches = sum(min(count, ref[gram]) for gram, count in hyp.items() if gram in ref)
        precision_sum += matches / hyp_total
        recall_sum += matches / ref_total
        effective_order += 1
    if effective_order == 0:
        return 0.0
    precision = precision_sum / effective_order
    recall = recall_sum / effective_order
    beta2 = BETA**2
    denominator = beta2 * precision + recall
    return (1 + beta2) * precision * recall / denominator if denominator > EPSILON else 0.0


class ChrfScorer(Scorer):
    name = "chrf"

    def __init__(self) -> None:
        self._src: dict[tuple[int, int], list[Counter]] = {}
        self._tgt: dict[tuple[int, int], list[Counter]] = {}

    def prepare(self, src: Side, tgt: Side, max_run: int) -> None:
        self._src = _run_ngrams(src, max_run)
        self._tgt = _run_ngrams(tgt, max_run)

    def score(self, src: Side, s0: int, s1: int, tgt: Side, t0: int, t1: int) -> float | None:
        return chrf(self._src[(s0, s1)], self._tgt[(t0, t1)])

    def describe(self) -> dict[str, object]:
        return {"char_order": CHAR_ORDER, "beta": BETA, "word_order": 0}


def _run_ngrams(side: Side, max_run: int) -> dict[tuple[int, int], list[Counter]]:
    return {
        (start, end): extract_all_char_ngrams(side.run_text(start, end), CHAR_ORDER)
        for start in range(len(side))
        for end in range(start + 1, min(start + max_run, len(side)) + 1)
    }
