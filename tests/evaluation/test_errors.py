"""Wrong links sorted by kind against hand-made gold alignments."""

from __future__ import annotations

from app.evaluation import errors
from app.evaluation.links import Link


def link(src, tgt) -> Link:
    return Link(tuple(src), tuple(tgt))


GOLD = [
    link([0], [0]),
    link([1, 2], [1]),  # a 2-1 bead
    link([], [2]),  # a caption only the target has
    link([3], [3]),
    link([4], [4, 5]),
]


def test_right_links_are_not_counted():
    assert errors.classify(GOLD, GOLD) == {}


def test_each_kind_of_wrong_link_is_named():
    predicted = [
        link([0, 1], [0]),  # two gold beads' lines, shifted: neither bead whole
        link([2], [1, 2]),  # part of the 2-1 bead plus the caption
        link([3], [3]),
        link([4], [4]),  # part of the 1-2 bead
        link([], [5]),  # left out of it
    ]
    kinds = errors.classify(predicted, GOLD)
    assert kinds == {errors.SHIFTED: 2, errors.SPLITS: 1, errors.LEFT_OUT: 1}


def test_a_caption_folded_into_a_bead_and_beads_joined():
    predicted = [link([0], [0]), link([1, 2], [1, 2]), link([3, 4], [3, 4, 5])]
    kinds = errors.classify(predicted, GOLD)
    assert kinds == {errors.FOLDED_IN: 1, errors.JOINS: 1}
    assert errors.missed_one_sided(predicted, GOLD) == 1


def test_gold_links_with_gaps_or_out_of_order_are_unreachable():
    gold = [
        link([0], [0]),
        link([1, 3], [1]),  # a gap in the source
        link([2], []),
        link([4], [4]),  # a caption moved: the target line 4 comes before 2 and 3
        link([5], [2]),
        link([6], [3]),
    ]
    assert errors.unreachable(gold) == {link([1, 3], [1]), link([4], [4])}
    assert errors.classify([link([1], [1])], gold) == {errors.UNREACHABLE: 1}
