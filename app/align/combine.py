"""Turning the scorers' values into one similarity: a logistic model.

The combined similarity is meant to be read as the probability that a bead is right,
so the review queue can put the doubtful beads first. A scorer without evidence for a
bead (None) contributes nothing, rather than pulling the bead down.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Weights:
    bias: float
    # Scorer name -> (weight, centre): the value's contribution is weight * (value - centre).
    terms: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self) | {"terms": {k: list(v) for k, v in self.terms.items()}}


# Set by hand on the corpus pair's paragraph alignment (see docs/alignment.md); the
# second set is used when no embedding model knows one of the languages.
WITH_SEMANTIC = Weights(
    bias=-6.0,
    terms={
        "semantic": (10.0, 0.0),
        "length": (5.0, 0.5),
        "chrf": (3.0, 0.0),
        "anchors": (2.5, 0.5),
        "structure": (3.0, 0.5),
    },
)
WITHOUT_SEMANTIC = Weights(
    bias=-4.0,
    terms={
        "length": (3.0, 0.0),
        "chrf": (8.0, 0.0),
        "anchors": (4.0, 0.5),
        "structure": (3.0, 0.5),
    },
)


def combine(scores: Mapping[str, float | None], weights: Weights) -> float:
    """The probability, in [0, 1], that the scored bead is a correct one."""
    z = weights.bias
    for name, (weight, centre) in weights.terms.items():
        value = scores.get(name)
        if value is not None:
            z += weight * (value - centre)
    return 1.0 / (1.0 + math.exp(-z))
