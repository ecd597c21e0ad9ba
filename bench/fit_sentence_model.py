"""Fit the sentence aligner's models on the Text+Berg dev set (and nothing else).

    python bench/fit_sentence_model.py            # writes app/align/models/sentence-*.json

Three models: "semantic" (multilingual sentence embeddings of sentences and of runs of
up to four sentences, character trigrams, length), "semantic-sums" (the same, but runs
are the sums of their sentences' embeddings: one model call per sentence, for long
texts) and "fast" (trigrams and length only, no neural model). Weights are learnt by an
averaged structured perceptron: decode the dev document with the current weights, then
move the weights towards the features of the gold path and away from those of the
decoded one. Calibration is a logistic fit of "is this chosen bead right?" on the
chosen beads' scores, again on dev.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from app.align import features
from app.align.sentences import MODELS, SentenceModel, bead_features, best_path
from app.evaluation import datasets, metric
from app.evaluation.links import Link
from app.services.sentences import embeddings_for

EPOCHS = 30
LEARNING_RATE = 0.1

START = {
    "semantic": SentenceModel(
        name="semantic",
        weights={"semantic": 1.0, "lexical": 1.0, "length": 1.0},
        shape_bias={},
        anchor_feature="semantic",
        anchor_threshold=0.35,
    ),
    "semantic-sums": SentenceModel(
        name="semantic-sums",
        weights={"semantic": 1.0, "lexical": 1.0, "length": 1.0},
        shape_bias={},
        anchor_feature="semantic",
        anchor_threshold=0.35,
        concat_runs=1,
    ),
    "fast": SentenceModel(
        name="fast",
        weights={"lexical": 1.0, "length": 1.0},
        shape_bias={},
        anchor_feature="length",
        anchor_threshold=0.5,
        concat_runs=0,
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="semantic,semantic-sums,fast")
    parser.add_argument(
        "--confidence-only",
        action="store_true",
        help="Keep the shipped weights; refit only the confidence model.",
    )
    args = parser.parse_args()
    try:
        documents = datasets.text_berg("dev")
    except datasets.EvalDataMissing as error:
        print(f"skipped: {error}", file=sys.stderr)
        return 0
    for name in args.models.split(","):
        path = MODELS / f"sentence-{name}.json"
        if args.confidence_only:
            model = SentenceModel.from_json(path.read_text())
        else:
            model = fit(START[name], documents)
        sides = [_sides(d, model) for d in documents]
        model = replace(model, confidence=fit_confidence(documents, sides, model))
        path.write_text(model.to_json())
        print(f"{name}: wrote {path}")
    return 0


def fit(start: SentenceModel, documents) -> SentenceModel:
    shapes = [f"{a}-{b}" for a, b in start.moves if a and b]
    names = sorted(start.weights)
    sides = [_sides(d, start) for d in documents]
    w = np.array([start.weights[n] for n in names] + [-0.5] * len(shapes))
    total, steps = np.zeros_like(w), 0
    for epoch in range(EPOCHS):
        for document, (src, tgt) in zip(documents, sides, strict=True):
            model = _with_weights(start, names, shapes, w)
            predicted = best_path(src, tgt, model)
            gold = [_span(link) for link in document.gold]
            delta = _path_features(src, tgt, gold, names, shapes, start)
            delta -= _path_features(src, tgt, predicted, names, shapes, start)
            w = w + LEARNING_RATE * delta
            total += w
            steps += 1
        print(
            f"  epoch {epoch + 1}: dev strict F1 "
            f"{_f1(documents, sides, _with_weights(start, names, shapes, total / steps)):.3f}"
        )
    model = _with_weights(start, names, shapes, total / steps)
    return replace(
        model, calibration=_calibrate(documents, sides, model), trained_on="text+berg dev"
    )


def _sides(document, model):
    embeddings = (
        embeddings_for(document.src_lines, document.tgt_lines, model.concat_runs)
        if model.uses_embeddings
        else (None, None)
    )
    src = features.SideArrays.build(document.src_lines, embeddings[0])
    tgt = features.SideArrays.build(document.tgt_lines, embeddings[1])
    return src, tgt


def _with_weights(start, names, shapes, w) -> SentenceModel:
    return replace(
        start,
        weights={n: float(v) for n, v in zip(names, w[: len(names)], strict=True)},
        shape_bias={s: float(v) for s, v in zip(shapes, w[len(names) :], strict=True)},
    )


def _span(link: Link):
    src = (link.src[0], link.src[-1] + 1) if link.src else None
    tgt = (link.tgt[0], link.tgt[-1] + 1) if link.tgt else None
    return src, tgt


def _path_features(src, tgt, spans, names, shapes, model) -> np.ndarray:
    """Sum of the feature vectors of a path's two-sided beads of a known shape."""
    from app.align.sentences import length_ratio

    ratio = length_ratio(src, tgt)
    out = np.zeros(len(names) + len(shapes))
    for s, t in spans:
        if not s or not t or s[0] == s[1] or t[0] == t[1]:
            continue
        a, b = s[1] - s[0], t[1] - t[0]
        if (a, b) not in model.moves:
            continue
        values = bead_features(src, tgt, a, b, np.array([s[1]]), np.array([t[1]]), ratio)
        out[: len(names)] += [float(values[n][0]) for n in names]
        out[len(names) + shapes.index(f"{a}-{b}")] += 1
    return out


def _links(spans) -> list[Link]:
    return [Link(tuple(range(*s)), tuple(range(*t))) for s, t in spans]


def _f1(documents, sides, model) -> float:
    counts = None
    for document, (src, tgt) in zip(documents, sides, strict=True):
        c = metric.score_document(_links(best_path(src, tgt, model)), document.gold)
        counts = c if counts is None else counts + c
    return counts.scores().strict_f1


CONFIDENCE_FEATURES = (
    "score",
    "semantic",
    "length",
    "lexical",
    "one_to_one",
    "prev_one_sided",
    "next_one_sided",
    "merged_beside_gap",
)


def fit_confidence(documents, sides, model) -> dict[str, float]:
    """Logistic regression of "the chosen bead is right" on its context, on dev."""
    from app.align.sentences import confidence_features

    names = [n for n in CONFIDENCE_FEATURES if n in model.weights or n not in FEATURE_NAMES]
    rows, labels = [], []
    for document, (src, tgt) in zip(documents, sides, strict=True):
        gold = {(link.src, link.tgt) for link in document.gold}
        spans = best_path(src, tgt, model)
        for k, ((s0, s1), (t0, t1)) in enumerate(spans):
            if s0 == s1 or t0 == t1:
                continue
            context = confidence_features(src, tgt, spans, k, model)
            rows.append([1.0] + [context[n] for n in names])
            labels.append((tuple(range(s0, s1)), tuple(range(t0, t1))) in gold)
    w = _logistic(np.array(rows), np.array(labels, dtype=float), ridge=0.1)
    return {"bias": float(w[0])} | {n: float(v) for n, v in zip(names, w[1:], strict=True)}


FEATURE_NAMES = ("semantic", "length", "lexical")


def _logistic(x: np.ndarray, y: np.ndarray, ridge: float) -> np.ndarray:
    """Ridge-regularised logistic regression by Newton's method."""
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + ridge * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + ridge * np.eye(x.shape[1])
        w -= np.linalg.solve(hessian, gradient)
    return w


def _calibrate(documents, sides, model) -> tuple[float, float]:
    """Logistic regression of bead correctness on the bead's score (Newton's method)."""
    from app.align.sentences import length_ratio

    scores, labels = [], []
    for document, (src, tgt) in zip(documents, sides, strict=True):
        gold = {(link.src, link.tgt) for link in document.gold}
        ratio = length_ratio(src, tgt)
        for (s0, s1), (t0, t1) in best_path(src, tgt, model):
            if s0 == s1 or t0 == t1:
                continue
            a, b = s1 - s0, t1 - t0
            values = bead_features(src, tgt, a, b, np.array([s1]), np.array([t1]), ratio)
            scores.append(float(model.score(values, a, b)[0]))
            labels.append((tuple(range(s0, s1)), tuple(range(t0, t1))) in gold)
    x = np.column_stack([np.array(scores), np.ones(len(scores))])
    y = np.array(labels, dtype=float)
    w = np.zeros(2)
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + 1e-3 * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + 1e-3 * np.eye(2)
        w -= np.linalg.solve(hessian, gradient)
    return float(w[0]), float(w[1])


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
