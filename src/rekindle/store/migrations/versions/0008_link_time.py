"""interaction_person carries its interaction's time, indexed by (person, time)

The Person page shows a person's latest 50 interactions, their first and last contact and how
many there were. With the time only on ``interaction``, that meant looking up every one of the
person's interactions (about 900 for a long history) to sort them. With the time copied onto
each link and the index ``ix_interaction_person_time`` (person_id, occurred_at,
interaction_id), the latest 50 are the index's first entries and the span its two ends.
Interactions never change their time (a changed meeting is deleted and added again), so the
copy cannot drift.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 07:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "interaction_person", sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.execute(
        "UPDATE interaction_person SET occurred_at = (SELECT interaction.occurred_at "
        "FROM interaction WHERE interaction.id = interaction_person.interaction_id)"
    )
    # on SQLite this copies the table: nothing references interaction_person, so nothing
    # cascades (and the migrations run with foreign keys off there)
    with op.batch_alter_table("interaction_person", schema=None) as batch_op:
        batch_op.alter_column(
            "occurred_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch_op.create_index(
            "ix_interaction_person_time",
            ["person_id", "occurred_at", "interaction_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("interaction_person", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_person_time")
        batch_op.drop_column("occurred_at")
