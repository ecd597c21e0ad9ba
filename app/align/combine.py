"""Turning the scorers' values into one similarity: a logistic model.

The combined similarity is meant to be read as the probability that a bead is right,
so the review queue can put the doubtful beads first. A scorer without evidence for a
bead (None) contributes nothing, rather than pulling the bead down.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

MODELS = Path(__file__).parent / "models"
PARAGRAPH_MODELS = MODELS / "paragraph.json"


@dataclass(frozen=True)
class Weights:
    bias: float
    # Scorer name -> (weight, centre): the value's contribution is weight * (value - centre).
    terms: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    name: str = "hand-set"

    def as_dict(self) -> dict[str, object]:
        return asdict(self) | {"terms": {k: list(v) for k, v in self.terms.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Weights:
        terms = {k: (float(v[0]), float(v[1])) for k, v in data["terms"].items()}
        return cls(float(data["bias"]), terms, str(data.get("name", "")))


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


def profile(scorers: Sequence) -> str:
    """Which fitted weights suit a set of scorers: "use", "e5" or "none" (the embedding
    model), with "+mt" when the machine-translation scorer is among them."""
    embedding = "none"
    for scorer in scorers:
        if scorer.name == "semantic":
            model = getattr(scorer, "model_name", "use-multilingual-v3")
            embedding = "e5" if model == "multilingual-e5-small" else "use"
    mt = any(scorer.name == "mt" for scorer in scorers)
    return embedding + ("+mt" if mt else "")


@cache
def fitted_weights() -> dict[str, Weights]:
    """The weights fitted by ``bench/fit_paragraph_model.py``, by profile."""
    if not PARAGRAPH_MODELS.is_file():
        return {}
    data = json.loads(PARAGRAPH_MODELS.read_text())
    return {name: Weights.from_dict(w) for name, w in data["profiles"].items()}


def weights_for(scorers: Sequence) -> Weights:
    """The fitted weights for these scorers; the hand-set ones if none were fitted."""
    fitted = fitted_weights().get(profile(scorers))
    if fitted is not None:
        return fitted
    return WITH_SEMANTIC if any(s.name == "semantic" for s in scorers) else WITHOUT_SEMANTIC
