"""The alignment engine: any two sequences of units (paragraphs or sentences) in
near-linear time, one search and one set of features for both levels.

Two passes, both with the banded search of ``banded.py``:

1. Anchoring: 1-1 beads (and skips) scored by one similarity alone, in a band around
   the documents' diagonal wide enough for translations that drift (a few percent of
   the length). This finds where the translation runs. Models with the "lexicon"
   feature then learn the document's own lexicon from its 1-1 beads (``lexicon.py``).
2. Refinement: every move of the model (up to 1-4/4-1 for sentences, 3-1/1-3 for
   paragraphs), scored by a linear model over the bead's features, in a narrow band
   around the anchoring path.

A level differs only by its fitted model (``models/<level>-<name>.json``): the linear
model's weights were fitted by a structured perceptron on dev data
(``bench/fit_model.py``), which tunes them for whole alignments rather than for single
pairs. A second, logistic step turns a chosen bead's context into a calibrated
probability that the bead is right.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from app.align import banded, features, posterior
from app.align.model import AlignmentModel, logistic, with_weights
from app.align.result import AlignmentResult
from app.segments import BeadSpan

METHOD = "alinea-banded/2"
LEVELS = ("paragraph", "sentence")
# Per side, the vectors of each unit's first and of its last sentence, (n, d) each.
EdgeSentences = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def build_sides(
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    src_embeddings: dict[int, np.ndarray] | None = None,
    tgt_embeddings: dict[int, np.ndarray] | None = None,
    translation: tuple[str, Sequence[str]] | None = None,
    headings: tuple[Sequence[bool], Sequence[bool]] | None = None,
    edge_sentences: EdgeSentences | None = None,
) -> tuple[features.SideArrays, features.SideArrays]:
    """Both sides as arrays. ``translation``: ("source" or "target", the machine
    translation of that side's units), for the MT feature; ``headings``: which units of
    each side are headings, for the structure feature; ``edge_sentences``: each side's
    vectors of its units' first and last sentences, for the overhang feature."""
    src_texts, tgt_texts = list(src_texts), list(tgt_texts)
    src_chrf = tgt_chrf = None
    if translation is not None:
        side, translated = translation
        src_chrf = list(translated) if side == "source" else src_texts
        tgt_chrf = list(translated) if side == "target" else tgt_texts
    translated_side = translation[0] if translation else ""
    src_headings, tgt_headings = (list(h) for h in headings) if headings else (None, None)
    src_edges, tgt_edges = edge_sentences or (None, None)
    src = features.SideArrays.build(
        src_texts, src_embeddings, src_chrf, translated_side == "source", src_headings, src_edges
    )
    tgt = features.SideArrays.build(
        tgt_texts, tgt_embeddings, tgt_chrf, translated_side == "target", tgt_headings, tgt_edges
    )
    features.drop_names_across_scripts(src, tgt, src_texts, tgt_texts)
    return src, tgt


def align_units(
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    model: AlignmentModel,
    src_embeddings: dict[int, np.ndarray] | None = None,
    tgt_embeddings: dict[int, np.ndarray] | None = None,
    translation: tuple[str, Sequence[str]] | None = None,
    headings: tuple[Sequence[bool], Sequence[bool]] | None = None,
    regions: Regions | None = None,
    edge_sentences: EdgeSentences | None = None,
) -> AlignmentResult:
    """Align two sequences of units; embeddings are needed when the model uses them, and
    a machine translation of one side (see ``build_sides``) when it uses "mt". With
    ``regions``, no two-sided bead leaves its region (see ``Regions``)."""
    src, tgt = build_sides(
        src_texts, tgt_texts, src_embeddings, tgt_embeddings, translation, headings, edge_sentences
    )
    if model.uses_embeddings and (src.semantic is None or tgt.semantic is None):
        raise ValueError(f"model {model.name!r} needs sentence embeddings")
    if model.uses_edge_sentences and (src.edge_sentences is None or tgt.edge_sentences is None):
        raise ValueError(f"model {model.name!r} needs the units' edge sentences")
    if model.uses_mt and src.chrf is None:
        raise ValueError(f"model {model.name!r} needs a machine translation")
    # The search multiplies small matrices by vectors, row after row: a multi-threaded
    # BLAS spends more time waking its threads than computing (on a busy machine ten
    # times more), so it gets one thread here.
    with threadpool_limits(1, user_api="blas"):
        spans = best_path(src, tgt, model, regions)
        used = model_used(src, tgt, model)
        beads = describe_beads(src, tgt, spans, used, regions)
    return AlignmentResult(
        beads=beads,
        method=METHOD,
        parameters={
            "level": model.level,
            "model": model.name,
            "scorers": sorted(used.weights),
            "trained_on": model.trained_on,
            "moves": [f"{a}-{b}" for a, b in model.moves],
            "band": model.band,
            # What a reviewer's new beads are scored with (see ``levels.rescore``).
            "length_ratio": round(length_ratio(src, tgt), 6),
        },
    )


@dataclass(frozen=True)
class Regions:
    """Which region (a paragraph bead) each unit lies in, on both sides: a two-sided
    bead keeps to one region, so sentence beads never cross paragraph beads."""

    src: np.ndarray  # (n,) the region of each source unit
    tgt: np.ndarray  # (m,)
    boxes: tuple[tuple[int, int, int, int], ...]  # (s0, s1, t0, t1) of each region

    @classmethod
    def from_boxes(cls, boxes: Sequence[tuple[int, int, int, int]]) -> Regions:
        """Regions from boxes that tile both sides in order (as beads do)."""
        src = [np.full(s1 - s0, k, dtype=np.int64) for k, (s0, s1, _, _) in enumerate(boxes)]
        tgt = [np.full(t1 - t0, k, dtype=np.int64) for k, (_, _, t0, t1) in enumerate(boxes)]
        empty = np.zeros(0, dtype=np.int64)
        return cls(np.concatenate([empty, *src]), np.concatenate([empty, *tgt]), tuple(boxes))

    def allows(self, a: int, b: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Whether each candidate bead (shape a-b, ending at rows, cols) keeps to one region."""
        region = self.src[rows - a]
        return (
            (region == self.src[rows - 1])
            & (region == self.tgt[cols - b])
            & (region == self.tgt[cols - 1])
        )

    def band(self, n: int, m: int, width: int) -> banded.Band:
        """Each region's cells within ``width`` columns of its diagonal."""
        lo, hi = np.full(n + 1, m, dtype=np.int64), np.zeros(n + 1, dtype=np.int64)
        for s0, s1, t0, t1 in self.boxes:
            if s0 == s1:  # target units alone: the row runs along all of them
                lo[s0], hi[s0] = min(lo[s0], t0), max(hi[s0], t1)
                continue
            rows = np.arange(s0, s1 + 1)
            centre = t0 + (t1 - t0) * (rows - s0) / max(s1 - s0, 1)
            lo[rows] = np.minimum(lo[rows], np.maximum(t0, np.floor(centre - width)))
            hi[rows] = np.maximum(hi[rows], np.minimum(t1, np.ceil(centre + width)))
        return banded.Band.valid(lo, hi, m)


def masked(gain: banded.GainFunction, regions: Regions | None) -> banded.GainFunction:
    """``gain``, with -inf for the beads that leave their region."""
    if regions is None:
        return gain

    def inside(a: int, b: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        out = np.full(rows.size, banded.NEG)
        kept = regions.allows(a, b, rows, cols)
        if kept.any():
            out[kept] = gain(a, b, rows[kept], cols[kept])
        return out

    return inside


def model_gain(
    src, tgt, model: AlignmentModel, regions: Regions | None = None, ratio: float | None = None
):
    """The search's gain: the model's score of each candidate bead. ``ratio``: the
    documents' length ratio, when the sides hold only a stretch of them."""
    ratio = length_ratio(src, tgt) if ratio is None else ratio

    def gain(a: int, b: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return model.score(bead_features(src, tgt, a, b, rows, cols, ratio, model.weights), a, b)

    return masked(gain, regions)


def best_path(
    src: features.SideArrays,
    tgt: features.SideArrays,
    model: AlignmentModel,
    regions: Regions | None = None,
):
    """The highest-scoring monotone path, as ((s0, s1), (t0, t1)) spans; with
    ``regions``, no two-sided bead leaves its region."""
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [((k, k + 1), (0, 0)) for k in range(n)] + [((n, n), (k, k + 1)) for k in range(m)]
    anchoring = anchor_beads(src, tgt, model, regions)
    model = refining_model(src, tgt, model, anchoring)
    band = banded.Band.around(path_centre(anchoring, n), model.band, m)
    gain = model_gain(src, tgt, model, regions)
    return banded.canonical_order(banded.search(n, m, model.moves, gain, band))


def refining_model(src, tgt, model: AlignmentModel, anchoring) -> AlignmentModel:
    """``model``, once the sides have the lexicon learnt from the anchoring pass's 1-1
    beads if it uses one; or its first-pass model if they are too few to learn from."""
    if not model.uses_lexicon:
        return model
    pairs = one_to_one(anchoring)
    if len(pairs) < model.min_lexicon_pairs and model.first_pass_model:
        src.lexicon = tgt.lexicon = None
        return model.first_pass()
    features.attach_lexicon(src, tgt, pairs)
    return model


def model_used(src, tgt, model: AlignmentModel) -> AlignmentModel:
    """The model ``best_path`` refined with on these sides (see ``refining_model``)."""
    if model.uses_lexicon and src.lexicon is None and model.first_pass_model:
        return model.first_pass()
    return model


def describe_beads(
    src, tgt, spans, model: AlignmentModel, regions=None, ratio: float | None = None
) -> list[BeadSpan]:
    """The chosen beads with their features and the probability that each is right."""
    beads = []
    for ((s0, s1), (t0, t1)), context in zip(
        spans, bead_contexts(src, tgt, spans, model, regions, ratio), strict=True
    ):
        if context is None:
            beads.append(BeadSpan(s0, s1, t0, t1))
            continue
        scores = {name: round(context[name], 4) for name in sorted(model.weights)}
        beads.append(BeadSpan(s0, s1, t0, t1, round(confidence(context, model), 4), scores))
    return beads


MARGIN_CAP = 10.0


def bead_contexts(
    src,
    tgt,
    spans,
    model: AlignmentModel,
    regions: Regions | None = None,
    ratio: float | None = None,
) -> list[dict[str, float] | None]:
    """What says whether each chosen two-sided bead is right (None for one-sided beads):
    its features and score; whether it is 1-1 and stands beside a one-sided bead (most
    wrong beads are near-misses there: a 1-2 where the truth is a 1-1 and a 0-1); and its
    margin, its score minus the best the search could have had instead around it (the
    bead cut in two, one part perhaps one-sided, or merged with a one-sided neighbour);
    and, when the model has a posterior temperature, its posterior probability (the share
    of all nearby paths' weight that passes through it) and that probability's logit.
    Candidates are scored in batches, one per shape."""
    ratio = length_ratio(src, tgt) if ratio is None else ratio
    moves = set(model.moves)
    wanted: dict[tuple[int, int], set[tuple[int, int]]] = {}

    def part(i0, i1, j0, j1):
        a, b = i1 - i0, j1 - j0
        if a == 0 or b == 0:
            return ()
        if (a, b) not in moves:
            return None
        if regions is not None and not regions.allows(a, b, np.array([i1]), np.array([j1]))[0]:
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
        # Only the model's own features: the confidence model weighs no others.
        batch = bead_features(src, tgt, a, b, rows, cols, ratio, model.weights)
        scores = model.score({n: batch[n] for n in model.weights}, a, b)
        for index, (i, j) in enumerate(ordered):
            values[(a, b, i, j)] = {n: float(v[index]) for n, v in batch.items()} | {
                "score": float(scores[index])
            }

    marginal = (
        bead_posteriors(src, tgt, spans, model, regions, ratio)
        if model.posterior_temperature
        else None
    )
    out: list[dict[str, float] | None] = []
    for k, ((s0, s1), (t0, t1)) in enumerate(spans):
        if k not in plans:
            out.append(None)
            continue
        a, b = s1 - s0, t1 - t0
        context = dict(values[(a, b, s1, t1)])
        if marginal is not None:
            context["posterior"] = float(marginal[k])
            context["posterior_logit"] = _logit(marginal[k])
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


LOGIT_CAP = 10.0


def _logit(p: float) -> float:
    p = min(max(float(p), math.exp(-LOGIT_CAP)), 1 - math.exp(-LOGIT_CAP))
    return math.log(p / (1 - p))


def bead_posteriors(
    src, tgt, spans, model: AlignmentModel, regions=None, ratio: float | None = None
) -> np.ndarray:
    """Each chosen bead's posterior probability under the model's scores (see
    ``posterior.py``), summed over the paths near the chosen one: paths that stray
    further carry next to no weight, and a narrow band keeps this cheap."""
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return np.ones(len(spans))
    band = band_around_path(spans, n, m, model.posterior_width)
    gain = model_gain(src, tgt, model, regions, ratio)
    return posterior.marginals(n, m, model.moves, gain, band, spans, model.posterior_temperature)


def band_around_path(spans, n: int, m: int, width: int) -> banded.Band:
    """The columns within ``width`` of those a path of spans visits on each row (a row
    may hold several cells of the path, linked by insertions)."""
    first, last = np.full(n + 1, np.inf), np.full(n + 1, -np.inf)
    first[0] = last[0] = 0
    for (s0, s1), (t0, t1) in spans:
        if s1 > s0:
            # A many-source bead passes its inner rows somewhere between t0 and t1.
            first[s0 + 1 : s1 + 1] = np.minimum(first[s0 + 1 : s1 + 1], t0)
        first[s1], last[s1] = min(first[s1], t1), max(last[s1], t1)
        last[s0 + 1 : s1 + 1] = np.maximum(last[s0 + 1 : s1 + 1], t1)
    low = banded.Band.around(first, width, m)
    high = banded.Band.around(last, width, m)
    # Both bands are valid (monotone, neighbouring rows overlap), and so is their union.
    return banded.Band(np.minimum(low.lo, high.lo), np.maximum(low.hi, high.hi))


def confidence(context: dict[str, float], model: AlignmentModel) -> float:
    if not model.confidence:
        return model.probability(context["score"])
    return logistic(model.confidence, context)


def _one_sided(span) -> bool:
    (s0, s1), (t0, t1) = span
    return s0 == s1 or t0 == t1


def length_ratio(src: features.SideArrays, tgt: features.SideArrays) -> float:
    s, t = src.cumulative_chars[-1], tgt.cumulative_chars[-1]
    return float(t / s) if s and t else 1.0


def bead_features(src, tgt, a, b, rows, cols, ratio, names=None) -> dict[str, np.ndarray]:
    """The features of the candidate beads ending at (rows, cols) with shape a-b: those
    in ``names``, or every one the sides allow (see ``features.FEATURES``)."""
    wanted = features.available(src, tgt) if names is None else names
    return features.compute(wanted, src, tgt, a, b, rows, cols, ratio)


def available_features(src: features.SideArrays, tgt: features.SideArrays) -> list[str]:
    """The features both sides have what it takes to compute."""
    return features.available(src, tgt)


# Past this many sentences the anchoring band (a share of the length on each side of
# the diagonal) would grow with the square of the length; the path is then found on
# blocks of sentences first, and the anchoring pass searches a fixed width around it
# (when it compares vectors, see ``anchor_beads``).
COARSE_FROM = 2000
COARSE_BLOCKS = 1000
COARSE_WIDTH_SHARE = 0.25


def anchor_beads(
    src: features.SideArrays,
    tgt: features.SideArrays,
    model: AlignmentModel,
    regions: Regions | None = None,
):
    """The beads of the first pass (1-1 and skips, or the moves of ``anchor_moves``), as
    ((s0, s1), (t0, t1)) spans. With ``regions``, they show where the translation runs:
    the search keeps near each region's diagonal."""
    n, m = len(src), len(tgt)
    if regions is not None:
        width = max(model.min_anchor_width, math.ceil(model.anchor_width_share * max(n, m)))
        band = regions.band(n, m, width)
        gain = masked(anchor_gain(src, tgt, model), regions)
        return banded.search(n, m, model.anchor_moves, gain, band)
    if max(n, m) <= COARSE_FROM or model.anchor_feature not in ("semantic", "lexical"):
        # Blocks keep what a vector space says (a block's vector is its sentences'
        # sum), but not what lengths and anchors say between languages as far apart as
        # English and Chinese: there the coarse path strayed far from the sentence
        # level's, so the fast models keep the proportional band.
        width = max(model.min_anchor_width, math.ceil(model.anchor_width_share * max(n, m)))
        band = banded.Band.diagonal(n, m, width)
    else:
        centre, block = coarse_path(src, tgt, model)
        band = banded.Band.around(centre, max(model.min_anchor_width, 2 * block), m)
    return banded.search(n, m, model.anchor_moves, anchor_gain(src, tgt, model), band)


def coarse_path(
    src: features.SideArrays, tgt: features.SideArrays, model: AlignmentModel
) -> tuple[np.ndarray, int]:
    """Where the translation runs, found on blocks of consecutive sentences (about
    ``COARSE_BLOCKS`` per side, the target's blocks scaled to the documents' ratio of
    sentences), as a target position per source position; and the target block size.
    Blocks cover the same stretch of text on both sides, so the anchoring gain still
    tells a matching block pair from its neighbours."""
    n, m = len(src), len(tgt)
    src_block = max(1, math.ceil(max(n, m) / COARSE_BLOCKS * n / max(n, m)))
    tgt_block = max(1, math.ceil(max(n, m) / COARSE_BLOCKS * m / max(n, m)))
    coarse_src, coarse_tgt = features.blocks(src, src_block), features.blocks(tgt, tgt_block)
    cn, cm = len(coarse_src), len(coarse_tgt)
    # Blocks are few, so their band can be wide: a quarter of the text either way.
    width = max(model.min_anchor_width, math.ceil(COARSE_WIDTH_SHARE * max(cn, cm)))
    moves = sorted(set(model.anchor_moves) | {(1, 0), (0, 1), (1, 1), (1, 2), (2, 1)})
    gain = anchor_gain(coarse_src, coarse_tgt, model)
    spans = banded.search(cn, cm, moves, gain, banded.Band.diagonal(cn, cm, width))
    coarse = path_centre(spans, cn)
    # Back to sentences: block k of the source starts at sentence k * src_block.
    positions = np.minimum(np.arange(cn + 1) * src_block, n)
    targets = np.minimum(coarse * tgt_block, m)
    return np.interp(np.arange(n + 1), positions, targets), tgt_block


def anchor_gain(src: features.SideArrays, tgt: features.SideArrays, model: AlignmentModel):
    """The anchoring pass's gain: one feature less a threshold, or the model's score."""
    ratio = length_ratio(src, tgt)
    first = with_weights(model.first_pass(), available_features(src, tgt))

    def gain(a: int, b: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        if model.anchor_feature == "model":
            values = bead_features(src, tgt, a, b, rows, cols, ratio, first.weights)
            return first.score(values, a, b)
        # One feature alone: length, meaning, or else the characters both sides share.
        name = model.anchor_feature if model.anchor_feature in ("length", "semantic") else "lexical"
        value = features.FEATURES[name].values(src, tgt, a, b, rows, cols, ratio)
        return value - model.anchor_threshold

    return gain


def one_to_one(spans) -> list[tuple[int, int]]:
    """The (source, target) sentence of each 1-1 bead."""
    return [(s0, t0) for (s0, s1), (t0, t1) in spans if s1 - s0 == 1 and t1 - t0 == 1]


def path_centre(spans, n: int) -> np.ndarray:
    """For each source position 0..n, the target position the beads pass through."""
    centre = np.zeros(n + 1)
    for (s0, s1), (t0, t1) in spans:
        if s1 > s0:
            # Spread a bead's target span over its source rows.
            centre[s0 + 1 : s1 + 1] = t0 + (t1 - t0) * np.arange(1, s1 - s0 + 1) / (s1 - s0)
    return centre
