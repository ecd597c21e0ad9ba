"""Fit the alignment engine's models, per level, on dev data only.

    python bench/fit_model.py                     # writes app/align/models/sentence-*.json
    python bench/fit_model.py --level paragraph   # writes app/align/models/paragraph-*.json

Sentence level: models fitted on the Text+Berg dev document. Paragraph level: the same
kinds of model, fitted on paragraphs built from the sentence gold of Text+Berg dev, of
the dev part of the perturbed NTREX set and of the Bible's Genesis (English-Chinese, the
literary set's dev part, with some links' sides left out so that it has untranslated
text too; ``app.evaluation.paragraphs``).

The models: "semantic" (USE embeddings of units and of runs of them, character
trigrams, anchors, length), "semantic-sums" (the same, but runs are the sums of their
units' embeddings: one model call per unit, for long texts; sentence level only), "e5"
(multilingual-e5-small sums, for languages USE does not know) and "fast" (trigrams,
anchors and length, no neural model; it learns each document's lexicon from a first
pass by the same model fitted without it, see docs/alignment.md). Weights are learnt by
an averaged structured perceptron: decode the dev documents with the current weights,
then move the weights towards the features of the gold path and away from those of the
decoded one. The sentence level's "semantic" then gets the features for the edges of
beads ("leak", "cut", "debris") by a grid search for the best strict F1 on the same dev
document, every fitted weight kept. Calibration is a logistic fit of "is this chosen
bead right?" on the chosen beads' context, again on dev; whether the context includes
the bead's posterior probability, and at which temperature, is chosen on dev too
(``fit_confidence``). At paragraph level a second stage, fitted on the same documents,
reads each bead's probability again with what the sentences aligned inside it say
(``with_sentence_stage``, ``app.align.sentence_evidence``).

The "structure" feature (headings meet headings) has no evidence in these sets, which
have no headings: it keeps the weight it starts with, set by hand.

The "+mt" models ("semantic+mt", "fast+mt"...) add chrF against Apertium's translation
to a fitted model. Text+Berg is German-French, a pair Apertium lacks, so the MT
feature's weight and centre are chosen on the dev part of the perturbed NTREX
English-Spanish set (``alinea eval ntrex --perturbed --split dev``), by a grid search
for the best strict F1, with every other weight kept; the confidence model is refitted
on the same dev part.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from app.align import choice as scorer_choice
from app.align.embed import MemoryCache
from app.align.encoders import E5_MODEL
from app.align.engine import bead_features, best_path, build_sides, describe_beads, model_used
from app.align.levels import edge_sentences, embeddings_for, translate_side
from app.align.model import MODELS, PARAGRAPH_MOVES, AlignmentModel
from app.align.result import AlignmentResult
from app.align.sentence_evidence import (
    STAGE_INPUTS,
    sentence_evidence,
    stage_inputs,
    with_sentences,
)
from app.evaluation import datasets, metric
from app.evaluation.links import Link
from app.evaluation.paragraphs import paragraph_document

EPOCHS = 30
# A lexicon learnt from fewer 1-1 beads than this did not help on Text+Berg dev cut into
# shorter documents, so those are aligned by the first-pass model alone.
MIN_LEXICON_PAIRS = 150
LEARNING_RATE = 0.1

SEMANTIC = {"semantic": 1.0, "lexical": 1.0, "length": 1.0, "anchors": 1.0}
START = {
    "semantic": AlignmentModel(
        name="semantic",
        weights=SEMANTIC,
        shape_bias={},
        anchor_feature="semantic",
        anchor_threshold=0.35,
    ),
    "semantic-sums": AlignmentModel(
        name="semantic-sums",
        weights=SEMANTIC,
        shape_bias={},
        anchor_feature="semantic",
        anchor_threshold=0.35,
        concat_runs=1,
    ),
    "e5": AlignmentModel(
        name="e5",
        weights=SEMANTIC,
        shape_bias={},
        anchor_feature="semantic",
        anchor_threshold=0.8,
        concat_runs=1,
        embedding_model=E5_MODEL,
    ),
    "fast": AlignmentModel(
        name="fast",
        weights={"lexical": 1.0, "length": 1.0, "anchors": 1.0, "lexicon": 1.0},
        shape_bias={},
        anchor_feature="model",
        anchor_moves=((1, 0), (0, 1), (1, 1), (1, 2), (2, 1)),
        concat_runs=0,
    ),
}
# Features for the errors at the edges of beads (see docs/benchmarks.md, "Where the
# Text+Berg errors are"), added to the fitted "semantic" model by a grid search for the
# best strict F1 on dev: the perceptron, started with them, did worse on dev.
EDGE_GRID = {
    "leak": (0.0, -2.0, -4.0, -6.0, -8.0),
    "cut": (0.0, -0.5, -1.0),
    "debris": (0.0, -1.0, -2.0),
}
EDGE_MODELS = ("semantic",)
# At paragraph level not "leak" (a byline such as "(ers/rml)" or a page's leftovers
# would rather stay one-sided, and the grid chose no weight for it on dev) but its
# paragraph form, "overhang": a short paragraph translated at the edge of its neighbour.
PARAGRAPH_EDGE_GRID = {
    "overhang": (0.0, -1.0, -2.0, -4.0, -6.0, -8.0, -10.0, -14.0, -20.0),
    "cut": (0.0, -0.5, -1.0),
    "debris": (0.0, -1.0, -2.0, -4.0, -6.0, -8.0),
}
PARAGRAPH_VARIANTS = 4
# The confidence model is fitted on the dev documents cut in more ways: it learns from
# the wrong beads, which are few.
CONFIDENCE_VARIANTS = 8
ALONE = 0.5
# The heading term's hand-set weight (no dev set has headings).
STRUCTURE_WEIGHT = 2.0
PARAGRAPH_START = {
    "semantic": AlignmentModel(
        name="semantic",
        level="paragraph",
        weights={**SEMANTIC, "structure": STRUCTURE_WEIGHT},
        shape_bias={},
        anchor_feature="semantic",
        anchor_threshold=0.35,
        concat_runs=2,
        moves=PARAGRAPH_MOVES,
    ),
    "e5": AlignmentModel(
        name="e5",
        level="paragraph",
        weights={**SEMANTIC, "structure": STRUCTURE_WEIGHT},
        shape_bias={},
        anchor_feature="semantic",
        anchor_threshold=0.8,
        concat_runs=1,
        embedding_model=E5_MODEL,
        moves=PARAGRAPH_MOVES,
    ),
    "fast": AlignmentModel(
        name="fast",
        level="paragraph",
        # No lexicon: a document has too few paragraphs to learn one from.
        weights={"lexical": 1.0, "length": 1.0, "anchors": 1.0, "structure": STRUCTURE_WEIGHT},
        shape_bias={},
        anchor_feature="model",
        anchor_moves=((1, 0), (0, 1), (1, 1), (1, 2), (2, 1)),
        concat_runs=0,
        moves=PARAGRAPH_MOVES,
    ),
}
MT_WEIGHTS = (1.0, 2.0, 4.0, 8.0, 16.0)
MT_CENTRES = (0.1, 0.2, 0.3, 0.4, 0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--level", choices=("sentence", "paragraph"), default="sentence")
    parser.add_argument("--models", help="default: every model of the level")
    parser.add_argument(
        "--mt",
        help="Fitted models to extend with the MT feature ('' for none; default: all).",
    )
    parser.add_argument(
        "--confidence-only",
        action="store_true",
        help="Keep the shipped weights; refit only the confidence model.",
    )
    args = parser.parse_args()
    starts = START if args.level == "sentence" else PARAGRAPH_START
    models = args.models if args.models is not None else ",".join(starts)
    mt_models = args.mt if args.mt is not None else ",".join(starts)
    try:
        sources = dev_sources(args.level)
    except datasets.EvalDataMissing as error:
        print(f"skipped: {error}", file=sys.stderr)
        return 0
    level = args.level
    if level == "paragraph":
        documents, ntrex_dev = paragraph_documents(sources, PARAGRAPH_VARIANTS)
        judged, judged_ntrex = paragraph_documents(sources, CONFIDENCE_VARIANTS)
    else:
        documents, ntrex_dev, _ = sources
        judged, judged_ntrex = documents, ntrex_dev
    for name in filter(None, models.split(",")):
        path = MODELS / f"{level}-{name}.json"
        if args.confidence_only:
            model = AlignmentModel.from_json(path.read_text())
        else:
            model = fit(with_first_pass(starts[name], documents), documents)
            if name in EDGE_MODELS:
                grid = EDGE_GRID if level == "sentence" else PARAGRAPH_EDGE_GRID
                model = fit_edges(model, documents, grid)
        sides = [_sides(d, model) for d in judged]
        model = with_confidence(model, judged, sides)
        if level == "paragraph":
            model = with_sentence_stage(model, judged, sides)
        path.write_text(model.to_json())
        print(f"{name}: wrote {path}")
    for name in filter(None, mt_models.split(",")):
        base = AlignmentModel.from_json((MODELS / f"{level}-{name}.json").read_text())
        path = MODELS / f"{level}-{name}+mt.json"
        if args.confidence_only and not path.is_file():
            continue
        model = (
            AlignmentModel.from_json(path.read_text())
            if args.confidence_only
            else fit_mt(base, ntrex_dev)
        )
        if model.weights["mt"] == 0.0:
            # MT did not improve this model on dev: ship none, so the base model is used
            # and the recorded choice says that MT was left out at sentence level.
            path.unlink(missing_ok=True)
            print(f"{name}+mt: no gain on dev, not written")
            continue
        sides = [_sides(d, model) for d in judged_ntrex]
        model = with_confidence(model, judged_ntrex, sides)
        path.write_text(model.to_json())
        print(f"{name}+mt: wrote {path}")
    return 0


def dev_sources(level: str):
    """The dev gold sets, read once: Text+Berg, the perturbed NTREX part and, at paragraph
    level, Genesis, the literary set's dev part (the Bible's other books are its test).
    Genesis's gold has no untranslated verse; without some (``with_omissions``), the
    fitted search would pair every leftover of a web page (a byline, "Shopping Cart")
    with whatever is left."""
    textberg = datasets.text_berg("dev")
    ntrex = datasets.ntrex_documents(split="dev", perturbed=True)
    genesis = [datasets.with_omissions(datasets.bible_books("dev"))] if level == "paragraph" else []
    return textberg, ntrex, genesis


def paragraph_documents(sources, cuts: int):
    """The dev sets cut into paragraphs: the documents the models are fitted on, and
    those for the MT term.

    Each document is cut in ``cuts`` ways (a dev set cut once holds too few wrong beads
    to fit the confidence model on); in half of them untranslated sentences stand alone
    now and then, as one-sided paragraphs. Genesis is cut in half as many ways, all with
    its omissions alone, so that its 1,532 links do not outweigh the others."""
    textberg, ntrex, genesis = sources

    def variants(documents):
        return [
            paragraph_document(d, k, ALONE if k % 2 else 0.0)
            for d in documents
            for k in range(cuts)
        ]

    literary = [paragraph_document(d, k, ALONE) for d in genesis for k in range(max(1, cuts // 2))]
    ntrex = variants(ntrex)
    return variants(textberg) + ntrex + literary, ntrex


def with_confidence(model: AlignmentModel, documents, sides) -> AlignmentModel:
    """``model`` with its confidence model, and its first-pass model's, fitted on
    ``documents`` (each on the documents it aligns)."""
    if model.first_pass_model:
        first = fit_confidence(documents, sides, model.first_pass())
        model = replace(model, first_pass_model=json.loads(first.to_json()))
    return fit_confidence(documents, sides, model)


def with_sentence_stage(model: AlignmentModel, documents, sides) -> AlignmentModel:
    """``model`` with its sentence stage (``app.align.sentence_evidence``) fitted on
    ``documents``, if on dev, held out, it puts more wrong beads among the 10% least
    confident than the paragraph confidence alone; else without one."""
    x, y, origin = stage_rows(model, documents, sides)
    first_stage = 1 / (1 + np.exp(-x[:, 1]))  # the paragraph probability, from its logit
    alone = _catch(first_stage, y)
    staged = _catch(held_out_by_document(x, y, origin), y)
    print(f"  sentence stage: held out, {staged} wrong beads caught against {alone} without")
    if staged <= alone:
        return replace(model, sentence_confidence={})
    w = _logistic(x, y, ridge=0.1)
    names = ["bias", *STAGE_INPUTS]
    return replace(model, sentence_confidence=dict(zip(names, map(float, w), strict=True)))


def stage_rows(model: AlignmentModel, documents, sides):
    """What the sentence stage reads, for every chosen two-sided paragraph bead of the
    documents ``model`` refines: (1, the bead's probability as a logit, its sentences'
    evidence); whether the bead is right; and the index of its document.

    Each document's chosen paragraph beads get their sentences aligned inside them, cut
    as an upload's are and by the sentence model an upload would get."""
    rows, labels, origin = [], [], []
    for k, (document, (src, tgt)) in enumerate(zip(documents, sides, strict=True)):
        if not _refined_by(src, tgt, model):
            continue
        beads = describe_beads(src, tgt, best_path(src, tgt, model), model_used(src, tgt, model))
        # A result without a model's name: its similarities stay the first stage's.
        both = with_sentences(
            AlignmentResult(beads, "fit"),
            document.src_lines,
            document.tgt_lines,
            document.src_lang,
            document.tgt_lang,
            cache=_EDGE_CACHE,
        )
        gold = {(link.src, link.tgt) for link in document.gold}
        evidence = sentence_evidence(
            beads, both.sentences.beads, both.src_sentences, both.tgt_sentences
        )
        for bead, found in zip(beads, evidence, strict=True):
            if found is None or bead.similarity is None:
                continue
            inputs = stage_inputs(bead.similarity, found)
            rows.append([1.0] + [inputs[n] for n in STAGE_INPUTS])
            src_units = tuple(range(bead.src_start, bead.src_end))
            labels.append((src_units, tuple(range(bead.tgt_start, bead.tgt_end))) in gold)
            origin.append(k)
    return np.array(rows), np.array(labels, dtype=float), np.array(origin)


def held_out_by_document(x: np.ndarray, y: np.ndarray, origin: np.ndarray, ridge=0.1):
    """Each row's probability from the logistic model fitted on the rows of the other
    documents' fold (even and odd document indices), so no document judges itself."""
    p = np.zeros(len(y))
    for fold in (0, 1):
        judged = origin % 2 == fold
        p[judged] = _predict(x[judged], _logistic(x[~judged], y[~judged], ridge=ridge))
    return p


def with_mt(base: AlignmentModel, weight: float, centre: float) -> AlignmentModel:
    """``base`` plus ``weight * (mt - centre)``: the centre moves every shape's bias (in
    the first-pass model too, if it has one of its own)."""
    first = base.first_pass_model and json.loads(
        with_mt(base.first_pass(), weight, centre).to_json()
    )
    return replace(
        base,
        name=f"{base.name}+mt",
        weights={**base.weights, "mt": weight},
        shape_bias={shape: bias - weight * centre for shape, bias in base.shape_bias.items()},
        first_pass_model=first or {},
        trained_on=f"{base.trained_on}; mt: ntrex dev perturbed",
        extra={**base.extra, "mt_weight": weight, "mt_centre": centre},
    )


def fit_mt(base: AlignmentModel, documents) -> AlignmentModel:
    """The MT weight and centre with the best strict F1 on ``documents`` (a grid)."""
    probe = with_mt(base, 1.0, 0.0)
    sides = [_sides(d, probe) for d in documents]
    best = (_f1(documents, sides, base), 0.0, 0.0)
    print(f"  {base.name} without mt: dev strict F1 {best[0]:.4f}")
    for weight in MT_WEIGHTS:
        for centre in MT_CENTRES:
            f1 = _f1(documents, sides, with_mt(base, weight, centre))
            if f1 > best[0] + 1e-9:
                best = (f1, weight, centre)
    print(f"  {base.name}+mt: weight {best[1]}, centre {best[2]}: dev strict F1 {best[0]:.4f}")
    return with_mt(base, best[1], best[2])


def with_first_pass(start: AlignmentModel, documents) -> AlignmentModel:
    """A model whose anchoring pass scores with the model itself, but which has a
    feature learnt from that pass ("lexicon"), gets the same model fitted without it for
    the anchoring pass and for documents too short to learn a lexicon from."""
    if start.anchor_feature != "model" or start.first_pass_model or not start.uses_lexicon:
        return start
    print(f"  {start.name}: fitting the first pass (no lexicon)")
    first = fit(start.first_pass(), documents)
    return replace(
        start,
        first_pass_model=json.loads(first.to_json()),
        min_lexicon_pairs=MIN_LEXICON_PAIRS,
    )


def fit_edges(base: AlignmentModel, documents, grid=EDGE_GRID) -> AlignmentModel:
    """``base`` plus the ``grid`` weights with the best strict F1 on ``documents``
    (ties go to the smaller weights, as the grid lists them first)."""
    names = list(grid)
    sides = [_sides(d, base) for d in documents]
    best = (_f1(documents, sides, base), (0.0,) * len(names))
    for weights in itertools.product(*grid.values()):
        model = replace(base, weights={**base.weights, **dict(zip(names, weights, strict=True))})
        f1 = _f1(documents, sides, model)
        if f1 > best[0] + 1e-9:
            best = (f1, weights)
    chosen = {n: w for n, w in zip(names, best[1], strict=True) if w}
    print(f"  {base.name} + {chosen}: dev strict F1 {best[0]:.4f}")
    return replace(base, weights={**base.weights, **chosen})


def fit(start: AlignmentModel, documents) -> AlignmentModel:
    shapes = [f"{a}-{b}" for a, b in start.moves if a and b]
    names = sorted(start.weights)
    sides = [_sides(d, start) for d in documents]
    w = np.array([start.weights[n] for n in names] + [-0.5] * len(shapes))
    total, steps = np.zeros_like(w), 0
    for epoch in range(EPOCHS):
        for document, (src, tgt) in zip(documents, sides, strict=True):
            model = _with_weights(start, names, shapes, w)
            predicted = best_path(src, tgt, model)
            if not _refined_by(src, tgt, model):
                continue
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
    trained_on = (
        "text+berg dev"
        if model.level == "sentence"
        else "text+berg dev, ntrex dev (perturbed) and genesis (with omissions) paragraphs"
    )
    return replace(model, calibration=_calibrate(documents, sides, model), trained_on=trained_on)


def _refined_by(src, tgt, model) -> bool:
    """Whether ``best_path`` refined with ``model`` itself, not its first-pass model (a
    document too short to learn a lexicon from): only then do its features count."""
    return model_used(src, tgt, model).uses_lexicon == model.uses_lexicon


def _sides(document, model):
    embeddings = (
        embeddings_for(
            document.src_lines,
            document.tgt_lines,
            model.concat_runs,
            model_name=model.embedding_model,
        )
        if model.uses_embeddings
        else (None, None)
    )
    translation = None
    if model.uses_mt:
        choice = scorer_choice.choose(document.src_lang, document.tgt_lang)
        translation = translate_side(choice, document.src_lines, document.tgt_lines)
    edges = None
    if model.level == "paragraph" and model.uses_embeddings:
        # Computed whether or not the model weighs "overhang" yet: the grid may add it.
        edges = tuple(
            edge_sentences(lines, lang, vectors[1], model.embedding_model, _EDGE_CACHE)
            for lines, lang, vectors in (
                (document.src_lines, document.src_lang, embeddings[0]),
                (document.tgt_lines, document.tgt_lang, embeddings[1]),
            )
        )
    return build_sides(
        document.src_lines, document.tgt_lines, *embeddings, translation, None, edges
    )


# Sentences (units' edge sentences, those aligned inside paragraph beads) are embedded
# once per run of the script, whatever the model.
_EDGE_CACHE = MemoryCache()


def _with_weights(start, names, shapes, w) -> AlignmentModel:
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
    from app.align.engine import length_ratio

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
    "anchors",
    "lexicon",
    "mt",
    "one_to_one",
    "prev_one_sided",
    "next_one_sided",
    "merged_beside_gap",
    "margin",
)


# The posterior probability (``sentences.bead_posteriors``) joins the confidence model
# only where it catches more wrong beads on dev: with which temperature, and as the
# probability, its logit or both.
POSTERIOR_TEMPERATURES = (1.0, 2.0, 3.0, 4.0)
POSTERIOR_FORMS = (("posterior",), ("posterior_logit",), ("posterior", "posterior_logit"))
# The features at a bead's edges join it the same way, where the model weighs them: a
# bead with the next unit's translation at its edge is likely part of a larger one.
EDGE_CONFIDENCE_FEATURES = ("overhang", "cut", "debris")


def fit_confidence(documents, sides, model) -> AlignmentModel:
    """Logistic regression of "the chosen bead is right" on its context, on dev.

    Each variant (without the posterior, or with it at each temperature and in each
    form; without the edge features the model weighs, or with them) is judged as
    ``alinea eval`` judges the result, by the wrong beads among the 10% least confident
    ones, but held out: fitted on one half of the dev beads and counted on the other,
    both ways (ties go to the count on all of dev, then to the simpler variant, tried
    first). The chosen variant is then fitted on all of dev.
    """
    spans = [best_path(src, tgt, model) for src, tgt in sides]
    # Only the documents the model refined itself (see ``_refined_by``).
    kept = [k for k, (src, tgt) in enumerate(sides) if _refined_by(src, tgt, model)]
    if not kept:
        return model
    documents, sides = [documents[k] for k in kept], [sides[k] for k in kept]
    spans = [spans[k] for k in kept]
    base = [n for n in CONFIDENCE_FEATURES if n in model.weights or n not in FEATURE_NAMES]
    edges = [n for n in EDGE_CONFIDENCE_FEATURES if n in model.weights]
    posteriors = [(0.0, ())] + [
        (t, form) for t in POSTERIOR_TEMPERATURES for form in POSTERIOR_FORMS
    ]
    extras = [[], edges] if edges else [[]]
    variants = [(t, form, extra) for extra in extras for t, form in posteriors]
    best = None
    for temperature, form, extra in variants:
        candidate = replace(model, posterior_temperature=temperature)
        contexts, labels = _judged_contexts(documents, sides, spans, candidate)
        names = base + extra + list(form)
        x = np.array([[1.0] + [c[n] for n in names] for c in contexts])
        y = np.array(labels, dtype=float)
        caught = (_held_out_catch(x, y), _catch(_predict(x, _logistic(x, y, ridge=0.1)), y))
        print(
            f"  confidence, posterior {temperature} {'+'.join(form) or '-'}, "
            f"edges {'+'.join(extra) or '-'}: caught {caught}"
        )
        if best is None or caught > best[0]:
            best = (caught, candidate, names, x, y)
    _, candidate, names, x, y = best
    w = _logistic(x, y, ridge=0.1)
    print(
        f"  chosen: posterior temperature {candidate.posterior_temperature}, {names[len(base) :]}"
    )
    confidence = {"bias": float(w[0])} | {n: float(v) for n, v in zip(names, w[1:], strict=True)}
    return replace(candidate, confidence=confidence)


def _judged_contexts(documents, sides, spans, model):
    """The contexts of the chosen two-sided beads, and whether each is right."""
    from app.align.engine import bead_contexts

    contexts, labels = [], []
    for document, (src, tgt), path in zip(documents, sides, spans, strict=True):
        gold = {(link.src, link.tgt) for link in document.gold}
        for ((s0, s1), (t0, t1)), context in zip(
            path, bead_contexts(src, tgt, path, model), strict=True
        ):
            if context is not None:
                contexts.append(context)
                labels.append((tuple(range(s0, s1)), tuple(range(t0, t1))) in gold)
    return contexts, labels


def _predict(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x @ w))


def _catch(p: np.ndarray, y: np.ndarray) -> int:
    """Wrong beads among the 10% with the lowest probability (rounded as reported)."""
    lowest = np.argsort(np.round(p, 4), kind="stable")[: max(1, len(p) // 10)]
    return int(np.sum(y[lowest] == 0))


def _held_out_catch(x: np.ndarray, y: np.ndarray) -> int:
    half = len(y) // 2
    first, second = slice(0, half), slice(half, None)
    return sum(
        _catch(_predict(x[test], _logistic(x[train], y[train], ridge=0.1)), y[test])
        for train, test in ((first, second), (second, first))
    )


FEATURE_NAMES = ("semantic", "length", "lexical", "anchors", "lexicon", "mt")


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
    from app.align.engine import length_ratio

    scores, labels = [], []
    for document, (src, tgt) in zip(documents, sides, strict=True):
        gold = {(link.src, link.tgt) for link in document.gold}
        ratio = length_ratio(src, tgt)
        spans = best_path(src, tgt, model)
        if not _refined_by(src, tgt, model):
            continue
        for (s0, s1), (t0, t1) in spans:
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
    from threadpoolctl import threadpool_limits

    # As in align_units: the search's small products run best on one BLAS thread.
    with threadpool_limits(1, user_api="blas"):
        raise SystemExit(main())
