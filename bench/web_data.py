"""A large, realistic database for the web load benchmark (cached in ``bench/out/``).

``fill(db, people, interactions)`` stores the project's seeded sample network
(:func:`rekindle.sample.network.generate_network`) scaled to ``people`` contacts and about
``interactions`` interactions over ten years: identities and email addresses, affiliations
(each contact also gets earlier jobs spread over a few hundred organisations, with a heavy
tail), tags, close, regular, occasional and formerly strong ties with heavy-tailed rates, mail
threads in both directions, meetings and calls, group mail within circles, and about one in
eight mails and meetings widened to a few colleagues of the person it was with.

Contacts go in through the importer (:func:`rekindle.services.importing.import_items`), as a
real import would store them. Interactions, a million of them, go in through the driver's
``executemany`` (:mod:`rekindle.store.bulk`) 20,000 at a time, participants resolved from the
stored identities once. Tie statistics are then derived by the same code a sync runs
(:func:`rekindle.services.ties.refresh_ties`), so the pages see real statistics.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random

from sqlalchemy import select

from rekindle.identity.identifiers import normalise_identities
from rekindle.identity.records import AffiliationRecord, ContactRecord, InteractionRecord, Item
from rekindle.sample.network import generate_network
from rekindle.services.importing import import_items
from rekindle.services.ties import refresh_ties
from rekindle.store import Store, bulk, open_store
from rekindle.store.mail_rows import LINK_COLUMNS
from rekindle.store.schema import identity, import_run, interaction, interaction_person, person

OUT = Path(__file__).parent / "out"
BATCH = 20_000
TIE_BATCH = 2_000
YEARS = 10

_ORG_A = [
    "Acme", "Apex", "Atlas", "Beacon", "Birch", "Blue", "Bright", "Cedar", "Clear", "Crest",
    "Delta", "Eagle", "Ever", "First", "Golden", "Granite", "Harbor", "Horizon", "Iron",
    "Keystone", "Lake", "Liberty", "Maple", "Meridian", "Nova", "Oak", "Orion", "Pacific",
    "Peak", "Pine", "Prime", "Quantum", "Red", "River", "Sierra", "Silver", "Stone", "Summit",
    "Sun", "Terra", "True", "Union", "Vertex", "West", "Zenith", "Amber", "Copper", "Falcon",
    "Juniper", "Lumen",
]  # fmt: skip
_ORG_B = [
    "Analytics", "Bank", "Capital", "Consulting", "Dynamics", "Energy", "Foods", "Health",
    "Labs", "Logistics", "Media", "Partners", "Robotics", "Software", "Systems", "Works",
    "Ventures", "Studios", "Insurance", "Networks", "Foundation", "University", "Hospital",
    "Council",
]  # fmt: skip
_TAGS = [
    "climbing", "running", "board-games", "book-club", "photography", "jazz", "cycling",
    "sailing", "chess", "mentoring", "mentee", "investor", "advisor", "alumni", "conference",
    "meetup", "neighbour", "parent-friend", "volunteer", "open-source", "speaker",
    "recruiter", "podcast", "football", "choir", "hiking", "startup-founder",
]  # fmt: skip


def organisations(count: int = 300, seed: int = 7) -> list[str]:
    """``count`` distinct organisation names (a few hundred by default)."""
    names = [f"{a} {b}" for a in _ORG_A for b in _ORG_B]
    Random(seed).shuffle(names)
    return names[:count]


def _enriched(contacts: Iterator[ContactRecord], seed: int) -> Iterator[ContactRecord]:
    """Each contact with an earlier job or two at heavy-tailed organisations, and a few tags."""
    rng = Random(f"{seed}/web-enrich")
    orgs = organisations()
    weights = [1 / (rank + 1) for rank in range(len(orgs))]  # Zipf: a few big employers
    for c in contacts:
        first = min((a.start for a in c.affiliations if a.start), default=date(2018, 1, 1))
        earlier = []
        end = first - timedelta(days=rng.randint(10, 200))
        for _ in range(rng.choice((0, 1, 1, 2))):
            start = end - timedelta(days=rng.randint(300, 1800))
            org = rng.choices(orgs, weights)[0]
            earlier.append(AffiliationRecord(org, rng.choice(("Engineer", "Analyst", None)),
                                             None, start, end, "work"))  # fmt: skip
            end = start - timedelta(days=rng.randint(10, 200))
        tags = list(c.tags)
        for tag in rng.sample(_TAGS, rng.choice((0, 0, 1, 1, 2, 3))):
            if tag not in tags:
                tags.append(tag)
        yield replace(c, affiliations=[*reversed(earlier), *c.affiliations], tags=tags)


def _with_group_mail(
    records: Iterator[InteractionRecord], contacts: list[ContactRecord], seed: int
) -> Iterator[InteractionRecord]:
    """The sample's history with about one in eight mails and meetings widened to include
    one to four colleagues (people at the same current organisation) of the first person."""
    rng = Random(f"{seed}/web-groups")
    staff: dict[str, list[str]] = {}
    works_at: dict[str, str] = {}
    for c in contacts:
        current = [a.organisation for a in c.affiliations if a.end is None]
        emails = [i.value for i in c.identities if i.kind == "email"]
        if current and emails:
            staff.setdefault(current[-1], []).extend(emails)
            for address in emails:
                works_at[address] = current[-1]
    for rec in records:
        if rec.group_size == 1 and rec.channel in ("email", "meeting") and rng.random() < 0.125:
            first = rec.participants[0]
            peers = staff.get(works_at.get(first.value, ""), [])
            if len(peers) > 1:
                extra = {a for a in rng.sample(peers, min(len(peers), rng.randint(1, 4)))}
                extra.discard(first.value)
                if extra:
                    more = [replace(first, value=a) for a in sorted(extra)]
                    rec = replace(rec, participants=[first, *more], group_size=1 + len(more))
        yield rec


def cache_path(people: int, interactions: int, seed: int, day: date) -> Path:
    return OUT / f"web-{people}p-{interactions}i-s{seed}-{day:%Y%m%d}.sqlite"


def fill(
    db: str,
    people: int = 20_000,
    interactions: int = 1_000_000,
    seed: int = 42,
    *,
    now: datetime,
    log: bool = True,
) -> dict[str, int]:
    """Fill the empty database ``db`` (a path or a URL); counts of what was stored."""

    def say(msg: str) -> None:
        if log:
            print(msg, file=sys.stderr, flush=True)

    started = time.perf_counter()
    net = generate_network(
        seed=seed, people=people, now=now, years=YEARS,
        interactions_per_person=interactions / max(people, 1),
    )  # fmt: skip
    store = open_store(db)
    try:
        with store.read() as conn:
            if conn.execute(select(person.c.id).limit(1)).first() is not None:
                raise SystemExit(f"{db} is not empty: give a fresh database")
        enriched = list(_enriched(net.contacts, seed))
        contacts: list[Item] = [net.me, *enriched, *net.updates]
        report = import_items(store, contacts, "web bench", "sample", region=net.region, now=now)
        say(f"  {report.new} people stored ({time.perf_counter() - started:.0f} s)")
        records = _with_group_mail(net.interactions, enriched, seed)
        count, persons = _store_interactions(store, records, net.region, now, say)
        say(f"  {count:,} interactions stored ({time.perf_counter() - started:.0f} s)")
        ids = sorted(persons)
        for start in range(0, len(ids), TIE_BATCH):
            with store.begin() as conn:
                refresh_ties(conn, store.owner_id, ids[start : start + TIE_BATCH], now)
            say(f"  tie statistics: {min(start + TIE_BATCH, len(ids)):,} of {len(ids):,}")
        say(f"  done in {time.perf_counter() - started:.0f} s")
        return {"people": report.new, "interactions": count, "with_history": len(ids)}
    finally:
        store.close()


def _store_interactions(
    store: Store,
    records: Iterator[InteractionRecord],
    region: str,
    now: datetime,
    say: Callable[[str], None],
) -> tuple[int, set[int]]:
    """Bulk-insert the interactions and their participants; (count, persons with history)."""
    with store.begin() as conn:
        owners: dict[tuple[str, str], list[int]] = {}
        for row in conn.execute(
            select(identity.c.kind, identity.c.value, identity.c.person_id).where(
                identity.c.owner_id == store.owner_id
            )
        ):
            owners.setdefault((row.kind, row.value), []).append(row.person_id)
        import_id = conn.execute(
            import_run.insert().values(
                owner_id=store.owner_id, path="web bench", format="sample", started_at=now
            )
        ).inserted_primary_key[0]
    keys: dict[tuple[str, str], tuple[str, str] | None] = {}
    persons: set[int] = set()
    count = 0
    batch: list[InteractionRecord] = []

    def flush() -> None:
        nonlocal count
        rows, who = [], []
        for rec in batch:
            found: list[tuple[int, str, str]] = []
            for raw in rec.participants:
                key = (raw.kind, raw.value)
                if key not in keys:
                    norm = normalise_identities([raw], region)
                    keys[key] = (norm[0].kind, norm[0].value) if norm else None
                ident = keys[key]
                if ident is not None:
                    found.extend((pid, *ident) for pid in owners.get(ident, ()))
            if not found:
                continue
            rows.append((store.owner_id, rec.source, rec.natural_key(), rec.when, rec.channel,
                         rec.direction, rec.subject, rec.thread, rec.group_size, import_id))  # fmt: skip
            who.append(list(dict.fromkeys(found)))
        with store.begin() as conn:
            ids = bulk.insert_rows_returning_ids(conn, interaction, _INTERACTION_COLUMNS, rows)
            links = [
                (iid, store.owner_id, pid, kind, value, row[3], row[8])
                for iid, row, found in zip(ids, rows, who, strict=True)
                for pid, kind, value in found
            ]
            bulk.insert_rows(conn, interaction_person, LINK_COLUMNS, links)
        persons.update(link[2] for link in links)
        count += len(rows)
        batch.clear()
        say(f"  interactions: {count:,}")

    for rec in records:
        batch.append(rec)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return count, persons


_INTERACTION_COLUMNS = (
    "owner_id", "source", "natural_key", "occurred_at", "channel", "direction", "subject",
    "thread", "group_size", "import_id",
)  # fmt: skip


def ensure_database(
    people: int, interactions: int, seed: int = 42, db: str | None = None, log: bool = True
) -> str:
    """The database to serve: ``db`` filled afresh if given, else the cached SQLite file."""
    now = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    if db is not None:
        fill(db, people, interactions, seed, now=now, log=log)
        return db
    path = cache_path(people, interactions, seed, now.date())
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        partial = path.with_suffix(".partial")
        for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            stale.unlink(missing_ok=True)
        if log:
            print(f"generating {path.name} (cached for later runs today)", file=sys.stderr)
        fill(str(partial), people, interactions, seed, now=now, log=log)
        partial.rename(path)
    return str(path)
