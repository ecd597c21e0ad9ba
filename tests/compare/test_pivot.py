"""The pivot lines versions up on the original: every version's text once, in order."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from app.compare.pivot import build_pivot, cut_points


@dataclass(frozen=True)
class B:
    src_start: int
    src_end: int
    tgt_start: int
    tgt_end: int


def tiling(shapes: list[tuple[int, int]]) -> list[B]:
    """Beads of the given (original, version) sizes, one after another."""
    beads, s, t = [], 0, 0
    for a, b in shapes:
        beads.append(B(s, s + a, t, t + b))
        s, t = s + a, t + b
    return beads


def version_runs(rows, version: int) -> list[tuple[int, int]]:
    return [(row.cells[version].start, row.cells[version].end) for row in rows]


def assert_each_text_once_in_order(rows, versions: list[list[B]], original_length: int):
    assert rows[0].src_start == 0 and rows[-1].src_end == original_length
    for left, right in zip(rows, rows[1:], strict=False):
        assert left.src_end == right.src_start
    for k, beads in enumerate(versions):
        runs = version_runs(rows, k)
        position = 0
        for start, end in runs:
            assert start == position
            position = end
        assert position == (beads[-1].tgt_end if beads else 0)
        held = [index for row in rows for index in row.cells[k].beads]
        assert held == list(range(len(beads)))


def test_one_to_one_versions_give_one_row_per_original_paragraph():
    versions = [tiling([(1, 1)] * 4), tiling([(1, 1)] * 4)]
    rows = build_pivot(4, versions)
    assert [(r.src_start, r.src_end) for r in rows] == [(0, 1), (1, 2), (2, 3), (3, 4)]
    assert version_runs(rows, 1) == [(0, 1), (1, 2), (2, 3), (3, 4)]


def test_a_merge_in_one_version_joins_the_rows_of_every_version():
    # Version A merges original paragraphs 1 and 2; version B keeps them apart.
    a = tiling([(1, 1), (2, 1), (1, 1)])
    b = tiling([(1, 1), (1, 1), (1, 1), (1, 1)])
    rows = build_pivot(4, [a, b])
    assert [(r.src_start, r.src_end) for r in rows] == [(0, 1), (1, 3), (3, 4)]
    assert version_runs(rows, 0) == [(0, 1), (1, 2), (2, 3)]
    assert version_runs(rows, 1) == [(0, 1), (1, 3), (3, 4)]
    assert_each_text_once_in_order(rows, [a, b], 4)


def test_merges_and_splits_that_overlap_chain_into_one_row():
    # A merges original 0-1 and splits 2 in two; B merges 1-2: rows 0..3 must be one.
    a = tiling([(2, 1), (1, 2), (1, 1)])
    b = tiling([(1, 1), (2, 1), (1, 1)])
    rows = build_pivot(4, [a, b])
    assert [(r.src_start, r.src_end) for r in rows] == [(0, 3), (3, 4)]
    assert version_runs(rows, 0) == [(0, 3), (3, 4)]
    assert version_runs(rows, 1) == [(0, 2), (2, 3)]
    assert_each_text_once_in_order(rows, [a, b], 4)


def test_text_a_version_added_joins_the_row_where_it_stands():
    a = tiling([(1, 1), (0, 2), (1, 1)])
    rows = build_pivot(2, [a])
    assert [(r.src_start, r.src_end) for r in rows] == [(0, 1), (1, 2)]
    assert version_runs(rows, 0) == [(0, 1), (1, 4)]
    assert_each_text_once_in_order(rows, [a], 2)


def test_text_added_at_the_end_joins_the_last_row():
    a = tiling([(1, 1), (1, 1), (0, 1)])
    rows = build_pivot(2, [a])
    assert version_runs(rows, 0) == [(0, 1), (1, 3)]


def test_an_omitted_paragraph_leaves_an_empty_cell_at_the_right_place():
    a = tiling([(1, 1), (1, 0), (1, 1)])
    b = tiling([(1, 1), (1, 1), (1, 1)])
    rows = build_pivot(3, [a, b])
    assert version_runs(rows, 0) == [(0, 1), (1, 1), (1, 2)]
    assert rows[1].cells[0].beads == (1,)
    assert_each_text_once_in_order(rows, [a, b], 3)


def test_a_version_with_no_beads_gives_empty_cells():
    rows = build_pivot(2, [[]])
    assert version_runs(rows, 0) == [(0, 0), (0, 0)]


def test_an_empty_original_gives_one_row_with_every_version():
    rows = build_pivot(0, [tiling([(0, 3)])])
    assert len(rows) == 1 and version_runs(rows, 0) == [(0, 3)]


def test_cut_points_are_the_boundaries_no_bead_crosses():
    assert cut_points(5, [tiling([(2, 1), (3, 1)]), tiling([(1, 1), (4, 2)])]) == [0, 5]
    assert cut_points(5, [tiling([(2, 1), (3, 1)]), tiling([(2, 1), (1, 1), (2, 1)])]) == [
        0,
        2,
        5,
    ]


def random_tiling(rng: random.Random, original_length: int) -> list[B]:
    shapes, left = [], original_length
    while left:
        a = min(left, rng.choice([0, 1, 1, 1, 2, 3]))
        b = rng.choice([0, 1, 1, 2]) if a else rng.choice([1, 2])
        shapes.append((a, b))
        left -= a
    if rng.random() < 0.3:
        shapes.append((0, 1))
    return tiling(shapes)


@pytest.mark.parametrize("seed", range(40))
def test_random_merges_and_splits_keep_every_version_whole_and_in_order(seed):
    rng = random.Random(seed)
    original_length = rng.randint(1, 30)
    versions = [random_tiling(rng, original_length) for _ in range(rng.randint(1, 4))]
    rows = build_pivot(original_length, versions)
    assert_each_text_once_in_order(rows, versions, original_length)
    # Smallest groups: every row boundary inside the original is one no bead crosses.
    cuts = set(cut_points(original_length, versions))
    assert {row.src_start for row in rows} <= cuts
    assert {row.src_start for row in rows} | {original_length} == cuts
