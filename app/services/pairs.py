"""Aligning one document pair at both levels, computed first and stored in one go.

The CLI's ``alinea align`` and the background jobs share this: the work (minutes for a
long text) happens outside any transaction, and the documents with both alignment
levels are then written in one transaction, so a failure or a killed process leaves
nothing half-written.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app import services
from app.align.progress import ReportFn
from app.align.result import AlignmentResult, Progress
from app.align.sentence_evidence import with_sentences
from app.ingest import LoadedDocument
from app.services import sentences
from app.store import models
from app.store.embeddings import StoreEmbeddingCache


@dataclass(frozen=True)
class PairAlignment:
    """A pair's alignment at both levels, not yet stored."""

    source: LoadedDocument
    target: LoadedDocument
    paragraphs: AlignmentResult
    src_sentences: list[tuple[int, str]]
    tgt_sentences: list[tuple[int, str]]
    sentences: AlignmentResult


@dataclass(frozen=True)
class PairFigures:
    """What says at a glance whether a pair is a translation at all.

    ``mean_similarity`` is over the two-sided paragraph beads; ``one_sided_share`` is the
    share of all segments (both sides) left in one-sided paragraph beads.
    """

    beads: int
    one_sided: int
    mean_similarity: float | None
    one_sided_share: float
    sentence_beads: int
    # The alignment's overall score (``services.overall_score``): what says "these texts
    # are not translations of each other", the same rule as the warning of ``alinea align``.
    overall_score: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "beads": self.beads,
            "one_sided": self.one_sided,
            "mean_similarity": self.mean_similarity,
            "one_sided_share": self.one_sided_share,
            "sentence_beads": self.sentence_beads,
            "overall_score": self.overall_score,
        }


def compute(
    sessions: sessionmaker[Session],
    source: LoadedDocument,
    target: LoadedDocument,
    progress: Progress | None = None,
    use_mt: bool = True,
) -> PairAlignment:
    """Align paragraphs, then sentences inside each paragraph bead, and read the paragraph
    beads' similarities again with what their sentences say; writes no alignment.

    ``sessions`` serve the embedding cache only.
    """
    report: ReportFn | None = progress.report if progress is not None else None
    cache = StoreEmbeddingCache(sessions)
    paragraphs = services.align_plain(source, target, progress, use_mt=use_mt, cache=cache)
    both = with_sentences(
        paragraphs,
        [segment.text for segment in source.segments],
        [segment.text for segment in target.segments],
        source.language,
        target.language,
        use_mt=use_mt,
        cache=cache,
        report=report,
    )
    return PairAlignment(
        source, target, both.paragraphs, both.src_sentences, both.tgt_sentences, both.sentences
    )


def store(session: Session, pair: PairAlignment, project_id: int | None = None) -> models.Alignment:
    """Store the documents (unless already there, in ``project_id``; None: the default
    project) and both levels; returns the paragraph level."""
    source_doc = services.add_document(session, pair.source, project_id)
    target_doc = services.add_document(session, pair.target, project_id)
    alignment = services.store_alignment(session, source_doc, target_doc, pair.paragraphs)
    sentences.store_sentences(session, source_doc, pair.src_sentences)
    sentences.store_sentences(session, target_doc, pair.tgt_sentences)
    sentences.store_sentence_alignment(session, alignment, pair.sentences)
    return alignment


def figures(pair: PairAlignment) -> PairFigures:
    beads = pair.paragraphs.beads
    two_sided = [bead.similarity for bead in beads if bead.similarity is not None]
    segments = len(pair.source.segments) + len(pair.target.segments)
    left_alone = sum(
        (bead.src_end - bead.src_start) + (bead.tgt_end - bead.tgt_start)
        for bead in beads
        if bead.one_sided
    )
    return PairFigures(
        beads=len(beads),
        one_sided=sum(1 for bead in beads if bead.one_sided),
        mean_similarity=round(sum(two_sided) / len(two_sided), 4) if two_sided else None,
        one_sided_share=round(left_alone / segments, 4) if segments else 0.0,
        sentence_beads=len(pair.sentences.beads),
        overall_score=pair.paragraphs.parameters.get("overall_score"),
    )
