"""The sentence level follows paragraph operations, and undo restores both levels (both
backends)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import Conflict, InvalidRequest
from app.review import BeadState
from app.review.levels import Box, rederive
from app.services import history, review
from app.services.review import Operation
from app.store import models
from app.store.db import transaction

from .conftest import apply, check, check_levels, states, version


def undo(sessions, alignment_id):
    with transaction(sessions) as session:
        review.undo(session, alignment_id, version(sessions, alignment_id))


def redo(sessions, alignment_id):
    with transaction(sessions) as session:
        review.redo(session, alignment_id, version(sessions, alignment_id))


def both(sessions, parent, child):
    return states(sessions, parent), states(sessions, child)


def first_with(sessions, alignment_id, test, after=0) -> int:
    return next(k for k, b in enumerate(states(sessions, alignment_id)) if k >= after and test(b))


def one_one_aligner(src, tgt):
    """A stand-in sentence aligner: pairs sentences in order, the rest one-sided."""
    common = min(len(src), len(tgt))
    beads = [BeadState(k, k + 1, k, k + 1, 0.5, {"fake": 0.5}) for k in range(common)]
    beads += [BeadState(k, k + 1, common, common) for k in range(common, len(src))]
    beads += [BeadState(len(src), len(src), k, k + 1) for k in range(common, len(tgt))]
    return beads


def test_rederive_keeps_unchanged_paragraphs_and_confirmed_sentences():
    confirmed = BeadState(1, 2, 1, 2, 0.9, {}, "confirmed")
    sentences = [BeadState(0, 1, 0, 1), confirmed, BeadState(2, 3, 2, 4), BeadState(3, 5, 4, 5)]
    paragraphs = [BeadState(0, 2, 0, 2), BeadState(2, 3, 2, 3)]
    boxes = [Box(0, 3, 0, 4), Box(3, 5, 4, 5)]
    calls = []

    def align(s0, s1, t0, t1):
        calls.append((s0, s1, t0, t1))
        return one_one_aligner(range(s1 - s0), range(t1 - t0))

    out = rederive(paragraphs, boxes, {(2, 3, 2, 3)}, sentences, align)

    # The first paragraph changed: its confirmed sentence stays, the rest is aligned again;
    # the second did not: its sentence bead stays as it was.
    assert calls == [(0, 1, 0, 1), (2, 3, 2, 4)]
    assert out[1] == confirmed and out[-1] == sentences[-1]
    assert [(b.src_start, b.src_end, b.tgt_start, b.tgt_end) for b in out] == [
        (0, 1, 0, 1),
        (1, 2, 1, 2),
        (2, 3, 2, 3),
        (3, 3, 3, 4),
        (3, 5, 4, 5),
    ]


@pytest.fixture
def fake_sentence_aligner(monkeypatch):
    monkeypatch.setattr("app.services.levels.fast_sentence_aligner", lambda: one_one_aligner)


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("merge_next", {}),
        ("split", {}),
        ("shift_down", {"side": "source"}),
        ("shift_up", {"side": "target"}),
        ("detach", {"side": "target", "end": "last"}),
    ],
)
def test_a_paragraph_operation_keeps_the_sentences_inside_and_undo_restores_both(
    sessions, sentence_demo, name, arguments
):
    parent, child = sentence_demo
    position = first_with(sessions, parent, lambda b: b.src_len and b.tgt_len, after=3)
    before = both(sessions, parent, child)

    apply(sessions, parent, Operation(name, position, **arguments))

    changed = both(sessions, parent, child)
    assert changed[0] != before[0]
    if name != "merge_next":  # a merge leaves every sentence bead inside the merged pair
        assert changed[1] != before[1]
    check(sessions, parent)
    check_levels(sessions, child)
    undo(sessions, parent)
    assert both(sessions, parent, child) == before
    check_levels(sessions, child)
    redo(sessions, parent)
    assert both(sessions, parent, child) == changed
    check_levels(sessions, child)


def test_confirmed_sentences_inside_a_changed_paragraph_pair_stay(
    sessions, sentence_demo, fake_sentence_aligner
):
    parent, child = sentence_demo
    position = first_with(sessions, parent, lambda b: b.src_len and b.tgt_len, after=3)
    paragraph = states(sessions, parent)[position]
    with sessions() as session:
        src_paragraph = {
            k: p
            for k, p in enumerate(
                session.scalars(
                    select(models.Segment.paragraph)
                    .where(
                        models.Segment.level == "sentence",
                        models.Segment.document_id.in_(
                            select(models.Alignment.source_id).where(models.Alignment.id == parent)
                        ),
                    )
                    .order_by(models.Segment.position)
                )
            )
        }
    inside = first_with(
        sessions,
        child,
        lambda b: (
            b.src_len and paragraph.src_start <= src_paragraph[b.src_start] < paragraph.src_end
        ),
    )
    apply(sessions, child, Operation("status", inside, status="confirmed"))
    confirmed = states(sessions, child)[inside]

    apply(sessions, parent, Operation("merge_next", position))

    assert confirmed in states(sessions, child)
    check_levels(sessions, child)
    with sessions() as session:
        [record] = [e for e in history.history(session, child) if e.action == "cascade"]
        assert record.state == "record" and "merged pair" in record.summary
        [event] = [e for e in history.history(session, parent) if e.action == "merge_next"]
        assert event.cascade and event.cascade[0]["alignment_id"] == child


def test_a_note_leaves_the_sentence_level_alone(sessions, sentence_demo):
    parent, child = sentence_demo
    before = states(sessions, child)

    apply(sessions, parent, Operation("note", 4, note="checked"))

    assert states(sessions, child) == before
    with sessions() as session:
        assert [e.cascade for e in history.history(session, parent)] == [[]]


def test_undo_of_a_paragraph_change_refuses_when_its_sentences_changed_since(
    sessions, sentence_demo
):
    parent, child = sentence_demo
    position = first_with(sessions, parent, lambda b: b.src_len and b.tgt_len, after=3)
    apply(sessions, parent, Operation("merge_next", position))
    with sessions() as session:
        [event] = [e for e in history.history(session, parent) if e.action == "merge_next"]
        start = event.cascade[0]["position"]
    apply(sessions, child, Operation("merge_next", start))
    current = both(sessions, parent, child)

    with pytest.raises(Conflict, match="sentence view first"):
        undo(sessions, parent)

    assert both(sessions, parent, child) == current
    undo(sessions, child)  # the sentence change first, then the paragraph one
    undo(sessions, parent)
    check_levels(sessions, child)


def test_re_alignment_of_the_paragraphs_keeps_the_sentence_level_inside(
    sessions, sentence_demo, fake_sentence_aligner
):
    parent, child = sentence_demo
    for position in (2, 9):
        apply(sessions, parent, Operation("status", position, status="confirmed"))
    apply(sessions, parent, Operation("merge_next", 5))
    before = both(sessions, parent, child)

    with transaction(sessions) as session:
        review.realign(session, parent, version(sessions, parent))

    check(sessions, parent)
    check_levels(sessions, child)
    undo(sessions, parent)
    assert both(sessions, parent, child) == before


def test_a_sentence_operation_may_not_cross_paragraph_pairs(sessions, sentence_demo):
    parent, child = sentence_demo
    with sessions() as session:
        paragraphs = {
            k: p
            for k, p in enumerate(
                session.scalars(
                    select(models.Segment.paragraph)
                    .where(
                        models.Segment.level == "sentence",
                        models.Segment.document_id.in_(
                            select(models.Alignment.source_id).where(models.Alignment.id == parent)
                        ),
                    )
                    .order_by(models.Segment.position)
                )
            )
        }
    beads = states(sessions, child)
    pairs = states(sessions, parent)
    holder = {k: i for i, b in enumerate(pairs) for k in range(b.src_start, b.src_end)}
    # The last sentence pair of a paragraph pair, followed by one of the next.
    last = next(
        k
        for k in range(len(beads) - 1)
        if beads[k].src_len
        and beads[k + 1].src_len
        and holder[paragraphs[beads[k].src_start]] != holder[paragraphs[beads[k + 1].src_start]]
    )
    before = states(sessions, child)

    with pytest.raises(InvalidRequest, match="two paragraph pairs"):
        apply(sessions, child, Operation("merge_next", last))

    assert states(sessions, child) == before


def test_re_aligning_the_sentences_stays_inside_the_paragraph_pairs(
    sessions, sentence_demo, monkeypatch
):
    # A stand-in aligner that puts each stretch's sentences in one pair.
    def lump(src, tgt):
        return [BeadState(0, len(src), 0, len(tgt), 0.4, {})]

    monkeypatch.setattr("app.services.levels.fast_sentence_aligner", lambda: lump)
    parent, child = sentence_demo
    apply(sessions, child, Operation("status", 3, status="confirmed"))
    confirmed = states(sessions, child)[3]
    before = states(sessions, child)

    with transaction(sessions) as session:
        outcome = review.realign(session, child, version(sessions, child))

    assert "re-aligned" in outcome.summary
    assert len(states(sessions, child)) < len(before)
    assert confirmed in states(sessions, child)
    check_levels(sessions, child)
    undo(sessions, child)
    assert states(sessions, child) == before
