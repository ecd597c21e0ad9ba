"""Typed SQLAlchemy models: documents and their segments, alignments and their beads.

The schema itself is created only by the Alembic migrations in ``migrations/``;
these classes describe it for the ORM.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import DateTime

from app.segments import BeadStatus, SegmentKind


def utcnow() -> datetime:
    return datetime.now(UTC)


intpk = Annotated[int, mapped_column(primary_key=True)]
created = Annotated[datetime, mapped_column(DateTime(timezone=True), default=utcnow)]


class Base(DeclarativeBase):
    type_annotation_map = {
        dict[str, Any]: JSON,
        datetime: DateTime(timezone=True),
        float: Float(),
    }


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[created]

    segments: Mapped[list[Segment]] = relationship(
        back_populates="document",
        order_by="Segment.position",
        cascade="all, delete-orphan",
    )


class Segment(Base):
    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("document_id", "position"),)

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16), default=SegmentKind.PARAGRAPH.value)
    text: Mapped[str] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="segments")


class Alignment(Base):
    __tablename__ = "alignments"

    id: Mapped[intpk]
    source_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(100))
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[created]

    source: Mapped[Document] = relationship(foreign_keys=[source_id])
    target: Mapped[Document] = relationship(foreign_keys=[target_id])
    beads: Mapped[list[Bead]] = relationship(
        back_populates="alignment",
        order_by="Bead.position",
        cascade="all, delete-orphan",
    )


class Bead(Base):
    """A run of source segments ``[src_start, src_end)`` paired with a run of target segments.

    Runs are stored as position ranges rather than link rows: beads are contiguous and
    ordered, so two integers per side keep every segment in exactly one bead.
    """

    __tablename__ = "beads"
    __table_args__ = (
        UniqueConstraint("alignment_id", "position"),
        Index("ix_beads_alignment_similarity", "alignment_id", "similarity"),
    )

    id: Mapped[intpk]
    alignment_id: Mapped[int] = mapped_column(ForeignKey("alignments.id", ondelete="CASCADE"))
    position: Mapped[int]
    src_start: Mapped[int]
    src_end: Mapped[int]
    tgt_start: Mapped[int]
    tgt_end: Mapped[int]
    similarity: Mapped[float | None]
    scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default=BeadStatus.AUTOMATIC.value)
    note: Mapped[str | None] = mapped_column(Text)
    # Incremented on every change, so a form posted from a stale page is detected.
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[created]

    alignment: Mapped[Alignment] = relationship(back_populates="beads")

    @property
    def one_sided(self) -> bool:
        return self.src_start == self.src_end or self.tgt_start == self.tgt_end
