"""One review for both levels: a paragraph pair's status carries to its sentence pairs
(both backends)."""

from __future__ import annotations

from app.review.levels import Box
from app.segments import BeadStatus
from app.services import exchange, review
from app.services.review import Operation
from app.store import beads as store_beads
from app.store import models
from app.store.db import transaction

from .conftest import apply, check_levels, states, version


def sentences_under(sessions, parent, child, position):
    """The sentence beads lying inside the paragraph bead at ``position``."""
    with sessions() as session:
        bead = store_beads.bead_states(session, parent)[position]
        src = _sentence_paragraphs(session, models.Alignment, child, "source_id")
        tgt = _sentence_paragraphs(session, models.Alignment, child, "target_id")
    box = Box(
        min(k for k, p in enumerate(src) if bead.src_start <= p < bead.src_end),
        max(k for k, p in enumerate(src) if bead.src_start <= p < bead.src_end) + 1,
        min(k for k, p in enumerate(tgt) if bead.tgt_start <= p < bead.tgt_end),
        max(k for k, p in enumerate(tgt) if bead.tgt_start <= p < bead.tgt_end) + 1,
    )
    return [(k, b) for k, b in enumerate(states(sessions, child)) if box.holds(b) and not b.empty]


def _sentence_paragraphs(session, alignment_model, child, column):
    from sqlalchemy import select

    alignment = session.get(alignment_model, child)
    return list(
        session.scalars(
            select(models.Segment.paragraph)
            .where(
                models.Segment.document_id == getattr(alignment, column),
                models.Segment.level == "sentence",
            )
            .order_by(models.Segment.position)
        )
    )


def two_sided(sessions, alignment_id, after=0):
    return next(
        k
        for k, b in enumerate(states(sessions, alignment_id))
        if k >= after and b.src_len and b.tgt_len
    )


def undo(sessions, alignment_id):
    with transaction(sessions) as session:
        return review.undo(session, alignment_id, version(sessions, alignment_id))


def test_confirming_a_paragraph_pair_confirms_its_sentence_pairs(sessions, sentence_demo):
    parent, child = sentence_demo
    position = two_sided(sessions, parent, 3)

    apply(sessions, parent, Operation("status", position, status="confirmed"))

    under = sentences_under(sessions, parent, child, position)
    assert under and all(b.status == "confirmed" and b.inherited for _, b in under)
    check_levels(sessions, child)


def test_a_sentence_pair_reviewed_on_its_own_keeps_its_status(sessions, sentence_demo):
    parent, child = sentence_demo
    position = two_sided(sessions, parent, 3)
    own, _ = sentences_under(sessions, parent, child, position)[0]
    apply(sessions, child, Operation("status", own, status="rejected"))

    apply(sessions, parent, Operation("status", position, status="confirmed"))
    apply(sessions, parent, Operation("status", position, status="automatic"))

    under = sentences_under(sessions, parent, child, position)
    statuses = {k: (b.status, b.inherited) for k, b in under}
    assert statuses.pop(own) == ("rejected", False)
    assert set(statuses.values()) <= {("automatic", False)}


def test_rejecting_after_confirming_carries_the_new_status(sessions, sentence_demo):
    parent, child = sentence_demo
    position = two_sided(sessions, parent, 3)
    apply(sessions, parent, Operation("status", position, status="confirmed"))

    apply(sessions, parent, Operation("status", position, status="rejected"))

    assert {b.status for _, b in sentences_under(sessions, parent, child, position)} == {"rejected"}


def test_undo_of_a_paragraph_confirmation_resets_its_sentences(sessions, sentence_demo):
    parent, child = sentence_demo
    position = two_sided(sessions, parent, 3)
    before = states(sessions, child)
    apply(sessions, parent, Operation("status", position, status="confirmed"))

    undo(sessions, parent)

    assert states(sessions, child) == before


def test_a_sentence_fix_inside_a_confirmed_paragraph_stays_confirmed(sessions, sentence_demo):
    parent, child = sentence_demo
    # A paragraph bead with at least two sentence beads, to merge them.
    paragraphs = states(sessions, parent)
    position = next(
        k
        for k, bead in enumerate(paragraphs)
        if bead.src_len and bead.tgt_len and len(sentences_under(sessions, parent, child, k)) >= 2
    )
    apply(sessions, parent, Operation("status", position, status="confirmed"))
    first, _ = sentences_under(sessions, parent, child, position)[0]

    apply(sessions, child, Operation("merge_next", first))

    merged = states(sessions, child)[first]
    assert (merged.status, merged.inherited) == ("confirmed", True)
    assert states(sessions, parent)[position].status == "confirmed"
    check_levels(sessions, child)


def test_a_sentence_export_of_confirmed_pairs_follows_the_paragraph_review(sessions, sentence_demo):
    parent, child = sentence_demo
    position = two_sided(sessions, parent, 3)
    apply(sessions, parent, Operation("status", position, status="confirmed"))
    selection = exchange.export_selection(
        statuses=frozenset({BeadStatus.CONFIRMED}), level="sentence"
    )

    with sessions() as session:
        alignment = session.get(models.Alignment, parent)
        pairs = list(exchange.iter_export_pairs(session, alignment, selection))

    under = sentences_under(sessions, parent, child, position)
    assert len(pairs) == len([b for _, b in under if b.src_len and b.tgt_len])
    assert pairs


def test_a_confirmed_pair_passes_a_similarity_filter_unless_asked_otherwise(
    sessions, demo_alignment
):
    beads = states(sessions, demo_alignment)
    weakest = min(
        (k for k, b in enumerate(beads) if b.similarity is not None),
        key=lambda k: beads[k].similarity,
    )
    threshold = beads[weakest].similarity + 0.001
    apply(sessions, demo_alignment, Operation("status", weakest, status="confirmed"))

    def exported(**options):
        selection = exchange.export_selection(min_similarity=threshold, **options)
        with sessions() as session:
            alignment = session.get(models.Alignment, demo_alignment)
            return [p.position for p in exchange.iter_export_pairs(session, alignment, selection)]

    assert weakest in exported()
    assert weakest not in exported(similarity_for_confirmed=True)
