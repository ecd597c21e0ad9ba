"""The addresses each user has logged in from, which the per-name login limit lets through.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "known_addresses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_known_addresses_user_id_users"),
            nullable=False,
        ),
        sa.Column("address", sa.String(150), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "address", name="uq_known_addresses_user_id_address"),
    )


def downgrade() -> None:
    op.drop_table("known_addresses")
