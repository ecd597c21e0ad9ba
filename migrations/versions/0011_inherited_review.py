"""Sentence pairs whose review status came from their paragraph pair.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode, as in the earlier migrations: SQLite changes a table by copying it.
    with op.batch_alter_table("beads") as batch:
        batch.add_column(
            sa.Column("inherited", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("beads") as batch:
        batch.drop_column("inherited")
