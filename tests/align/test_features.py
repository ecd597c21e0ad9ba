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
