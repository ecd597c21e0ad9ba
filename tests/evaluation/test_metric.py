"""The metric on small hand-made cases: strict and lax precision, recall and F1, pooled."""

from __future__ import annotations

import pytest

from app.evaluation import Counts, Link, Scores, f1, parse_links, score_document, score_documents


def links(*lines: str) -> list[Link]:
    """Return the links written one per argument, e.g. ``links("[0]:[0]", "[]:[1]")``."""
    return parse_links("\n".join(lines))


@pytest.mark.parametrize(
    ("test", "gold", "expected"),
    [
        pytest.param(
            links("[0]:[0]", "[1]:[1]", "[2]:[2]"),
            links("[0]:[0]", "[1]:[1]", "[2]:[2]"),
            Counts(3, 3, 3, 3, 3, 3),
            id="identical links all match",
        ),
        pytest.param(
            links("[0]:[0]", "[1]:[2]", "[2]:[1]"),
            links("[0]:[0]", "[1]:[1]", "[2]:[2]"),
            Counts(3, 1, 1, 3, 1, 1),
            id="crossed links match neither strictly nor laxly",
        ),
        pytest.param(
            links("[0]:[0]", "[]:[1]", "[1]:[2]"),
            links("[0]:[0]", "[]:[1]", "[1]:[2]"),
            Counts(3, 3, 3, 2, 2, 2),
            id="a right insertion counts in precision but gold insertions leave recall",
        ),
        pytest.param(
            links("[0]:[0]", "[1]:[]", "[]:[1]"),
            links("[0]:[0]", "[1]:[1]"),
            Counts(3, 1, 1, 2, 1, 1),
            id="a wrong omission and insertion count against precision, even laxly",
        ),
        pytest.param(
            links("[0]:[0]", "[1, 2]:[1]"),
            links("[0]:[0]", "[1]:[]", "[2]:[1]"),
            Counts(2, 1, 2, 2, 1, 2),
            id="a 2-1 link over gold 1-0 plus 1-1 is lax but not strict",
        ),
        pytest.param(
            links("[0]:[0, 1]"),
            links("[0]:[0]", "[]:[1]"),
            Counts(1, 0, 1, 1, 0, 1),
            id="a 1-2 link over gold 1-1 plus 0-1 is lax but not strict",
        ),
        pytest.param(
            links(),
            links("[0]:[0]", "[1]:[1]"),
            Counts(0, 0, 0, 2, 0, 0),
            id="no test links give nothing right",
        ),
        pytest.param(
            links("[0]:[0]", "[0]:[0]", "[]:[]", "[1]:[1]"),
            links("[0]:[0]", "[1]:[1]", "[]:[]"),
            Counts(2, 2, 2, 2, 2, 2),
            id="repeated links count once and links empty on both sides not at all",
        ),
    ],
)
def test_a_document_scores_into_these_counts(
    test: list[Link], gold: list[Link], expected: Counts
) -> None:
    assert score_document(test, gold) == expected


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (Counts(3, 3, 3, 3, 3, 3), Scores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0)),
        (Counts(3, 1, 1, 3, 1, 1), Scores(1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3)),
        (Counts(3, 1, 1, 2, 1, 1), Scores(1 / 3, 1 / 2, 0.4, 1 / 3, 1 / 2, 0.4)),
        (Counts(2, 1, 2, 2, 1, 2), Scores(0.5, 0.5, 0.5, 1.0, 1.0, 1.0)),
        (Counts(0, 0, 0, 2, 0, 0), Scores(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)),
        (Counts(), Scores(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)),
    ],
)
def test_counts_give_these_scores(counts: Counts, expected: Scores) -> None:
    assert counts.scores() == pytest.approx(expected)


@pytest.mark.parametrize(
    ("precision", "recall", "expected"),
    [(0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (0.5, 1.0, 2 / 3), (1.0, 0.0, 0.0)],
)
def test_f1_is_the_harmonic_mean_or_zero(precision: float, recall: float, expected: float) -> None:
    assert f1(precision, recall) == pytest.approx(expected)


def test_counts_add_field_by_field() -> None:
    assert Counts(1, 2, 3, 4, 5, 6) + Counts(10, 20, 30, 40, 50, 60) == Counts(
        11, 22, 33, 44, 55, 66
    )


def test_counts_do_not_add_to_other_types() -> None:
    with pytest.raises(TypeError):
        Counts() + 1  # type: ignore[operator]


def test_pooling_over_two_documents_differs_from_averaging_them() -> None:
    small_right = (links("[0]:[0]"), links("[0]:[0]"))
    large_wrong = (links("[0]:[1]", "[1]:[2]", "[2]:[0]"), links("[0]:[0]", "[1]:[1]", "[2]:[2]"))
    documents = [small_right, large_wrong]
    pooled = score_documents(documents).scores().strict_precision
    per_document = [score_document(*pair).scores().strict_precision for pair in documents]
    assert pooled == pytest.approx(1 / 4)
    assert sum(per_document) / len(per_document) == pytest.approx(1 / 2)


def test_scoring_a_document_against_its_own_gold_gives_one() -> None:
    gold = links("[0]:[0]", "[1, 2]:[1]", "[]:[2]", "[3]:[]", "[4]:[3, 4]")
    assert score_document(gold, gold).scores() == Scores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
