"""The lexicon learnt from a document's first alignment, and the feature built on it."""

from __future__ import annotations

import random

import numpy as np
import pytest

from app.align import features, lexicon
from app.align.engine import align_units
from app.align.model import load_model

# A made-up language pair: each source word has one translation, and sentences are
# random bags of words, so only the true pairs co-occur in every sentence pair.
WORDS = {f"w{k}": f"t{k}" for k in range(30)}


def parallel_text(count: int, seed: int = 0) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    src, tgt = [], []
    for _ in range(count):
        words = rng.sample(sorted(WORDS), 6)
        src.append(" ".join(words))
        translated = [WORDS[w] for w in words]
        rng.shuffle(translated)
        tgt.append(" ".join(translated))
    return src, tgt


def partners(found: lexicon.Lexicon, src: lexicon.Vocabulary, tgt: lexicon.Vocabulary):
    src_word = {k: w for w, k in src.index.items()}
    tgt_word = {k: w for w, k in tgt.index.items()}
    out: dict[str, set[str]] = {}
    for s, t in zip(found.source, found.target, strict=True):
        out.setdefault(src_word[int(s)], set()).add(tgt_word[int(t)])
    return out


def test_a_word_that_always_cooccurs_with_another_is_its_partner():
    src_texts, tgt_texts = parallel_text(200)
    src, tgt = lexicon.Vocabulary(src_texts), lexicon.Vocabulary(tgt_texts)
    found = lexicon.learn(src, tgt, [(k, k) for k in range(200)])
    learnt = partners(found, src, tgt)
    assert set(learnt) == set(WORDS)
    for word, translation in WORDS.items():
        # The true partner has Dice 1; others at most 2 * (co-occurrences) / 80.
        assert translation in learnt[word]
    best = {
        (int(s), int(t))
        for s, t, d in zip(found.source, found.target, found.dice, strict=True)
        if d == pytest.approx(1.0)
    }
    assert best == {(src.index[w], tgt.index[t]) for w, t in WORDS.items()}


def test_learning_from_misaligned_pairs_finds_nothing_reliable():
    src_texts, tgt_texts = parallel_text(200)
    src, tgt = lexicon.Vocabulary(src_texts), lexicon.Vocabulary(tgt_texts)
    shifted = lexicon.learn(src, tgt, [(k, (k + 1) % 200) for k in range(200)])
    assert shifted.dice.max(initial=0.0) < 0.5


def test_chinese_text_is_split_into_characters_and_latin_words_kept():
    assert lexicon.tokens("耶和华说：Moses, moses!") == ["耶", "和", "华", "说", "moses"]
    assert lexicon.tokens("Der Herr sprach") == ["der", "herr", "sprach"]


def test_only_partners_among_the_best_k_of_both_words_are_kept():
    # "a" co-occurs with x in every pair and with y, z in most: with k = 1 only x.
    src = lexicon.Vocabulary(["a", "a", "a", "a"])
    tgt = lexicon.Vocabulary(["x y z", "x y z", "x y", "x"])
    one = lexicon.learn(src, tgt, [(k, k) for k in range(4)], partners=1)
    assert partners(one, src, tgt) == {"a": {"x"}}
    three = lexicon.learn(src, tgt, [(k, k) for k in range(4)], partners=3)
    assert partners(three, src, tgt) == {"a": {"x", "y", "z"}}


def test_overlong_sentences_are_not_learnt_from():
    long_src = " ".join(f"s{k}" for k in range(lexicon.MAX_TOKENS + 1))
    src = lexicon.Vocabulary([long_src, "a b", long_src, "a b"])
    tgt = lexicon.Vocabulary(["x", "y", "x", "y"])
    found = lexicon.learn(src, tgt, [(k, k) for k in range(4)])
    assert partners(found, src, tgt) == {"a": {"y"}, "b": {"y"}}


def lexicon_sides(src_texts, tgt_texts, pairs):
    src = features.SideArrays.build(src_texts, None)
    tgt = features.SideArrays.build(tgt_texts, None)
    features.attach_lexicon(src, tgt, pairs)
    return src, tgt


def test_the_feature_ranks_the_true_pair_above_a_wrong_one():
    src_texts, tgt_texts = parallel_text(200)
    src, tgt = lexicon_sides(src_texts, tgt_texts, [(k, k) for k in range(200)])
    rows = np.array([51, 51, 51])
    cols = np.array([51, 52, 90])
    right, *wrong = features.lexicon(src, tgt, 1, 1, rows, cols)
    assert right > 0.9
    assert max(wrong) < right - 0.4


def test_sentences_without_words_or_pairs_give_zero_not_an_error():
    src, tgt = lexicon_sides(["...", "!!"], ["??", ""], [(0, 0), (1, 1)])
    assert features.lexicon(src, tgt, 1, 1, np.array([1, 2]), np.array([1, 2])).tolist() == [0, 0]
    src, tgt = lexicon_sides(["a b", "c"], ["x", "y z"], [])
    assert features.lexicon(src, tgt, 2, 2, np.array([2]), np.array([2])).tolist() == [0]


def direct_cosine(src_texts, tgt_texts, found, src_words, tgt_words, s0, s1, t0, t1):
    """The feature from its definition, word by word, without vectors or hashing."""
    translations: dict[str, dict[str, float]] = {}
    src_word = {k: w for w, k in src_words.index.items()}
    tgt_word = {k: w for w, k in tgt_words.index.items()}
    for s, t, d in zip(found.source, found.target, found.dice, strict=True):
        translations.setdefault(tgt_word[int(t)], {})[src_word[int(s)]] = float(d)
    known = set(translations_of_source(found, src_word))
    x: dict[str, float] = {}
    for text in src_texts[s0:s1]:
        for word in lexicon.tokens(text):
            if word in known:
                x[word] = x.get(word, 0.0) + 1.0
    y: dict[str, float] = {}
    for text in tgt_texts[t0:t1]:
        for word in lexicon.tokens(text):
            for source_word, dice in translations.get(word, {}).items():
                y[source_word] = y.get(source_word, 0.0) + dice
    dot = sum(v * y.get(k, 0.0) for k, v in x.items())
    norms = np.sqrt(sum(v * v for v in x.values())) * np.sqrt(sum(v * v for v in y.values()))
    return dot / norms if norms else 0.0


def translations_of_source(found, src_word):
    return {src_word[int(s)] for s in found.source}


def test_the_vectorised_feature_matches_a_direct_computation():
    src_texts, tgt_texts = parallel_text(120, seed=3)
    # Noisy pairs, so that the lexicon holds wrong partners and weights below 1 too.
    pairs = [(k, k) for k in range(0, 120, 2)] + [(k, (k + 3) % 120) for k in range(1, 120, 4)]
    src, tgt = lexicon_sides(src_texts, tgt_texts, pairs)
    found = lexicon.learn(src.tokens(), tgt.tokens(), pairs)
    assert (found.dice < 1).any()
    rng = np.random.default_rng(0)
    for a, b in ((1, 1), (1, 2), (2, 1), (3, 2), (1, 4)):
        rows = rng.integers(a, 121, size=20)
        cols = rng.integers(b, 121, size=20)
        vectorised = features.lexicon(src, tgt, a, b, rows, cols)
        direct = [
            direct_cosine(
                src_texts, tgt_texts, found, src.tokens(), tgt.tokens(), i - a, i, j - b, j
            )
            for i, j in zip(rows, cols, strict=True)
        ]
        np.testing.assert_allclose(vectorised, direct, atol=1e-5)
    # One source row against a stretch of target columns: the search's fast path.
    cols = np.arange(5, 40)
    rows = np.full(cols.size, 17)
    np.testing.assert_allclose(
        features.lexicon(src, tgt, 2, 1, rows, cols),
        features.lexicon(src, tgt, 2, 1, rows.copy(), cols[::-1].copy())[::-1],
        atol=1e-6,
    )


def test_the_fast_model_learns_its_lexicon_from_a_long_text():
    src_texts, tgt_texts = parallel_text(400, seed=5)
    model = load_model("fast")
    assert model.uses_lexicon and model.min_lexicon_pairs <= 300
    result = align_units(src_texts, tgt_texts, model)
    assert "lexicon" in result.parameters["scorers"]
    assert all("lexicon" in bead.scores for bead in result.beads if bead.scores)
    right = sum(
        (b.src_start, b.src_end, b.tgt_start, b.tgt_end) == (k, k + 1, k, k + 1)
        for k, b in enumerate(result.beads)
    )
    assert right >= 390


def test_a_text_too_short_to_learn_from_is_aligned_by_the_first_pass_model():
    src_texts, tgt_texts = parallel_text(30, seed=5)
    model = load_model("fast")
    assert model.min_lexicon_pairs > 30
    result = align_units(src_texts, tgt_texts, model)
    assert "lexicon" not in result.parameters["scorers"]
    assert all(bead.scores and "lexicon" not in bead.scores for bead in result.beads)
