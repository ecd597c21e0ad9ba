"""Aligning long sequences of sentences in near-linear time.

Two passes, both with the banded search of ``banded.py``:

1. Anchoring: 1-1 beads (and skips) scored by one similarity alone, in a band around
   the documents' diagonal wide enough for translations that drift (a few percent of
   the length). This finds where the translation runs.
2. Refinement: every move up to 1-4/4-1, scored by a linear model over the bead's
   features, in a narrow band around the anchoring path.

The linear model's weights were fitted on the Text+Berg dev set by a structured
perceptron (``bench/fit_sentence_model.py``), which tunes them for whole alignments
rather than for single pairs. A second, logistic step turns a chosen bead's score into
a calibrated probability that the bead is right.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from app.align import banded, features
from app.align.aligner import AlignmentResult
from app.align.search import canonical_order
from app.segments import BeadSpan

METHOD = "alinea-sentences/1"
MODELS = Path(__file__).parent / "models"

SENTENCE_MOVES: tuple[tuple[int, int], ...] = (
    (1, 0), (0, 1), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1),
)  # fmt: skip


@dataclass(frozen=True)
class SentenceModel:
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
    # probability that it is right (see ``confidence_features``); empty: ``calibration``.
    confidence: dict[str, float] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def uses_embeddings(self) -> bool:
        return "semantic" in self.weights

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
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> SentenceModel:
        data = json.loads(text)
        data["moves"] = tuple(tuple(m) for m in data["moves"])
        data["calibration"] = tuple(data["calibration"])
        return cls(**data)


@cache
def load_model(name: str) -> SentenceModel:
    """A fitted model shipped with the package: "semantic" or "fast" (no neural model)."""
    return SentenceModel.from_json((MODELS / f"sentence-{name}.json").read_text())


def align_sentences(
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    model: SentenceModel,
    src_embeddings: dict[int, np.ndarray] | None = None,
    tgt_embeddings: dict[int, np.ndarray] | None = None,
) -> AlignmentResult:
    """Align two sentence sequences; embeddings are needed when the model uses them."""
    src = features.SideArrays.build(list(src_texts), src_embeddings)
    tgt = features.SideArrays.build(list(tgt_texts), tgt_embeddings)
    if model.uses_embeddings and (src.semantic is None or tgt.semantic is None):
        raise ValueError(f"model {model.name!r} needs sentence embeddings")
    spans = best_path(src, tgt, model)
    return AlignmentResult(
        beads=describe_beads(src, tgt, spans, model),
        method=METHOD,
        parameters={
            "level": "sentence",
            "model": model.name,
            "scorers": sorted(model.weights),
            "trained_on": model.trained_on,
            "moves": [f"{a}-{b}" for a, b in model.moves],
            "band": model.band,
        },
    )


def best_path(src: features.SideArrays, tgt: features.SideArrays, model: SentenceModel):
    """The highest-scoring monotone path, as ((s0, s1), (t0, t1)) spans."""
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [((k, k + 1), (0, 0)) for k in range(n)] + [((n, n), (k, k + 1)) for k in range(m)]
    ratio = length_ratio(src, tgt)
    band = banded.Band.around(anchor_path(src, tgt, model), model.band, m)

    def gain(a: int, b: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return model.score(bead_features(src, tgt, a, b, rows, cols, ratio), a, b)

    return canonical_order(banded.search(n, m, model.moves, gain, band))


def describe_beads(src, tgt, spans, model: SentenceModel) -> list[BeadSpan]:
    """The chosen beads with their features and the probability that each is right."""
    beads = []
    for k, ((s0, s1), (t0, t1)) in enumerate(spans):
        if s0 == s1 or t0 == t1:
            beads.append(BeadSpan(s0, s1, t0, t1))
            continue
        context = confidence_features(src, tgt, spans, k, model)
        scores = {name: round(context[name], 4) for name in sorted(model.weights)}
        beads.append(BeadSpan(s0, s1, t0, t1, round(confidence(context, model), 4), scores))
    return beads


def confidence_features(src, tgt, spans, k: int, model: SentenceModel) -> dict[str, float]:
    """What says whether the chosen bead ``k`` is right: its own features and score, and
    its neighbours. Most wrong beads are near-misses next to a one-sided bead (a 1-2
    where the truth is a 1-1 and a 0-1), so the neighbours carry much of the signal."""
    (s0, s1), (t0, t1) = spans[k]
    a, b = s1 - s0, t1 - t0
    values = bead_features(src, tgt, a, b, np.array([s1]), np.array([t1]), length_ratio(src, tgt))
    out = {name: float(v[0]) for name, v in values.items()}
    out["score"] = float(model.score(values, a, b)[0])
    out["one_to_one"] = float(a == b == 1)
    previous = k > 0 and _one_sided(spans[k - 1])
    following = k + 1 < len(spans) and _one_sided(spans[k + 1])
    out["prev_one_sided"] = float(previous)
    out["next_one_sided"] = float(following)
    out["merged_beside_gap"] = float((previous or following) and a + b > 2)
    return out


def confidence(context: dict[str, float], model: SentenceModel) -> float:
    if not model.confidence:
        return model.probability(context["score"])
    z = model.confidence.get("bias", 0.0)
    z += sum(w * context[name] for name, w in model.confidence.items() if name != "bias")
    return 1.0 / (1.0 + math.exp(-z))


def _one_sided(span) -> bool:
    (s0, s1), (t0, t1) = span
    return s0 == s1 or t0 == t1


def length_ratio(src: features.SideArrays, tgt: features.SideArrays) -> float:
    s, t = src.cumulative_chars[-1], tgt.cumulative_chars[-1]
    return float(t / s) if s and t else 1.0


def bead_features(src, tgt, a, b, rows, cols, ratio) -> dict[str, np.ndarray]:
    """Every feature of the candidate beads ending at (rows, cols) with shape a-b."""
    values = {
        "lexical": features.lexical(src, tgt, a, b, rows, cols),
        "length": features.length(src, tgt, a, b, rows, cols, ratio),
    }
    if src.semantic is not None and tgt.semantic is not None:
        values["semantic"] = features.semantic(src, tgt, a, b, rows, cols)
    return values


def anchor_path(
    src: features.SideArrays, tgt: features.SideArrays, model: SentenceModel
) -> np.ndarray:
    """For each source position 0..n, the target position of a 1-1-only first pass."""
    n, m = len(src), len(tgt)
    width = max(model.min_anchor_width, math.ceil(model.anchor_width_share * max(n, m)))
    band = banded.Band.diagonal(n, m, width)
    ratio = length_ratio(src, tgt)

    def gain(a: int, b: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        if model.anchor_feature == "length":
            value = features.length(src, tgt, a, b, rows, cols, ratio)
        else:
            space = "semantic" if model.anchor_feature == "semantic" else "lexical"
            value = features.cosine(getattr(src, space), getattr(tgt, space), a, b, rows, cols)
        return value - model.anchor_threshold

    centre = np.zeros(n + 1)
    for (s0, s1), (_t0, t1) in banded.search(n, m, [(1, 0), (0, 1), (1, 1)], gain, band):
        centre[s0 + 1 : s1 + 1] = t1
    return centre
