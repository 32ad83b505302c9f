"""The rows the mail history writes in bulk: plain tuples whose fields are named after columns."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple


class MessageRow(NamedTuple):
    """One message's stored facts: a row of the ``message`` table."""

    owner_id: int
    key: str
    fingerprint: str
    occurred_at: datetime | None
    date_problem: str | None
    sender: str | None
    subject: str | None
    thread: str | None
    in_reply_to: str | None
    bulk: str | None
    bounce: bool
    direction: str | None
    in_sent: bool
    recipients: int
    source: str
    locator: str


class AddressRow(NamedTuple):
    """Someone on a message: (message, owner, role from/to/cc/bcc, address key, name)."""

    message_id: int
    owner_id: int
    role: str
    address: str
    name: str | None


class InteractionRow(NamedTuple):
    """A derived interaction: a row of the ``interaction`` table but for its owner."""

    source: str
    natural_key: str
    occurred_at: datetime
    channel: str
    direction: str
    subject: str | None
    thread: str | None
    group_size: int
    import_id: int | None


#: the columns of an interaction's link to a person, as bulk inserts write them
LINK_COLUMNS = (
    "interaction_id",
    "owner_id",
    "person_id",
    "identity_kind",
    "identity_value",
    "occurred_at",
    "group_size",
)
