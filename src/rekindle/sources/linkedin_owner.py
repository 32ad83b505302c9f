"""Whose LinkedIn export this is: the owner's own profile URL, found in the export itself.

LinkedIn's ``messages.csv`` names both sides of every message by profile URL, the owner's
included, but never says which one is the owner's. Two pieces of evidence settle it:

- ``Profile.csv`` gives the owner's first and last name: the URL that name is written with
  on the messages is theirs;
- the owner is on every message of their own inbox: when one URL alone is on at least 90% of
  (three or more) messages, it is theirs.

No network, no database: the caller adds what is found to the user's addresses.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rekindle.history.records import MessageRecord
from rekindle.sources.base import ImportOptions
from rekindle.sources.bounded_zip import BoundedZip
from rekindle.sources.csv_table import CsvRow, CsvTable, HeaderNotFoundError, open_table
from rekindle.sources.linkedin_messages import read_linkedin_messages

#: the share of messages a URL must be on to be taken as the owner's without a name
EVERY_MESSAGE = 0.9
#: how Profile.csv's header row is recognised
_HEADER: dict[str, Any] = {"expected": ("First Name", "Last Name", "Headline"), "min_match": 2}
#: messages read at most to find the owner
MAX_MESSAGES = 200_000


@dataclass(frozen=True, slots=True)
class OwnProfile:
    url: str
    #: how it was found, in words
    evidence: str


def find_own_profile(path: Path) -> OwnProfile | None:
    """The export owner's profile URL, or None when the export does not show it."""
    on_messages: Counter[str] = Counter()
    names: dict[str, set[str]] = {}
    total = 0
    for item in read_linkedin_messages(path):
        if not isinstance(item, MessageRecord):
            continue
        total += 1
        seen = set()
        for address in (item.sender, *item.to):
            if address is not None and address.kind == "url" and address.value:
                seen.add(address.value)
                if address.name:
                    names.setdefault(address.value, set()).add(_fold(address.name))
        on_messages.update(seen)
        if total >= MAX_MESSAGES:
            break
    owner = profile_name(path)
    if owner:
        named = [url for url, said in names.items() if owner in said]
        if len(named) == 1:
            return OwnProfile(named[0], "the name in Profile.csv on the messages")
    common = [url for url, n in on_messages.items() if n >= EVERY_MESSAGE * total]
    if total >= 3 and len(common) == 1:
        share = on_messages[common[0]] / total
        return OwnProfile(common[0], f"on {share:.0%} of the {total:,} messages")
    return None


def profile_name(path: Path) -> str | None:
    """``First Name`` and ``Last Name`` of the export's ``Profile.csv``, case-folded."""
    try:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.name.lower() == "profile.csv")
            if found:
                with open_table(found[0], ImportOptions(), name=found[0].name, **_HEADER) as table:
                    return _first_name(table)
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                members = [
                    i.filename
                    for i in zf.infolist()
                    if i.filename.rsplit("/", 1)[-1].lower() == "profile.csv"
                ]
                if members:
                    opener = BoundedZip(zf).opener(members[0])
                    with open_table(
                        path, ImportOptions(), name=members[0], opener=opener, **_HEADER
                    ) as t:
                        return _first_name(t)
    except (OSError, HeaderNotFoundError, zipfile.BadZipFile, UnicodeError, NotImplementedError):
        return None
    return None


def _first_name(table: CsvTable | None) -> str | None:
    if table is None or not table.has("First Name", "Last Name"):
        return None
    for row in table.rows("linkedin"):
        if isinstance(row, CsvRow):
            return _fold(f"{row.get('First Name')} {row.get('Last Name')}") or None
    return None


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())
