"""score versions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00

Per-author versions key the cached track records, so a write that moves no score no longer
updates the one score_state row every writer queued on. The versions are derived: an author
without a row reads version 0, and a downgrade loses nothing the schema before could hold.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "author_version",
        sa.Column("author_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["author.id"],
            name=op.f("fk_author_version_author_id_author"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("author_id", name=op.f("pk_author_version")),
    )


def downgrade() -> None:
    op.drop_table("author_version")
