"""The confidence of chosen beads on a synthetic text with a planted wrong bead."""

from dataclasses import replace

import numpy as np

from app.align.engine import band_around_path, bead_posteriors, build_sides, describe_beads
from app.align.model import load_model

from .test_banded import one_hot_embeddings

PAIRS = 10
JUNK_AFTER = 4  # the target line after target sentence 4 translates nothing


def synthetic_pair():
    """Ten sentences each way with the same meanings, and one target line of its own."""
    src = [frozenset([i]) for i in range(PAIRS)]
    tgt = [frozenset([i]) for i in range(PAIRS)]
    tgt.insert(JUNK_AFTER + 1, frozenset([50]))
    src_texts = [" ".join(f"word{i:03d}" for i in sorted(ids)) for ids in src]
    tgt_texts = [" ".join(f"mot{i:03d}xx" for i in sorted(ids)) for ids in tgt]
    return build_sides(src_texts, tgt_texts, one_hot_embeddings(src), one_hot_embeddings(tgt))


def planted_path():
    """The right path, except that the junk line is folded into the bead before it."""
    shift = lambda i: i + (i > JUNK_AFTER)  # noqa: E731
    spans = [((i, i + 1), (shift(i), shift(i) + 1)) for i in range(PAIRS)]
    spans[JUNK_AFTER] = ((JUNK_AFTER, JUNK_AFTER + 1), (JUNK_AFTER, JUNK_AFTER + 2))
    return spans


def test_the_planted_wrong_bead_gets_the_lowest_confidence():
    src, tgt = synthetic_pair()
    model = load_model("semantic")
    beads = describe_beads(src, tgt, planted_path(), model)
    similarity = [b.similarity for b in beads]
    planted = similarity.pop(JUNK_AFTER)
    assert planted < min(similarity)


def test_the_planted_wrong_bead_gets_the_lowest_posterior():
    src, tgt = synthetic_pair()
    model = replace(load_model("semantic"), posterior_temperature=2.0)
    marginal = list(bead_posteriors(src, tgt, planted_path(), model))
    planted = marginal.pop(JUNK_AFTER)
    assert planted < 0.5 < min(marginal)
    assert np.all(np.array(marginal) <= 1.0 + 1e-9)


def test_the_band_around_a_path_holds_every_cell_the_path_visits():
    spans = [
        ((0, 1), (0, 1)),
        ((1, 1), (1, 2)),
        ((1, 1), (2, 3)),
        ((1, 4), (3, 4)),
        ((4, 5), (4, 4)),
    ]
    band = band_around_path(spans, 5, 4, width=0)
    for (s0, s1), (t0, t1) in spans:
        for i, j in ((s0, t0), (s1, t1)):
            assert band.lo[i] <= j <= band.hi[i]
