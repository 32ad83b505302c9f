"""The pieces of contact sync that touch Rekindle's data: a card read as a record, a person's
view, and an import inside the sync's own transaction."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, insert, update

from rekindle.exporters.vcard_patch import CardPatchError, read_card
from rekindle.identity.card_views import View, tidy
from rekindle.identity.identifiers import normalise_identities
from rekindle.identity.matching import Resolution, profile_from_record
from rekindle.identity.records import ContactRecord, IdentityKind, RawIdentity, RecordError
from rekindle.services.export_people import export_person
from rekindle.services.import_report import ImportReport
from rekindle.services.import_state import ImportState
from rekindle.sources import ImportOptions
from rekindle.sources.vcard import parse_vcard_stream
from rekindle.sources.vcard_values import decode_value, unescape
from rekindle.store.schema import import_run

SOURCE = "carddav"


def card_record(text: str, url: str) -> ContactRecord | RecordError | None:
    """The server's card at ``url`` as a contact record keyed by its URL; None for a card
    that is not a person (a contact group)."""
    for item in parse_vcard_stream(io.BytesIO(text.encode("utf-8")), url, ImportOptions()):
        if isinstance(item, ContactRecord):
            return replace(item, source=SOURCE, source_id=url, locator=url)
        if isinstance(item, RecordError):
            return RecordError(SOURCE, url, item.message)
        return None  # a notice: a group card
    return RecordError(SOURCE, url, "no contact in this card")


def card_uid(text: str) -> str | None:
    """The card's own UID (None when it has none or cannot be read)."""
    try:
        _, props = read_card(text)
    except CardPatchError:
        return None
    for prop in props:
        if prop.name == "UID":
            uid = unescape(decode_value(prop)).strip()
            return uid[:500] or None
    return None


def person_view(conn: Connection, owner_id: int, person_id: int, region: str | None = None) -> View:
    """What Rekindle shows of a person, in the fields a card holds (normalised as a card's)."""
    p = export_person(conn, owner_id, person_id)
    return tidy(
        {
            "name": p.display_name,
            "emails": _normalised("email", p.emails, region),
            "phones": _normalised("phone", p.phones, region),
            "urls": _normalised("url", p.urls, region),
            "organisation": p.organisation,
            "title": p.title,
            "birthday": p.birthday.iso() if p.birthday else None,
            "tags": [t for t in p.tags if t.strip()],
        }
    )


def _normalised(kind: IdentityKind, values: list[str], region: str | None) -> list[str]:
    return [i.value for i in normalise_identities([RawIdentity(kind, v) for v in values], region)]


@dataclass
class SyncImport:
    """An import run inside the caller's transaction, for the cards a sync reads."""

    conn: Connection
    state: ImportState
    report: ImportReport

    @classmethod
    def start(
        cls, conn: Connection, owner_id: int, label: str, region: str | None, now: datetime
    ) -> SyncImport:
        report = ImportReport(path=label, format=SOURCE)
        result = conn.execute(
            insert(import_run).values(owner_id=owner_id, path=label, format=SOURCE, started_at=now)
        )
        pk = result.inserted_primary_key
        assert pk is not None
        state = ImportState(conn, owner_id, report, int(pk[0]), region, False, now)
        return cls(conn, state, report)

    def add(self, record: ContactRecord, person_id: int | None = None) -> int | None:
        """Store the card's record (on ``person_id`` when given); return the record's id
        (None when it was refused, as a record with a too long value is)."""
        key = (record.source, record.natural_key())
        if person_id is None or key in self.state.known:
            self.state.add_contact(record)
        else:
            profile = profile_from_record(record, self.state.region)
            why = Resolution(person_id, [], "carddav", "written to the server by Rekindle")
            self.state.store_record(
                record, key, record.content_hash(), person_id, why, profile,
                self.state.facts(record),
            )  # fmt: skip
        self.state.flush_facts()
        known = self.state.known.get(key)
        return known.id if known else None

    def finish(self) -> None:
        self.state.finish()
        self.conn.execute(
            update(import_run)
            .where(import_run.c.id == self.state.import_id)
            .values(finished_at=self.state.now, counts=json.dumps(self.report.counts()))
        )
