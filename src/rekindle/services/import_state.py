"""The state of one import inside its transaction: records resolved to persons and stored.

:class:`ImportState` is driven by :mod:`rekindle.services.importing` (files) and by the mail
and calendar sync (people learnt from mail); it never opens a transaction of its own.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection

from rekindle.errors import StrictImportError
from rekindle.identity.identifiers import normalise_identities
from rekindle.identity.linkage import plan_merges
from rekindle.identity.matching import (
    Profile,
    Resolution,
    Resolver,
    Suggestion,
    profile_from_record,
)
from rekindle.identity.records import (
    AffiliationRecord,
    ContactRecord,
    InteractionRecord,
    MeRecord,
    RawIdentity,
    RecordError,
    contact_to_data,
)
from rekindle.services.import_interactions import WaitingInteractions
from rekindle.services.import_report import ImportReport
from rekindle.services.life_events import LifeEventWatch
from rekindle.services.myself import likely_me
from rekindle.services.profiles import load_resolver, refresh_people, sort_key
from rekindle.services.record_limits import too_long
from rekindle.services.ties import refresh_ties
from rekindle.store import contacts as q
from rekindle.store import engine as eq
from rekindle.store import history, merges
from rekindle.store import people as pq
from rekindle.store.settings import get_settings, put_setting

__all__ = ["ImportState", "affiliation_rows", "identity_rows"]

#: a record's normalised identities and affiliations, as they are stored
Facts = tuple[list[q.IdentityRow], list[q.AffiliationRow]]


def identity_rows(raws: list[RawIdentity], region: str | None) -> list[q.IdentityRow]:
    """Normalised, de-duplicated identities, each keeping the label it was found with."""
    rows: dict[tuple[str, str], q.IdentityRow] = {}
    for raw in raws:
        for ident in normalise_identities([raw], region):
            rows.setdefault(
                (ident.kind, ident.value),
                q.IdentityRow(ident.kind, ident.value, ident.display, ident.service, raw.label),
            )
    return list(rows.values())


def affiliation_rows(affs: list[AffiliationRecord]) -> list[q.AffiliationRow]:
    return [
        q.AffiliationRow(a.organisation, a.title, a.department, a.kind, a.start, a.end)
        for a in affs
        if a.organisation and a.organisation.strip()
    ]


class ImportState:
    """The state of one import inside its transaction."""

    def __init__(
        self,
        conn: Connection,
        owner_id: int,
        report: ImportReport,
        import_id: int,
        region: str | None,
        strict: bool,
        now: datetime,
    ) -> None:
        self.conn = conn
        self.owner = owner_id
        self.report = report
        self.import_id = import_id
        self.region = region
        self.strict = strict
        self.now = now
        self.known = q.load_record_index(conn, self.owner)
        self.interaction_keys = history.load_interaction_keys(conn, self.owner)
        self.resolver: Resolver = load_resolver(conn, self.owner, region)
        self.life = LifeEventWatch(conn, self.owner, self.known, import_id, now)
        self.touched: set[int] = set()
        self.created: set[int] = set()
        #: leave the search for merge suggestions among the people this import touched for
        #: later (:func:`search_unsearched`, before suggestions are shown): people learnt from
        #: mail have an address and a name only, which never merge without asking
        self.suggest_later = False
        self.tie_people: set[int] = set()
        self.pending: list[
            tuple[int, int, list[q.IdentityRow], list[q.AffiliationRow], list[str]]
        ] = []
        #: interactions kept back to be stored together (:meth:`flush_interactions`)
        self.interactions = WaitingInteractions(
            conn, owner_id, import_id, region, self.interaction_keys
        )

    def flush_facts(self) -> None:
        """Write the facts of new records (kept back so they go in bulk)."""
        if self.pending:
            q.insert_facts(self.conn, self.owner, self.pending)
            self.pending.clear()

    def facts(self, record: ContactRecord) -> Facts:
        return identity_rows(record.identities, self.region), affiliation_rows(record.affiliations)

    def add_contact(self, record: ContactRecord) -> None:
        """Store one contact: unchanged, an update of a known record, or a new record that
        joins a known person (merging any others it proves identical) or makes a new one."""
        self.flush_interactions()
        self.report.contacts += 1
        key = (record.source, record.natural_key())
        content_hash = record.content_hash()
        known = self.known.get(key)
        if known is not None and known.content_hash == content_hash:
            self.report.unchanged += 1
            return
        facts = self.facts(record)
        if self.refused_as_too_long(record, key, facts):
            return
        if known is not None:
            self.update_record(record, known, key, content_hash, facts)
        else:
            profile = profile_from_record(record, self.region)
            resolution = self.resolver.resolve(profile)
            person_id = self.person_for(record, resolution)
            self.store_record(record, key, content_hash, person_id, resolution, profile, facts)
            self.merge_proven(record, person_id, resolution)

    def refused_as_too_long(
        self, record: ContactRecord, key: tuple[str, str], facts: Facts
    ) -> bool:
        """A record with a value longer than its column is refused alone, with a line naming
        it, before anything of it is written (PostgreSQL would abort the whole import)."""
        idents, affs = facts
        display = record.display_name()
        names = (display, sort_key(display or "(no name)", record.family_name))
        refused = too_long(record, key[1], names, idents, affs)
        if refused is None:
            return False
        self.report.contacts -= 1
        error = RecordError(record.source, record.locator, refused)
        if self.strict:
            raise StrictImportError(f"{error}", hint="run without --strict to skip bad records")
        self.report.errors.append(error)
        return True

    def update_record(
        self,
        record: ContactRecord,
        known: q.KnownRecord,
        key: tuple[str, str],
        content_hash: str,
        facts: Facts,
    ) -> None:
        """A known record changed: store its new content and facts where it already is."""
        data = contact_to_data(record)
        idents, affs = facts
        self.flush_facts()
        self.life.record_changed(known.id, known.person_id, record.source, data)
        q.update_record(
            self.conn,
            known.id,
            locator=record.locator,
            content_hash=content_hash,
            payload=record.payload,
            data=data,
            import_id=self.import_id,
            now=self.now,
        )
        q.replace_record_facts(
            self.conn, self.owner, known.person_id, known.id, idents, affs, record.tags
        )
        q.put_photo(self.conn, self.owner, known.id, record.photo)
        self.resolver.register(known.person_id, profile_from_record(record, self.region))
        self.known[key] = q.KnownRecord(known.id, content_hash, known.person_id)
        self.life.record_stored(known.id, record.source, key[1])
        self.touched.add(known.person_id)
        self.report.updated += 1

    def person_for(self, record: ContactRecord, resolution: Resolution) -> int:
        """The person a new record joins: the resolved one, or a new person."""
        if resolution.person_id is not None:
            self.report.merged += 1
            self.report.merge_details.append(
                f"{record.locator}: {record.display_name()} → {resolution.evidence}"
            )
            return resolution.person_id
        display = record.display_name() or "(no name)"
        person_id = pq.insert_person(
            self.conn, self.owner, display, sort_key(display, record.family_name), self.now
        )
        self.created.add(person_id)
        self.report.new += 1
        return person_id

    def store_record(
        self,
        record: ContactRecord,
        key: tuple[str, str],
        content_hash: str,
        person_id: int,
        resolution: Resolution,
        profile: Profile,
        facts: Facts,
    ) -> None:
        """Insert a new record on ``person_id`` (its facts go in later, in bulk)."""
        joined = resolution.person_id is not None
        rule, evidence = (
            (resolution.rule, resolution.evidence)
            if joined
            else ("new", "first seen in this record")
        )
        data = contact_to_data(record)
        record_id = q.insert_record(
            self.conn,
            self.owner,
            person_id,
            source=record.source,
            natural_key=key[1],
            locator=record.locator,
            content_hash=content_hash,
            payload=record.payload,
            data=data,
            link_rule=rule,
            link_evidence=evidence,
            import_id=self.import_id,
            now=self.now,
        )
        if record.photo:
            q.put_photo(self.conn, self.owner, record_id, record.photo)
        idents, affs = facts
        self.pending.append((person_id, record_id, idents, affs, list(record.tags)))
        self.known[key] = q.KnownRecord(record_id, content_hash, person_id)
        self.life.record_stored(record_id, record.source, key[1])
        self.resolver.register(person_id, profile)
        if joined:
            self.life.record_joined(person_id, record.source, key[1], data)
        if person_id not in self.created:
            self.touched.add(person_id)

    def merge_proven(self, record: ContactRecord, person_id: int, resolution: Resolution) -> None:
        """Merge into ``person_id`` the other persons the record proves identical to it."""
        if resolution.also_merge:
            self.flush_facts()
        for other in resolution.also_merge:
            if other == person_id:
                continue
            merges.merge_persons(
                self.conn,
                self.owner,
                person_id,
                other,
                resolution.rule,
                resolution.evidence,
                self.now,
            )
            self.resolver.merged(other, person_id)
            self.life.persons_merged(person_id, other)
            self.touched.discard(other)
            self.created.discard(other)
            self.touched.add(person_id)
            self.report.merge_details.append(
                f"{record.locator}: joined two people already stored ({resolution.evidence})"
            )

    def add_fresh_contacts(self, records: list[ContactRecord]) -> None:
        """Bulk path for records known to share no identity with anyone stored (addresses first
        seen in mail): persons, records and facts go in with a few statements."""
        self.flush_interactions()
        todo = []
        for record in records:
            key = (record.source, record.natural_key())
            if key in self.known:
                self.add_contact(record)
            else:
                todo.append((record, key))
        if not todo:
            return
        self.report.contacts += len(todo)
        self.report.new += len(todo)
        person_rows = []
        for record, _ in todo:
            display = record.display_name() or "(no name)"
            person_rows.append(
                {
                    "owner_id": self.owner,
                    "display_name": display,
                    "sort_name": sort_key(display, record.family_name),
                    "is_me": False,
                    "status": "active",
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        person_ids = pq.insert_people(self.conn, person_rows)
        record_rows = []
        for (record, key), pid in zip(todo, person_ids, strict=True):
            record_rows.append(
                {
                    "owner_id": self.owner,
                    "person_id": pid,
                    "source": record.source,
                    "natural_key": key[1],
                    "locator": record.locator,
                    "content_hash": record.content_hash(),
                    "payload": record.payload,
                    "data": contact_to_data(record),
                    "link_rule": "new",
                    "link_evidence": "first seen in this record",
                    "import_id": self.import_id,
                    "first_seen": self.now,
                    "last_seen": self.now,
                }
            )
        record_ids = q.insert_records(self.conn, record_rows)
        for (record, key), pid, rid, row in zip(
            todo, person_ids, record_ids, record_rows, strict=True
        ):
            if record.photo:
                q.put_photo(self.conn, self.owner, rid, record.photo)
            idents, affs = self.facts(record)
            self.pending.append((pid, rid, idents, affs, list(record.tags)))
            self.known[key] = q.KnownRecord(rid, str(row["content_hash"]), pid)
            self.life.record_stored(rid, record.source, key[1])
            self.resolver.register(pid, profile_from_record(record, self.region))
            self.created.add(pid)
        self.flush_facts()

    def add_me(self, record: MeRecord) -> None:
        self.flush_interactions()
        key = (record.source, record.natural_key())
        if key in self.known:
            return
        me_id = pq.ensure_me(self.conn, self.owner, self.now)
        record_id = q.insert_record(
            self.conn,
            self.owner,
            me_id,
            source=record.source,
            natural_key=key[1],
            locator=record.locator,
            content_hash=key[1].removeprefix("hash:"),
            payload=record.payload,
            data={"affiliations": [a.organisation for a in record.affiliations]},
            link_rule="me",
            link_evidence="describes you",
            import_id=self.import_id,
            now=self.now,
        )
        q.replace_record_facts(
            self.conn,
            self.owner,
            me_id,
            record_id,
            identity_rows(record.identities, self.region),
            affiliation_rows(record.affiliations),
            [],
        )
        self.known[key] = q.KnownRecord(record_id, key[1], me_id)
        self.report.me += 1

    def add_interaction(self, record: InteractionRecord) -> None:
        """Keep an interaction to be stored with many others (:meth:`flush_interactions`)."""
        if self.interactions.add(record):
            self.flush_interactions()

    def flush_interactions(self) -> None:
        """Store the interactions kept back with the people known now: a contact record that
        comes later does not join an interaction that came before it, as if each were stored
        as it came."""
        if not self.interactions:
            return
        self.flush_facts()
        stored, people = self.interactions.store()
        self.tie_people |= people
        self.report.interactions += stored

    def finish(self) -> None:
        self.flush_interactions()
        self.flush_facts()
        if self.suggest_later:
            note_unsearched(self.conn, self.owner, self.touched | self.created)
            found: list[Suggestion] = []
        else:
            found = suggestions_for(
                self.conn, self.owner, self.resolver, self.touched | self.created
            )
        into = self.merge_automatic(found)
        self.report.life_events += self.life.found
        refresh_people(self.conn, self.owner, sorted(self.touched), self.now)
        if self.tie_people:
            refresh_ties(self.conn, self.owner, self.tie_people, self.now)
        rest = []
        for s in found:
            a, b = into.get(s.a, s.a), into.get(s.b, s.b)
            if a != b:
                rest.append((min(a, b), max(a, b), s.score, s.rule, s.reasons))
        self.report.suggestions = merges.save_suggestions(self.conn, self.owner, rest, self.now)

    def merge_automatic(self, found: list[Suggestion]) -> dict[int, int]:
        """Carry out the merges the evidence makes certain; {absorbed person: kept person}."""
        into: dict[int, int] = {}

        def kept(pid: int) -> int:
            while pid in into:
                pid = into[pid]
            return pid

        for s in plan_merges(found):
            keep, other = sorted((kept(s.a), kept(s.b)))
            if keep == other:
                continue
            evidence = "; ".join(s.reasons)
            merges.merge_persons(self.conn, self.owner, keep, other, s.rule, evidence, self.now)
            self.resolver.merged(other, keep)
            self.life.persons_merged(keep, other)
            into[other] = keep
            self.touched.discard(other)
            self.created.discard(other)
            self.touched.add(keep)
            self.report.merged += 1
            self.report.merge_details.append(f"joined person {other} to person {keep}: {evidence}")
        return {pid: kept(pid) for pid in into}


#: people whose merge suggestions are not searched yet (a JSON list of person ids)
UNSEARCHED = "merges.unsearched"


def suggestions_for(
    conn: Connection, owner_id: int, resolver: Resolver, person_ids: set[int]
) -> list[Suggestion]:
    """Merge suggestions touching these people, without the pairs you rejected or blocked
    and without pairs with you."""
    blocked = merges.blocked_pairs(conn, owner_id)
    found = [
        s for s in resolver.suggestions(person_ids) if (min(s.a, s.b), max(s.a, s.b)) not in blocked
    ]
    return without_me(conn, owner_id, found)


def without_me(conn: Connection, owner_id: int, found: list[Suggestion]) -> list[Suggestion]:
    """Pairs with me, or with a record that looks like me, are neither merged nor
    suggested: your other addresses are yours to confirm (`rekindle me --suggest`)."""
    involved = sorted({p for s in found for p in (s.a, s.b)})
    if not involved:
        return found
    me_id = pq.find_me(conn, owner_id)
    names = eq.names_of(conn, owner_id, involved)
    selves = set(likely_me(conn, owner_id, names, involved)) | {me_id}
    return [s for s in found if s.a not in selves and s.b not in selves]


def note_unsearched(conn: Connection, owner_id: int, person_ids: set[int]) -> None:
    """Remember people whose merge suggestions are still to be searched (same transaction
    as the people themselves: a killed sync leaves neither)."""
    if person_ids:
        known = set(unsearched(conn, owner_id))
        put_setting(conn, owner_id, UNSEARCHED, json.dumps(sorted(known | person_ids)))


def unsearched(conn: Connection, owner_id: int) -> list[int]:
    return [int(p) for p in json.loads(get_settings(conn, owner_id).get(UNSEARCHED, "[]"))]


def search_unsearched(conn: Connection, owner_id: int, now: datetime) -> int:
    """Search the merge suggestions of the people a sync left unsearched and store them as
    an import would have; how many it stored."""
    ids = unsearched(conn, owner_id)
    if not ids:
        return 0
    region = get_settings(conn, owner_id).get("region")
    found = suggestions_for(conn, owner_id, load_resolver(conn, owner_id, region), set(ids))
    put_setting(conn, owner_id, UNSEARCHED, None)
    rows = [(min(s.a, s.b), max(s.a, s.b), s.score, s.rule, s.reasons) for s in found]
    return merges.save_suggestions(conn, owner_id, rows, now)
