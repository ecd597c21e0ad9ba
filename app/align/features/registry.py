"""The feature registry: each signal a bead is judged by, declared once, by name.

A feature computes its value for every candidate bead of one shape at once:
``compute(src, tgt, a, b, rows, cols)`` gives the values of the beads of ``a`` source and
``b`` target units ending at ``(rows[k], cols[k])``, from both sides' arrays
(``sides.SideArrays``); a feature declared ``reads_ratio`` is also handed the documents'
length ratio. The search asks for a whole band of candidates; the review page's score breakdown
asks for one. The models (``models/*.json``), their fitting scripts, the scorer choice and
the "Scores" panel all name features by the names registered here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from app.align.features.sides import SideArrays

Compute = Callable[..., np.ndarray]

# What a feature needs the sides to carry, beyond their texts.
NEEDS = {
    "embeddings": "semantic",  # a sentence-embedding model's vectors
    "translation": "chrf",  # a machine translation of one side
    "lexicon": "lexicon",  # a lexicon learnt from a first alignment
    "edge_sentences": "edge_sentences",  # vectors of each unit's first and last sentence
}


@dataclass(frozen=True)
class Feature:
    name: str
    label: str  # a short name for people, as the "Scores" panel shows it
    meaning: str  # what it measures, in words
    compute: Compute
    needs: str = ""  # a key of NEEDS, or "" for the texts alone
    reads_ratio: bool = False  # whether ``compute`` takes the documents' length ratio last

    def values(
        self, src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols, ratio: float
    ) -> np.ndarray:
        """The feature's value for each candidate bead (see the module's docstring)."""
        if self.reads_ratio:
            return self.compute(src, tgt, a, b, rows, cols, ratio)
        return self.compute(src, tgt, a, b, rows, cols)

    def available(self, src: SideArrays, tgt: SideArrays) -> bool:
        """Whether both sides carry what this feature needs."""
        if not self.needs:
            return True
        attribute = NEEDS[self.needs]
        return getattr(src, attribute) is not None and getattr(tgt, attribute) is not None
