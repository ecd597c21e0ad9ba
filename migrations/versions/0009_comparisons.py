"""Comparisons: one original and several versions, each with its pair alignment.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    moment = sa.DateTime(timezone=True)
    op.create_table(
        "comparisons",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("original_id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_comparisons"),
        sa.ForeignKeyConstraint(
            ["original_id"],
            ["documents.id"],
            name="fk_comparisons_original_id_documents",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_comparisons_project_id_projects"
        ),
    )
    op.create_index("ix_comparisons_project_id", "comparisons", ["project_id"])
    op.create_table(
        "comparison_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("comparison_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("alignment_id", sa.Integer, nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_comparison_versions"),
        sa.UniqueConstraint(
            "comparison_id", "position", name="uq_comparison_versions_comparison_id_position"
        ),
        sa.ForeignKeyConstraint(
            ["comparison_id"],
            ["comparisons.id"],
            name="fk_comparison_versions_comparison_id_comparisons",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_comparison_versions_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["alignment_id"],
            ["alignments.id"],
            name="fk_comparison_versions_alignment_id_alignments",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_comparison_versions_comparison_id", "comparison_versions", ["comparison_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_comparison_versions_comparison_id", "comparison_versions")
    op.drop_table("comparison_versions")
    op.drop_index("ix_comparisons_project_id", "comparisons")
    op.drop_table("comparisons")
