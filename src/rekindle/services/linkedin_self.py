"""Your own LinkedIn profile, so LinkedIn messages count as from or to you.

Before a LinkedIn export's messages are synced, the owner's profile URL is looked for in the
export (:mod:`rekindle.sources.linkedin_owner`) when you have no LinkedIn profile among your
addresses yet, and added with the evidence said in a notice. When the export does not show it
and messages were left out as "neither from nor to you", a notice says how to add it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rekindle.identity.records import NoticeRecord
from rekindle.plural import counted
from rekindle.services import me as me_svc
from rekindle.sources.linkedin_owner import find_own_profile
from rekindle.store import Store
from rekindle.store import mail as mq

SOURCE = "linkedin"
_NOT_MINE = ("neither from nor to you", "your own addresses are not known yet")


def has_own_profile(store: Store) -> bool:
    with store.read() as conn:
        return any("linkedin.com/" in a for a in mq.my_addresses(conn, store.owner_id))


def learn_own_profile(store: Store, path: Path) -> NoticeRecord | None:
    """Add the export owner's profile URL to your addresses when the export shows it."""
    if has_own_profile(store):
        return None
    found = find_own_profile(path)
    if found is None:
        return None
    me_svc.add_address(store, found.url)
    return NoticeRecord(
        SOURCE,
        path.name,
        f"your LinkedIn profile {found.url} was found in the export ({found.evidence}) and "
        "added to your addresses (`rekindle me remove-address` if it is not yours)",
    )


def missing_profile_notice(
    store: Store, path: Path, skipped: Mapping[str, int]
) -> NoticeRecord | None:
    """What to do when messages were left out (``skipped``: why → how many) for want of
    your own profile URL."""
    left_out = sum(skipped.get(why, 0) for why in _NOT_MINE)
    if not left_out or has_own_profile(store):
        return None
    return NoticeRecord(
        SOURCE,
        path.name,
        f"{counted(left_out, 'message')} {'counts' if left_out == 1 else 'count'} as neither "
        "from nor to you because your own LinkedIn "
        "profile URL is not known: `rekindle me add-address https://www.linkedin.com/in/YOU`, "
        "then `rekindle sync rebuild`",
    )
