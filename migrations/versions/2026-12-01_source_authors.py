"""source authors: the authors an article names

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 23:05:00

Issue 13: a source may have several authors; accepting a candidate attributed to someone
else asks whose forecast it is, against these.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_author",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["author.id"], name=op.f("fk_source_author_author_id_author")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_source_author_source_id_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source_id", "author_id", name=op.f("pk_source_author")),
    )
    with op.batch_alter_table("source_author", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_author_author_id"), ["author_id"])
    # The author given at extraction, kept on each candidate, is who the article names.
    op.execute(
        "INSERT INTO source_author (source_id, author_id) "
        "SELECT DISTINCT c.source_id, a.id FROM extraction_candidate c "
        "JOIN author a ON a.slug = c.author OR lower(a.name) = lower(c.author)"
    )


def downgrade() -> None:
    with op.batch_alter_table("source_author", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_author_author_id"))
    op.drop_table("source_author")
