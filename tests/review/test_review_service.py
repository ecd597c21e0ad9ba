"""Review use cases against the store (both backends): effects, invariants, history, undo."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.align.result import AlignmentResult
from app.errors import Conflict, InvalidRequest
from app.review import BeadState
from app.segments import BeadSpan
from app.services import history, review, text_review
from app.services.review import Operation
from app.store import models
from app.store.db import transaction

from .conftest import apply, check, fresh_flags, reviewed, states, version


def first_two_sided(sessions, alignment_id: int, after: int = 0) -> int:
    return next(
        k
        for k, bead in enumerate(states(sessions, alignment_id))
        if k >= after and bead.src_len and bead.tgt_len
    )


def events(sessions, alignment_id: int) -> list[models.ReviewEvent]:
    with sessions() as session:
        return list(
            session.scalars(
                select(models.ReviewEvent)
                .where(models.ReviewEvent.alignment_id == alignment_id)
                .order_by(models.ReviewEvent.id)
            )
        )


OPERATIONS = [
    ("status", {"status": "confirmed"}),
    ("note", {"note": "check the figures"}),
    ("merge_next", {}),
    ("merge_previous", {}),
    ("split", {}),
    ("shift_up", {"side": "target"}),
    ("shift_down", {"side": "source"}),
    ("detach", {"side": "target", "end": "last"}),
]


@pytest.mark.parametrize(("name", "arguments"), OPERATIONS)
def test_every_operation_keeps_each_segment_in_one_bead_and_undo_restores_the_exact_state(
    sessions, demo_alignment, name, arguments
):
    position = first_two_sided(sessions, demo_alignment, after=3)
    before = states(sessions, demo_alignment)

    apply(sessions, demo_alignment, Operation(name, position, **arguments))
    changed = states(sessions, demo_alignment)
    check(sessions, demo_alignment)
    assert changed != before

    with transaction(sessions) as session:
        review.undo(session, demo_alignment, version(sessions, demo_alignment))
    assert states(sessions, demo_alignment) == before

    with transaction(sessions) as session:
        review.redo(session, demo_alignment, version(sessions, demo_alignment))
    assert states(sessions, demo_alignment) == changed
    check(sessions, demo_alignment)


def test_merging_stores_one_bead_in_place_of_two(sessions, demo_alignment):
    before = states(sessions, demo_alignment)
    position = first_two_sided(sessions, demo_alignment)

    apply(sessions, demo_alignment, Operation("merge_next", position))

    after = states(sessions, demo_alignment)
    assert len(after) == len(before) - 1
    merged = after[position]
    assert (merged.src_start, merged.src_end) == (
        before[position].src_start,
        before[position + 1].src_end,
    )
    assert after[position + 1 :] == before[position + 2 :]


def test_every_operation_is_an_event_with_who_when_what_and_the_beads_before_and_after(
    sessions, demo_alignment
):
    position = first_two_sided(sessions, demo_alignment)
    bead = states(sessions, demo_alignment)[position]

    apply(sessions, demo_alignment, Operation("status", position, status="confirmed"))

    [event] = events(sessions, demo_alignment)
    assert (event.actor, event.action, event.state) == ("local", "status", "applied")
    assert event.created_at is not None
    assert event.summary == f"confirmed pair {position + 1}"  # numbered from 1
    assert event.before == [bead.as_dict()]
    assert event.after[0]["status"] == "confirmed"


def test_undo_and_redo_are_recorded_and_survive_a_new_session(sessions, demo_alignment):
    position = first_two_sided(sessions, demo_alignment)
    apply(sessions, demo_alignment, Operation("merge_next", position))
    with transaction(sessions) as session:
        review.undo(session, demo_alignment, version(sessions, demo_alignment))

    with sessions() as session:
        assert history.undo_redo_available(session, demo_alignment) == (False, True)
    assert [e.action for e in events(sessions, demo_alignment)] == ["merge_next", "undo"]
    assert events(sessions, demo_alignment)[1].reverts_id == events(sessions, demo_alignment)[0].id


def test_a_new_operation_after_undo_drops_the_redo(sessions, demo_alignment):
    position = first_two_sided(sessions, demo_alignment)
    apply(sessions, demo_alignment, Operation("merge_next", position))
    with transaction(sessions) as session:
        review.undo(session, demo_alignment, version(sessions, demo_alignment))

    apply(sessions, demo_alignment, Operation("status", position, status="rejected"))

    with sessions() as session:
        assert history.undo_redo_available(session, demo_alignment) == (True, False)
        with pytest.raises(InvalidRequest, match="nothing to redo"):
            review.redo(session, demo_alignment, version(sessions, demo_alignment))


def test_undo_with_nothing_done_is_refused(sessions, demo_alignment):
    with sessions() as session, pytest.raises(InvalidRequest, match="nothing to undo"):
        review.undo(session, demo_alignment, version(sessions, demo_alignment))


def test_a_change_made_on_a_stale_version_is_a_conflict_and_writes_nothing(
    sessions, demo_alignment
):
    position = first_two_sided(sessions, demo_alignment)
    seen = version(sessions, demo_alignment)
    apply(sessions, demo_alignment, Operation("status", position, status="confirmed"))
    before = states(sessions, demo_alignment)

    with pytest.raises(Conflict), transaction(sessions) as session:
        review.apply_operation(session, demo_alignment, seen, Operation("merge_next", position))

    assert states(sessions, demo_alignment) == before
    assert len(events(sessions, demo_alignment)) == 1


def test_a_refused_operation_writes_nothing(sessions, demo_alignment):
    before = states(sessions, demo_alignment)
    last = len(before) - 1

    with pytest.raises(InvalidRequest, match="no next pair"), transaction(sessions) as session:
        review.apply_operation(
            session,
            demo_alignment,
            version(sessions, demo_alignment),
            Operation("merge_next", last),
        )

    assert states(sessions, demo_alignment) == before
    assert events(sessions, demo_alignment) == []


def test_a_bead_form_is_stale_only_when_that_bead_changed(sessions, demo_alignment):
    with sessions() as session:
        beads = session.scalars(
            select(models.Bead)
            .where(models.Bead.alignment_id == demo_alignment)
            .order_by(models.Bead.sort_key)
        ).all()
    first, second = beads[0], beads[2]

    with transaction(sessions) as session:
        review.apply_to_bead(session, first.id, first.version, "status", status="confirmed")
    with transaction(sessions) as session:
        review.apply_to_bead(session, second.id, second.version, "note", note="fine")
    with pytest.raises(Conflict), transaction(sessions) as session:
        review.apply_to_bead(session, first.id, first.version, "status", status="rejected")

    assert states(sessions, demo_alignment)[0].status == "confirmed"


def test_the_status_use_case_is_a_review_operation_with_its_event(sessions, demo_alignment):
    from app.segments import BeadStatus
    from app.services import set_bead_status

    seen = version(sessions, demo_alignment)
    with sessions() as session:
        bead = session.scalars(
            select(models.Bead)
            .where(models.Bead.alignment_id == demo_alignment)
            .order_by(models.Bead.sort_key)
        ).all()[3]
        bead_id, bead_version = bead.id, bead.version
    with transaction(sessions) as session:
        set_bead_status(session, bead_id, BeadStatus.CONFIRMED)
    assert states(sessions, demo_alignment)[3].status == "confirmed"
    assert version(sessions, demo_alignment) == seen + 1
    [event] = events(sessions, demo_alignment)
    assert (event.action, event.summary) == ("status", "confirmed pair 4")
    with pytest.raises(Conflict), transaction(sessions) as session:
        set_bead_status(session, bead_id, BeadStatus.REJECTED, version=bead_version)
    with transaction(sessions) as session:
        review.undo(session, demo_alignment, version(sessions, demo_alignment))
    assert states(sessions, demo_alignment)[3].status == "automatic"


def shifted_aligner(calls: list):
    """An aligner that pairs segments one to one, then leaves the rest one-sided."""

    def align(src, tgt, src_lang, tgt_lang):
        calls.append((len(src), len(tgt)))
        common = min(len(src), len(tgt))
        beads = [BeadSpan(k, k + 1, k, k + 1, 0.5, {"fake": 0.5}) for k in range(common)]
        beads += [BeadSpan(k, k + 1, common, common) for k in range(common, len(src))]
        beads += [BeadSpan(len(src), len(src), k, k + 1) for k in range(common, len(tgt))]
        return AlignmentResult(beads, "fake/1")

    return align


def confirm(sessions, alignment_id: int, positions: list[int]) -> None:
    for position in positions:
        apply(sessions, alignment_id, Operation("status", position, status="confirmed"))


def test_re_alignment_keeps_every_confirmed_bead_unchanged(sessions, demo_alignment):
    confirm(sessions, demo_alignment, [2, 9, 17])
    before = states(sessions, demo_alignment)
    confirmed = [bead for bead in before if bead.status == "confirmed"]
    calls: list = []

    with transaction(sessions) as session:
        review.realign(
            session,
            demo_alignment,
            version(sessions, demo_alignment),
            aligner=shifted_aligner(calls),
        )

    after = states(sessions, demo_alignment)
    assert [bead for bead in after if bead.status == "confirmed"] == confirmed
    assert len(calls) == 4  # before the first, between each two, after the last
    check(sessions, demo_alignment)
    # The stretches' new pairs carry the flags a full QA run finds on the result.
    assert [bead.flags for bead in after] == fresh_flags(sessions, demo_alignment)
    with transaction(sessions) as session:
        review.undo(session, demo_alignment, version(sessions, demo_alignment))
    assert states(sessions, demo_alignment) == before


def test_re_alignment_with_the_real_aligner_keeps_confirmed_beads(sessions, demo_alignment):
    position = first_two_sided(sessions, demo_alignment, after=5)
    apply(sessions, demo_alignment, Operation("merge_next", position))
    apply(sessions, demo_alignment, Operation("status", position + 2, status="confirmed"))
    confirmed = [b for b in states(sessions, demo_alignment) if b.status == "confirmed"]

    with transaction(sessions) as session:
        outcome = review.realign(session, demo_alignment, version(sessions, demo_alignment))

    after = states(sessions, demo_alignment)
    assert [b for b in after if b.status == "confirmed"] == confirmed
    # The merged bead was unconfirmed, so the aligner drew that stretch again.
    assert "re-aligned" in outcome.summary
    check(sessions, demo_alignment)


def test_the_history_of_a_bead_lists_the_events_that_touched_it(sessions, demo_alignment):
    apply(sessions, demo_alignment, Operation("status", 4, status="confirmed"))
    apply(sessions, demo_alignment, Operation("note", 10, note="later"))

    with sessions() as session:
        for_bead = history.history(session, demo_alignment, position=4)
        everything = history.history(session, demo_alignment)

    # Positions 4 and 10 are pairs 5 and 11: the reviewer counts from 1.
    assert [event.summary for event in for_bead] == ["confirmed pair 5"]
    assert [event.summary for event in everything] == ["noted pair 11", "confirmed pair 5"]


def test_bead_state_round_trips_through_the_history_json():
    bead = BeadState(1, 3, 2, 2, None, {}, "rejected", "n", [{"check": "x", "message": "y"}])

    assert BeadState.from_dict(bead.as_dict()) == bead


def segment_text(sessions, alignment_id: int, side: str, position: int) -> str:
    with sessions() as session:
        alignment = session.get(models.Alignment, alignment_id)
        document_id = alignment.source_id if side == "source" else alignment.target_id
        return session.scalar(
            select(models.Segment.text).where(
                models.Segment.document_id == document_id,
                models.Segment.level == "paragraph",
                models.Segment.position == position,
            )
        )


def test_a_text_correction_keeps_the_old_text_in_history_and_can_be_undone(
    sessions, demo_alignment
):
    old = segment_text(sessions, demo_alignment, "target", 2)
    beads = states(sessions, demo_alignment)

    with transaction(sessions) as session:
        text_review.edit_segment_text(
            session, demo_alignment, version(sessions, demo_alignment), "target", 2, "Fixed text."
        )

    assert segment_text(sessions, demo_alignment, "target", 2) == "Fixed text."
    assert reviewed(states(sessions, demo_alignment)) == reviewed(beads)  # the beads do not move
    # ... and their stored flags describe the corrected text.
    assert [bead.flags for bead in states(sessions, demo_alignment)] == fresh_flags(
        sessions, demo_alignment
    )
    [event] = events(sessions, demo_alignment)
    assert event.before == [{"side": "target", "segment": 2, "text": old}]
    assert event.after[0]["text"] == "Fixed text."
    with transaction(sessions) as session:
        review.undo(session, demo_alignment, version(sessions, demo_alignment))
    assert segment_text(sessions, demo_alignment, "target", 2) == old
    with transaction(sessions) as session:
        review.redo(session, demo_alignment, version(sessions, demo_alignment))
    assert segment_text(sessions, demo_alignment, "target", 2) == "Fixed text."


@pytest.mark.parametrize(
    ("side", "segment", "text", "error"),
    [
        ("target", 2, "   ", InvalidRequest),
        ("middle", 2, "x", InvalidRequest),
        ("source", 9999, "x", Exception),
    ],
)
def test_a_bad_text_correction_is_refused(sessions, demo_alignment, side, segment, text, error):
    with pytest.raises(error), transaction(sessions) as session:
        text_review.edit_segment_text(
            session, demo_alignment, version(sessions, demo_alignment), side, segment, text
        )
    assert events(sessions, demo_alignment) == []
