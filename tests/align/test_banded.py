"""The vectorised banded search and the sentence aligner on inputs with a known answer."""

import numpy as np
import pytest

from app.align import banded, features
from app.align.engine import COARSE_FROM, align_units, build_sides, coarse_path
from app.align.model import load_model

# A synthetic document pair: each sentence is a set of "meaning" ids; a bead is right
# when both sides hold the same ids.
MOVES = [(1, 0), (0, 1), (1, 1), (1, 2), (2, 1), (2, 2)]


def synthetic(shapes):
    src, tgt, expected, k = [], [], [], 0
    for a, b in shapes:
        ids = list(range(k, k + max(a, b, 1) + (a == b == 2)))
        k += len(ids)
        s = [frozenset(ids)] if a == 1 else [frozenset([i]) for i in ids][:a]
        t = [frozenset(ids)] if b == 1 else [frozenset([i]) for i in ids][:b]
        if a == b == 2:
            # Crossing boundaries, so that only the 2-2 bead pairs equal meanings.
            s = [frozenset(ids[:1]), frozenset(ids[1:])]
            t = [frozenset(ids[:2]), frozenset(ids[2:])]
        expected.append(((len(src), len(src) + a), (len(tgt), len(tgt) + b)))
        src += s if a else []
        tgt += t if b else []
    return src, tgt, expected


def gain_for(src, tgt):
    def gain(a, b, rows, cols):
        out = np.empty(rows.size)
        for q, (i, j) in enumerate(zip(rows, cols, strict=True)):
            same = frozenset().union(*src[i - a : i]) == frozenset().union(*tgt[j - b : j])
            out[q] = 1.0 - 0.2 * (a + b - 2) if same else -1.0
        return out

    return gain


@pytest.mark.parametrize(
    "shapes",
    [
        [(1, 1)] * 6,
        [(1, 1), (2, 1), (1, 1)],
        [(1, 1), (1, 2), (1, 1)],
        [(1, 1), (2, 2), (1, 1)],
        [(1, 1), (1, 0), (1, 1)],
        [(0, 1), (1, 1), (1, 1), (0, 1)],
    ],
)
def test_the_banded_search_recovers_known_merges_splits_and_gaps(shapes):
    src, tgt, expected = synthetic(shapes)
    band = banded.Band.diagonal(len(src), len(tgt), 10)
    assert banded.search(len(src), len(tgt), MOVES, gain_for(src, tgt), band) == expected


def test_a_long_pair_is_solved_visiting_only_the_band():
    rng = np.random.default_rng(3)
    shapes = [(1, 1)] * 900 + [(1, 2)] * 50 + [(2, 1)] * 40 + [(1, 0)] * 5 + [(0, 1)] * 5
    order = rng.permutation(len(shapes))
    shapes = [shapes[k] for k in order if True]
    shapes = [s for k, s in enumerate(shapes) if not (s == (1, 0) and shapes[k - 1] == (0, 1))]
    src, tgt, expected = synthetic(shapes)
    band = banded.Band.diagonal(len(src), len(tgt), 40)
    assert band.cells < (len(src) + 1) * (len(tgt) + 1) / 5
    spans = banded.search(len(src), len(tgt), MOVES, gain_for(src, tgt), band)
    assert set(spans) == set(expected)


def test_a_band_around_a_jumping_centre_keeps_every_row_reachable():
    centre = np.array([0, 1, 2, 30, 31, 32], dtype=float)
    band = banded.Band.around(centre, 2, 33)
    assert band.lo[0] == 0 and band.hi[-1] == 33
    assert all(band.lo[i + 1] <= band.hi[i] for i in range(len(centre) - 1))


def one_hot_embeddings(sentences, size=64):
    vectors = np.zeros((len(sentences), size), dtype=np.float32)
    for row, ids in enumerate(sentences):
        for i in ids:
            vectors[row, i % size] = 1.0
    return {1: vectors / np.linalg.norm(vectors, axis=1, keepdims=True)}


@pytest.mark.parametrize(
    "shapes",
    [
        [(1, 1)] * 8,
        [(1, 1), (1, 1), (1, 2), (1, 1), (1, 1)],
        [(1, 1), (1, 1), (2, 1), (1, 1), (1, 1)],
        [(1, 1), (1, 1), (1, 0), (1, 1), (1, 1)],
        [(1, 1), (1, 1), (0, 1), (1, 1), (1, 1)],
    ],
)
def test_the_sentence_aligner_follows_the_meaning_it_is_given(shapes):
    src, tgt, expected = synthetic(shapes)
    # Texts of equal length per id, so the length feature agrees with the meaning.
    src_texts = [" ".join(f"word{i:03d}" for i in sorted(ids)) for ids in src]
    tgt_texts = [" ".join(f"mot{i:03d}xx" for i in sorted(ids)) for ids in tgt]
    result = align_units(
        src_texts,
        tgt_texts,
        load_model("semantic"),
        one_hot_embeddings(src),
        one_hot_embeddings(tgt),
    )
    spans = [((b.src_start, b.src_end), (b.tgt_start, b.tgt_end)) for b in result.beads]
    assert spans == expected
    assert all(0.0 <= b.similarity <= 1.0 for b in result.beads if b.similarity is not None)


def test_the_semantic_model_refuses_to_run_without_embeddings():
    with pytest.raises(ValueError, match="needs sentence embeddings"):
        align_units(["a"], ["b"], load_model("semantic"))


def test_the_fast_model_needs_no_embeddings():
    result = align_units(
        ["Der Mont Blanc misst 4808 m.", "Zermatt liegt im Wallis."],
        ["Le Mont Blanc mesure 4808 m.", "Zermatt se trouve en Valais."],
        load_model("fast"),
    )
    assert [(b.src_start, b.tgt_start) for b in result.beads] == [(0, 0), (1, 1)]


def a_long_translation_with_an_inserted_chapter(n=2400, inserted=300, at=1200, seed=5):
    """Sentence vectors of a long text and of its translation, into which ``inserted``
    unrelated sentences were put at ``at``: far more drift than the proportional band
    of the anchoring pass (4% of the length) would allow for."""
    rng = np.random.default_rng(seed)
    src = rng.normal(size=(n, 64))
    tgt = src + 0.4 * rng.normal(size=(n, 64))
    tgt = np.concatenate([tgt[:at], rng.normal(size=(inserted, 64)), tgt[at:]])
    unit = lambda v: (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)  # noqa: E731
    texts = lambda k: ["Eine Zeile, gleich lang."] * k  # noqa: E731
    return texts(n), texts(n + inserted), unit(src), unit(tgt)


def test_a_long_text_is_anchored_on_blocks_of_sentences_first():
    src_texts, tgt_texts, src, tgt = a_long_translation_with_an_inserted_chapter()
    model = load_model("semantic-sums")
    sides = build_sides(src_texts, tgt_texts, {1: src}, {1: tgt})
    centre, block = coarse_path(*sides, model)
    truth = np.concatenate([np.arange(1201), np.arange(1201, 2401) + 300])
    assert len(src_texts) > COARSE_FROM
    # Off only where the path jumps over the inserted chapter, within a block or two.
    off = np.flatnonzero(np.abs(centre - truth) > 2 * block)
    assert off.size == 0 or (off.min() >= 1200 - 2 * block and off.max() <= 1200 + 2 * block)

    result = align_units(src_texts, tgt_texts, model, {1: src}, {1: tgt})
    pairs = {(b.src_start, b.tgt_start) for b in result.beads if b.src_end - b.src_start == 1}
    right = {(i, i if i < 1200 else i + 300) for i in range(2400)}
    assert len(pairs & right) >= 0.99 * 2400
    inserted = [b for b in result.beads if b.src_start == b.src_end]
    assert sum(b.tgt_end - b.tgt_start for b in inserted) >= 290


def test_a_block_of_sentences_sums_its_sentences():
    texts = ["Zermatt (1620 m)?", "Le Cervin!", "Noch ein Satz.", "Fin."]
    vectors = np.eye(4, dtype=np.float32)
    side = build_sides(texts, texts, {1: vectors}, {1: vectors})[0]
    coarse = features.blocks(side, 3)
    assert len(coarse) == 2
    np.testing.assert_allclose(coarse.semantic.vectors, [[1, 1, 1, 0], [0, 0, 0, 1]])
    assert coarse.cumulative_chars.tolist() == [
        0.0,
        side.cumulative_chars[3],
        side.cumulative_chars[4],
    ]
    np.testing.assert_array_equal(coarse.anchors[0], side.anchors[:3].sum(axis=0))
