"""What importers yield: typed, storage-free records and per-record errors.

An importer is a plain function ``parse(path, options) -> Iterator[Item]``. It never touches
the database, never prints and reads no global configuration. A bad record is a value
(:class:`RecordError`) carrying its locator, so one run reports every problem and still
imports everything good.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

IdentityKind = Literal["email", "phone", "url", "handle"]


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date whose year may be unknown (``--0315``, ``X-APPLE-OMIT-YEAR``)."""

    month: int
    day: int
    year: int | None = None

    def iso(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        if text.startswith("--"):
            m, d = text[2:].split("-")
            return cls(int(m), int(d))
        y, m, d = text.split("-")
        return cls(int(m), int(d), int(y))

    def as_date(self) -> date | None:
        if self.year is None:
            return None
        return date(self.year, self.month, self.day)


@dataclass(slots=True)
class RawIdentity:
    """An identity as found in a record, before normalisation.

    ``kind`` is email, phone, url (a profile or home page) or handle (IM, social).
    ``service`` names the network for urls and handles (linkedin, xmpp, twitter, …).
    """

    kind: IdentityKind
    value: str
    label: str | None = None
    service: str | None = None
    preferred: bool = False


@dataclass(slots=True)
class AffiliationRecord:
    organisation: str
    title: str | None = None
    department: str | None = None
    start: date | None = None
    end: date | None = None
    kind: Literal["work", "school"] = "work"


@dataclass(slots=True)
class AddressRecord:
    label: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    formatted: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> AddressRecord:
        """A stored address (a record's JSON), ignoring keys it does not know."""
        return cls(**{k: data.get(k) for k in cls.__slots__ if isinstance(data.get(k), str)})

    def one_line(self) -> str:
        """The address on one line: as the source formatted it, else from its parts."""
        if self.formatted:
            return ", ".join(line.strip() for line in self.formatted.splitlines() if line.strip())
        place = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (self.street, place, self.region, self.country) if p)


@dataclass(slots=True)
class ContactRecord:
    """One contact as a source describes it.

    ``locator`` says where it came from (``file.vcf:12`` or ``Connections.csv:row 7``).
    ``source_id`` is the source's own stable key (vCard UID, LinkedIn profile URL) when it
    has one; otherwise the store keys the record by a hash of its canonical content.
    ``payload`` is the raw text of the record, kept so it can be reprocessed later.
    """

    source: str
    locator: str
    payload: str
    source_id: str | None = None
    full_name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    middle_name: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    nickname: str | None = None
    identities: list[RawIdentity] = field(default_factory=list)
    affiliations: list[AffiliationRecord] = field(default_factory=list)
    addresses: list[AddressRecord] = field(default_factory=list)
    birthday: PartialDate | None = None
    anniversary: PartialDate | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    related: list[tuple[str, str]] = field(default_factory=list)
    connected_on: date | None = None
    photo: bytes | None = None
    is_organisation: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    def canonical(self) -> dict[str, Any]:
        """The record's content without its position: equal records compare equal."""
        data = {name: getattr(self, name) for name in _CONTACT_FIELDS}
        for key in ("identities", "affiliations", "addresses"):
            data[key] = [_plain(item) for item in data[key]]
        for key in ("birthday", "anniversary"):
            data[key] = _plain(data[key]) if data[key] is not None else None
        data["tags"] = list(self.tags)
        data["related"] = [tuple(pair) for pair in self.related]
        data["extra"] = dict(self.extra)
        data["photo_sha1"] = hashlib.sha1(self.photo).hexdigest() if self.photo else None
        return data

    def content_hash(self) -> str:
        blob = json.dumps(self.canonical(), sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def natural_key(self) -> str:
        """(source, natural key) identifies the record across re-imports."""
        if self.source_id:
            return "id:" + self.source_id
        return "hash:" + self.content_hash()

    def display_name(self) -> str:
        if self.full_name and self.full_name.strip():
            return self.full_name.strip()
        parts = [self.prefix, self.given_name, self.middle_name, self.family_name, self.suffix]
        joined = " ".join(p.strip() for p in parts if p and p.strip())
        if joined:
            return joined
        for ident in self.identities:
            return ident.value
        for aff in self.affiliations:
            return aff.organisation
        return ""


_CONTACT_FIELDS = tuple(
    f for f in ContactRecord.__slots__ if f not in ("locator", "payload", "photo")
)


def _plain(item: Any) -> dict[str, Any]:
    """A slotted dataclass as a dict, without :func:`dataclasses.asdict`'s deep copies."""
    return {name: getattr(item, name) for name in item.__slots__}


@dataclass(slots=True)
class MeRecord:
    """Something a source says about the user ("me"): an own affiliation or identity.

    LinkedIn's ``Positions.csv`` and ``Education.csv`` describe the user, not a contact.
    """

    source: str
    locator: str
    payload: str
    affiliations: list[AffiliationRecord] = field(default_factory=list)
    identities: list[RawIdentity] = field(default_factory=list)

    def natural_key(self) -> str:
        blob = json.dumps(
            {
                "a": [asdict(a) for a in self.affiliations],
                "i": [asdict(i) for i in self.identities],
            },
            sort_keys=True,
            default=str,
        )
        return "hash:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class NoticeRecord:
    """Something worth telling the user that is not a record (a file kept for later)."""

    source: str
    locator: str
    message: str


@dataclass(slots=True)
class RecordError:
    """A record that could not be read: where it is and what is wrong with it."""

    source: str
    locator: str
    message: str

    def __str__(self) -> str:
        return f"{self.locator}: {self.message}"


@dataclass(slots=True)
class InteractionRecord:
    """One dated contact between me and other people, as a source describes it.

    ``participants`` are the other people (never me). ``direction`` is ``out`` when I wrote
    or called, ``in`` when they did, ``both`` for a meeting. ``when`` is timezone-aware UTC.
    """

    source: str
    locator: str
    when: datetime
    channel: Literal["email", "linkedin", "meeting", "call", "message", "note"]
    direction: Literal["in", "out", "both"]
    participants: list[RawIdentity] = field(default_factory=list)
    subject: str | None = None
    thread: str | None = None
    source_id: str | None = None
    group_size: int = 1
    payload: str = ""

    def natural_key(self) -> str:
        if self.source_id:
            return "id:" + self.source_id
        blob = json.dumps(
            [
                self.when.isoformat(),
                self.channel,
                self.direction,
                sorted(p.value for p in self.participants),
                self.subject,
            ],
            ensure_ascii=False,
        )
        return "hash:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()


Item = ContactRecord | MeRecord | InteractionRecord | NoticeRecord | RecordError


def contact_to_data(record: ContactRecord) -> dict[str, Any]:
    """A JSON-safe dict of a contact's content (dates as ISO text, no photo bytes)."""
    data = record.canonical()
    data["birthday"] = record.birthday.iso() if record.birthday else None
    data["anniversary"] = record.anniversary.iso() if record.anniversary else None
    data["connected_on"] = record.connected_on.isoformat() if record.connected_on else None
    for aff in data["affiliations"]:
        for key in ("start", "end"):
            aff[key] = aff[key].isoformat() if aff[key] else None
    data["related"] = [list(pair) for pair in record.related]
    return data


def contact_from_data(data: dict[str, Any], locator: str = "", payload: str = "") -> ContactRecord:
    """The inverse of :func:`contact_to_data` (the photo is not kept)."""
    fields = dict(data)
    fields.pop("photo_sha1", None)
    fields["identities"] = [RawIdentity(**i) for i in fields.get("identities", [])]
    fields["affiliations"] = [
        AffiliationRecord(
            **{
                **a,
                "start": date.fromisoformat(a["start"]) if a.get("start") else None,
                "end": date.fromisoformat(a["end"]) if a.get("end") else None,
            }
        )
        for a in fields.get("affiliations", [])
    ]
    fields["addresses"] = [AddressRecord(**a) for a in fields.get("addresses", [])]
    for key in ("birthday", "anniversary"):
        fields[key] = PartialDate.from_iso(fields[key]) if fields.get(key) else None
    if fields.get("connected_on"):
        fields["connected_on"] = date.fromisoformat(fields["connected_on"])
    fields["related"] = [tuple(pair) for pair in fields.get("related", [])]
    return ContactRecord(locator=locator, payload=payload, **fields)
