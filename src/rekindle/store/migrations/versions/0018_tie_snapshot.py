"""tie_snapshot: every tie as the week's fit described it, so that a plan reads one row

The plan (``src/rekindle/services/plan_compute.py``) read the contacts of every shortlisted
tie (about 27 CPU-seconds at 20,000 people and 2 million interactions); the snapshot holds
every tie's features and learnt description, taken from the contact columns the fit already
reads, for as long as the history is unchanged (at most a week).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tie_snapshot",
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("owner.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("fingerprint", sa.String(200), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("tie_snapshot")
