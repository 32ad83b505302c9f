"""tie_stats.peak_personal: the peak strength of personal contact alone

A tie's tier comes from how strong it was at its best. The plan measures that on personal
contact (1:1 and small group mail, meetings), while the stored statistics' ``peak_decayed``
also counts group mail at half weight, so the People page could call a tie "occasional" that
the plan and its explanation call "dormant". The statistics now keep the personal peak too,
and every tier computed from them uses it. Statistics stored before this revision have none
(NULL) and keep using ``peak_decayed`` until they are next computed (any sync that touches
the person, or ``rekindle sync rebuild`` for everyone).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 17:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tie_stats", sa.Column("peak_personal", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tie_stats", schema=None) as batch_op:
        batch_op.drop_column("peak_personal")
