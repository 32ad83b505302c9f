"""The user's other selves: records that are likely me, kept out of plans, drafts and merges,
and proposed in ``me --suggest`` with the evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from rekindle.identity.self_match import Myself
from rekindle.plural import counted
from rekindle.store import Store
from rekindle.store import mail as mq
from rekindle.store import people as pq
from rekindle.store import self_evidence as sq

#: at most this many other selves are proposed
MAX_PROPOSED = 10


def myself(conn: Connection, owner_id: int) -> Myself:
    """My name (``me set-name``) and my addresses, as the matcher reads them."""
    me_id = pq.find_me(conn, owner_id)
    name = pq.edits_of(conn, me_id).get("name") if me_id is not None else None
    return Myself.of(name, mq.my_addresses(conn, owner_id))


def likely_me(
    conn: Connection, owner_id: int, names: Mapping[int, str], person_ids: Sequence[int]
) -> dict[int, list[str]]:
    """Of ``person_ids`` (display names in ``names``), those likely me, with the evidence."""
    me = myself(conn, owner_id)
    if not me.known or not person_ids:
        return {}
    emails = sq.emails_by_person(conn, person_ids)
    out = {}
    for pid in person_ids:
        found = me.evidence([names.get(pid, "")], emails.get(pid, ()))
        if found:
            out[pid] = found
    return out


def is_likely_me(conn: Connection, owner_id: int, person_id: int, name: str) -> list[str]:
    """The evidence that one person is me (empty: they are not)."""
    return likely_me(conn, owner_id, {person_id: name}, [person_id]).get(person_id, [])


def other_selves(store: Store) -> list[dict[str, Any]]:
    """Addresses of records that look like me, with the evidence, strongest first."""
    with store.read() as conn:
        owner = store.owner_id
        me = myself(conn, owner)
        if not me.known:
            return []
        people = sq.people_with_email(conn, owner)
        emails = sq.emails_by_person(conn, sorted(people))
        seen = sq.names_on(conn, owner, [a for addrs in emails.values() for a in addrs])
        found = []
        for pid, display in people.items():
            for address in emails.get(pid, ()):
                evidence = me.evidence([display, *seen.get(address, ())], [address])
                if evidence:
                    found.append((pid, display, address, evidence))
        found.sort(key=lambda f: (-len(f[3]), f[0], f[2]))
        mine = set(me.addresses)
        out = []
        for pid, display, address, evidence in found[:MAX_PROPOSED]:
            wrote, copied = sq.mail_beside_me(conn, owner, address, mine)
            if wrote:
                evidence = [*evidence, f"{counted(wrote, 'message')} from it to your addresses"]
            if copied:
                evidence = [
                    *evidence,
                    f"you copied yourself beside it on {counted(copied, 'message')}",
                ]
            out.append(
                {
                    "address": address,
                    "person_id": pid,
                    "name": display,
                    "evidence": evidence,
                    "already_yours": address.casefold() in mine,
                }
            )
    return out
