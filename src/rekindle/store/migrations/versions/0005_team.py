"""team mode: owner accounts (admin, shared signals, calendar feed token) and web sessions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMNs and a unique index: on SQLite a batch rebuild of ``owner`` drops the
    # table every other one references (ON DELETE CASCADE)
    op.add_column("owner", sa.Column("is_admin", sa.Boolean(), server_default="0", nullable=False))
    op.add_column(
        "owner", sa.Column("share_signals", sa.Boolean(), server_default="0", nullable=False)
    )
    op.add_column("owner", sa.Column("feed_token_hash", sa.String(length=64), nullable=True))
    op.create_index("uq_owner_feed_token_hash", "owner", ["feed_token_hash"], unique=True)
    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["owner.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.create_index("ix_web_session_owner", ["owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_index("ix_web_session_owner")
    op.drop_table("web_session")
    op.drop_index("uq_owner_feed_token_hash", table_name="owner")
    op.drop_column("owner", "feed_token_hash")
    op.drop_column("owner", "share_signals")
    op.drop_column("owner", "is_admin")
