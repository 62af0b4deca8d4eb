"""one verdict in force

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 09:00:00

A partial unique index lets each prediction hold one first verdict (supersedes_id NULL);
with the unique supersedes_id the verdicts form one linear chain, so exactly one is in force.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRST_VERDICT = sa.text("supersedes_id IS NULL")


def _refuse_duplicate_first_verdicts() -> None:
    """Stop with the predictions to repair rather than pick a verdict for the editors."""
    rows = op.get_bind().execute(
        sa.text(
            "SELECT prediction_id, COUNT(*) FROM resolution WHERE supersedes_id IS NULL "
            "GROUP BY prediction_id HAVING COUNT(*) > 1 ORDER BY prediction_id"
        )
    )
    duplicates = [f"prediction {pid} ({count} first verdicts)" for pid, count in rows]
    if duplicates:
        raise RuntimeError(
            "cannot enforce one verdict in force: "
            + ", ".join(duplicates)
            + ". Keep one first verdict per prediction (delete the others or make each "
            "later one supersede the one before), run `hindsight scores rebuild`, then "
            "upgrade again."
        )


def upgrade() -> None:
    _refuse_duplicate_first_verdicts()
    with op.batch_alter_table("resolution", schema=None) as batch_op:
        batch_op.create_index(
            "uq_resolution_first_verdict",
            ["prediction_id"],
            unique=True,
            sqlite_where=FIRST_VERDICT,
            postgresql_where=FIRST_VERDICT,
        )


def downgrade() -> None:
    with op.batch_alter_table("resolution", schema=None) as batch_op:
        batch_op.drop_index("uq_resolution_first_verdict")
