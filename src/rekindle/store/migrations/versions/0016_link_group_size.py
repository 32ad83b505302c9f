"""interaction_person carries its interaction's group size; employers indexed without case

Warm introductions (``rekindle intro``) walk from the people they start at to everyone who was
on the same small mail and meetings. With the group size only on ``interaction``, every one of
those people's interactions was looked up there to find the few small groups among them (most
mail is one to one). With the size copied onto each link and the index
``ix_interaction_person_group`` (person_id, group_size, interaction_id, occurred_at), a
person's small-group links are one range of that index. (Without owner_id: an index holding
every column a count by owner needs would tempt SQLite to read it in person order and look
the interactions up at random, ten times slower than reading the table in order.)
Interactions never change their group size (a changed meeting is deleted and added again), so
the copy cannot drift.

``ix_affiliation_organisation`` on ``lower(organisation)`` finds the colleagues at one employer
without reading every affiliation.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("interaction_person", sa.Column("group_size", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE interaction_person SET group_size = (SELECT interaction.group_size "
        "FROM interaction WHERE interaction.id = interaction_person.interaction_id)"
    )
    # on SQLite this copies the table: nothing references interaction_person, so nothing
    # cascades (and the migrations run with foreign keys off there)
    with op.batch_alter_table("interaction_person", schema=None) as batch_op:
        batch_op.alter_column("group_size", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(
            "ix_interaction_person_group",
            ["person_id", "group_size", "interaction_id", "occurred_at"],
            unique=False,
        )
    op.create_index("ix_affiliation_organisation", "affiliation", [sa.text("lower(organisation)")])


def downgrade() -> None:
    op.drop_index("ix_affiliation_organisation", table_name="affiliation")
    with op.batch_alter_table("interaction_person", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_person_group")
        batch_op.drop_column("group_size")
