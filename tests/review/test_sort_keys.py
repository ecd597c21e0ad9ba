"""Sparse sort keys: an edit writes only its own beads, and crowded stretches are spread again.

The pure key arithmetic, then the service on both backends: many inserts in one place,
keys left contiguous by other code, and undo through all of it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from app.review import keys
from app.services import review
from app.services.review import Operation
from app.store import beads as store_beads
from app.store import models
from app.store.db import transaction

from .conftest import apply, check, shaped_alignment, sort_keys, states, version


def test_initial_keys_leave_a_gap_between_beads():
    assert keys.initial_keys(3) == [0, keys.GAP, 2 * keys.GAP]


@pytest.mark.parametrize(
    ("low", "high", "count", "expected"),
    [
        (0, 1024, 1, [512]),
        (0, 9, 2, [3, 6]),
        (0, 2, 1, [1]),
        (0, 1, 1, None),
        (4, 6, 2, None),
        (None, 10, 1, [4]),
        (7, None, 2, [7 + keys.GAP, 7 + 2 * keys.GAP]),
        (None, None, 1, [keys.GAP - 1]),
        (3, 5, 0, []),
    ],
)
def test_keys_between_two_neighbours(low, high, count, expected):
    assert keys.between(low, high, count) == expected


def test_a_respread_refuses_a_stretch_too_crowded_to_last():
    assert keys.respread(0, 10 * keys.MIN_SPACING, 20) is None
    spread = keys.respread(0, 100 * keys.MIN_SPACING, 20)
    assert spread is not None and keys.is_ordered([0, *spread, 100 * keys.MIN_SPACING])
    assert all(b - a >= keys.MIN_SPACING for a, b in zip(spread, spread[1:], strict=False))
    assert keys.respread(5, None, 3) == [5 + keys.GAP, 5 + 2 * keys.GAP, 5 + 3 * keys.GAP]


def split_off_first_pair(sessions, alignment_id: int, position: int) -> None:
    apply(sessions, alignment_id, Operation("split", position, src_cut=1, tgt_cut=1))


def test_a_split_writes_no_bead_but_its_own(sessions):
    alignment_id = shaped_alignment(sessions, [(1, 1)] * 10 + [(2, 2)] + [(1, 1)] * 10)
    before = sort_keys(sessions, alignment_id)

    split_off_first_pair(sessions, alignment_id, 10)

    after = sort_keys(sessions, alignment_id)
    assert len(after) == len(before) + 1
    # Every other bead keeps its key; the new one sits between its neighbours.
    assert after[:11] == before[:11] and after[12:] == before[11:]
    assert before[10] < after[11] < before[11]


def test_many_splits_in_one_place_spread_the_keys_again_and_undo_restores_everything(sessions):
    alignment_id = shaped_alignment(sessions, [(1, 1)] * 20 + [(30, 30)] + [(1, 1)] * 20)
    history = [states(sessions, alignment_id)]

    # Each split halves the gap after the new bead: far more splits than the gap allows.
    for k in range(25):
        split_off_first_pair(sessions, alignment_id, 20 + k)
        history.append(states(sessions, alignment_id))
        check(sessions, alignment_id)
        assert keys.is_ordered(sort_keys(sessions, alignment_id))

    assert len(history[-1]) == len(history[0]) + 25
    assert [(b.src_len, b.tgt_len) for b in history[-1][20:46]] == [(1, 1)] * 25 + [(5, 5)]
    for expected in reversed(history[:-1]):
        with transaction(sessions) as session:
            review.undo(session, alignment_id, version(sessions, alignment_id))
        assert states(sessions, alignment_id) == expected
    for expected in history[1:]:
        with transaction(sessions) as session:
            review.redo(session, alignment_id, version(sessions, alignment_id))
        assert states(sessions, alignment_id) == expected
    check(sessions, alignment_id)


def test_contiguous_keys_written_by_other_code_still_take_inserts(sessions):
    alignment_id = shaped_alignment(sessions, [(1, 1)] * 5 + [(3, 3)] + [(1, 1)] * 30)
    with transaction(sessions) as session:
        # Keys 0, 1, 2, ...: no gap anywhere (twice, through negatives, for uniqueness).
        bead = models.Bead
        where = bead.alignment_id == alignment_id
        session.execute(update(bead).where(where).values(sort_key=-bead.sort_key - 1))
        session.execute(update(bead).where(where).values(sort_key=(-bead.sort_key - 1) / keys.GAP))
    assert sort_keys(sessions, alignment_id) == list(range(36))
    before = states(sessions, alignment_id)

    split_off_first_pair(sessions, alignment_id, 5)
    split_off_first_pair(sessions, alignment_id, 6)

    after = states(sessions, alignment_id)
    assert after[:5] == before[:5] and after[8:] == before[6:]
    assert keys.is_ordered(sort_keys(sessions, alignment_id))
    check(sessions, alignment_id)
    for _ in range(2):
        with transaction(sessions) as session:
            review.undo(session, alignment_id, version(sessions, alignment_id))
    assert states(sessions, alignment_id) == before


def test_positions_are_ranks_whatever_the_keys(sessions):
    alignment_id = shaped_alignment(sessions, [(1, 1)] * 4 + [(2, 2)] + [(1, 1)] * 4)
    split_off_first_pair(sessions, alignment_id, 4)
    apply(sessions, alignment_id, Operation("merge_next", 1))

    apply(sessions, alignment_id, Operation("status", 4, status="confirmed"))

    beads = states(sessions, alignment_id)
    assert [bead.status for bead in beads].index("confirmed") == 4
    assert (beads[4].src_start, beads[4].src_end) == (5, 6)
    with sessions() as session:
        assert [
            store_beads.key_at(session, alignment_id, k) for k in range(len(beads))
        ] == sort_keys(sessions, alignment_id)
        assert store_beads.key_at(session, alignment_id, len(beads)) is None
