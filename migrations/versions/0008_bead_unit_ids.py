"""The id a bead's unit had in the bilingual file it was imported from.

An XLIFF or TMX file names its units (``id``, ``tuid``); keeping the name lets an export
give the units back under the names the other tool knows them by.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("beads") as batch:
        batch.add_column(sa.Column("unit_id", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("beads") as batch:
        batch.drop_column("unit_id")
