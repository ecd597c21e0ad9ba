"""Vector spaces of units and of runs of units, and the cosine of candidate beads in them."""

from __future__ import annotations

import numpy as np


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
                # Runs are short: a few shifted additions cost less than a cumulative
                # sum over the whole book, and add no rounding drift along it.
                sums = self.vectors[: n - size + 1].copy()
                for k in range(1, size):
                    sums += self.vectors[k : n - size + 1 + k]
                norms = np.sqrt(np.einsum("ij,ij->i", sums, sums))[:, None]
                self._runs[size] = sums / np.maximum(norms, 1e-12)
        return self._runs[size]


# Cosines over a band are computed a few rows at a time, each group's rows against the
# stretch of columns they reach, as one matrix product: cheaper than gathering two
# vectors per cell, as long as the product holds at most DENSE_WASTE times the cells.
ROWS_PER_PRODUCT = 32
DENSE_WASTE = 16


def cosine(left: RunSpace, right: RunSpace, a: int, b: int, rows, cols) -> np.ndarray:
    """Cosine of the left run ending at each row with the right run ending at each col."""
    x, y = left.runs(a), right.runs(b)
    out = np.empty(rows.size)
    if not rows.size:
        return out
    order = np.argsort(rows, kind="stable")
    rows, cols = rows[order], cols[order]
    edges = np.arange(rows[0], rows[-1] + ROWS_PER_PRODUCT, ROWS_PER_PRODUCT)
    bounds = np.unique(np.append(np.searchsorted(rows, edges), rows.size))
    values = np.empty(rows.size)
    for first, last in zip(bounds[:-1], bounds[1:], strict=True):
        r, c = rows[first:last], cols[first:last]
        r0, r1, c0, c1 = r[0], r[-1], c.min(), c.max()
        if (r1 - r0 + 1) * (c1 - c0 + 1) <= DENSE_WASTE * r.size:
            # Many columns by few rows: the long side first suits BLAS better.
            block = y[c0 - b : c1 - b + 1] @ x[r0 - a : r1 - a + 1].T
            values[first:last] = block[c - c0, r - r0]
        else:
            values[first:last] = np.einsum("ij,ij->i", x[r - a], y[c - b])
    out[order] = np.clip(values, 0.0, 1.0)
    return out


def space_cosine(space: str):
    """The feature that compares both sides in their vector space ``space`` (an attribute
    of ``SideArrays``: "semantic", "lexical", "lexicon") by ``cosine``."""

    def compute(src, tgt, a: int, b: int, rows, cols) -> np.ndarray:
        return cosine(getattr(src, space), getattr(tgt, space), a, b, rows, cols)

    compute.__name__ = compute.__qualname__ = space
    return compute
