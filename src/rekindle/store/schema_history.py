"""Tables of the mail and calendar history (migration 0002)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from rekindle.store.schema_types import UtcDateTime, metadata, owner_column

sync_source = Table(
    "sync_source",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("kind", String(20), nullable=False),
    Column("locator", Text, nullable=False),
    Column("state", Text, nullable=False, default="{}"),
    Column("last_sync_at", UtcDateTime()),
    Column("counts", Text, nullable=False, default="{}"),
    UniqueConstraint("owner_id", "kind", "locator", name="uq_sync_source"),
)

sync_seen = Table(
    "sync_seen",
    metadata,
    Column(
        "sync_source_id", Integer, ForeignKey("sync_source.id", ondelete="CASCADE"), nullable=False
    ),
    Column("name", String(500), nullable=False),
    UniqueConstraint("sync_source_id", "name", name="uq_sync_seen"),
)

message = Table(
    "message",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("key", String(600), nullable=False),
    Column("fingerprint", String(32), nullable=False),
    Column("occurred_at", UtcDateTime()),
    Column("date_problem", String(200)),
    Column("sender", String(500)),
    Column("subject", Text),
    Column("thread", String(600)),
    Column("in_reply_to", String(600)),
    Column("bulk", String(100)),
    Column("bounce", Boolean, nullable=False, default=False),
    Column("direction", String(10)),
    Column("in_sent", Boolean, nullable=False, default=False),
    Column("recipients", Integer, nullable=False, default=0),
    Column("source", String(30), nullable=False),
    Column("locator", Text, nullable=False),
    UniqueConstraint("owner_id", "key", name="uq_message_key"),
    Index("ix_message_fingerprint", "owner_id", "fingerprint"),
    Index("ix_message_thread", "owner_id", "thread"),
)

message_address = Table(
    "message_address",
    metadata,
    Column("message_id", Integer, ForeignKey("message.id", ondelete="CASCADE"), nullable=False),
    owner_column(),
    Column("role", String(4), nullable=False),
    Column("address", String(500), nullable=False),
    Column("name", String(500)),
    Index("ix_message_address_addr", "owner_id", "address"),
    Index("ix_message_address_msg", "message_id"),
)

meeting = Table(
    "meeting",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("uid", String(600), nullable=False),
    Column("summary", Text),
    Column("start", UtcDateTime(), nullable=False),
    Column("end", UtcDateTime()),
    Column("recurring", Boolean, nullable=False, default=False),
    Column("occurrences", Integer, nullable=False, default=1),
    Column("status", String(20)),
    Column("attendees", Integer, nullable=False, default=0),
    Column("source", String(30), nullable=False),
    Column("locator", Text, nullable=False),
    UniqueConstraint("owner_id", "uid", name="uq_meeting_uid"),
)

meeting_attendee = Table(
    "meeting_attendee",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meeting.id", ondelete="CASCADE"), nullable=False),
    owner_column(),
    Column("address", String(500), nullable=False),
    Column("name", String(500)),
    Column("partstat", String(30)),
    Column("organizer", Boolean, nullable=False, default=False),
    Index("ix_meeting_attendee_addr", "owner_id", "address"),
)

tie_stats = Table(
    "tie_stats",
    metadata,
    Column("person_id", Integer, ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    owner_column(),
    Column("first_contact", UtcDateTime()),
    Column("last_contact", UtcDateTime()),
    Column("last_two_way", UtcDateTime()),
    Column("messages_in", Integer, nullable=False, default=0),
    Column("messages_out", Integer, nullable=False, default=0),
    Column("meetings", Integer, nullable=False, default=0),
    Column("reciprocity", Float, nullable=False, default=0.0),
    Column("one_to_one_share", Float, nullable=False, default=0.0),
    Column("reply_latency_in_h", Float),
    Column("reply_latency_out_h", Float),
    Column("median_gap_days", Float),
    Column("embeddedness", Integer, nullable=False, default=0),
    Column("decayed_sum", Float, nullable=False, default=0.0),
    Column("peak_decayed", Float, nullable=False, default=0.0),
    #: the peak of personal contact alone (what tiers are made of; NULL: computed before it was)
    Column("peak_personal", Float),
    #: personal contact alone: messages each way and meetings (what says a tie was lopsided;
    #: NULL: computed before they were, migration 0020)
    Column("personal_in", Integer),
    Column("personal_out", Integer),
    Column("personal_meetings", Integer),
    Column("computed_at", UtcDateTime(), nullable=False),
    Index("ix_tie_stats_owner", "owner_id"),
)
