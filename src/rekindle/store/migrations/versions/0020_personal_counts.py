"""tie_stats: personal contact's messages each way and meetings

A tier is made of personal contact (1:1 and small group mail, meetings), and a lopsided tie
(one side wrote, the other seldom answered) is occasional at most. The people list and the
insights read tiers from the stored statistics, whose counts were of all mail: a tie one-sided
in person but busy on group mail showed as close there and occasional in ``why``. These
counts are those of personal contact; NULL until the statistics are next computed (the
counts of all mail stand in).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

COLUMNS = ("personal_in", "personal_out", "personal_meetings")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("tie_stats", sa.Column(name, sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tie_stats") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
