"""record_photo: the photo a contact's card held, so an export gives it back

``keep_photos`` (or ``import --keep-photos``) read a card's photo, but nothing stored it: a
vCard export lost every photo. A photo now lives beside its record, one per record, and goes
when the record goes. Databases from before have no photos to repair: re-import the cards
with ``--keep-photos`` to fill them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 01:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_photo",
        sa.Column("source_record_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["owner.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_record_id"], ["source_record.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("source_record_id"),
    )


def downgrade() -> None:
    op.drop_table("record_photo")
