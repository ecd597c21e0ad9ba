"""The vectorised sentence features: length in weighted characters, anchors, hashed chrF."""

from __future__ import annotations

import numpy as np
import pytest
from sacrebleu.metrics import CHRF

from app.align import features


def sides(src: list[str], tgt: list[str]):
    pair = features.SideArrays.build(src, None, src), features.SideArrays.build(tgt, None, tgt)
    features.drop_names_across_scripts(*pair, src, tgt)
    return pair


def one_to_one(feature, src, tgt, i, j, *args):
    return float(feature(src, tgt, 1, 1, np.array([i + 1]), np.array([j + 1]), *args)[0])


def test_cjk_characters_count_three_times():
    assert features.weighted_length("abc") == 3
    assert features.weighted_length("耶和华") == 9
    assert features.weighted_length("耶和华 said") == 14
    assert features.weighted_length("한국어") == 9


def test_the_length_feature_does_not_depend_on_the_targets_unit():
    src, _ = sides(["a" * 40, "a" * 80], ["x"])
    short, _ = sides(["b" * 40, "b" * 80], ["x"])
    long_, _ = sides(["b" * 120, "b" * 240], ["x"])
    same = [
        one_to_one(features.length, src, tgt, 0, 1, ratio)
        for tgt, ratio in ((short, 1.0), (long_, 3.0))
    ]
    assert same[0] == pytest.approx(same[1])


def test_a_question_mark_is_an_anchor_across_scripts():
    src, tgt = sides(
        ["And the LORD said unto Cain, Where is Abel thy brother?", "And he said, I know not."],
        ["耶和华对该隐说，你兄弟亚伯在哪里？", "他说，我不知道。"],
    )
    assert one_to_one(features.anchors, src, tgt, 0, 0) > 0
    assert one_to_one(features.anchors, src, tgt, 0, 1) < 0
    assert one_to_one(features.anchors, src, tgt, 1, 1) == 0  # nothing to compare


def test_numbers_and_names_are_anchors_whatever_the_locale():
    src, tgt = sides(
        ["Die Hütte liegt auf 2.850 m, sagte Müller."],
        ["La cabane est à 2,850 m, a dit Müller.", "Rien ici."],
    )
    assert one_to_one(features.anchors, src, tgt, 0, 0) > 0
    assert one_to_one(features.anchors, src, tgt, 0, 1) < 0


def test_names_count_only_between_texts_in_latin_script():
    src, tgt = sides(["Yesterday Abel met Cain."], ["Gestern traf Abel Cain.", "Nichts."])
    assert one_to_one(features.anchors, src, tgt, 0, 0) > 0
    assert one_to_one(features.anchors, src, tgt, 0, 1) < 0
    src, tgt = sides(["Yesterday Abel met Cain."], ["昨天亚伯遇见了该隐。"])
    assert one_to_one(features.anchors, src, tgt, 0, 0) == 0


def test_a_run_sums_its_sentences_anchors():
    src, tgt = sides(["Who? Why?"], ["谁？", "为什么？"])
    two = features.anchors(src, tgt, 1, 2, np.array([1]), np.array([2]))
    one = features.anchors(src, tgt, 1, 1, np.array([1]), np.array([1]))
    assert two[0] > one[0]


SPANISH = [
    "El Gobierno anunció ayer un nuevo plan para la frontera norte.",
    "La oposición criticó la medida con dureza.",
    "Según la ministra, las obras empezarán el próximo año 2026.",
]
SPANISH_2 = [
    "Ayer el Gobierno anunció un plan nuevo para la frontera del norte.",
    "La oposición criticó duramente la medida.",
    "Las obras empezarán el año próximo, 2026, según la ministra.",
]


def test_hashed_chrf_is_within_a_few_hundredths_of_sacrebleus():
    src = features.SideArrays.build(SPANISH, None, SPANISH, translated=True)
    tgt = features.SideArrays.build(SPANISH_2, None, SPANISH_2)
    for i, hyp in enumerate(SPANISH):
        for j, ref in enumerate(SPANISH_2):
            exact = CHRF().sentence_score(hyp, [ref]).score / 100
            assert one_to_one(features.mt, src, tgt, i, j) == pytest.approx(exact, abs=0.04)


def test_hashed_chrf_of_a_run_is_close_to_that_of_its_joined_text():
    src = features.SideArrays.build(SPANISH, None, SPANISH, translated=True)
    tgt = features.SideArrays.build(SPANISH_2, None, SPANISH_2)
    ours = features.mt(src, tgt, 2, 2, np.array([2]), np.array([2]))[0]
    exact = CHRF().sentence_score(" ".join(SPANISH[:2]), [" ".join(SPANISH_2[:2])]).score / 100
    assert ours == pytest.approx(exact, abs=0.04)


@pytest.mark.parametrize(
    ("rows", "cols"),
    [
        ([5], [5]),
        ([51, 51, 51], [51, 52, 90]),
        (list(range(3, 120)), list(range(5, 122))),
        ([100, 3, 40, 40, 7], [9, 2, 118, 41, 30]),
    ],
)
def test_cosines_of_any_cells_equal_those_computed_one_by_one(rows, cols):
    rng = np.random.default_rng(0)
    left = features.RunSpace(rng.normal(size=(130, 16)).astype(np.float32))
    right = features.RunSpace(rng.normal(size=(130, 16)).astype(np.float32))
    rows, cols = np.array(rows), np.array(cols)
    for a, b in [(1, 1), (2, 1), (1, 3)]:
        x, y = left.runs(a)[rows - a], right.runs(b)[cols - b]
        expected = np.clip(np.sum(x * y, axis=1), 0.0, 1.0)
        got = features.cosine(left, right, a, b, rows, cols)
        np.testing.assert_allclose(got, expected, atol=1e-6)


def embedded(vectors) -> features.SideArrays:
    texts = [f"Sentence number {k}." for k in range(len(vectors))]
    return features.SideArrays.build(texts, {1: np.asarray(vectors, dtype=np.float32)})


def test_leak_is_the_fit_of_the_line_just_past_the_bead():
    # Target line 1 carries the end of source line 0: the bead [0]:[0] leaves it outside.
    src = embedded([[1, 0, 0], [0, 0, 1]])
    tgt = embedded([[1, 0, 0], [0.6, 0.8, 0], [0, 0, 1]])
    value = features.leak(src, tgt, 1, 1, np.array([1]), np.array([1]))
    assert value == pytest.approx([0.6])
    # Taken in, nothing outside fits: the next lines are orthogonal to the bead's.
    assert features.leak(src, tgt, 1, 2, np.array([1]), np.array([2])) == pytest.approx([0.0])


def test_leak_of_many_beads_at_once_is_that_of_each_alone():
    generator = np.random.default_rng(5)
    src = embedded(generator.normal(size=(9, 6)))
    tgt = embedded(generator.normal(size=(11, 6)))
    x = src.semantic.vectors / np.linalg.norm(src.semantic.vectors, axis=1, keepdims=True)
    y = tgt.semantic.vectors / np.linalg.norm(tgt.semantic.vectors, axis=1, keepdims=True)
    for a, b in ((1, 1), (2, 1), (1, 3), (3, 2)):
        band = np.divmod(np.arange(9 * 11), 11)
        cells = [(i, j) for i, j in zip(*band, strict=True) if i >= a and j >= b]
        rows, cols = np.array([i for i, _ in cells]), np.array([j for _, j in cells])
        direct = []
        for i, j in cells:
            pairs = [(i, j - 1), (i - 1, j), (i - a - 1, j - b), (i - a, j - b - 1)]
            fits = [max(0.0, float(x[p] @ y[q])) for p, q in pairs if 0 <= p < 9 and 0 <= q < 11]
            direct.append(max(fits, default=0.0))
        for chosen in (slice(None), slice(None, None, 7)):  # a block, and scattered cells
            ours = features.leak(src, tgt, a, b, rows[chosen], cols[chosen])
            assert ours == pytest.approx(np.array(direct)[chosen], abs=1e-5)


def test_a_line_runs_on_without_a_final_stop_or_into_a_lowercase_line():
    lines = ["Das Buch ( Grenoble :", "B.Arthaud ) , das jetzt vorliegt.", "Er ging.", "und dann"]
    assert features.runs_on(lines).tolist() == [0, 1, 0, 1, 0]


def test_cut_counts_the_ends_where_only_one_side_runs_on():
    src, tgt = sides(
        ["Il fallut deux jours pour gravir 250 m. Six heures de cramponnage.", "Et puis."],
        ["Die ersten Seillängen kosteten Stunden,", "250 m in zwei Tagen.", "Sechs Stunden."],
    )
    # [0]:[0] ends where the source sentence ends and the target's runs on: one end.
    assert features.cut(src, tgt, 1, 1, np.array([1]), np.array([1])) == pytest.approx([1])
    # [0]:[0, 1] ends where both end.
    assert features.cut(src, tgt, 1, 2, np.array([1]), np.array([2])) == pytest.approx([0])


def test_debris_is_what_a_line_lacks_of_a_sentence():
    scores = features.debris_scores(["141", "C ) .", "Der Lhotse misst amtlich noch 8501 m."])
    assert scores == pytest.approx([1.0, 1 - 1 / features.DEBRIS_LETTERS, 0.0])


def test_a_beads_debris_sums_its_lines_on_both_sides():
    src, tgt = sides(
        ["Le sommet fut atteint le 9 mai.", "141"], ["Der Gipfel wurde erreicht.", "C ) .", "- _-"]
    )
    lines = features.debris_scores(["141", "C ) .", "- _-"])
    rows, cols = np.array([2, 1]), np.array([3, 2])
    ours = features.debris(src, tgt, 1, 2, rows, cols)
    assert ours == pytest.approx([lines[0] + lines[1] + lines[2], lines[1]])


def with_edges(vectors, first, last) -> features.SideArrays:
    side = embedded(vectors)
    side.edge_sentences = (np.asarray(first, dtype=np.float32), np.asarray(last, dtype=np.float32))
    return side


def test_overhang_is_the_fit_of_a_unit_outside_with_the_nearest_sentence_inside():
    # Target paragraph 0 opens with the translation of source paragraph 0 (a short one the
    # translator merged into the next): its first sentence fits source 0, the whole
    # paragraph fits source 1.
    src = with_edges([[1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0, 1, 0]])
    tgt = with_edges([[0.2, 0.98, 0]], [[1, 0, 0]], [[0, 1, 0]])
    # The bead [1]:[0] leaves source 0 outside, and target 0's first sentence fits it.
    assert features.overhang(src, tgt, 1, 1, np.array([2]), np.array([1])) == pytest.approx([1.0])
    # Taken in ([0, 1]:[0]), nothing outside is left.
    assert features.overhang(src, tgt, 2, 1, np.array([2]), np.array([1])) == pytest.approx([0.0])


def test_overhang_of_many_beads_at_once_is_that_of_each_alone():
    generator = np.random.default_rng(7)

    def side(n):
        def unit(rows):
            return rows / np.linalg.norm(rows, axis=1, keepdims=True)

        parts = [unit(generator.normal(size=(n, 6))) for _ in range(3)]
        return with_edges(*parts)

    src, tgt = side(9), side(11)
    x = src.semantic.vectors
    y = tgt.semantic.vectors
    (first_s, last_s), (first_t, last_t) = src.edge_sentences, tgt.edge_sentences
    for a, b in ((1, 1), (2, 1), (1, 3), (3, 2)):
        cells = [(i, j) for i in range(a, 10) for j in range(b, 12)]
        rows, cols = np.array([i for i, _ in cells]), np.array([j for _, j in cells])
        direct = []
        for i, j in cells:
            fits = []
            if i < 9:
                fits.append(x[i] @ last_t[j - 1])  # the next source unit, the last target
            if j < 11:
                fits.append(y[j] @ last_s[i - 1])
            if i - a >= 1:
                fits.append(x[i - a - 1] @ first_t[j - b])  # the previous source, the first target
            if j - b >= 1:
                fits.append(y[j - b - 1] @ first_s[i - a])
            direct.append(max([max(0.0, float(f)) for f in fits], default=0.0))
        for chosen in (slice(None), slice(None, None, 5)):
            ours = features.overhang(src, tgt, a, b, rows[chosen], cols[chosen])
            assert ours == pytest.approx(np.array(direct)[chosen], abs=1e-5)
