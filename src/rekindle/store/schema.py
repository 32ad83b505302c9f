"""Table definitions for queries. Changes to them go through a numbered migration.

This module holds the contact tables and, importing the history, engine and team table modules,
puts every table on one ``metadata``; those modules build on :mod:`rekindle.store.schema_types`.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

# the history, engine and team tables register themselves on the same metadata
from rekindle.store import schema_carddav as _carddav  # noqa: F401
from rekindle.store import schema_engine as _engine  # noqa: F401
from rekindle.store import schema_history as _history  # noqa: F401
from rekindle.store import schema_meetup as _meetup  # noqa: F401
from rekindle.store import schema_team as _team  # noqa: F401
from rekindle.store.schema_types import (  # noqa: F401  (re-exported to the table users)
    UtcDateTime,
    metadata,
    owner_column,
    person_column,
)

owner = Table(
    "owner",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(200), nullable=False, unique=True),
    Column("display_name", String(200)),
    Column("password_hash", String(400)),
    Column("created_at", UtcDateTime(), nullable=False),
    # team mode (migration 0005): may create accounts; shares the two teammate signals;
    # the SHA-256 of the calendar feed's secret token
    Column("is_admin", Boolean, nullable=False, default=False, server_default="0"),
    Column("share_signals", Boolean, nullable=False, default=False, server_default="0"),
    Column("feed_token_hash", String(64)),
    Index("uq_owner_feed_token_hash", "feed_token_hash", unique=True),
)

setting = Table(
    "setting",
    metadata,
    owner_column(),
    Column("key", String(100), nullable=False),
    Column("value", Text, nullable=False),
    UniqueConstraint("owner_id", "key", name="uq_setting_owner_key"),
)

person = Table(
    "person",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("display_name", String(500), nullable=False, default=""),
    Column("sort_name", String(500), nullable=False, default=""),
    Column("is_me", Boolean, nullable=False, default=False),
    Column("status", String(20), nullable=False, default="active"),
    Column("merged_into", Integer, ForeignKey("person.id", ondelete="SET NULL")),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Index("ix_person_owner_sort", "owner_id", "merged_into", "sort_name"),
)

person_edit = Table(
    "person_edit",
    metadata,
    owner_column(),
    person_column(),
    Column("field", String(50), nullable=False),
    Column("value", Text, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    UniqueConstraint("person_id", "field", name="uq_person_edit_field"),
)

import_run = Table(
    "import_run",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("path", Text, nullable=False),
    Column("format", String(50), nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    Column("counts", Text, nullable=False, default="{}"),
)

source_record = Table(
    "source_record",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    person_column(),
    Column("source", String(50), nullable=False),
    Column("natural_key", String(600), nullable=False),
    Column("locator", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("payload", Text, nullable=False),
    Column("data", Text, nullable=False),
    Column("link_rule", String(50), nullable=False),
    Column("link_evidence", Text, nullable=False, default=""),
    Column("import_id", Integer, ForeignKey("import_run.id", ondelete="SET NULL")),
    Column("first_seen", UtcDateTime(), nullable=False),
    Column("last_seen", UtcDateTime(), nullable=False),
    UniqueConstraint("owner_id", "source", "natural_key", name="uq_source_record_key"),
    Index("ix_source_record_person", "person_id"),
)

#: a contact's photo as its card held it (kept when photos are kept; migration 0011)
record_photo = Table(
    "record_photo",
    metadata,
    Column(
        "source_record_id",
        Integer,
        ForeignKey("source_record.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    owner_column(),
    Column("data", LargeBinary, nullable=False),
)

identity = Table(
    "identity",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    person_column(),
    Column("source_record_id", Integer, ForeignKey("source_record.id", ondelete="CASCADE")),
    Column("kind", String(20), nullable=False),
    Column("value", String(500), nullable=False),
    Column("display", String(500), nullable=False),
    Column("service", String(50)),
    Column("label", String(200)),
    Index("ix_identity_lookup", "owner_id", "kind", "value"),
    Index("ix_identity_person", "person_id"),
    Index("ix_identity_record", "source_record_id"),
)

affiliation = Table(
    "affiliation",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    person_column(),
    Column("source_record_id", Integer, ForeignKey("source_record.id", ondelete="CASCADE")),
    Column("organisation", String(500), nullable=False),
    Column("title", String(500)),
    Column("department", String(500)),
    Column("kind", String(20), nullable=False, default="work"),
    Column("start_date", Date),
    Column("end_date", Date),
    Index("ix_affiliation_person", "person_id"),
)
#: colleagues at one employer, its name compared without case (migration 0016)
Index("ix_affiliation_organisation", func.lower(affiliation.c.organisation))

tag = Table(
    "tag",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    person_column(),
    Column("name", String(200), nullable=False),
    Column("source_record_id", Integer, ForeignKey("source_record.id", ondelete="CASCADE")),
    UniqueConstraint("person_id", "name", "source_record_id", name="uq_tag_person_name"),
    Index("ix_tag_owner_name", "owner_id", "name"),
)

note = Table(
    "note",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    person_column(),
    Column("body", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_note_person", "person_id"),
)

merge_event = Table(
    "merge_event",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("into_person_id", Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False),
    Column(
        "absorbed_person_id", Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False
    ),
    Column("rule", String(50), nullable=False),
    Column("evidence", Text, nullable=False),
    Column("moved", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("undone_at", UtcDateTime()),
)

merge_suggestion = Table(
    "merge_suggestion",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("person_a", Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False),
    Column("person_b", Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False),
    Column("score", Float, nullable=False),
    Column("rule", String(50), nullable=False),
    Column("reasons", Text, nullable=False),
    Column("status", String(20), nullable=False, default="pending"),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("owner_id", "person_a", "person_b", name="uq_merge_suggestion_pair"),
)

interaction = Table(
    "interaction",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("source", String(50), nullable=False),
    Column("natural_key", String(600), nullable=False),
    Column("occurred_at", UtcDateTime(), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("subject", Text),
    Column("thread", String(600)),
    Column("group_size", Integer, nullable=False, default=1),
    Column("import_id", Integer, ForeignKey("import_run.id", ondelete="SET NULL")),
    UniqueConstraint("owner_id", "source", "natural_key", name="uq_interaction_key"),
    Index("ix_interaction_owner_time", "owner_id", "occurred_at"),
    Index("ix_interaction_id_time", "id", "occurred_at"),
)

interaction_person = Table(
    "interaction_person",
    metadata,
    Column(
        "interaction_id", Integer, ForeignKey("interaction.id", ondelete="CASCADE"), nullable=False
    ),
    owner_column(),
    person_column(),
    Column("identity_kind", String(20), nullable=False),
    Column("identity_value", String(500), nullable=False),
    # the interaction's own time, copied: a person's latest interactions and their span come
    # from this table's index alone (migration 0008)
    Column("occurred_at", UtcDateTime(), nullable=False),
    # and its group size, copied: warm introductions read a person's small-group links from
    # this table's index alone (migration 0016)
    Column("group_size", Integer, nullable=False),
    UniqueConstraint(
        "interaction_id", "identity_kind", "identity_value", name="uq_interaction_person"
    ),
    # tie statistics stream every link in (person, interaction) order
    Index("ix_interaction_person_person", "person_id", "interaction_id"),
    Index("ix_interaction_person_time", "person_id", "occurred_at", "interaction_id"),
    Index(
        "ix_interaction_person_group",
        "person_id",
        "group_size",
        "interaction_id",
        "occurred_at",
    ),
)
