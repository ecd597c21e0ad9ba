"""The pure review operations: their effect on a bead sequence and the invariant they keep."""

from __future__ import annotations

import pytest

from app.review import BeadState, BrokenAlignment, Edit, OperationRefused, check_cover, ops
from app.review.realign import realign_gaps, unconfirmed_gaps


def beads(*shapes: tuple[int, int], status: str = "automatic") -> list[BeadState]:
    """Consecutive beads with the given (source, target) sizes."""
    out, src, tgt = [], 0, 0
    for s, t in shapes:
        out.append(BeadState(src, src + s, tgt, tgt + t, 0.9 if s and t else None, {}, status))
        src, tgt = src + s, tgt + t
    return out


def applied(sequence: list[BeadState], edit: Edit) -> list[BeadState]:
    before = sequence[edit.start : edit.start + len(edit.before)]
    assert tuple(before) == edit.before
    return sequence[: edit.start] + list(edit.after) + sequence[edit.start + len(edit.before) :]


def shapes(sequence: list[BeadState]) -> list[tuple[int, int]]:
    return [(bead.src_len, bead.tgt_len) for bead in sequence]


SEQUENCE = beads((1, 1), (2, 1), (1, 2), (1, 0), (0, 1), (1, 1))
COUNTS = (6, 6)


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        (lambda w: ops.merge_next(w, 0), [(3, 2), (1, 2), (1, 0), (0, 1), (1, 1)]),
        (lambda w: ops.merge_previous(w, 1), [(3, 2), (1, 2), (1, 0), (0, 1), (1, 1)]),
        (lambda w: ops.split(w, 1, 1, 1), [(1, 1), (1, 1), (1, 0), (1, 2), (1, 0), (0, 1), (1, 1)]),
        (lambda w: ops.split(w, 1, 1, 0), [(1, 1), (1, 0), (1, 1), (1, 2), (1, 0), (0, 1), (1, 1)]),
        (lambda w: ops.shift_up(w, 2, "target"), [(1, 1), (2, 2), (1, 1), (1, 0), (0, 1), (1, 1)]),
        (
            lambda w: ops.shift_down(w, 2, "target"),
            [(1, 1), (2, 1), (1, 1), (1, 1), (0, 1), (1, 1)],
        ),
        (lambda w: ops.shift_up(w, 1, "source"), [(2, 1), (1, 1), (1, 2), (1, 0), (0, 1), (1, 1)]),
        (lambda w: ops.shift_down(w, 3, "source"), [(1, 1), (2, 1), (1, 2), (1, 1), (1, 1)]),
        (
            lambda w: ops.detach(w, 2, "target", "last"),
            [(1, 1), (2, 1), (1, 1), (0, 1), (1, 0), (0, 1), (1, 1)],
        ),
        (
            lambda w: ops.detach(w, 1, "source", "first"),
            [(1, 1), (1, 0), (1, 1), (1, 2), (1, 0), (0, 1), (1, 1)],
        ),
    ],
)
def test_each_operation_reshapes_the_beads_and_keeps_every_segment_once(operation, expected):
    window = ops.window_of(SEQUENCE)

    result = applied(SEQUENCE, operation(window))

    assert shapes(result) == expected
    check_cover(result, *COUNTS)


def test_moving_a_bead_s_only_segment_away_removes_the_empty_bead():
    sequence = beads((1, 1), (0, 1), (1, 1))

    result = applied(sequence, ops.shift_up(ops.window_of(sequence), 1, "target"))

    assert shapes(result) == [(1, 2), (1, 1)]
    check_cover(result, 2, 3)


def test_changed_beads_need_review_again_and_lose_their_scores():
    sequence = beads((1, 1), (1, 1), status="confirmed")

    [merged] = ops.merge_next(ops.window_of(sequence), 0).after

    assert (merged.status, merged.similarity, merged.scores) == ("automatic", None, {})


def test_merging_keeps_both_notes():
    sequence = [BeadState(0, 1, 0, 1, note="one"), BeadState(1, 2, 1, 2, note="two")]

    [merged] = ops.merge_next(ops.window_of(sequence), 0).after

    assert merged.note == "one\ntwo"


def test_status_and_note_change_only_the_review_fields():
    [bead] = beads((1, 1))
    window = ops.window_of([bead])

    [confirmed] = ops.set_status(window, 0, "confirmed").after
    [noted] = ops.set_note(window, 0, "  check the date  ").after

    assert confirmed == BeadState(0, 1, 0, 1, 0.9, {}, "confirmed")
    assert noted.note == "check the date" and noted.similarity == 0.9


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (lambda w: ops.merge_next(w, 5), "no next pair"),
        (lambda w: ops.merge_previous(w, 0), "no previous pair"),
        (lambda w: ops.split(w, 0, 0, 0), "at least one segment"),
        (lambda w: ops.split(w, 0, 2, 0), "within the pair"),
        (lambda w: ops.shift_up(w, 0, "target"), "no previous pair"),
        (lambda w: ops.shift_down(w, 5, "source"), "no next pair"),
        (lambda w: ops.shift_up(w, 3, "target"), "no translated segment"),
        (lambda w: ops.detach(w, 3, "source", "last"), "already a single one-sided"),
        (lambda w: ops.detach(w, 0, "middle", "last"), "side must be"),
        (lambda w: ops.set_status(w, 0, "approved"), "status must be one of"),
        # Position 9 is pair 10: pairs are numbered from 1 for the reviewer.
        (lambda w: ops.merge_next(w, 9), "no pair 10"),
    ],
)
def test_an_impossible_operation_is_refused_with_a_reason(operation, message):
    with pytest.raises(OperationRefused, match=message):
        operation(ops.window_of(SEQUENCE))


def test_the_default_split_halves_each_side_or_separates_a_one_to_one_pair():
    assert ops.default_split(BeadState(0, 2, 0, 3)) == (1, 2)
    assert ops.default_split(BeadState(0, 1, 0, 1)) == (1, 0)


def test_an_edit_undone_is_the_sequence_it_started_from():
    edit = ops.merge_next(ops.window_of(SEQUENCE), 1)

    assert applied(applied(SEQUENCE, edit), edit.inverse()) == SEQUENCE


@pytest.mark.parametrize(
    ("sequence", "counts", "message"),
    [
        (beads((1, 1), (1, 1)), (3, 2), "documents have"),
        ([BeadState(0, 1, 0, 1), BeadState(2, 3, 1, 2)], (3, 2), "expected"),
        ([BeadState(0, 1, 0, 1), BeadState(1, 1, 1, 1)], (1, 1), "covers no segment"),
    ],
)
def test_the_cover_check_finds_lost_repeated_and_empty_beads(sequence, counts, message):
    with pytest.raises(BrokenAlignment, match=message):
        check_cover(sequence, *counts)


def test_the_gaps_are_the_runs_between_confirmed_beads():
    sequence = beads((1, 1), (1, 1), (1, 1), (1, 1))
    sequence[1] = BeadState(1, 2, 1, 2, status="confirmed")

    gaps = unconfirmed_gaps(sequence)

    assert [(g.first, g.stop, g.src, g.tgt) for g in gaps] == [
        (0, 1, (0, 1), (0, 1)),
        (2, 4, (2, 4), (2, 4)),
    ]


def test_re_alignment_replaces_only_the_gaps_and_keeps_confirmed_beads():
    sequence = beads((1, 1), (1, 1), (2, 2), (1, 1))
    sequence[1] = BeadState(1, 2, 1, 2, 0.5, {}, "confirmed", "kept")
    calls = []

    def one_to_one(s0: int, s1: int, t0: int, t1: int) -> list[BeadState]:
        calls.append((s0, s1, t0, t1))
        return [BeadState(k, k + 1, k, k + 1, 0.7) for k in range(s1 - s0)]

    edits = realign_gaps(sequence, one_to_one)
    result = sequence
    for edit in edits:
        result = applied(result, edit)

    assert calls == [(2, 5, 2, 5), (0, 1, 0, 1)]
    assert result[1] == sequence[1]
    assert shapes(result) == [(1, 1)] * 5
    check_cover(result, 5, 5)
