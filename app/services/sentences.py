"""The sentence level of stored documents: their sentences, and storing a sentence alignment."""

from __future__ import annotations

from collections.abc import Sequence

from app.align.result import AlignmentResult


def store_sentences(session, document, sentences: Sequence[tuple[int, str]]) -> None:
    """Add a document's sentence segments, unless it already has them."""
    from app.store import models, segments

    if segments.exist(session, document.id, "sentence"):
        return
    session.add_all(
        models.Segment(
            document_id=document.id,
            level="sentence",
            position=k,
            paragraph=paragraph,
            kind="paragraph",
            text=text,
        )
        for k, (paragraph, text) in enumerate(sentences)
    )


def store_sentence_alignment(session, parent, result: AlignmentResult):
    """Store ``result`` as the sentence-level child of the paragraph alignment ``parent``."""
    from app.services import store_alignment

    return store_alignment(session, parent.source, parent.target, result, parent=parent)
