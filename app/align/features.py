"""Vectorised bead features for long texts: every candidate of one shape at once.

The paragraph aligner scores candidate beads one by one through the Scorer interface;
for whole books that costs too much Python per candidate. Here the same kinds of
evidence are computed with numpy for arrays of candidates:

* ``semantic``: cosine similarity of run embeddings. A run's embedding is the
  normalised sum of its sentences' embeddings, so a book needs one model call per
  sentence, not one per candidate run.
* ``length``: Gale and Church's length model on a log scale (as ``LengthScorer``).
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np

from app.align.scorers.length import LOG_FLOOR, VARIANCE_PER_CHAR


class RunSpace:
    """Vectors of single sentences, and of runs of consecutive sentences on demand.

    A run's vector is the normalised sum of its sentences' vectors, so a run costs no
    model call and no text processing of its own.
    """

    def __init__(self, vectors: np.ndarray, runs: dict[int, np.ndarray] | None = None) -> None:
        self.vectors = np.asarray(vectors, dtype=np.float32)
        # Runs embedded by the model as concatenated texts take precedence over sums.
        self._runs: dict[int, np.ndarray] = {
            size: np.asarray(v, dtype=np.float32) for size, v in (runs or {}).items() if size > 1
        }

    def runs(self, size: int) -> np.ndarray:
        """Row k: the normalised sum of the vectors of sentences [k, k + size)."""
        if size not in self._runs:
            n, d = self.vectors.shape
            if size > n:
                self._runs[size] = np.zeros((0, d), dtype=np.float32)
            else:
                cumulative = np.zeros((n + 1, d), dtype=np.float32)
                np.cumsum(self.vectors, axis=0, out=cumulative[1:])
                sums = cumulative[size:] - cumulative[:-size]
                norms = np.linalg.norm(sums, axis=1, keepdims=True)
                self._runs[size] = sums / np.maximum(norms, 1e-12)
        return self._runs[size]


@dataclass
class SideArrays:
    """One side's sentences as arrays: embeddings, character trigrams and lengths."""

    semantic: RunSpace | None
    lexical: RunSpace
    cumulative_chars: np.ndarray  # (n + 1,): characters of sentences [0, k)

    @classmethod
    def build(cls, texts: list[str], embeddings: dict[int, np.ndarray] | None) -> SideArrays:
        """``embeddings``: sentence vectors under key 1, concatenated runs under 2, 3…"""
        lengths = np.fromiter((len(t) for t in texts), dtype=np.float64, count=len(texts))
        return cls(
            RunSpace(embeddings[1], embeddings) if embeddings else None,
            RunSpace(lexical_vectors(texts)),
            np.concatenate([[0.0], np.cumsum(lengths)]),
        )

    def __len__(self) -> int:
        return self.cumulative_chars.size - 1

    def run_chars(self, starts: np.ndarray, size: int) -> np.ndarray:
        return self.cumulative_chars[starts + size] - self.cumulative_chars[starts] + (size - 1)


def cosine(left: RunSpace, right: RunSpace, a: int, b: int, rows, cols) -> np.ndarray:
    """Cosine of the left run ending at each row with the right run ending at each col."""
    if rows.size and rows[0] == rows[-1] and cols[-1] - cols[0] == cols.size - 1:
        # The search asks for one row and a contiguous stretch of columns: a slice and a
        # matrix-vector product, without copying the vectors row by row.
        x = left.runs(a)[rows[0] - a]
        y = right.runs(b)[cols[0] - b : cols[-1] - b + 1]
        return np.clip(y @ x, 0.0, 1.0)
    x = left.runs(a)[rows - a]
    y = right.runs(b)[cols - b]
    return np.clip(np.einsum("ij,ij->i", x, y), 0.0, 1.0)


def semantic(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    return cosine(src.semantic, tgt.semantic, a, b, rows, cols)


def lexical(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    return cosine(src.lexical, tgt.lexical, a, b, rows, cols)


def length(
    src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols, ratio: float
) -> np.ndarray:
    """Gale-Church agreement of the runs' lengths, 1 = as expected, 0 = e^-10 or less."""
    s = src.run_chars(rows - a, a)
    t = tgt.run_chars(cols - b, b)
    mean = np.maximum((s + t / ratio) / 2, 1.0)
    delta = np.abs(t - s * ratio) / np.sqrt(mean * VARIANCE_PER_CHAR)
    # log(erfc(x / sqrt 2)) without underflow: for large x use the asymptotic form.
    log_p = np.where(
        delta < 8,
        np.log(np.maximum(_erfc(delta / math.sqrt(2)), 1e-300)),
        -(delta**2) / 2 - np.log(np.maximum(delta, 8.0) * math.sqrt(math.pi / 2)),
    )
    return 1.0 + np.maximum(log_p, -LOG_FLOOR) / LOG_FLOOR


def _erfc(x: np.ndarray) -> np.ndarray:
    """erfc for x >= 0 (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7)."""
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return poly * np.exp(-(x**2))


LEXICAL_DIMENSIONS = 1024
NGRAM = 3


def lexical_vectors(texts: list[str], dimensions: int = LEXICAL_DIMENSIONS) -> np.ndarray:
    """Hashed bags of character trigrams, one row per text (not normalised).

    Names, numbers and cognates keep many character trigrams across languages that share
    a script; hashing them into a fixed number of buckets lets runs be summed and
    compared like embeddings. Collisions blur the counts a little, evenly for all pairs.
    """
    out = np.zeros((len(texts), dimensions), dtype=np.float32)
    for row, text in enumerate(texts):
        folded = " " + " ".join(text.casefold().split()) + " "
        grams = [folded[k : k + NGRAM] for k in range(len(folded) - NGRAM + 1)]
        if grams:
            buckets = np.fromiter(
                (zlib.crc32(g.encode()) % dimensions for g in grams),
                dtype=np.int64,
                count=len(grams),
            )
            np.add.at(out[row], buckets, 1.0)
    return out
