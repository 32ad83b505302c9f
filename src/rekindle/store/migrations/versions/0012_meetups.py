"""meetups: a gathering, its guests and their answers, and the mail read for answers

Three new tables (``meetup``, ``meetup_guest``, ``meetup_mail_seen``); existing databases get
them empty, and nothing else changes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 01:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "meetup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("starts_at", _TIME, nullable=False),
        sa.Column("ends_at", _TIME, nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("basis", sa.Text(), nullable=True),
        sa.Column("uid", sa.String(length=300), nullable=False),
        sa.Column("sequence", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status", sa.String(length=20), server_default="planned", nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.Column("logged_at", _TIME, nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["owner.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_id", "uid", name="uq_meetup_uid"),
    )
    op.create_index("ix_meetup_owner_start", "meetup", ["owner_id", "starts_at"])
    op.create_table(
        "meetup_guest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("meetup_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=500), nullable=True),
        sa.Column("invite_id", sa.Integer(), nullable=True),
        sa.Column("reminder_id", sa.Integer(), nullable=True),
        sa.Column("thanks_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.String(length=20), server_default="needs-action", nullable=False),
        sa.Column("answered_at", _TIME, nullable=True),
        sa.Column("answer_source", sa.String(length=20), nullable=True),
        sa.Column("answer_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["owner.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meetup_id"], ["meetup.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invite_id"], ["outreach.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["reminder_id"], ["outreach.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["thanks_id"], ["outreach.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meetup_id", "person_id", name="uq_meetup_guest"),
    )
    op.create_index("ix_meetup_guest_owner", "meetup_guest", ["owner_id", "meetup_id"])
    op.create_table(
        "meetup_mail_seen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("meetup_id", sa.Integer(), nullable=False),
        sa.Column("message_key", sa.String(length=600), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["owner.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meetup_id"], ["meetup.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meetup_id", "message_key", name="uq_meetup_mail_seen"),
    )


def downgrade() -> None:
    op.drop_table("meetup_mail_seen")
    op.drop_index("ix_meetup_guest_owner", table_name="meetup_guest")
    op.drop_table("meetup_guest")
    op.drop_index("ix_meetup_owner_start", table_name="meetup")
    op.drop_table("meetup")
