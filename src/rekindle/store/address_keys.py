"""Stored addresses re-keyed by the one normalisation, and the people it showed to be one.

Before every path keyed addresses with :func:`rekindle.identity.identifiers.address_key`,
mail and calendars stored an address as written (``maria.g@gmail.com``) while contacts stored
its match key (``mariag@gmail.com``): the history of such an address reached nobody, and a
sync made a second person for it. :func:`rekey_history` rewrites the stored addresses to
their keys (migration 0010 runs it once); :func:`same_address_groups` finds the people that
hold one address key between them, for :mod:`rekindle.services.address_repair` to merge.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select, update

from rekindle.identity.identifiers import address_key
from rekindle.store.schema import identity, interaction_person, person, setting, source_record
from rekindle.store.schema_history import meeting, meeting_attendee, message, message_address

#: the setting that says an owner's history was re-keyed and its people are not repaired yet
REPAIR_PENDING = "identity.address_repair"
#: the sources of people learnt from the history alone (never imported as contacts)
HISTORY_SOURCES = ("mail", "calendar")


@dataclass
class Rekeyed:
    """What :func:`rekey_history` changed, per owner: addresses re-keyed (distinct), the
    message and attendee rows rewritten, meetings to be read again."""

    addresses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    meetings: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    rows: int = 0

    @property
    def owners(self) -> list[int]:
        return sorted({*self.addresses, *self.meetings})


def _kind(value: str) -> str:
    return "url" if value.startswith(("http://", "https://")) else "email"


def _changes(conn: Connection, column: Any, owner: Any) -> dict[tuple[int, str], str]:
    """(owner, stored value) → its key, for the distinct values whose key differs."""
    out: dict[tuple[int, str], str] = {}
    for owner_id, value in conn.execute(select(owner, column).distinct()):
        if not value or value == "<me>":
            continue
        key = address_key(value, _kind(value))[:500]
        if key != value:
            out[(int(owner_id), value)] = key
    return out


def rekey_history(conn: Connection) -> Rekeyed:
    """Rewrite every stored message address, sender and meeting attendee to its match key.

    Mail is derived again from the stored messages (:mod:`rekindle.services.address_repair`);
    a meeting naming a re-keyed address is deleted so that the next calendar sync reads it
    again and links it to the people it names (the meeting's file is the only full record of
    its occurrences), as is every recurring meeting (now counted once per occurrence). Its
    interactions stay until then. (Interactions were only ever linked
    through addresses that matched a person's key, so their links need no rewriting.)"""
    result = Rekeyed()
    for table, column in (
        (message_address, message_address.c.address),
        (message, message.c.sender),
    ):
        for (owner_id, old), key in _changes(conn, column, table.c.owner_id).items():
            done = conn.execute(
                update(table)
                .where(table.c.owner_id == owner_id, column == old)
                .values({column.name: key})
            )
            result.addresses[owner_id] += 1
            result.rows += done.rowcount or 0
    for owner_id, old in _changes(conn, meeting_attendee.c.address, meeting_attendee.c.owner_id):
        stale = select(meeting_attendee.c.meeting_id).where(
            meeting_attendee.c.owner_id == owner_id, meeting_attendee.c.address == old
        )
        ids = [int(r[0]) for r in conn.execute(stale)]
        conn.execute(delete(meeting_attendee).where(meeting_attendee.c.meeting_id.in_(ids)))
        done = conn.execute(delete(meeting).where(meeting.c.id.in_(ids)))
        result.addresses[owner_id] += 1
        result.meetings[owner_id] += done.rowcount or 0
    _forget_series(conn, result)
    return result


def _forget_series(conn: Connection, result: Rekeyed) -> None:
    """Recurring meetings were one interaction per series; they are one per occurrence now.
    Their rows go, so the next calendar sync reads them as new and counts each occurrence
    (its file is the only record of the occurrences); their old interaction stays until then."""
    rows = conn.execute(
        select(meeting.c.id, meeting.c.owner_id).where(meeting.c.recurring.is_(True))
    ).all()
    for start in range(0, len(rows), 500):
        ids = [int(r.id) for r in rows[start : start + 500]]
        conn.execute(delete(meeting_attendee).where(meeting_attendee.c.meeting_id.in_(ids)))
        conn.execute(delete(meeting).where(meeting.c.id.in_(ids)))
    for r in rows:
        result.meetings[int(r.owner_id)] += 1


@dataclass(frozen=True)
class SameAddress:
    """People holding one address key: ``keep`` (the oldest one imported as a contact, else
    the oldest) and the ``others`` learnt from the history alone, to be merged into it."""

    kind: str
    value: str
    display: str
    keep: int
    others: tuple[int, ...]


def same_address_groups(conn: Connection, owner_id: int) -> list[SameAddress]:
    """The active people (not me) sharing an email or profile key where all but one were
    learnt from mail or calendars alone: the duplicates the old keying made."""
    holders = (
        select(identity.c.kind, identity.c.value)
        .join(person, person.c.id == identity.c.person_id)
        .where(
            identity.c.owner_id == owner_id,
            identity.c.kind.in_(("email", "url")),
            person.c.merged_into.is_(None),
            person.c.is_me.is_(False),
        )
        .group_by(identity.c.kind, identity.c.value)
        .having(func.count(func.distinct(identity.c.person_id)) > 1)
    )
    shared = [(r.kind, r.value) for r in conn.execute(holders)]
    groups: list[SameAddress] = []
    for kind, value in shared:
        rows = conn.execute(
            select(identity.c.person_id, identity.c.display)
            .join(person, person.c.id == identity.c.person_id)
            .where(
                identity.c.owner_id == owner_id,
                identity.c.kind == kind,
                identity.c.value == value,
                person.c.merged_into.is_(None),
                person.c.is_me.is_(False),
            )
            .order_by(identity.c.person_id)
        ).all()
        ids = list(dict.fromkeys(int(r.person_id) for r in rows))
        learnt = _history_only(conn, owner_id, ids)
        contacts = [p for p in ids if p not in learnt]
        if len(contacts) > 1:
            continue  # two imported contacts with one address: the matcher's call, not ours
        keep = contacts[0] if contacts else ids[0]
        display = next((r.display for r in rows if r.display), value)
        others = tuple(p for p in ids if p != keep)
        groups.append(SameAddress(kind, value, display, keep, others))
    return groups


def _history_only(conn: Connection, owner_id: int, ids: list[int]) -> set[int]:
    """Those of ``ids`` whose every source record comes from mail or a calendar."""
    sources: dict[int, set[str]] = defaultdict(set)
    for pid, src in conn.execute(
        select(source_record.c.person_id, source_record.c.source).where(
            source_record.c.owner_id == owner_id, source_record.c.person_id.in_(ids)
        )
    ):
        sources[int(pid)].add(src)
    return {p for p in ids if sources[p] and sources[p] <= set(HISTORY_SOURCES)}


def count_links(conn: Connection, owner_id: int) -> int:
    """How many (interaction, person) links the owner has."""
    return int(
        conn.execute(
            select(func.count())
            .select_from(interaction_person)
            .where(interaction_person.c.owner_id == owner_id)
        ).scalar_one()
    )


def any_pending(engine: Engine) -> bool:
    """Whether some owner's history was re-keyed and its people are not repaired yet."""
    with engine.connect() as conn:
        found = conn.execute(select(setting.c.owner_id).where(setting.c.key == REPAIR_PENDING))
        return found.first() is not None
