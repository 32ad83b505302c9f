"""interaction_person indexed by (person_id, interaction_id), so a person's interactions are
read from the index alone (tie statistics, the plan)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 02:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interaction_person", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_person_person")
        batch_op.create_index(
            "ix_interaction_person_person", ["person_id", "interaction_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("interaction_person", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_person_person")
        batch_op.create_index("ix_interaction_person_person", ["person_id"], unique=False)
