"""Repairing a database whose addresses were keyed two ways (after migration 0010).

Migration 0010 re-keyed the stored mail and calendar addresses and noted each owner it
changed. For such an owner this merges every person learnt from the history alone into the
contact that holds the same address key (a recorded merge: ``rekindle unmerge`` undoes it),
then derives the mail interactions again and refreshes the tie statistics, so the history
that reached nobody is the contact's. It runs once, from the first command or page after the
upgrade (:func:`repair_pending`), and as part of ``rekindle sync rebuild``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, select

from rekindle.plural import counted
from rekindle.services.history import finish_sync
from rekindle.services.profiles import refresh_people
from rekindle.store import Store, merges
from rekindle.store import mail as mq
from rekindle.store.address_keys import REPAIR_PENDING, count_links, same_address_groups
from rekindle.store.database import utcnow
from rekindle.store.schema import setting
from rekindle.store.settings import put_setting

#: the rule a repair merge is recorded under
RULE = "same-address"


@dataclass
class AddressRepair:
    """What the repair did for one owner: the merges made (kept id, absorbed id, address),
    how many more links between interactions and people the mail has now, the meetings the
    next calendar sync reads again."""

    owner_id: int
    merged: list[tuple[int, int, str]] = field(default_factory=list)
    interactions: int = 0
    meetings_to_reread: int = 0


def pending_owners(conn: Connection) -> dict[int, dict[str, int]]:
    """The owners noted by migration 0010 and not repaired yet, with its note."""
    rows = conn.execute(
        select(setting.c.owner_id, setting.c.value).where(setting.c.key == REPAIR_PENDING)
    )
    out: dict[int, dict[str, int]] = {}
    for owner_id, value in rows:
        try:
            note = json.loads(value)
        except ValueError:
            note = {}
        out[int(owner_id)] = note if isinstance(note, dict) else {}
    return out


def repair_pending(store: Store, now: datetime | None = None) -> list[AddressRepair]:
    """Repair every noted owner (each in its own transaction); nothing on a read-only file."""
    if store.read_only:
        return []
    with store.read() as conn:
        noted = pending_owners(conn)
    done = []
    for owner_id, note in sorted(noted.items()):
        with store.begin() as conn:
            found = repair_owner(conn, owner_id, now or utcnow())
            found.meetings_to_reread = int(note.get("meetings", 0))
            done.append(found)
    return done


def repair_owner(conn: Connection, owner_id: int, now: datetime) -> AddressRepair:
    """Merge the people one address key made two, derive the mail again, clear the note."""
    report = AddressRepair(owner_id)
    blocked = merges.blocked_pairs(conn, owner_id)
    kept: set[int] = set()
    for group in same_address_groups(conn, owner_id):
        for other in group.others:
            if (group.keep, other) in blocked or (other, group.keep) in blocked:
                continue  # the user said these are two people
            evidence = (
                f"the same address {group.display}: mail or a calendar wrote it differently "
                "from your contacts, and made a second person for it"
            )
            merges.merge_persons(conn, owner_id, group.keep, other, RULE, evidence, now)
            report.merged.append((group.keep, other, group.display))
            kept.add(group.keep)
    if kept:
        refresh_people(conn, owner_id, sorted(kept), now)
    if mq.count_messages(conn, owner_id):
        before = count_links(conn, owner_id)
        finish_sync(conn, owner_id, now, everything=True)
        report.interactions = count_links(conn, owner_id) - before
    put_setting(conn, owner_id, REPAIR_PENDING, None)
    return report


def describe(repair: AddressRepair) -> str:
    """One line for the user: what the repair merged and linked."""
    parts = []
    if repair.merged:
        shown = ", ".join(sorted({address for _, _, address in repair.merged})[:5])
        parts.append(
            f"merged {counted(len(repair.merged), 'duplicate person', 'duplicate people')} ({shown})"
        )
    if repair.interactions > 0:
        parts.append(f"{counted(repair.interactions, 'more link')} of mail to people")
    if repair.meetings_to_reread:
        parts.append(
            f"{counted(repair.meetings_to_reread, 'meeting')} to read again at your next calendar "
            "sync (a series counts each time it was held)"
        )
    return "Addresses are now matched however they are written: " + (
        "; ".join(parts) if parts else "nothing needed repair"
    )


__all__ = ["AddressRepair", "describe", "pending_owners", "repair_owner", "repair_pending"]
