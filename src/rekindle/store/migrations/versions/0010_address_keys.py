"""Stored mail and calendar addresses re-keyed by the one normalisation of addresses

Contacts stored an address by its match key (``mariag@gmail.com`` for ``maria.g@gmail.com``),
mail and calendars as written, so the history of such an address reached nobody and a sync
made a second person for it. Every stored message address, sender and meeting attendee now
holds its key (:func:`rekindle.store.address_keys.rekey_history`); a meeting naming a re-keyed
address is read again at the next calendar sync, and so is every recurring meeting (a
series now counts once per occurrence held, not once). Each owner whose history changed is noted
(setting ``identity.address_repair``): the next command or page merges the people learnt from
the history alone into the contact holding the same address, and derives the mail again
(:mod:`rekindle.services.address_repair`). No schema change.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 01:40:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from rekindle.store.address_keys import REPAIR_PENDING, rekey_history

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_setting = sa.table(
    "setting", sa.column("owner_id", sa.Integer), sa.column("key"), sa.column("value")
)


def upgrade() -> None:
    conn = op.get_bind()
    done = rekey_history(conn)
    for owner_id in done.owners:
        note = {
            "addresses": done.addresses.get(owner_id, 0),
            "meetings": done.meetings.get(owner_id, 0),
        }
        conn.execute(
            sa.delete(_setting).where(
                _setting.c.owner_id == owner_id, _setting.c.key == REPAIR_PENDING
            )
        )
        conn.execute(
            sa.insert(_setting).values(
                owner_id=owner_id, key=REPAIR_PENDING, value=json.dumps(note)
            )
        )


def downgrade() -> None:
    # the keys are what every path looks addresses up by now; the addresses as written are
    # not kept, so there is nothing to restore
    op.execute(sa.delete(_setting).where(_setting.c.key == REPAIR_PENDING))
