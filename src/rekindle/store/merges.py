"""Merging two persons into one, and undoing it: every move is recorded, nothing is lost."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, or_, select, update

from rekindle.store import tie_snapshot
from rekindle.store.schema import (
    affiliation,
    identity,
    interaction_person,
    merge_event,
    merge_suggestion,
    note,
    person,
    person_edit,
    source_record,
    tag,
)
from rekindle.store.schema_engine import outreach

#: the tables whose rows follow a person through a merge
_MOVABLE = {
    "records": source_record,
    "identities": identity,
    "affiliations": affiliation,
    "tags": tag,
    "notes": note,
    "interactions": interaction_person,
    "outreach": outreach,
}


@dataclass(frozen=True)
class MergeEvent:
    id: int
    into_person_id: int
    absorbed_person_id: int
    rule: str
    evidence: str
    created_at: datetime
    undone_at: datetime | None


def merge_persons(
    conn: Connection,
    owner_id: int,
    into: int,
    absorbed: int,
    rule: str,
    evidence: str,
    now: datetime,
) -> int:
    """Move everything of ``absorbed`` onto ``into``; return the merge event's id."""
    tie_snapshot.forget(conn, owner_id)  # their ties are one now: the plan reads them afresh
    moved: dict[str, list[Any]] = {}
    for name, table in _MOVABLE.items():
        if table is interaction_person:
            rows = conn.execute(
                select(table.c.interaction_id, table.c.identity_kind, table.c.identity_value).where(
                    table.c.person_id == absorbed
                )
            )
            moved[name] = [list(r) for r in rows]
        else:
            moved[name] = [
                r.id for r in conn.execute(select(table.c.id).where(table.c.person_id == absorbed))
            ]
        conn.execute(update(table).where(table.c.person_id == absorbed).values(person_id=into))
    # the absorbed person's edits fill only fields the kept person has not edited
    kept_fields = {
        r.field
        for r in conn.execute(select(person_edit.c.field).where(person_edit.c.person_id == into))
    }
    edits = list(conn.execute(select(person_edit).where(person_edit.c.person_id == absorbed)))
    moved["edits"] = [[e.field, e.value] for e in edits]
    for e in edits:
        if e.field not in kept_fields:
            conn.execute(
                insert(person_edit).values(
                    owner_id=owner_id,
                    person_id=into,
                    field=e.field,
                    value=e.value,
                    updated_at=e.updated_at,
                )
            )
    conn.execute(
        update(person).where(person.c.id == absorbed).values(merged_into=into, updated_at=now)
    )
    conn.execute(
        update(person)
        .where(person.c.merged_into == absorbed)
        .values(merged_into=into, updated_at=now)
    )
    result = conn.execute(
        insert(merge_event).values(
            owner_id=owner_id,
            into_person_id=into,
            absorbed_person_id=absorbed,
            rule=rule,
            evidence=evidence,
            moved=json.dumps(moved),
            created_at=now,
        )
    )
    conn.execute(
        update(merge_suggestion)
        .where(_pair(owner_id, into, absorbed), merge_suggestion.c.status == "pending")
        .values(status="accepted")
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def undo_merge(conn: Connection, owner_id: int, event_id: int, now: datetime) -> MergeEvent:
    """Move back what a merge moved, revive the absorbed person, and block the pair."""
    ev = conn.execute(
        select(merge_event).where(merge_event.c.owner_id == owner_id, merge_event.c.id == event_id)
    ).first()
    if ev is None or ev.undone_at is not None:
        raise LookupError(event_id)
    tie_snapshot.forget(conn, owner_id)  # two ties again: the plan reads them afresh
    moved = json.loads(ev.moved)
    for name, table in _MOVABLE.items():
        ids = moved.get(name, [])
        if not ids:
            continue
        if table is interaction_person:
            for interaction_id, kind, value in ids:
                conn.execute(
                    update(table)
                    .where(
                        table.c.interaction_id == interaction_id,
                        table.c.identity_kind == kind,
                        table.c.identity_value == value,
                    )
                    .values(person_id=ev.absorbed_person_id)
                )
        else:
            for start in range(0, len(ids), 500):
                conn.execute(
                    update(table)
                    .where(table.c.id.in_(ids[start : start + 500]))
                    .values(person_id=ev.absorbed_person_id)
                )
    conn.execute(
        update(person)
        .where(person.c.id == ev.absorbed_person_id)
        .values(merged_into=None, updated_at=now)
    )
    conn.execute(update(merge_event).where(merge_event.c.id == event_id).values(undone_at=now))
    block_pair(conn, owner_id, ev.into_person_id, ev.absorbed_person_id, "unmerged", now)
    return replace(_event(ev), undone_at=now)


def split_record(conn: Connection, owner_id: int, record_id: int, new_person: int) -> int:
    """Move one source record and the facts it brought to ``new_person``; return the old person."""
    rec = conn.execute(
        select(source_record.c.person_id).where(
            source_record.c.owner_id == owner_id, source_record.c.id == record_id
        )
    ).first()
    if rec is None:
        raise LookupError(record_id)
    for table in (identity, affiliation, tag):
        conn.execute(
            update(table).where(table.c.source_record_id == record_id).values(person_id=new_person)
        )
    conn.execute(
        update(source_record)
        .where(source_record.c.id == record_id)
        .values(person_id=new_person, link_rule="unmerged", link_evidence="split off by the user")
    )
    return int(rec.person_id)


_EVENTS = (  # built once: the Person page reads it every time
    select(merge_event)
    .where(
        merge_event.c.owner_id == bindparam("owner_id"),
        or_(
            merge_event.c.into_person_id == bindparam("person_id"),
            merge_event.c.absorbed_person_id == bindparam("person_id"),
        ),
    )
    .order_by(merge_event.c.id)
)


def events_for(conn: Connection, owner_id: int, person_id: int) -> list[MergeEvent]:
    rows = conn.execute(_EVENTS, {"owner_id": owner_id, "person_id": person_id})
    return [_event(r) for r in rows]


def _event(r: Any) -> MergeEvent:
    return MergeEvent(
        r.id, r.into_person_id, r.absorbed_person_id, r.rule, r.evidence, r.created_at, r.undone_at
    )


def _pair(owner_id: int, a: int, b: int) -> Any:
    lo, hi = min(a, b), max(a, b)
    return and_(
        merge_suggestion.c.owner_id == owner_id,
        merge_suggestion.c.person_a == lo,
        merge_suggestion.c.person_b == hi,
    )


def block_pair(conn: Connection, owner_id: int, a: int, b: int, rule: str, now: datetime) -> None:
    """Never suggest (or auto-merge) this pair again."""
    existing = conn.execute(select(merge_suggestion.c.id).where(_pair(owner_id, a, b))).first()
    if existing:
        conn.execute(
            update(merge_suggestion)
            .where(merge_suggestion.c.id == existing.id)
            .values(status="rejected")
        )
        return
    conn.execute(
        insert(merge_suggestion).values(
            owner_id=owner_id,
            person_a=min(a, b),
            person_b=max(a, b),
            score=0.0,
            rule=rule,
            reasons="[]",
            status="rejected",
            created_at=now,
        )
    )


def blocked_pairs(conn: Connection, owner_id: int) -> set[tuple[int, int]]:
    rows = conn.execute(
        select(merge_suggestion.c.person_a, merge_suggestion.c.person_b).where(
            merge_suggestion.c.owner_id == owner_id, merge_suggestion.c.status == "rejected"
        )
    )
    return {(r.person_a, r.person_b) for r in rows}


def known_pairs(conn: Connection, owner_id: int) -> set[tuple[int, int]]:
    rows = conn.execute(
        select(merge_suggestion.c.person_a, merge_suggestion.c.person_b).where(
            merge_suggestion.c.owner_id == owner_id
        )
    )
    return {(r.person_a, r.person_b) for r in rows}


def save_suggestions(
    conn: Connection,
    owner_id: int,
    suggestions: Iterable[tuple[int, int, float, str, list[str]]],
    now: datetime,
) -> int:
    known = known_pairs(conn, owner_id)
    rows = []
    for a, b, score, rule, reasons in suggestions:
        key = (min(a, b), max(a, b))
        if key in known or a == b:
            continue
        known.add(key)
        rows.append(
            {
                "owner_id": owner_id,
                "person_a": key[0],
                "person_b": key[1],
                "score": score,
                "rule": rule,
                "reasons": json.dumps(reasons),
                "status": "pending",
                "created_at": now,
            }
        )
    if rows:
        conn.execute(insert(merge_suggestion), rows)
    return len(rows)


def pending_suggestions(conn: Connection, owner_id: int) -> list[Any]:
    pa = person.alias("pa")
    pb = person.alias("pb")
    return list(
        conn.execute(
            select(
                merge_suggestion,
                pa.c.display_name.label("name_a"),
                pb.c.display_name.label("name_b"),
            )
            .join(pa, pa.c.id == merge_suggestion.c.person_a)
            .join(pb, pb.c.id == merge_suggestion.c.person_b)
            .where(
                merge_suggestion.c.owner_id == owner_id,
                merge_suggestion.c.status == "pending",
                pa.c.merged_into.is_(None),
                pb.c.merged_into.is_(None),
            )
            .order_by(merge_suggestion.c.score.desc(), merge_suggestion.c.id)
        )
    )


def set_suggestion_status(conn: Connection, owner_id: int, suggestion_id: int, status: str) -> Any:
    """Decide a pending suggestion; returns it as it was. LookupError: no such suggestion;
    ValueError: it was decided already (its row is the error's argument)."""
    row = conn.execute(
        select(merge_suggestion).where(
            merge_suggestion.c.owner_id == owner_id, merge_suggestion.c.id == suggestion_id
        )
    ).first()
    if row is None:
        raise LookupError(suggestion_id)
    if row.status != "pending":
        raise ValueError(row)
    conn.execute(
        update(merge_suggestion).where(merge_suggestion.c.id == suggestion_id).values(status=status)
    )
    return row
