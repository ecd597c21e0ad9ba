"""Comparisons: one original document and any number of versions of it.

Each version is a document with its own pair alignment to the original (both levels, as
``alinea align`` makes them); the comparison stores only which alignments it lines up,
so review changes in a pair alignment are what the comparison shows next time it is read.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.store.base import Base, created, intpk
from app.store.models import Alignment, Document


class VersionKind(StrEnum):
    # A translation or another version given by the user.
    GIVEN = "given"
    # The machine translation of the original, made by Apertium as a reference.
    MACHINE = "machine"


class Comparison(Base):
    __tablename__ = "comparisons"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(500))
    original_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    # The project it belongs to (app.store.accounts); NULL is the default project.
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    created_at: Mapped[created]

    original: Mapped[Document] = relationship()
    versions: Mapped[list[ComparisonVersion]] = relationship(
        back_populates="comparison",
        order_by="ComparisonVersion.position",
        cascade="all, delete-orphan",
    )


class ComparisonVersion(Base):
    """One column of a comparison besides the original; ``position`` orders the columns."""

    __tablename__ = "comparison_versions"
    __table_args__ = (UniqueConstraint("comparison_id", "position"),)

    id: Mapped[intpk]
    comparison_id: Mapped[int] = mapped_column(
        ForeignKey("comparisons.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    # The paragraph-level alignment of the original with this version (its sentence level
    # is the alignment whose parent it is).
    alignment_id: Mapped[int] = mapped_column(ForeignKey("alignments.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default=VersionKind.GIVEN.value)
    created_at: Mapped[created]

    comparison: Mapped[Comparison] = relationship(back_populates="versions")
    document: Mapped[Document] = relationship()
    alignment: Mapped[Alignment] = relationship()
