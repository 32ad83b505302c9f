"""Merge suggestions, manual merges and unmerges: explainable and reversible."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rekindle.errors import NotFoundError, UserError
from rekindle.services.import_state import search_unsearched
from rekindle.services.importing import refresh_people
from rekindle.services.people import resolve_person
from rekindle.store import Store, merges
from rekindle.store import contacts as q
from rekindle.store import people as pq
from rekindle.store.database import utcnow


@dataclass
class SuggestionView:
    id: int
    score: float
    rule: str
    reasons: list[str]
    a: dict[str, Any]
    b: dict[str, Any]


def review(store: Store, now: datetime | None = None) -> list[SuggestionView]:
    """The pending merge suggestions, best first (those of people a mail sync learnt are
    searched now, once)."""
    with store.begin() as conn:
        search_unsearched(conn, store.owner_id, now or utcnow())
    with store.read() as conn:
        rows = merges.pending_suggestions(conn, store.owner_id)
        info = pq.summaries(conn, sorted({r.person_a for r in rows} | {r.person_b for r in rows}))
        return [
            SuggestionView(
                id=r.id,
                score=round(r.score, 3),
                rule=r.rule,
                reasons=json.loads(r.reasons),
                a={"id": r.person_a, "name": r.name_a, **info[r.person_a]},
                b={"id": r.person_b, "name": r.name_b, **info[r.person_b]},
            )
            for r in rows
        ]


def accept(store: Store, suggestion_id: int, now: datetime | None = None) -> int:
    """Merge a suggested pair (the older person absorbs the newer); return the merge event."""
    now = now or utcnow()
    with store.begin() as conn:
        try:
            row = merges.set_suggestion_status(conn, store.owner_id, suggestion_id, "accepted")
        except LookupError:
            raise NotFoundError(
                f"no merge suggestion {suggestion_id}", hint="`rekindle merge --review` lists them"
            ) from None
        except ValueError as decided:
            raise _decided(suggestion_id, decided.args[0]) from None
        reasons = "; ".join(json.loads(row.reasons)) or row.rule
        event = merges.merge_persons(
            conn,
            store.owner_id,
            row.person_a,
            row.person_b,
            "confirmed:" + row.rule,
            f"you confirmed: {reasons}",
            now,
        )
        refresh_people(conn, store.owner_id, [row.person_a], now)
        return event


def reject(store: Store, suggestion_id: int) -> None:
    with store.begin() as conn:
        try:
            merges.set_suggestion_status(conn, store.owner_id, suggestion_id, "rejected")
        except LookupError:
            raise NotFoundError(f"no merge suggestion {suggestion_id}") from None
        except ValueError as decided:
            raise _decided(suggestion_id, decided.args[0]) from None


def _decided(suggestion_id: int, row: Any) -> UserError:
    """A suggestion can be decided once: what was decided, and how to change it."""
    pair = f"{row.person_a} and {row.person_b}"
    if row.status == "accepted":
        return UserError(
            f"suggestion {suggestion_id} was accepted already: {pair} are one person",
            hint=f"`rekindle unmerge {row.person_a}` separates them",
        )
    return UserError(
        f"suggestion {suggestion_id} was settled already: {pair} are kept apart",
        hint=f"`rekindle merge {row.person_a} {row.person_b}` merges them if you are sure",
    )


def merge(
    store: Store,
    into_ref: str,
    other_ref: str,
    region: str | None = None,
    now: datetime | None = None,
) -> int:
    now = now or utcnow()
    with store.begin() as conn:
        into = resolve_person(conn, store.owner_id, into_ref, region)
        other = resolve_person(conn, store.owner_id, other_ref, region)
        if into == other:
            raise UserError("those are the same person already")
        event = merges.merge_persons(
            conn, store.owner_id, into, other, "manual", "you merged them", now
        )
        refresh_people(conn, store.owner_id, [into], now)
        return event


def unmerge(
    store: Store,
    ref: str,
    *,
    event_id: int | None = None,
    record_id: int | None = None,
    region: str | None = None,
    now: datetime | None = None,
) -> tuple[int, int]:
    """Undo a merge event, or split one source record off into a person of its own.

    Returns (the person kept, the person split off). With neither option, the person's only
    live merge event is undone; several events ask the user to choose.
    """
    now = now or utcnow()
    with store.begin() as conn:
        pid = resolve_person(conn, store.owner_id, ref, region)
        if record_id is not None:
            records = q.records_of(conn, store.owner_id, pid)
            if record_id not in {r.id for r in records}:
                raise NotFoundError(
                    f"record {record_id} does not belong to person {pid}",
                    hint=f"`rekindle show {pid}` lists its records",
                )
            if len(records) < 2:
                raise UserError(f"person {pid} has only that one record; nothing to split off")
            new_pid = pq.insert_person(conn, store.owner_id, "", "", now)
            merges.split_record(conn, store.owner_id, record_id, new_pid)
            merges.block_pair(conn, store.owner_id, pid, new_pid, "unmerged", now)
            refresh_people(conn, store.owner_id, [pid, new_pid], now)
            return pid, new_pid
        live = [
            e
            for e in merges.events_for(conn, store.owner_id, pid)
            if e.undone_at is None and e.into_person_id == pid
        ]
        if event_id is None:
            if not live:
                raise UserError(
                    f"person {pid} has no merge to undo",
                    hint="split a record off with --record ID (see `rekindle show`)",
                )
            if len(live) > 1:
                raise UserError(
                    f"person {pid} has {len(live)} merges",
                    hint="choose one with --event: "
                    + ", ".join(f"{e.id} ({e.evidence})" for e in live),
                )
            event_id = live[0].id
        if event_id not in {e.id for e in live}:
            raise NotFoundError(f"merge {event_id} is not a live merge into person {pid}")
        event = merges.undo_merge(conn, store.owner_id, event_id, now)
        refresh_people(conn, store.owner_id, [event.into_person_id, event.absorbed_person_id], now)
        return event.into_person_id, event.absorbed_person_id
