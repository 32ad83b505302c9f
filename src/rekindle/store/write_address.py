"""What choosing the address to write to reads: each person's addresses, when personal mail
last went to or came from each, and the employers they had."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, func, select

from rekindle.history.ties import GROUP_THRESHOLD
from rekindle.identity.write_address import Employer, address_to_write
from rekindle.store.meetups import emails_of
from rekindle.store.schema import affiliation, interaction, interaction_person

_CHUNK = 900


def _last_personal(conn: Connection, ids: list[int]) -> dict[int, dict[str, datetime]]:
    ip = interaction_person.c
    out: dict[int, dict[str, datetime]] = defaultdict(dict)
    rows = conn.execute(
        select(ip.person_id, ip.identity_value, func.max(ip.occurred_at))
        .join(interaction, interaction.c.id == ip.interaction_id)
        .where(
            ip.person_id.in_(ids),
            ip.identity_kind == "email",
            interaction.c.group_size <= GROUP_THRESHOLD,
        )
        .group_by(ip.person_id, ip.identity_value)
    )
    for pid, value, last in rows:
        if value and last is not None:
            seen = out[int(pid)]
            key = value.casefold()
            seen[key] = max(last, seen.get(key, last))
    return out


def _employers(conn: Connection, ids: list[int]) -> dict[int, list[Employer]]:
    a = affiliation.c
    out: dict[int, list[Employer]] = defaultdict(list)
    rows = conn.execute(
        select(a.person_id, a.organisation, a.end_date).where(
            a.person_id.in_(ids), a.kind == "work"
        )
    )
    for pid, organisation, ended in rows:
        if organisation:
            out[int(pid)].append(Employer(organisation, ended))
    return out


def emails_to_write(conn: Connection, person_ids: Sequence[int]) -> dict[int, str]:
    """Per person with an email address, the one you would write to today."""
    out: dict[int, str] = {}
    ids = sorted({int(p) for p in person_ids})
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        addresses = emails_of(conn, chunk)
        last, jobs = _last_personal(conn, chunk), _employers(conn, chunk)
        for pid, mine in addresses.items():
            chosen = address_to_write(mine, last.get(pid, {}), jobs.get(pid, ()))
            if chosen:
                out[pid] = chosen
    return out


def email_to_write(conn: Connection, person_id: int) -> str | None:
    return emails_to_write(conn, [person_id]).get(person_id)
