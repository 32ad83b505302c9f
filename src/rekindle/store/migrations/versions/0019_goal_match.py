"""goal_match: everyone's match with a goal, kept between plans

A plan with a goal matched it with everyone's employers, tags, notes and mail subjects (about
a second at 20,000 people); the goal and those texts change seldom, so the match is kept, one
row per owner, under a digest of what it was made from.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "goal_match",
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("owner.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("goal_match")
