"""A fitted alignment model: the weights that score a bead from its features, the moves
it allows, and how it turns a chosen bead's score into a probability. The models the
package ships are ``models/<level>-<name>.json``, fitted by ``bench/fit_model.py``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import numpy as np

MODELS = Path(__file__).parent / "models"

# Features learnt from a first alignment, which the anchoring pass cannot use.
SECOND_PASS_FEATURES = ("lexicon",)

SENTENCE_MOVES: tuple[tuple[int, int], ...] = (
    (1, 0), (0, 1), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1),
)  # fmt: skip
# Translators split and merge paragraphs, rarely more than three at once.
PARAGRAPH_MOVES: tuple[tuple[int, int], ...] = (
    (1, 0), (0, 1), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1),
)  # fmt: skip


@dataclass(frozen=True)
class AlignmentModel:
    """A bead's score is ``sum(weights[f] * feature f) + shape_bias[shape]``.

    One-sided beads score 0, so a two-sided bead is chosen where its score is positive
    and beats the alternatives. ``calibration`` (slope, intercept) maps a chosen bead's
    score to the probability that it is right.
    """

    name: str
    weights: dict[str, float]
    shape_bias: dict[str, float]
    calibration: tuple[float, float] = (1.0, 0.0)
    concat_runs: int = 4
    anchor_feature: str = "semantic"
    anchor_threshold: float = 0.35
    anchor_width_share: float = 0.04
    min_anchor_width: int = 40
    band: int = 8
    moves: tuple[tuple[int, int], ...] = SENTENCE_MOVES
    trained_on: str = ""
    # Weights of the logistic model that turns a chosen bead's context into the
    # probability that it is right (see ``bead_contexts``); empty: ``calibration``.
    confidence: dict[str, float] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)
    # The sentence-embedding model whose cosines the "semantic" weight was fitted on.
    embedding_model: str = "use-multilingual-v3"
    # Moves of the anchoring pass (with anchor_feature "model": the model's own score).
    anchor_moves: tuple[tuple[int, int], ...] = ((1, 0), (0, 1), (1, 1))
    # With anchor_feature "model": the model of the anchoring pass, as JSON data (empty:
    # this one, less the features a first pass cannot have, "lexicon"). It also aligns
    # documents whose first pass has fewer than ``min_lexicon_pairs`` 1-1 beads, too few
    # to learn a lexicon from.
    first_pass_model: dict[str, object] = field(default_factory=dict)
    min_lexicon_pairs: int = 0
    # The posterior probability of a chosen bead (a confidence feature, see
    # ``bead_posteriors``) sums the paths within ``posterior_width`` columns of the
    # chosen one, their scores divided by this temperature (chosen on dev; 0: the
    # confidence model does without it, and it is not computed).
    posterior_temperature: float = 0.0
    posterior_width: int = 2
    level: str = "sentence"
    # Paragraph level: the weights of a second logistic model that, once sentences are
    # aligned inside the paragraph beads, reads a bead's probability (as its logit) with
    # what its sentences say (``app.align.sentence_evidence``); empty: no such stage.
    sentence_confidence: dict[str, float] = field(default_factory=dict)

    @property
    def uses_embeddings(self) -> bool:
        return any(name in self.weights for name in ("semantic", "leak", "overhang"))

    @property
    def uses_edge_sentences(self) -> bool:
        return "overhang" in self.weights

    @property
    def uses_mt(self) -> bool:
        return "mt" in self.weights

    @property
    def uses_lexicon(self) -> bool:
        return "lexicon" in self.weights

    def first_pass(self) -> AlignmentModel:
        """The model the anchoring pass scores with (anchor_feature "model")."""
        if self.first_pass_model:
            return AlignmentModel.from_dict(self.first_pass_model)
        weights = {n: w for n, w in self.weights.items() if n not in SECOND_PASS_FEATURES}
        return replace(self, weights=weights)

    def score(self, values: dict[str, np.ndarray], a: int, b: int) -> np.ndarray:
        total = np.full(next(iter(values.values())).shape, self.shape_bias.get(f"{a}-{b}", -5.0))
        for name, weight in self.weights.items():
            total = total + weight * values[name]
        return total

    def probability(self, score: float) -> float:
        slope, intercept = self.calibration
        return 1.0 / (1.0 + math.exp(-(slope * score + intercept)))

    def to_json(self) -> str:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        data["moves"] = [list(m) for m in self.moves]
        data["anchor_moves"] = [list(m) for m in self.anchor_moves]
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> AlignmentModel:
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_dict(cls, data: dict) -> AlignmentModel:
        data = dict(data)
        data["moves"] = tuple(tuple(m) for m in data["moves"])
        if "anchor_moves" in data:
            data["anchor_moves"] = tuple(tuple(m) for m in data["anchor_moves"])
        data["calibration"] = tuple(data["calibration"])
        return cls(**data)


def logistic(weights: dict[str, float], values: dict[str, float]) -> float:
    """A logistic model's probability (the confidence models'): ``weights["bias"]`` plus
    every other weight times the value of its name."""
    z = weights.get("bias", 0.0)
    z += sum(w * values[name] for name, w in weights.items() if name != "bias")
    return 1.0 / (1.0 + math.exp(-z))


@cache
def load_model(name: str, level: str = "sentence") -> AlignmentModel:
    """A fitted model shipped with the package for ``level`` ("paragraph" or
    "sentence"), e.g. "semantic", "e5", "fast" (no neural model), or one of them with
    "+mt" (machine translation as a feature)."""
    return AlignmentModel.from_json((MODELS / f"{level}-{name}.json").read_text())


def model_exists(name: str, level: str = "sentence") -> bool:
    return (MODELS / f"{level}-{name}.json").is_file()


def with_weights(model: AlignmentModel, names: list[str]) -> AlignmentModel:
    """The model with only the weights of features in ``names`` (blocks of sentences
    have no machine translation)."""
    kept = {k: w for k, w in model.weights.items() if k in names}
    return model if len(kept) == len(model.weights) else replace(model, weights=kept)
