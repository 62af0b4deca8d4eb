"""track record bodies: each author's default track record, stored with its version

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 13:50:00

Issue 16: an uncached track record is one indexed read (author, version, stored body) instead of
a render. Filled by `hindsight scores refresh` and the scheduler; empty is correct (the route
renders), so the downgrade only drops it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "author_track_record",
        sa.Column("author_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["author.id"],
            name=op.f("fk_author_track_record_author_id_author"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("author_id", name=op.f("pk_author_track_record")),
    )


def downgrade() -> None:
    op.drop_table("author_track_record")
