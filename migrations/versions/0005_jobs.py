"""Background jobs: state, progress, result or error, attempts and heartbeat of each job.

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    moment = sa.DateTime(timezone=True)
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("queue", sa.String(100), nullable=False),
        sa.Column("rq_id", sa.String(100), nullable=True),
        sa.Column("batch", sa.String(64), nullable=True),
        sa.Column("stage", sa.String(64), nullable=True),
        sa.Column("stage_done", sa.Integer, nullable=False),
        sa.Column("stage_total", sa.Integer, nullable=False),
        sa.Column("percent", sa.Float, nullable=False),
        sa.Column("alignment_id", sa.Integer, nullable=True),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("notes", sa.JSON, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("max_attempts", sa.Integer, nullable=False),
        sa.Column("worker", sa.String(200), nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("started_at", moment, nullable=True),
        sa.Column("progress_at", moment, nullable=True),
        sa.Column("heartbeat_at", moment, nullable=True),
        sa.Column("finished_at", moment, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
        sa.ForeignKeyConstraint(
            ["alignment_id"],
            ["alignments.id"],
            name="fk_jobs_alignment_id_alignments",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_jobs_state", "jobs", ["state"])
    op.create_index("ix_jobs_batch", "jobs", ["batch"])


def downgrade() -> None:
    op.drop_index("ix_jobs_batch", "jobs")
    op.drop_index("ix_jobs_state", "jobs")
    op.drop_table("jobs")
