"""Fixtures for the review use cases: the demo alignment's beads read back as plain values."""

from __future__ import annotations

import pytest

from app.services import history, review
from app.store import beads as store_beads
from app.store.db import transaction


def states(sessions, alignment_id: int):
    """The alignment's beads as plain values, as the store has them now."""
    with sessions() as session:
        return store_beads.bead_states(session, alignment_id)


def reviewed(beads):
    """Beads without their QA flags: what a reviewer changed, not what the checks found."""
    from dataclasses import replace

    return [replace(bead, flags=[]) for bead in beads]


def fresh_flags(sessions, alignment_id: int) -> list[list[dict]]:
    """The flags a full QA run finds on the alignment now (nothing is stored)."""
    from app.services.qa import run_qa
    from app.store import models

    with sessions() as session:
        run_qa(session, session.get(models.Alignment, alignment_id))
        found = [bead.flags for bead in store_beads.bead_states(session, alignment_id)]
        session.rollback()
    return found


def version(sessions, alignment_id: int) -> int:
    from app.store import models

    with sessions() as session:
        return session.get(models.Alignment, alignment_id).version


def apply(sessions, alignment_id: int, operation: review.Operation) -> history.Outcome:
    """Apply an operation on the current version, in a transaction of its own."""
    current = version(sessions, alignment_id)
    with transaction(sessions) as session:
        return review.apply_operation(session, alignment_id, current, operation)


def check(sessions, alignment_id: int) -> None:
    with sessions() as session:
        review.check_alignment(session, alignment_id)


def shaped_alignment(sessions, shapes: list[tuple[int, int]]) -> int:
    """Two documents and an alignment whose beads have the given (source, target) sizes."""
    import hashlib

    from app.align.result import AlignmentResult
    from app.ingest import LoadedDocument
    from app.segments import BeadSpan, Segment
    from app.services import add_document, store_alignment

    def document(language: str, count: int) -> LoadedDocument:
        segments = [Segment(f"{language} segment {k}.") for k in range(count)]
        text = "\n\n".join(segment.text for segment in segments)
        return LoadedDocument(
            title=f"Shaped {language}",
            language=language,
            text=text,
            segments=segments,
            checksum=hashlib.sha256(text.encode()).hexdigest(),
            origin=f"hand-made/{language}.txt",
        )

    spans, src, tgt = [], 0, 0
    for s, t in shapes:
        spans.append(BeadSpan(src, src + s, tgt, tgt + t, 0.7 if s and t else None, {}))
        src, tgt = src + s, tgt + t
    with transaction(sessions) as session:
        source = add_document(session, document("es", src))
        target = add_document(session, document("en", tgt))
        result = AlignmentResult(spans, "by-hand/1", {"scorers": []})
        return store_alignment(session, source, target, result).id


def sort_keys(sessions, alignment_id: int) -> list[int]:
    from sqlalchemy import select

    from app.store import models

    with sessions() as session:
        return list(
            session.scalars(
                select(models.Bead.sort_key)
                .where(models.Bead.alignment_id == alignment_id)
                .order_by(models.Bead.sort_key)
            )
        )


@pytest.fixture(scope="session")
def corpus_sentences(corpus_pair, corpus_result):
    """The corpus pair's sentences and their alignment inside the paragraph beads (the fast
    model: no embeddings), computed once per run."""
    from app.align.levels import align_within_beads
    from app.ingest import unit_sentences

    es, en = corpus_pair
    src = unit_sentences([s.text for s in es.segments], es.language)
    tgt = unit_sentences([s.text for s in en.segments], en.language)
    result = align_within_beads(corpus_result.beads, src, tgt, es.language, en.language, fast=True)
    return src, tgt, result


@pytest.fixture
def sentence_demo(sessions, demo_alignment, corpus_sentences) -> tuple[int, int]:
    """The demo alignment with its sentence level stored: (paragraph id, sentence id)."""
    from app.services import sentences
    from app.store import models

    src, tgt, result = corpus_sentences
    with transaction(sessions) as session:
        parent = session.get(models.Alignment, demo_alignment)
        sentences.store_sentences(session, parent.source, src)
        sentences.store_sentences(session, parent.target, tgt)
        child = sentences.store_sentence_alignment(session, parent, result)
        return parent.id, child.id


def check_levels(sessions, child_id: int) -> None:
    with sessions() as session:
        review.check_levels(session, child_id)
