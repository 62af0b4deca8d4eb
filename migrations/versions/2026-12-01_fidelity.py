"""fidelity: polarity and conditional verdicts

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 23:00:00

Issue 13: a prediction keeps how its probability was read from the quote (the claim's
polarity against the hedge, who chose the hedge, and a note in words); a verdict on a
conditional prediction keeps whether the condition was met.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("prediction", schema=None) as batch_op:
        batch_op.add_column(sa.Column("probability_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("polarity", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("hedge_from", sa.String(length=8), nullable=True))
    with op.batch_alter_table("resolution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("condition_met", sa.Boolean(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy would drop tables that rows refer to.
    op.drop_column("resolution", "condition_met")
    for column in ("hedge_from", "polarity", "probability_note"):
        op.drop_column("prediction", column)
