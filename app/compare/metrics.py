"""sacrebleu's chrF, BLEU and TER between two versions in one language.

One version serves as the reference and the other as the hypothesis; chrF and BLEU are
not symmetric, so the pair's order is kept everywhere (the earlier version is the
reference). Sentence scores use sacrebleu's sentence-level smoothing (BLEU's "exp"
default plus ``effective_order``); corpus scores come with their signatures, which say
how to reproduce them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from sacrebleu.metrics import BLEU, CHRF, TER

# The metric objects keep caches between calls; one set per thread (the web server's
# threads score rows at the same time).
_local = threading.local()


def _metrics() -> tuple[CHRF, BLEU, TER]:
    if not hasattr(_local, "sentence"):
        _local.sentence = (CHRF(), BLEU(effective_order=True), TER())
    return _local.sentence


def _corpus_metrics() -> tuple[CHRF, BLEU, TER]:
    return CHRF(), BLEU(), TER()


@dataclass(frozen=True)
class PairScores:
    chrf: float
    bleu: float
    ter: float

    def as_dict(self) -> dict[str, float]:
        return {"chrf": self.chrf, "bleu": self.bleu, "ter": self.ter}


def sentence_scores(reference: str, hypothesis: str) -> PairScores:
    """The three scores of one row; two empty cells agree fully."""
    if not reference.strip() and not hypothesis.strip():
        return PairScores(100.0, 100.0, 0.0)
    chrf, bleu, ter = _metrics()
    return PairScores(
        round(chrf.sentence_score(hypothesis, [reference]).score, 2),
        round(bleu.sentence_score(hypothesis, [reference]).score, 2),
        round(ter.sentence_score(hypothesis, [reference]).score, 2),
    )


@dataclass(frozen=True)
class CorpusScore:
    name: str
    score: float
    signature: str
    text: str


def corpus_scores(references: Sequence[str], hypotheses: Sequence[str]) -> list[CorpusScore]:
    """chrF, BLEU and TER over the whole document, row by row, with signatures."""
    out = []
    for metric in _corpus_metrics():
        result = metric.corpus_score(list(hypotheses), [list(references)])
        out.append(
            CorpusScore(
                result.name, round(result.score, 2), str(metric.get_signature()), str(result)
            )
        )
    return out
