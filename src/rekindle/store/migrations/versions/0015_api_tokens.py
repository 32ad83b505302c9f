"""api_token: the keys of the JSON API (``/api/v1`` on ``rekindle serve``)

A script or an assistant reads the plan, people and history over HTTP with a token made by
``rekindle api-token create``. Only the token's SHA-256 is stored; a token is read-only unless
it was made for writing; deleting an account deletes its tokens.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("can_write", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["owner.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
        sa.UniqueConstraint("owner_id", "name", name="uq_api_token_owner_name"),
    )


def downgrade() -> None:
    op.drop_table("api_token")
