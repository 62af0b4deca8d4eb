"""merkle log: leaves, subtree hashes, the head and signed checkpoints

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 04:15:00

Issue 17: every prediction, revision and verdict is a leaf of an RFC 6962 Merkle tree. The
backfill appends today's records in the order they were made.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "log_leaf",
        sa.Column("idx", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("record_table", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("prediction_id", sa.Integer(), nullable=False),
        sa.Column("leaf", sa.Text(), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("idx >= 0", name=op.f("ck_log_leaf_idx_range")),
        sa.PrimaryKeyConstraint("idx", name=op.f("pk_log_leaf")),
        sa.UniqueConstraint("record_table", "record_id", name="uq_log_leaf_record"),
    )
    with op.batch_alter_table("log_leaf", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_log_leaf_prediction_id"), ["prediction_id"])
    op.create_table(
        "log_node",
        sa.Column("level", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("level", "position", name=op.f("pk_log_node")),
    )
    op.create_table(
        "log_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("frontier", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_head")),
    )
    op.create_table(
        "log_checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tree_size", sa.Integer(), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("origin", sa.String(length=255), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_checkpoint")),
        sa.UniqueConstraint("tree_size", name=op.f("uq_log_checkpoint_tree_size")),
    )
    _backfill()


def _backfill() -> None:
    # The leaf format is versioned and frozen (app/ledger/leaves.py), so the migration may use it.
    from app.ledger import backfill

    backfill.backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table("log_checkpoint")
    op.drop_table("log_head")
    op.drop_table("log_node")
    with op.batch_alter_table("log_leaf", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_log_leaf_prediction_id"))
    op.drop_table("log_leaf")
