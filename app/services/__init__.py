"""The use cases shared by the CLI and the web UI: import, align, review, export.

Each function takes an open session; callers decide the transaction (see
``app.store.db.transaction``), so a failure anywhere writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, insert, select, true
from sqlalchemy.orm import Session

from app.align.embed import EmbeddingCache
from app.align.result import AlignmentResult, Progress
from app.errors import NotFound
from app.formats import ExportMeta
from app.ingest import LoadedDocument
from app.review.keys import initial_keys
from app.segments import BeadStatus, Segment, SegmentKind
from app.store import models, segments
from app.store.base import possible_id


def add_document(
    session: Session,
    loaded: LoadedDocument,
    project_id: int | None = None,
    *,
    same_title: bool = False,
) -> models.Document:
    """Store an imported document and its segments; the same text imported twice is kept once.

    The document belongs to the project ``project_id`` (None: the default project); the same
    text imported into another project is that project's own copy. With ``same_title``, a
    stored text counts as the same only under the same title (a bilingual file names its
    documents, and an export must give that name back).
    """
    same_project = (
        models.Document.project_id.is_(None)
        if project_id is None
        else models.Document.project_id == project_id
    )
    query = select(models.Document).where(
        models.Document.checksum == loaded.checksum,
        models.Document.language == loaded.language,
        same_project,
    )
    if same_title:
        query = query.where(models.Document.title == loaded.title[:500])
    existing = session.scalars(query).first()
    if existing is not None:
        return existing
    document = models.Document(
        title=loaded.title[:500],
        language=loaded.language,
        origin=loaded.origin[:1000],
        text=loaded.text,
        checksum=loaded.checksum,
        project_id=project_id,
    )
    session.add(document)
    session.flush()
    if loaded.segments:
        # A book has thousands of segments: one multi-row INSERT, not an ORM object each
        # (document.segments loads them when it is first read).
        session.execute(
            insert(models.Segment),
            [
                {
                    "document_id": document.id,
                    "position": k,
                    "kind": segment.kind.value,
                    "text": segment.text,
                }
                for k, segment in enumerate(loaded.segments)
            ],
        )
    return document


def get_document(session: Session, document_id: int) -> models.Document:
    document = session.get(models.Document, document_id) if possible_id(document_id) else None
    if document is None:
        raise NotFound(f"there is no document {document_id}")
    return document


def get_alignment(session: Session, alignment_id: int) -> models.Alignment:
    alignment = session.get(models.Alignment, alignment_id) if possible_id(alignment_id) else None
    if alignment is None:
        raise NotFound(f"there is no alignment {alignment_id}")
    return alignment


def plain_segments(document: models.Document) -> list[Segment]:
    return [Segment(s.text, SegmentKind(s.kind)) for s in document.segments]


def loaded_from_store(document: models.Document) -> LoadedDocument:
    """A stored document in the form the importers produce."""
    return LoadedDocument(
        title=document.title,
        language=document.language,
        text=document.text,
        segments=plain_segments(document),
        checksum=document.checksum,
        origin=document.origin,
    )


def align_plain(
    source: LoadedDocument,
    target: LoadedDocument,
    progress: Progress | None = None,
    use_mt: bool = True,
    cache: EmbeddingCache | None = None,
) -> AlignmentResult:
    """Align two documents' paragraphs; touches no database (but ``cache``, if given).

    Two identical texts are refused before (``app.services.pairing.prepare_pair``).
    """
    from app.align.levels import align_segments

    result = align_segments(
        source.segments,
        target.segments,
        source.language,
        target.language,
        progress=progress,
        use_mt=use_mt,
        cache=cache,
    )
    result.parameters.update(assess_alignment(source, target, result))
    return result


UNRELATED_BELOW = 0.3
"""An overall score under this means the two texts are most likely not translations of each
other: a real translation scores 0.6 to 1 (most pairs found, each similar), unrelated texts
near 0 (the aligner pairs almost nothing)."""


def overall_score(result: AlignmentResult) -> float:
    """The mean similarity over every bead, a one-sided bead counting 0: how much of the two
    texts the aligner could pair, and how well."""
    if not result.beads:
        return 0.0
    return sum(bead.similarity or 0.0 for bead in result.beads) / len(result.beads)


def assess_alignment(
    source: LoadedDocument, target: LoadedDocument, result: AlignmentResult
) -> dict[str, object]:
    """The overall score and the warnings a reviewer must see before trusting the alignment.

    The alignment is kept either way: two editions in one language, or a loose adaptation,
    are still worth aligning, and the reviewer decides.
    """
    score = overall_score(result)
    warnings = language_warnings(source, target)
    if source.language == target.language:
        warnings.append(
            f"both documents are in the same language ({source.language}); an alignment "
            "usually pairs an original with its translation into another language"
        )
    if score < UNRELATED_BELOW:
        warnings.append(
            f"the documents do not look like translations of each other: overall score "
            f"{score:.2f}, {sum(1 for bead in result.beads if bead.similarity is None)} of "
            f"{len(result.beads)} pairs one-sided; check that the right files were chosen"
        )
    return {"overall_score": round(score, 4), "warnings": warnings}


def language_warnings(*documents: LoadedDocument) -> list[str]:
    """The documents' doubtful language detections, kept with the alignment they led to,
    since the language chose its scorers."""
    return [doc.language_warning for doc in documents if doc.language_warning is not None]


def find_alignment(
    session: Session, source_checksum: str, target_checksum: str
) -> models.Alignment | None:
    """The first paragraph alignment of the documents with these checksums, if any (later
    ones, such as a comparison's, do not replace it)."""
    source = select(models.Document.id).where(models.Document.checksum == source_checksum)
    target = select(models.Document.id).where(models.Document.checksum == target_checksum)
    return session.scalars(
        select(models.Alignment)
        .where(
            models.Alignment.source_id.in_(source),
            models.Alignment.target_id.in_(target),
            models.Alignment.parent_id.is_(None),
        )
        .order_by(models.Alignment.id)
    ).first()


def export_meta(alignment: models.Alignment, tool_version: str, now: datetime) -> ExportMeta:
    """Return what an export of ``alignment``'s pairs says about itself.

    The level is the alignment's own, or for an imported file the one the file declared.
    """
    declared = (alignment.parameters or {}).get("unit_level")
    return ExportMeta(
        level=declared if isinstance(declared, str) else alignment.level,
        source_lang=alignment.source.language,
        target_lang=alignment.target.language,
        created_at=now,
        tool_version=tool_version,
        source_name=alignment.source.title,
        target_name=alignment.target.title,
        alignment_id=alignment.id,
    )


def store_alignment(
    session: Session,
    source: models.Document,
    target: models.Document,
    result: AlignmentResult,
    parent: models.Alignment | None = None,
) -> models.Alignment:
    """Store an aligner's result; with ``parent``, as that alignment's sentence level.

    The alignment belongs to its parent's project, or else to its source document's.
    """
    alignment = models.Alignment(
        source_id=source.id,
        target_id=target.id,
        project_id=parent.project_id if parent is not None else source.project_id,
        level="sentence" if parent is not None else "paragraph",
        parent_id=parent.id if parent is not None else None,
        method=result.method,
        parameters=result.parameters,
    )
    session.add(alignment)
    session.flush()
    if result.beads:
        # One multi-row INSERT (alignment.beads loads them when it is first read).
        session.execute(
            insert(models.Bead),
            [
                {
                    "alignment_id": alignment.id,
                    "sort_key": key,
                    "src_start": bead.src_start,
                    "src_end": bead.src_end,
                    "tgt_start": bead.tgt_start,
                    "tgt_end": bead.tgt_end,
                    "similarity": bead.similarity,
                    "scores": dict(bead.scores),
                    "status": BeadStatus.AUTOMATIC.value,
                }
                for key, bead in zip(initial_keys(len(result.beads)), result.beads, strict=True)
            ],
        )
        from app.services.qa import check_new

        check_new(session, alignment)
    return alignment


def set_bead_status(
    session: Session, bead_id: int, status: BeadStatus, version: int | None = None
) -> models.Bead:
    """Confirm, reject or reset one bead; ``version`` is the one the reviewer saw (None:
    whichever). A review operation: one history event, the alignment's version bumped, the
    sentence level following (``app.services.review.apply_to_bead``)."""
    from app.services import review

    review.apply_to_bead(session, bead_id, version, "status", status=status.value)
    bead = session.get(models.Bead, bead_id)
    assert bead is not None
    return bead


@dataclass(frozen=True)
class AlignmentSummary:
    alignment: models.Alignment
    beads: int
    confirmed: int
    rejected: int
    mean_similarity: float | None


def list_alignments(
    session: Session, where: ColumnElement[bool] | None = None
) -> list[AlignmentSummary]:
    """Every alignment (or those ``where`` selects) with its progress counts, newest first."""
    counts = (
        select(
            models.Bead.alignment_id,
            func.count().label("beads"),
            func.count().filter(models.Bead.status == BeadStatus.CONFIRMED.value),
            func.count().filter(models.Bead.status == BeadStatus.REJECTED.value),
            func.avg(models.Bead.similarity),
        )
        .group_by(models.Bead.alignment_id)
        .subquery()
    )
    rows = session.execute(
        select(models.Alignment, counts)
        .join(counts, counts.c.alignment_id == models.Alignment.id, isouter=True)
        .where(true() if where is None else where)
        .order_by(models.Alignment.id.desc())
    ).all()
    return [AlignmentSummary(row[0], row[2] or 0, row[3] or 0, row[4] or 0, row[5]) for row in rows]


def list_documents(
    session: Session, where: ColumnElement[bool] | None = None
) -> list[tuple[models.Document, int]]:
    """Every document (or those ``where`` selects) with its number of paragraph-level
    segments, newest first."""
    count = (
        select(func.count(models.Segment.id))
        .where(segments.condition(models.Document.id, "paragraph"))
        .scalar_subquery()
    )
    return [
        (row[0], row[1])
        for row in session.execute(
            select(models.Document, count)
            .where(true() if where is None else where)
            .order_by(models.Document.id.desc())
        ).all()
    ]
