"""user admin: active users, last seen, invitations, who assigned a prediction

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-02 04:10:00

Issue 15: admins invite users (a one-time link stored hashed), deactivate them (no credential
works for an inactive user) and see when they last signed in; the review desk records who
assigned a prediction to whom.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "app_user", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.add_column("app_user", sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    # Plain ADD COLUMN, no foreign key: a batch copy of prediction on SQLite would drop a
    # table that other rows refer to (see the model).
    op.add_column("prediction", sa.Column("assigned_by_id", sa.Integer(), nullable=True))
    op.add_column("prediction", sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_invitation_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_invitation_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitation_token_hash")),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitation_user_id"), ["user_id"])


def downgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_user_id"))
    op.drop_table("invitation")
    # Plain DROP COLUMN (SQLite 3.35+), for the same reason.
    op.drop_column("prediction", "assigned_at")
    op.drop_column("prediction", "assigned_by_id")
    op.drop_column("app_user", "last_seen_at")
    op.drop_column("app_user", "active")
