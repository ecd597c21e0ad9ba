"""The interface every scorer implements.

A scorer compares a run of source segments with a run of target segments and says how
much the two look like translations of each other, as a number in [0, 1], or None when
it has no evidence either way (no numbers or names on either side, say). Scorers may
precompute per-side data in ``prepare`` so that scoring a candidate bead is cheap.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from app.align.runs import Side


class Scorer(ABC):
    #: Short, stable name: the key of this scorer's value in a bead's scores.
    name: str

    def prepare(self, src: Side, tgt: Side, max_run: int) -> None:  # noqa: B027
        """Precompute what scoring runs of up to ``max_run`` segments will need."""

    @abstractmethod
    def score(self, src: Side, s0: int, s1: int, tgt: Side, t0: int, t1: int) -> float | None:
        """Similarity of source run ``[s0, s1)`` and target run ``[t0, t1)``."""

    def describe(self) -> dict[str, object]:
        """Parameters recorded with an alignment so it can be reproduced."""
        return {}
