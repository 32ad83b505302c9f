"""Tables of meetups (migration 0012): a gathering, its guests and their answers, and the
mail already read for answers. Every row carries its owner: a meetup is its creator's alone."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from rekindle.store.schema_types import UtcDateTime, metadata, owner_column, person_column

#: a gathering: when, where (a place or a video link), its calendar UID and SEQUENCE
meetup = Table(
    "meetup",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("title", String(300), nullable=False),
    Column("starts_at", UtcDateTime(), nullable=False),
    Column("ends_at", UtcDateTime(), nullable=False),
    #: the zone its times are shown in (an IANA name; None: the machine's)
    Column("timezone", String(64)),
    Column("place", Text),
    Column("link", Text),
    Column("note", Text),
    #: what the group shares, as the plan said it ("worked at Acme at the same time …")
    Column("basis", Text),
    Column("uid", String(300), nullable=False),
    Column("sequence", Integer, nullable=False, default=0, server_default="0"),
    Column("status", String(20), nullable=False, default="planned", server_default="planned"),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    #: when the attendees' interaction was logged, after the event
    Column("logged_at", UtcDateTime()),
    UniqueConstraint("owner_id", "uid", name="uq_meetup_uid"),
    Index("ix_meetup_owner_start", "owner_id", "starts_at"),
)

#: one invited person: their invitation (a draft in the outreach log), answer and reminder
meetup_guest = Table(
    "meetup_guest",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("meetup_id", Integer, ForeignKey("meetup.id", ondelete="CASCADE"), nullable=False),
    person_column(),
    Column("email", String(500)),
    Column("invite_id", Integer, ForeignKey("outreach.id", ondelete="SET NULL")),
    Column("reminder_id", Integer, ForeignKey("outreach.id", ondelete="SET NULL")),
    Column("thanks_id", Integer, ForeignKey("outreach.id", ondelete="SET NULL")),
    #: needs-action, accepted, declined, tentative
    Column(
        "answer", String(20), nullable=False, default="needs-action", server_default="needs-action"
    ),  # fmt: skip
    Column("answered_at", UtcDateTime()),
    #: how the answer came: itip (a calendar reply), mail (their words), hand (marked)
    Column("answer_source", String(20)),
    Column("answer_note", Text),
    UniqueConstraint("meetup_id", "person_id", name="uq_meetup_guest"),
    Index("ix_meetup_guest_owner", "owner_id", "meetup_id"),
)

#: a synced message already read for an answer, so a sync never reads it twice
meetup_mail_seen = Table(
    "meetup_mail_seen",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("meetup_id", Integer, ForeignKey("meetup.id", ondelete="CASCADE"), nullable=False),
    Column("message_key", String(600), nullable=False),
    UniqueConstraint("meetup_id", "message_key", name="uq_meetup_mail_seen"),
)
