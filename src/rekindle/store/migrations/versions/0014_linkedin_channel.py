"""interaction.channel: LinkedIn messages are 'linkedin', not 'email'

Messages synced from a LinkedIn export were recorded as email. Their interactions become
LinkedIn's; the tie statistics need no recomputing, since they count both channels alike.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 01:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_interaction = sa.table(
    "interaction",
    sa.column("owner_id", sa.Integer),
    sa.column("source", sa.String),
    sa.column("natural_key", sa.String),
    sa.column("channel", sa.String),
)
_message = sa.table(
    "message",
    sa.column("owner_id", sa.Integer),
    sa.column("key", sa.String),
    sa.column("source", sa.String),
)


def _set(old: str, new: str) -> None:
    linkedin = (
        sa.select(sa.literal(1))
        .where(
            _message.c.owner_id == _interaction.c.owner_id,
            _message.c.key == _interaction.c.natural_key,
            _message.c.source == "linkedin-messages",
        )
        .exists()
    )
    op.execute(
        sa.update(_interaction)
        .where(_interaction.c.source == "mail", _interaction.c.channel == old, linkedin)
        .values(channel=new)
    )


def upgrade() -> None:
    _set("email", "linkedin")


def downgrade() -> None:
    _set("linkedin", "email")
