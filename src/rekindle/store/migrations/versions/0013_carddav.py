"""carddav_book and carddav_card: two-way CardDAV sync (`rekindle sync contacts`)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "carddav_book",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("sync_token", sa.Text(), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["owner.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_id", "url", name="uq_carddav_book_url"),
    )
    op.create_table(
        "carddav_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("uid", sa.String(length=500), nullable=True),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("card_view", sa.Text(), nullable=False),
        sa.Column("person_view", sa.Text(), nullable=False),
        sa.Column("conflict", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["owner.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["book_id"], ["carddav_book.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["record_id"], ["source_record.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("book_id", "path", name="uq_carddav_card_path"),
    )
    with op.batch_alter_table("carddav_card", schema=None) as batch_op:
        batch_op.create_index("ix_carddav_card_record", ["record_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("carddav_card", schema=None) as batch_op:
        batch_op.drop_index("ix_carddav_card_record")
    op.drop_table("carddav_card")
    op.drop_table("carddav_book")
