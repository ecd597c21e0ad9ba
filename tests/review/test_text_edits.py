"""Splitting a segment's text in two and joining two segments (both backends).

The beads of every alignment of the document follow; undo and redo restore the exact
texts, beads and sentences.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import Conflict, InvalidRequest
from app.review.ops import OperationRefused
from app.review.text import SentenceCut, join_texts, sentence_cut, split_text
from app.services import history, review, text_review
from app.store import models
from app.store.db import transaction

from .conftest import check, check_levels, shaped_alignment, states, version


def test_split_text_trims_both_parts_and_refuses_an_empty_one():
    assert split_text("One two. Three four.", 9) == ("One two.", "Three four.")
    assert split_text("abc", 1) == ("a", "bc")
    for offset in (0, 3, -1):
        with pytest.raises(OperationRefused):
            split_text("abc", offset)
    with pytest.raises(OperationRefused, match="keep some text"):
        split_text("  abc", 1)
    assert join_texts("One two.", " Three.") == "One two. Three."


def test_split_text_accepts_a_cut_next_to_spaces():
    assert split_text("abc   def", 4) == ("abc", "def")


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (9, SentenceCut(1)),  # between the sentences
        (8, SentenceCut(1)),  # right after the first full stop
        (4, SentenceCut(1, (0, "One", "two."))),  # inside the first sentence
        (15, SentenceCut(2, (1, "Three", "four."))),
        (0, SentenceCut(0)),
    ],
)
def test_a_paragraph_cut_finds_its_place_among_the_sentences(offset, expected):
    assert sentence_cut("One two. Three four.", ["One two.", "Three four."], offset) == expected


def texts(sessions, document_id: int, level: str = "paragraph") -> list[tuple[str, int | None]]:
    with sessions() as session:
        rows = session.execute(
            select(models.Segment.text, models.Segment.paragraph)
            .where(models.Segment.document_id == document_id, models.Segment.level == level)
            .order_by(models.Segment.position)
        )
        return [(text, paragraph) for text, paragraph in rows]


def documents(sessions, alignment_id: int) -> tuple[int, int]:
    with sessions() as session:
        alignment = session.get(models.Alignment, alignment_id)
        return alignment.source_id, alignment.target_id


def split(sessions, alignment_id, side, segment, offset):
    with transaction(sessions) as session:
        return text_review.split_segment_text(
            session, alignment_id, version(sessions, alignment_id), side, segment, offset
        )


def join(sessions, alignment_id, side, segment):
    with transaction(sessions) as session:
        return text_review.join_segment_text(
            session, alignment_id, version(sessions, alignment_id), side, segment
        )


def undo(sessions, alignment_id):
    with transaction(sessions) as session:
        review.undo(session, alignment_id, version(sessions, alignment_id))


def redo(sessions, alignment_id):
    with transaction(sessions) as session:
        review.redo(session, alignment_id, version(sessions, alignment_id))


def test_a_split_segment_stays_in_its_bead_and_undo_restores_the_exact_state(sessions):
    alignment_id = shaped_alignment(sessions, [(1, 1), (1, 2), (1, 1), (1, 0), (1, 1)])
    _, target = documents(sessions, alignment_id)
    with transaction(sessions) as session:
        row = session.scalars(
            select(models.Segment).where(
                models.Segment.document_id == target, models.Segment.position == 2
            )
        ).one()
        row.text = "First half.  Second half."
    before_beads, before_texts = states(sessions, alignment_id), texts(sessions, target)

    outcome = split(sessions, alignment_id, "target", 2, 12)

    after = states(sessions, alignment_id)
    assert [t for t, _ in texts(sessions, target)][2:4] == ["First half.", "Second half."]
    # Segment 2 of pair 1 (positions) is the third segment of the second pair for the reviewer.
    assert outcome.position == 1 and "split translated segment 3 of pair 2" in outcome.summary
    assert (after[1].tgt_start, after[1].tgt_end) == (1, 4)  # the bead holds the new segment
    assert [(b.tgt_start, b.tgt_end) for b in after[2:]] == [(4, 5), (5, 5), (5, 6)]
    assert [(b.src_start, b.src_end) for b in after] == [
        (b.src_start, b.src_end) for b in before_beads
    ]
    check(sessions, alignment_id)

    undo(sessions, alignment_id)
    assert states(sessions, alignment_id) == before_beads
    assert texts(sessions, target) == before_texts
    check(sessions, alignment_id)
    redo(sessions, alignment_id)
    assert states(sessions, alignment_id) == after
    check(sessions, alignment_id)


def test_joining_two_segments_of_a_bead_and_undoing_it(sessions):
    alignment_id = shaped_alignment(sessions, [(1, 1), (3, 1), (1, 1)])
    source, _ = documents(sessions, alignment_id)
    before_beads, before_texts = states(sessions, alignment_id), texts(sessions, source)

    join(sessions, alignment_id, "source", 2)

    after = states(sessions, alignment_id)
    joined = [t for t, _ in texts(sessions, source)]
    assert joined == [
        "es segment 0.",
        "es segment 1.",
        "es segment 2. es segment 3.",
        "es segment 4.",
    ]
    assert [(b.src_start, b.src_end) for b in after] == [(0, 1), (1, 3), (3, 4)]
    check(sessions, alignment_id)

    undo(sessions, alignment_id)
    assert states(sessions, alignment_id) == before_beads
    assert texts(sessions, source) == before_texts
    redo(sessions, alignment_id)
    assert states(sessions, alignment_id) == after


def test_a_join_across_two_beads_is_refused_and_writes_nothing(sessions):
    alignment_id = shaped_alignment(sessions, [(1, 1), (1, 1)])
    source, _ = documents(sessions, alignment_id)
    before = texts(sessions, source)

    with pytest.raises(InvalidRequest, match="different pairs"):
        join(sessions, alignment_id, "source", 0)
    with pytest.raises(InvalidRequest, match="no next segment"):
        join(sessions, alignment_id, "source", 1)
    with pytest.raises(InvalidRequest, match="inside the text"):
        split(sessions, alignment_id, "source", 0, 500)

    assert texts(sessions, source) == before
    with sessions() as session:
        assert history.history(session, alignment_id) == []


def test_a_split_on_a_stale_version_is_a_conflict(sessions):
    alignment_id = shaped_alignment(sessions, [(1, 1), (1, 1)])
    seen = version(sessions, alignment_id)
    split(sessions, alignment_id, "source", 0, 3)

    with pytest.raises(Conflict), transaction(sessions) as session:
        text_review.join_segment_text(session, alignment_id, seen, "source", 0)


def test_other_alignments_of_the_document_follow_a_split(sessions):
    first = shaped_alignment(sessions, [(1, 1), (2, 1), (1, 1)])
    with sessions() as session:
        alignment = session.get(models.Alignment, first)
        source_id, target_id = alignment.source_id, alignment.target_id
    with transaction(sessions) as session:
        other = models.Alignment(
            source_id=source_id, target_id=target_id, method="other/1", parameters={}
        )
        other.beads = [
            models.Bead(sort_key=k, src_start=s0, src_end=s1, tgt_start=t0, tgt_end=t1)
            for k, (s0, s1, t0, t1) in enumerate([(0, 2, 0, 1), (2, 4, 1, 3)])
        ]
        session.add(other)
        session.flush()
        other_id, other_version = other.id, other.version

    split(sessions, first, "source", 1, 3)

    assert [(b.src_start, b.src_end) for b in states(sessions, other_id)] == [(0, 3), (3, 5)]
    check(sessions, other_id)
    assert version(sessions, other_id) > other_version  # its open pages are stale


def sentence_texts(sessions, document_id):
    return texts(sessions, document_id, "sentence")


def test_splitting_a_paragraph_inside_a_sentence_splits_the_sentence_too(sessions, sentence_demo):
    parent, child = sentence_demo
    source, _ = documents(sessions, parent)
    paragraphs = texts(sessions, source)
    sentences = sentence_texts(sessions, source)
    # A paragraph of several sentences, cut inside its second sentence.
    k = next(k for k in range(len(paragraphs)) if sum(1 for _, p in sentences if p == k) >= 3)
    own = [(position, text) for position, (text, p) in enumerate(sentences) if p == k]
    cut_at = paragraphs[k][0].index(own[1][1]) + own[1][1].index(" ") + 1
    before = (states(sessions, parent), states(sessions, child), paragraphs, sentences)

    split(sessions, parent, "source", k, cut_at)

    after_sentences = sentence_texts(sessions, source)
    assert len(after_sentences) == len(sentences) + 1
    first_word, rest = own[1][1].split(" ", 1)
    assert after_sentences[own[1][0]] == (first_word, k)
    assert after_sentences[own[1][0] + 1] == (rest, k + 1)
    assert after_sentences[own[0][0]] == (own[0][1], k)
    assert all(p == k + 1 for _, p in after_sentences[own[1][0] + 1 : own[-1][0] + 2])
    assert [p for _, p in after_sentences[own[-1][0] + 2 :]] == [
        p + 1 for _, p in sentences[own[-1][0] + 1 :]
    ]
    check(sessions, parent)
    check_levels(sessions, child)

    undo(sessions, parent)
    assert (
        states(sessions, parent),
        states(sessions, child),
        texts(sessions, source),
        sentence_texts(sessions, source),
    ) == before
    redo(sessions, parent)
    assert sentence_texts(sessions, source) == after_sentences
    check_levels(sessions, child)


def test_joining_paragraphs_keeps_their_sentences(sessions, sentence_demo):
    parent, child = sentence_demo
    beads = states(sessions, parent)
    k = next(k for k, b in enumerate(beads) if b.src_len >= 2)
    segment = beads[k].src_start
    source, _ = documents(sessions, parent)
    sentences = sentence_texts(sessions, source)
    before = (states(sessions, parent), states(sessions, child), texts(sessions, source))

    join(sessions, parent, "source", segment)

    assert [t for t, _ in sentence_texts(sessions, source)] == [t for t, _ in sentences]
    check(sessions, parent)
    check_levels(sessions, child)
    undo(sessions, parent)
    assert (
        states(sessions, parent),
        states(sessions, child),
        texts(sessions, source),
    ) == before
    assert sentence_texts(sessions, source) == sentences


def test_sentences_of_two_paragraphs_cannot_be_joined(sessions, sentence_demo):
    _, child = sentence_demo
    source, _ = documents(sessions, child)
    sentences = sentence_texts(sessions, source)
    last_of_first = next(
        k for k in range(len(sentences) - 1) if sentences[k][1] != sentences[k + 1][1]
    )

    with pytest.raises(InvalidRequest, match="different paragraphs"):
        join(sessions, child, "source", last_of_first)


def test_carrying_sentences_through_a_correction():
    from app.review.text import carry_sentences

    sentences = ["One twoo.", "Three four.", "Five."]
    assert carry_sentences(
        "One twoo. Three four. Five.", "One two. Three four. Five.", sentences
    ) == [
        "One two.",
        "Three four.",
        "Five.",
    ]
    assert carry_sentences(
        "One twoo. Three four. Five.", "One twoo. Three, four. And Five.", sentences
    ) == ["One twoo.", "Three, four.", "And Five."]
    assert carry_sentences("One twoo. Three four. Five.", "One twoo. Five.", sentences) is None


def correct(sessions, alignment_id, side, segment, text):
    with transaction(sessions) as session:
        return text_review.edit_segment_text(
            session, alignment_id, version(sessions, alignment_id), side, segment, text
        )


def test_a_paragraph_correction_carries_its_sentences_and_undo_restores_them(
    sessions, sentence_demo
):
    parent, child = sentence_demo
    source, _ = documents(sessions, parent)
    paragraphs, sentences = texts(sessions, source), sentence_texts(sessions, source)
    k = next(k for k in range(len(paragraphs)) if sum(1 for _, p in sentences if p == k) >= 2)
    own = [position for position, (_, p) in enumerate(sentences) if p == k]
    old = paragraphs[k][0]
    second = sentences[own[1]][0]
    new = old.replace(second, second.replace(" ", "  X ", 1), 1)
    beads = (states(sessions, parent), states(sessions, child))

    correct(sessions, parent, "source", k, new)

    after = sentence_texts(sessions, source)
    assert after[own[1]][0] == second.replace(" ", "  X ", 1)
    assert [t for t, _ in after[: own[1]]] == [t for t, _ in sentences[: own[1]]]
    assert (states(sessions, parent), states(sessions, child)) == beads
    check_levels(sessions, child)
    undo(sessions, parent)
    assert sentence_texts(sessions, source) == sentences
    assert texts(sessions, source) == paragraphs
    redo(sessions, parent)
    assert sentence_texts(sessions, source) == after


def test_a_correction_that_would_lose_a_sentence_is_refused(sessions, sentence_demo):
    parent, _ = sentence_demo
    source, _ = documents(sessions, parent)
    paragraphs, sentences = texts(sessions, source), sentence_texts(sessions, source)
    k = next(k for k in range(len(paragraphs)) if sum(1 for _, p in sentences if p == k) >= 2)

    with pytest.raises(InvalidRequest, match="sentence by sentence"):
        correct(sessions, parent, "source", k, "Nothing")

    assert texts(sessions, source) == paragraphs
