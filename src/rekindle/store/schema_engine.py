"""Tables of the reconnection engine and the outreach log (migration 0003)."""

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
)

from rekindle.store.schema_types import UtcDateTime, metadata, owner_column, person_column

#: what the user is working towards; one is active at a time, older ones are kept
goal = Table(
    "goal",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("text", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("ended_at", UtcDateTime()),
)

#: a wish about contacting a person: snoozed until a date, dismissed for now, declined
#: (door kept open, revisit after months), never (do not contact). Lifted holds are kept.
person_hold = Table(
    "person_hold",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    person_column(),
    Column("kind", String(20), nullable=False),
    Column("until", UtcDateTime()),
    Column("reason", Text),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("lifted_at", UtcDateTime()),
    Index("ix_person_hold_person", "owner_id", "person_id"),
)

#: a reason to reach out now. Life events detected from data are stored when found;
#: computed occasions (birthdays, anniversaries, holidays) are stored once handled.
occasion = Table(
    "occasion",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    person_column(),
    Column("kind", String(30), nullable=False),
    Column("key", String(300), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("detail", Text, nullable=False, default=""),
    Column("source", String(200), nullable=False, default=""),
    Column("handled_at", UtcDateTime()),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("owner_id", "person_id", "key", name="uq_occasion_key"),
    Index("ix_occasion_person", "person_id"),
)

#: every outreach (a draft, a sent message, a call logged after the fact)
outreach = Table(
    "outreach",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    person_column(),
    Column("intent", String(30), nullable=False),
    Column("medium", String(20), nullable=False),
    Column("subject", Text),
    Column("body", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("sent_at", UtcDateTime()),
    Column("follow_up_due", UtcDateTime()),
    Column("followed_up_at", UtcDateTime()),
    Column("replied_at", UtcDateTime()),
    Column("closed_at", UtcDateTime()),
    Column("outcome", String(40)),
    Column("note", Text),
    Column("message_id", String(600)),
    Column("parent_id", Integer, ForeignKey("outreach.id", ondelete="SET NULL")),
    #: the template variant a draft was written from (migration 0017; None: written elsewhere)
    Column("variant", Integer),
    Index("ix_outreach_person", "owner_id", "person_id"),
    Index("ix_outreach_status", "owner_id", "status"),
)

#: the week's plan as it was first shown, so re-running within the week does not reshuffle
plan_entry = Table(
    "plan_entry",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("period", String(20), nullable=False),
    Column("goal_id", Integer, ForeignKey("goal.id", ondelete="SET NULL")),
    person_column(),
    Column("rank", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("detail", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("owner_id", "period", "person_id", name="uq_plan_entry"),
)


#: every tie as the week's fit described it (services/tie_snapshot.py; migration 0018): the
#: plan reads it instead of every tie's contacts, while the history is unchanged
tie_snapshot = Table(
    "tie_snapshot",
    metadata,
    Column("owner_id", Integer, ForeignKey("owner.id", ondelete="CASCADE"), primary_key=True),
    #: store.ranker.history_fingerprint of the history it describes
    Column("fingerprint", String(200), nullable=False),
    Column("taken_at", UtcDateTime(), nullable=False),
    #: the arrays of services.tie_snapshot, as an .npz file (no pickled objects)
    Column("data", LargeBinary, nullable=False),
)


#: everyone's match with a goal, kept between plans (engine/kept_goal.py; migration 0019):
#: read back while the goal, the model, everyone's words and mail subjects are unchanged
goal_match = Table(
    "goal_match",
    metadata,
    Column("owner_id", Integer, ForeignKey("owner.id", ondelete="CASCADE"), primary_key=True),
    #: a digest of what the match was made from (services/goal_kept.py)
    Column("key", String(64), nullable=False),
    #: engine.kept_goal.KeptGoal.data: an .npz of plain arrays
    Column("data", LargeBinary, nullable=False),
)
