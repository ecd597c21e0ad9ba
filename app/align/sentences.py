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
from threadpoolctl import threadpool_limits

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
    # probability that it is right (see ``bead_contexts``); empty: ``calibration``.
    confidence: dict[str, float] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)
    # The sentence-embedding model whose cosines the "semantic" weight was fitted on.
    embedding_model: str = "use-multilingual-v3"
    # Moves of the anchoring pass (with anchor_feature "model": the model's own score).
    anchor_moves: tuple[tuple[int, int], ...] = ((1, 0), (0, 1), (1, 1))

    @property
    def uses_embeddings(self) -> bool:
        return "semantic" in self.weights or "leak" in self.weights

    @property
    def uses_mt(self) -> bool:
        return "mt" in self.weights

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
    def from_json(cls, text: str) -> SentenceModel:
        data = json.loads(text)
        data["moves"] = tuple(tuple(m) for m in data["moves"])
        if "anchor_moves" in data:
            data["anchor_moves"] = tuple(tuple(m) for m in data["anchor_moves"])
        data["calibration"] = tuple(data["calibration"])
        return cls(**data)


@cache
def load_model(name: str) -> SentenceModel:
    """A fitted model shipped with the package, e.g. "semantic", "e5", "fast" (no neural
    model), or one of them with "+mt" (machine translation as a feature)."""
    return SentenceModel.from_json((MODELS / f"sentence-{name}.json").read_text())


def model_exists(name: str) -> bool:
    return (MODELS / f"sentence-{name}.json").is_file()


def build_sides(
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    src_embeddings: dict[int, np.ndarray] | None = None,
    tgt_embeddings: dict[int, np.ndarray] | None = None,
    translation: tuple[str, Sequence[str]] | None = None,
) -> tuple[features.SideArrays, features.SideArrays]:
    """Both sides as arrays. ``translation``: ("source" or "target", the machine
    translation of that side's sentences), for the MT feature."""
    src_texts, tgt_texts = list(src_texts), list(tgt_texts)
    src_chrf = tgt_chrf = None
    if translation is not None:
        side, translated = translation
        src_chrf = list(translated) if side == "source" else src_texts
        tgt_chrf = list(translated) if side == "target" else tgt_texts
    translated_side = translation[0] if translation else ""
    src = features.SideArrays.build(
        src_texts, src_embeddings, src_chrf, translated_side == "source"
    )
    tgt = features.SideArrays.build(
        tgt_texts, tgt_embeddings, tgt_chrf, translated_side == "target"
    )
    features.drop_names_across_scripts(src, tgt, src_texts, tgt_texts)
    return src, tgt


def align_sentences(
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    model: SentenceModel,
    src_embeddings: dict[int, np.ndarray] | None = None,
    tgt_embeddings: dict[int, np.ndarray] | None = None,
    translation: tuple[str, Sequence[str]] | None = None,
) -> AlignmentResult:
    """Align two sentence sequences; embeddings are needed when the model uses them, and
    a machine translation of one side (see ``build_sides``) when it uses "mt"."""
    src, tgt = build_sides(src_texts, tgt_texts, src_embeddings, tgt_embeddings, translation)
    if model.uses_embeddings and (src.semantic is None or tgt.semantic is None):
        raise ValueError(f"model {model.name!r} needs sentence embeddings")
    if model.uses_mt and src.chrf is None:
        raise ValueError(f"model {model.name!r} needs a machine translation")
    # The search multiplies small matrices by vectors, row after row: a multi-threaded
    # BLAS spends more time waking its threads than computing (on a busy machine ten
    # times more), so it gets one thread here.
    with threadpool_limits(1, user_api="blas"):
        spans = best_path(src, tgt, model)
        beads = describe_beads(src, tgt, spans, model)
    return AlignmentResult(
        beads=beads,
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
        return model.score(bead_features(src, tgt, a, b, rows, cols, ratio, model.weights), a, b)

    return canonical_order(banded.search(n, m, model.moves, gain, band))


def describe_beads(src, tgt, spans, model: SentenceModel) -> list[BeadSpan]:
    """The chosen beads with their features and the probability that each is right."""
    beads = []
    for ((s0, s1), (t0, t1)), context in zip(
        spans, bead_contexts(src, tgt, spans, model), strict=True
    ):
        if context is None:
            beads.append(BeadSpan(s0, s1, t0, t1))
            continue
        scores = {name: round(context[name], 4) for name in sorted(model.weights)}
        beads.append(BeadSpan(s0, s1, t0, t1, round(confidence(context, model), 4), scores))
    return beads


MARGIN_CAP = 10.0


def bead_contexts(src, tgt, spans, model: SentenceModel) -> list[dict[str, float] | None]:
    """What says whether each chosen two-sided bead is right (None for one-sided beads):
    its features and score; whether it is 1-1 and stands beside a one-sided bead (most
    wrong beads are near-misses there: a 1-2 where the truth is a 1-1 and a 0-1); and its
    margin, its score minus the best the search could have had instead around it (the
    bead cut in two, one part perhaps one-sided, or merged with a one-sided neighbour).
    Candidates are scored in batches, one per shape."""
    ratio = length_ratio(src, tgt)
    moves = set(model.moves)
    wanted: dict[tuple[int, int], set[tuple[int, int]]] = {}

    def part(i0, i1, j0, j1):
        a, b = i1 - i0, j1 - j0
        if a == 0 or b == 0:
            return ()
        if (a, b) not in moves:
            return None
        wanted.setdefault((a, b), set()).add((i1, j1))
        return ((a, b, i1, j1),)

    plans: dict[int, list[tuple]] = {}
    for k, ((s0, s1), (t0, t1)) in enumerate(spans):
        if s0 == s1 or t0 == t1:
            continue
        part(s0, s1, t0, t1)
        options = []
        for i in range(s0, s1 + 1):
            for j in range(t0, t1 + 1):
                if (i, j) in ((s0, t0), (s1, t1)):
                    continue
                first, second = part(s0, i, t0, j), part(i, s1, j, t1)
                if first is not None and second is not None:
                    options.append(first + second)
        for neighbour in (k - 1, k + 1):
            if 0 <= neighbour < len(spans) and _one_sided(spans[neighbour]):
                (n0, n1), (m0, m1) = spans[neighbour]
                merged = part(min(s0, n0), max(s1, n1), min(t0, m0), max(t1, m1))
                if merged is not None:
                    options.append(merged)
        plans[k] = options

    values: dict[tuple[int, int, int, int], dict[str, float]] = {}
    for (a, b), cells in wanted.items():
        ordered = sorted(cells)
        rows = np.array([i for i, _ in ordered])
        cols = np.array([j for _, j in ordered])
        batch = bead_features(src, tgt, a, b, rows, cols, ratio)
        scores = model.score({n: batch[n] for n in model.weights}, a, b)
        for index, (i, j) in enumerate(ordered):
            values[(a, b, i, j)] = {n: float(v[index]) for n, v in batch.items()} | {
                "score": float(scores[index])
            }

    out: list[dict[str, float] | None] = []
    for k, ((s0, s1), (t0, t1)) in enumerate(spans):
        if k not in plans:
            out.append(None)
            continue
        a, b = s1 - s0, t1 - t0
        context = dict(values[(a, b, s1, t1)])
        alternatives = [sum(values[p]["score"] for p in option) for option in plans[k]]
        best = max([-MARGIN_CAP, *alternatives])
        context["margin"] = min(context["score"] - best, MARGIN_CAP)
        context["one_to_one"] = float(a == b == 1)
        previous = k > 0 and _one_sided(spans[k - 1])
        following = k + 1 < len(spans) and _one_sided(spans[k + 1])
        context["prev_one_sided"] = float(previous)
        context["next_one_sided"] = float(following)
        context["merged_beside_gap"] = float((previous or following) and a + b > 2)
        out.append(context)
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


def bead_features(src, tgt, a, b, rows, cols, ratio, names=None) -> dict[str, np.ndarray]:
    """The features of the candidate beads ending at (rows, cols) with shape a-b: those
    in ``names``, or every one the sides allow."""
    available = {
        "lexical": lambda: features.lexical(src, tgt, a, b, rows, cols),
        "length": lambda: features.length(src, tgt, a, b, rows, cols, ratio),
        "anchors": lambda: features.anchors(src, tgt, a, b, rows, cols),
        "cut": lambda: features.cut(src, tgt, a, b, rows, cols),
        "debris": lambda: features.debris(src, tgt, a, b, rows, cols),
    }
    if src.semantic is not None and tgt.semantic is not None:
        available["semantic"] = lambda: features.semantic(src, tgt, a, b, rows, cols)
        available["leak"] = lambda: features.leak(src, tgt, a, b, rows, cols)
    if src.chrf is not None and tgt.chrf is not None:
        available["mt"] = lambda: features.mt(src, tgt, a, b, rows, cols)
    wanted = available if names is None else names
    return {name: available[name]() for name in wanted}


def anchor_path(
    src: features.SideArrays, tgt: features.SideArrays, model: SentenceModel
) -> np.ndarray:
    """For each source position 0..n, the target position of a 1-1-only first pass."""
    n, m = len(src), len(tgt)
    width = max(model.min_anchor_width, math.ceil(model.anchor_width_share * max(n, m)))
    band = banded.Band.diagonal(n, m, width)
    ratio = length_ratio(src, tgt)

    def gain(a: int, b: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        if model.anchor_feature == "model":
            return model.score(
                bead_features(src, tgt, a, b, rows, cols, ratio, model.weights), a, b
            )
        if model.anchor_feature == "length":
            value = features.length(src, tgt, a, b, rows, cols, ratio)
        else:
            space = "semantic" if model.anchor_feature == "semantic" else "lexical"
            value = features.cosine(getattr(src, space), getattr(tgt, space), a, b, rows, cols)
        return value - model.anchor_threshold

    centre = np.zeros(n + 1)
    for (s0, s1), (t0, t1) in banded.search(n, m, model.anchor_moves, gain, band):
        if s1 > s0:
            # Spread a bead's target span over its source rows.
            centre[s0 + 1 : s1 + 1] = t0 + (t1 - t0) * np.arange(1, s1 - s0 + 1) / (s1 - s0)
    return centre
