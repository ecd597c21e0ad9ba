"""Documents and segments, alignments and beads, and the embedding cache.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True)


def _fk(name: str, table: str, nullable: bool = False) -> sa.Column:
    return sa.Column(
        name, sa.Integer, sa.ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=nullable
    )


def upgrade() -> None:
    op.create_table(
        "documents",
        _id(),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("origin", sa.String(1000), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
    )
    op.create_index("ix_documents_checksum", "documents", ["checksum"])
    op.create_table(
        "segments",
        _id(),
        _fk("document_id", "documents"),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("paragraph", sa.Integer, nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.UniqueConstraint(
            "document_id", "level", "position", name="uq_segments_document_id_level_position"
        ),
    )
    op.create_table(
        "alignments",
        _id(),
        _fk("source_id", "documents"),
        _fk("target_id", "documents"),
        sa.Column("level", sa.String(16), nullable=False),
        _fk("parent_id", "alignments", nullable=True),
        sa.Column("method", sa.String(100), nullable=False),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
    )
    op.create_index("ix_alignments_parent_id", "alignments", ["parent_id"])
    op.create_table(
        "beads",
        _id(),
        _fk("alignment_id", "alignments"),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("src_start", sa.Integer, nullable=False),
        sa.Column("src_end", sa.Integer, nullable=False),
        sa.Column("tgt_start", sa.Integer, nullable=False),
        sa.Column("tgt_end", sa.Integer, nullable=False),
        sa.Column("similarity", sa.Float, nullable=True),
        sa.Column("scores", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("flags", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.UniqueConstraint("alignment_id", "position", name="uq_beads_alignment_id_position"),
    )
    op.create_index("ix_beads_alignment_similarity", "beads", ["alignment_id", "similarity"])
    op.create_table(
        "embeddings",
        _id(),
        sa.Column("model", sa.String(100), nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("model", "text_hash", name="uq_embeddings_model_text_hash"),
    )


def downgrade() -> None:
    op.drop_table("embeddings")
    op.drop_index("ix_beads_alignment_similarity", "beads")
    op.drop_table("beads")
    op.drop_index("ix_alignments_parent_id", "alignments")
    op.drop_table("alignments")
    op.drop_table("segments")
    op.drop_index("ix_documents_checksum", "documents")
    op.drop_table("documents")
