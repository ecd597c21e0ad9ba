"""``mt``: chrF between one side's machine translation (Apertium) and the other side."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from app.align.features.registry import Feature

if TYPE_CHECKING:
    from app.align.features.sides import SideArrays

CHRF_ORDER = 6
CHRF_BETA = 2.0
# Hash buckets per n-gram order: few for single characters, many for the long n-grams a
# sentence has over a hundred of, so that unrelated n-grams rarely share a bucket.
CHRF_BUCKETS = (256, 2048, 4096, 4096, 4096, 4096)
_OFFSETS = np.concatenate([[0], np.cumsum(CHRF_BUCKETS)])


class ChrfSpace:
    """Character n-gram counts (orders 1-6) of sentences, and of runs of them, for chrF.

    Each order's n-grams are hashed into buckets (``CHRF_BUCKETS``); a run's counts are
    the sums of its sentences' counts. chrF computed from these equals sacrebleu's up to
    hash collisions and the few n-grams that straddle two sentences of a run (a test
    checks how close it comes).
    """

    def __init__(self, texts: list[str]) -> None:
        self.counts = ngram_counts(texts)
        totals = np.add.reduceat(self.counts, _OFFSETS[:-1], axis=1, dtype=np.int64)
        self.cumulative_totals = np.zeros((len(texts) + 1, CHRF_ORDER), dtype=np.int64)
        np.cumsum(totals, axis=0, out=self.cumulative_totals[1:])

    def runs(self, ends: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Counts and per-order totals of the runs of ``size`` ending at ``ends``."""
        if ends.size and ends[-1] - ends[0] == ends.size - 1:
            first = ends[0] - size
            counts = self.counts[first : first + ends.size].copy()
            for k in range(1, size):
                counts += self.counts[first + k : first + k + ends.size]
        else:
            counts = self.counts[ends - size].copy()
            for k in range(1, size):
                counts += self.counts[ends - size + k]
        totals = self.cumulative_totals[ends] - self.cumulative_totals[ends - size]
        return counts, totals


def hashed_chrf(hyp, hyp_totals, ref, ref_totals) -> np.ndarray:
    """chrF (beta 2, sacrebleu's averaging over the orders both sides have) per row."""
    k = max(hyp.shape[0], ref.shape[0])
    matches = np.add.reduceat(np.minimum(hyp, ref), _OFFSETS[:-1], axis=1, dtype=np.int64)
    hyp_totals = np.broadcast_to(hyp_totals, (k, CHRF_ORDER))
    ref_totals = np.broadcast_to(ref_totals, (k, CHRF_ORDER))
    valid = (hyp_totals > 0) & (ref_totals > 0)
    precision = np.where(valid, matches / np.maximum(hyp_totals, 1), 0.0).sum(axis=1)
    recall = np.where(valid, matches / np.maximum(ref_totals, 1), 0.0).sum(axis=1)
    orders = valid.sum(axis=1)
    precision = precision / np.maximum(orders, 1)
    recall = recall / np.maximum(orders, 1)
    beta2 = CHRF_BETA**2
    denominator = beta2 * precision + recall
    return np.where(
        denominator > 1e-16,
        (1 + beta2) * precision * recall / np.maximum(denominator, 1e-16),
        0.0,
    )


_HASH_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53],
    dtype=np.uint64,
)  # fmt: skip


def ngram_counts(texts: list[str]) -> np.ndarray:
    """Hashed counts of each text's character n-grams of orders 1-6, whitespace removed
    (as sacrebleu's chrF does): one row per text, the orders' buckets side by side."""
    out = np.zeros((len(texts), int(_OFFSETS[-1])), dtype=np.int16)
    for row, text in enumerate(texts):
        codes = np.frombuffer("".join(text.split()).encode("utf-32-le"), dtype=np.uint32)
        codes = codes.astype(np.uint64)
        hashed = np.zeros(codes.size, dtype=np.uint64)
        for order in range(1, CHRF_ORDER + 1):
            count = codes.size - order + 1
            if count <= 0:
                break
            step = codes[order - 1 : order - 1 + count] * _HASH_MULTIPLIERS[order - 1]
            hashed = hashed[:count] + step
            mixed = (hashed ^ (hashed >> np.uint64(29))) * np.uint64(0xBF58476D1CE4E5B9)
            buckets = (mixed >> np.uint64(32)) % np.uint64(CHRF_BUCKETS[order - 1])
            counted = np.bincount(buckets.astype(np.int64), minlength=CHRF_BUCKETS[order - 1])
            out[row, _OFFSETS[order - 1] : _OFFSETS[order]] = np.minimum(counted, 8000)
    return out


def mt(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    """chrF of the translated side's machine translation against the other side.

    n-gram counts are wide (thousands of buckets), so each source run is compared with
    its candidates row by row, broadcasting the one run rather than copying it."""
    out = np.zeros(rows.size)
    if not rows.size:
        return out
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    for first, last in zip(starts, np.r_[starts[1:], rows.size], strict=True):
        s_counts, s_totals = src.chrf.runs(rows[first : first + 1], a)
        t_counts, t_totals = tgt.chrf.runs(cols[first:last], b)
        if tgt.translated:
            out[first:last] = hashed_chrf(t_counts, t_totals, s_counts, s_totals)
        else:
            out[first:last] = hashed_chrf(s_counts, s_totals, t_counts, t_totals)
    return out


FEATURE = Feature(
    "mt",
    label="machine translation",
    meaning="character n-gram agreement (chrF) of Apertium's translation with the other side",
    compute=mt,
    needs="translation",
)
