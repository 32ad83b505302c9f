"""The two signals teammates share when both opt in, and nothing else of each other's data.

A person in my network is matched to a teammate's person through an identical identity
(e-mail address, phone number, profile URL or handle, as normalised on import). From the
teammate's side only their name, the date of their newest outreach, and their tie strength
leave their data; never mail, notes or the person's other records.

Teams are small, so each teammate is asked in turn: every query runs on one owner's index
(``ix_identity_lookup`` is (owner_id, kind, value)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, func, select, tuple_

from rekindle.store.outreach import DELIVERED
from rekindle.store.schema import identity, owner, person
from rekindle.store.schema_engine import outreach
from rekindle.store.schema_history import tie_stats

#: the largest IN-list sent at once
_CHUNK = 500


@dataclass(frozen=True)
class Teammate:
    owner_id: int
    name: str


@dataclass(frozen=True)
class TeammateOutreach:
    teammate: str
    at: datetime


@dataclass(frozen=True)
class TeammateTie:
    teammate: str
    decayed_sum: float
    #: the peak of personal contact (what makes a tier)
    peak: float
    last_contact: datetime | None


_SHARES = select(owner.c.share_signals).where(owner.c.id == bindparam("owner_id"))  # built once


def shares_signals(conn: Connection, owner_id: int) -> bool:
    return bool(conn.execute(_SHARES, {"owner_id": owner_id}).scalar())


def sharing_teammates(conn: Connection, owner_id: int) -> list[Teammate]:
    """The other owners who opted in (none unless ``owner_id`` opted in too)."""
    if not shares_signals(conn, owner_id):
        return []
    rows = conn.execute(
        select(owner.c.id, func.coalesce(owner.c.display_name, owner.c.username))
        .where(owner.c.share_signals.is_(True), owner.c.id != owner_id)
        .order_by(owner.c.username)
    )
    return [Teammate(int(i), str(n)) for i, n in rows]


def _identities(
    conn: Connection, owner_id: int, person_ids: Sequence[int]
) -> dict[tuple[str, str], set[int]]:
    found: dict[tuple[str, str], set[int]] = {}
    for start in range(0, len(person_ids), _CHUNK):
        chunk = list(person_ids[start : start + _CHUNK])
        rows = conn.execute(
            select(identity.c.kind, identity.c.value, identity.c.person_id).where(
                identity.c.owner_id == owner_id, identity.c.person_id.in_(chunk)
            )
        )
        for kind, value, pid in rows:
            found.setdefault((kind, value), set()).add(int(pid))
    return found


def _matches(
    conn: Connection, teammate_id: int, keys: list[tuple[str, str]]
) -> dict[int, set[tuple[str, str]]]:
    """The teammate's (live) people holding any of ``keys``, with the keys each holds."""
    found: dict[int, set[tuple[str, str]]] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        rows = conn.execute(
            select(identity.c.person_id, identity.c.kind, identity.c.value)
            .join(person, person.c.id == identity.c.person_id)
            .where(
                identity.c.owner_id == teammate_id,
                tuple_(identity.c.kind, identity.c.value).in_(chunk),
                person.c.merged_into.is_(None),
                person.c.is_me.is_(False),
            )
        )
        for pid, kind, value in rows:
            found.setdefault(int(pid), set()).add((kind, value))
    return found


def _linked(
    conn: Connection, owner_id: int, person_ids: Sequence[int], teammate_id: int
) -> dict[int, set[int]]:
    """For each teammate person, which of my ``person_ids`` share an identity with them."""
    mine = _identities(conn, owner_id, person_ids)
    if not mine:
        return {}
    theirs = _matches(conn, teammate_id, sorted(mine))
    return {tp: set().union(*(mine[k] for k in keys)) for tp, keys in theirs.items()}


def teammate_outreach(
    conn: Connection, owner_id: int, person_ids: Sequence[int], since: datetime
) -> dict[int, TeammateOutreach]:
    """Per person of mine, the newest outreach a sharing teammate made to them since ``since``."""
    newest: dict[int, TeammateOutreach] = {}
    for mate in sharing_teammates(conn, owner_id):
        linked = _linked(conn, owner_id, person_ids, mate.owner_id)
        if not linked:
            continue
        when = func.coalesce(outreach.c.sent_at, outreach.c.created_at)
        theirs = list(linked)
        for start in range(0, len(theirs), _CHUNK):
            rows = conn.execute(
                select(outreach.c.person_id, func.max(when))
                .where(
                    and_(
                        outreach.c.owner_id == mate.owner_id,
                        outreach.c.person_id.in_(theirs[start : start + _CHUNK]),
                        outreach.c.status.in_((*DELIVERED, "sending")),
                        when >= since,
                    )
                )
                .group_by(outreach.c.person_id)
            )
            for their_pid, at in rows:
                for pid in linked[int(their_pid)]:
                    if pid not in newest or newest[pid].at < at:
                        newest[pid] = TeammateOutreach(mate.name, at)
    return newest


def teammate_ties(conn: Connection, owner_id: int, person_id: int) -> list[TeammateTie]:
    """Sharing teammates who also know this person, strongest tie first."""
    ties: list[TeammateTie] = []
    for mate in sharing_teammates(conn, owner_id):
        linked = _linked(conn, owner_id, [person_id], mate.owner_id)
        if not linked:
            continue
        row = conn.execute(
            select(
                func.max(tie_stats.c.decayed_sum),
                func.max(func.coalesce(tie_stats.c.peak_personal, tie_stats.c.peak_decayed)),
                func.max(tie_stats.c.last_contact),
            ).where(tie_stats.c.owner_id == mate.owner_id, tie_stats.c.person_id.in_(list(linked)))
        ).first()
        decayed, peak, last = row if row is not None else (None, None, None)
        ties.append(TeammateTie(mate.name, float(decayed or 0.0), float(peak or 0.0), last))
    ties.sort(key=lambda t: (-t.decayed_sum, -t.peak, t.teammate))
    return ties
