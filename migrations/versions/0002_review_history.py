"""Review history: one event per review operation, with the beads before and after.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("alignment_id", sa.Integer, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("summary", sa.String(300), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("before", sa.JSON, nullable=False),
        sa.Column("after", sa.JSON, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reverts_id", sa.Integer, nullable=True),
        sa.Column("alignment_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_events"),
        sa.ForeignKeyConstraint(
            ["alignment_id"],
            ["alignments.id"],
            name="fk_review_events_alignment_id_alignments",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reverts_id"],
            ["review_events.id"],
            name="fk_review_events_reverts_id_review_events",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_review_events_alignment_id", "review_events", ["alignment_id"])


def downgrade() -> None:
    op.drop_index("ix_review_events_alignment_id", "review_events")
    op.drop_table("review_events")
