"""Typed SQLAlchemy models: documents and their segments, alignments and their beads.

The schema itself is created only by the Alembic migrations in ``migrations/``;
these classes describe it for the ORM.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.segments import BeadStatus, SegmentKind
from app.store.base import Base, created, intpk


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[created]
    # The project it belongs to (app.store.accounts); NULL is the default project.
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)

    segments: Mapped[list[Segment]] = relationship(
        back_populates="document",
        order_by="Segment.position",
        cascade="all, delete-orphan",
        primaryjoin="and_(Document.id == Segment.document_id, Segment.level == 'paragraph')",
        overlaps="sentences",
    )
    sentences: Mapped[list[Segment]] = relationship(
        order_by="Segment.position",
        primaryjoin="and_(Document.id == Segment.document_id, Segment.level == 'sentence')",
        viewonly=True,
    )


class Segment(Base):
    """A paragraph or heading (level "paragraph"), or a sentence of one (level "sentence").

    Positions count from 0 within a document and level; a sentence records the position
    of the paragraph it belongs to.
    """

    __tablename__ = "segments"
    __table_args__ = (
        UniqueConstraint("document_id", "level", "position"),
        # The sentences of given paragraphs, for the sentence level under a changed pair.
        Index("ix_segments_document_paragraph", "document_id", "level", "paragraph"),
        # The review page's text search (ILIKE '%...%') reads this trigram index on
        # PostgreSQL; SQLite has no such index and scans the document's segments.
        Index(
            "ix_segments_text_trgm",
            "text",
            postgresql_using="gin",
            postgresql_ops={"text": "gin_trgm_ops"},
            info={"dialects": ("postgresql",)},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(16), default="paragraph")
    position: Mapped[int]
    paragraph: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(16), default=SegmentKind.PARAGRAPH.value)
    text: Mapped[str] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="segments")


class Alignment(Base):
    __tablename__ = "alignments"

    id: Mapped[intpk]
    source_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    # "paragraph", or "sentence" for the alignment that refines the paragraph alignment
    # ``parent_id`` inside each of its beads.
    level: Mapped[str] = mapped_column(String(16), default="paragraph")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("alignments.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[str] = mapped_column(String(100))
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Incremented by every review operation that changes beads.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created]
    # The project it belongs to (app.store.accounts); NULL is the default project.
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)

    source: Mapped[Document] = relationship(foreign_keys=[source_id])
    target: Mapped[Document] = relationship(foreign_keys=[target_id])
    parent: Mapped[Alignment | None] = relationship(remote_side="Alignment.id")
    beads: Mapped[list[Bead]] = relationship(
        back_populates="alignment",
        order_by="Bead.sort_key",
        cascade="all, delete-orphan",
    )


class Bead(Base):
    """A run of source segments ``[src_start, src_end)`` paired with a run of target segments.

    Runs are stored as position ranges rather than link rows: beads are contiguous and
    ordered, so two integers per side keep every segment in exactly one bead.

    The beads' order is that of ``sort_key``, which has gaps (see ``app.review.keys``): a
    bead's position, the pair number 0..n-1 a reviewer sees, is its rank by ``sort_key``, so
    inserting or removing a bead leaves every other bead's row alone.
    """

    __tablename__ = "beads"
    __table_args__ = (
        UniqueConstraint("alignment_id", "sort_key"),
        Index("ix_beads_alignment_similarity", "alignment_id", "similarity"),
        # The first bead at or after given segments (the sentence beads under a pair).
        Index("ix_beads_alignment_start", "alignment_id", "src_start", "tgt_start"),
    )

    id: Mapped[intpk]
    alignment_id: Mapped[int] = mapped_column(ForeignKey("alignments.id", ondelete="CASCADE"))
    sort_key: Mapped[int]
    src_start: Mapped[int]
    src_end: Mapped[int]
    tgt_start: Mapped[int]
    tgt_end: Mapped[int]
    similarity: Mapped[float | None]
    scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default=BeadStatus.AUTOMATIC.value)
    # True when the status was set by reviewing the paragraph pair around this sentence
    # pair rather than the pair itself (see docs/review.md, "One review for both levels").
    inherited: Mapped[bool] = mapped_column(default=False, server_default=false())
    note: Mapped[str | None] = mapped_column(Text)
    # Problems found by the QA checks: [{"check": ..., "message": ...}, ...].
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # The unit's id in the TMX or XLIFF file the bead was imported from, given back on export.
    unit_id: Mapped[str | None] = mapped_column(String(200))
    # Incremented on every change, so a form posted from a stale page is detected.
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[created]

    alignment: Mapped[Alignment] = relationship(back_populates="beads")

    @property
    def one_sided(self) -> bool:
        return self.src_start == self.src_end or self.tgt_start == self.tgt_end


class Embedding(Base):
    """A cached sentence embedding, keyed by model and the SHA-256 of the text."""

    __tablename__ = "embeddings"
    __table_args__ = (UniqueConstraint("model", "text_hash"),)

    id: Mapped[intpk]
    model: Mapped[str] = mapped_column(String(100))
    text_hash: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class ReviewEvent(Base):
    """One review operation on an alignment: who, when, what, and the beads before and after.

    ``before`` and ``after`` hold the beads at positions ``[position, position + len(before))``
    (ranks in the alignment's order, not sort keys) as JSON, so undoing an event is writing
    ``before`` back. ``state`` is "applied", "undone" or "dropped" (undone, then superseded by
    a new operation) for operations, and "record" for the undo and redo entries, which name
    the event they revert in ``reverts_id``.
    """

    __tablename__ = "review_events"

    id: Mapped[intpk]
    alignment_id: Mapped[int] = mapped_column(
        ForeignKey("alignments.id", ondelete="CASCADE"), index=True
    )
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(String(300))
    position: Mapped[int]
    before: Mapped[list[Any]] = mapped_column(JSON, default=list)
    after: Mapped[list[Any]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16))
    reverts_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_events.id", ondelete="CASCADE")
    )
    alignment_version: Mapped[int]
    # For a paragraph operation, the changes it made to the sentence level below:
    # [{"alignment_id", "position", "before", "after"}], reverted with it by undo.
    cascade: Mapped[list[Any] | None] = mapped_column(JSON)
    created_at: Mapped[created]
