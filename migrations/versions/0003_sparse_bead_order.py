"""Beads ordered by a sort key with gaps, so that an edit rewrites only its own beads; a
trigram index for the text search on PostgreSQL; what a paragraph operation changed at
the sentence level, in its history event.

``beads.position`` (0..n-1, contiguous) becomes ``beads.sort_key`` = position * 1024; a
bead's position is now its rank by sort key (see ``app.review.keys``). Review events keep
positions (ranks), so the history needs no change.

On PostgreSQL, the pg_trgm extension (shipped with the server, trusted since PostgreSQL 13)
and a GIN trigram index on ``segments.text`` let ``ILIKE '%...%'`` read the index instead of
every segment. SQLite gets no index: its search scans the document's segments, as before.

``review_events.cascade`` holds the sentence beads a paragraph operation replaced, so that
undo restores both levels; two indexes find the sentences and sentence beads under a
paragraph pair.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# app.review.keys.GAP when this migration was written; copied so that the migration does not
# change if the application's constant does.
GAP = 1024


def upgrade() -> None:
    with op.batch_alter_table("beads") as batch:
        batch.drop_constraint("uq_beads_alignment_id_position", type_="unique")
        batch.alter_column("position", new_column_name="sort_key", existing_type=sa.Integer)
    op.execute(f"UPDATE beads SET sort_key = sort_key * {GAP}")
    with op.batch_alter_table("beads") as batch:
        batch.create_unique_constraint(
            "uq_beads_alignment_id_sort_key", ["alignment_id", "sort_key"]
        )
    op.create_index("ix_beads_alignment_start", "beads", ["alignment_id", "src_start", "tgt_start"])
    op.create_index(
        "ix_segments_document_paragraph", "segments", ["document_id", "level", "paragraph"]
    )
    with op.batch_alter_table("review_events") as batch:
        batch.add_column(sa.Column("cascade", sa.JSON, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_segments_text_trgm",
            "segments",
            ["text"],
            postgresql_using="gin",
            postgresql_ops={"text": "gin_trgm_ops"},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The extension stays: other databases objects may use it, and it costs nothing.
        op.drop_index("ix_segments_text_trgm", "segments")
    with op.batch_alter_table("review_events") as batch:
        batch.drop_column("cascade")
    op.drop_index("ix_segments_document_paragraph", "segments")
    op.drop_index("ix_beads_alignment_start", "beads")
    with op.batch_alter_table("beads") as batch:
        batch.drop_constraint("uq_beads_alignment_id_sort_key", type_="unique")
    # Ranks back to contiguous positions (UPDATE ... FROM: PostgreSQL, SQLite >= 3.33).
    op.execute(
        "UPDATE beads SET sort_key = ranked.rank FROM ("
        " SELECT id, ROW_NUMBER() OVER (PARTITION BY alignment_id ORDER BY sort_key) - 1 AS rank"
        " FROM beads) AS ranked WHERE beads.id = ranked.id"
    )
    with op.batch_alter_table("beads") as batch:
        batch.alter_column("sort_key", new_column_name="position", existing_type=sa.Integer)
    # A separate batch: SQLite's copy-and-move drops a constraint made on a column renamed in
    # the same batch.
    with op.batch_alter_table("beads") as batch:
        batch.create_unique_constraint(
            "uq_beads_alignment_id_position", ["alignment_id", "position"]
        )
