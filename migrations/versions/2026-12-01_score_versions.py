"""score versions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00

Per-author versions key the cached track records, so a write that moves no score no longer
updates the one score_state row every writer queued on. Versions only grow, so an old ETag
never names new content: the downgrade folds the highest author version into score_state,
and the upgrade starts every author one above score_state's version.
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
    op.execute(
        "INSERT INTO author_version (author_id, version) SELECT id, "
        "COALESCE((SELECT version FROM score_state WHERE id = 1), 0) + 1 FROM author"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE score_state SET version = (SELECT MAX(version) FROM author_version) "
        "WHERE id = 1 AND version < (SELECT MAX(version) FROM author_version)"
    )
    op.drop_table("author_version")
