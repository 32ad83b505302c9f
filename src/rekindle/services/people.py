"""Finding, showing and editing people; what `rekindle people/show/edit/tag/note` call."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from rekindle.errors import AmbiguousError, NotFoundError, UserError
from rekindle.identity.identifiers import normalise_email, normalise_phone, normalise_url
from rekindle.identity.near_names import near_names
from rekindle.identity.records import AddressRecord, PartialDate
from rekindle.store import Store, history, merges
from rekindle.store import contacts as q
from rekindle.store import people as pq
from rekindle.store.database import utcnow


@dataclass
class PersonView:
    """Everything ``rekindle show`` tells about one person."""

    id: int
    name: str
    status: str
    edits: dict[str, str]
    identities: list[dict[str, Any]]
    affiliations: list[dict[str, Any]]
    tags: list[str]
    notes: list[dict[str, Any]]
    birthday: str | None
    records: list[dict[str, Any]]
    merges: list[dict[str, Any]]
    first_contact: datetime | None = None
    last_contact: datetime | None = None
    interactions: int = 0
    related: list[list[str]] = field(default_factory=list)
    addresses: list[dict[str, Any]] = field(default_factory=list)
    anniversary: str | None = None

    def as_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        for key in ("first_contact", "last_contact"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def resolve_person(conn: Connection, owner_id: int, ref: str, region: str | None = None) -> int:
    """A person from an id, an email, a phone number or a name (ambiguous names list candidates)."""
    ref = ref.strip()
    if not ref:
        raise UserError("no person given", hint="give an id, an email address or a name")
    if ref.isdigit():
        row = pq.get_person(conn, owner_id, int(ref))
        if row is None or row.is_me:
            raise NotFoundError(f"no person with id {ref}", hint="`rekindle people` lists them")
        while row.merged_into is not None:
            row = pq.get_person(conn, owner_id, row.merged_into)
            assert row is not None
        return int(row.id)
    if ref.lower().startswith(("http://", "https://", "www.")) or "linkedin.com/" in ref.lower():
        found_url = normalise_url(ref)
        ids = q.persons_with_identity(conn, owner_id, "url", found_url[1]) if found_url else []
        return _one(conn, owner_id, ref, ids)
    if "@" in ref:
        email = normalise_email(ref)
        found = q.persons_with_identity(conn, owner_id, "email", email) if email else []
        return _one(conn, owner_id, ref, found)
    phone = normalise_phone(ref, region) if any(c.isdigit() for c in ref) else None
    if phone:
        found = q.persons_with_identity(conn, owner_id, "phone", phone)
        if found:
            return _one(conn, owner_id, ref, found)
    matches = pq.people_by_name(conn, owner_id, ref)
    if not matches:
        _did_you_mean(conn, owner_id, ref)
    return _one(conn, owner_id, ref, [m.id for m in matches])


def _did_you_mean(conn: Connection, owner_id: int, ref: str) -> None:
    """No name contains ``ref``: offer the nearest names ("Jef Smith": Jeff Smith), if any."""
    near = near_names(ref, pq.active_names(conn, owner_id))
    if not near:
        return
    named = " or ".join(f"{name} (#{pid})" for pid, name in near)
    raise NotFoundError(
        f"nobody matches {ref!r}: did you mean {named}?",
        hint="name them by id or full name; `rekindle people QUERY` searches",
    )


def _one(conn: Connection, owner_id: int, ref: str, ids: list[int]) -> int:
    active = []
    for pid in dict.fromkeys(ids):
        row = pq.get_person(conn, owner_id, pid)
        if row is not None and row.merged_into is None and not row.is_me:
            active.append(row)
    if not active:
        raise NotFoundError(f"nobody matches {ref!r}", hint="`rekindle people QUERY` searches")
    if len(active) > 1:
        candidates = [(int(r.id), r.display_name) for r in active]
        raise AmbiguousError(
            f"{ref!r} matches {len(active)} people",
            candidates,
            hint="name one by its id: " + ", ".join(f"{i} ({n})" for i, n in candidates[:10]),
        )
    return int(active[0].id)


def person_view(
    conn: Connection,
    owner_id: int,
    person_id: int,
    span: tuple[datetime | None, datetime | None, int] | None = None,
) -> PersonView:
    """The person; ``span`` (first and last contact, interactions) when already read."""
    row = pq.get_person(conn, owner_id, person_id)
    if row is None:
        raise NotFoundError(f"no person with id {person_id}")
    edits = pq.edits_of(conn, person_id)
    records = q.records_of(conn, owner_id, person_id)
    birthday = edits.get("birthday")
    notes = [
        {"source": "you", "text": n.body, "at": n.created_at.isoformat()}
        for n in pq.notes_of(conn, person_id)
    ]
    related: list[list[str]] = []
    addresses: list[dict[str, Any]] = []
    anniversary: str | None = None
    for rec in records:
        data = q.record_data(rec)
        if data.get("note") and all(n["text"] != data["note"] for n in notes):
            notes.append(
                {"source": f"{rec.source} ({rec.locator})", "text": data["note"], "at": None}
            )
        if not birthday and data.get("birthday"):
            birthday = data["birthday"]
        related.extend(list(p) for p in data.get("related", []) if list(p) not in related)
        addresses.extend(a for a in data.get("addresses", []) if a not in addresses)
        anniversary = anniversary or data.get("anniversary")
    first, last, count = span if span is not None else history.contact_span(conn, person_id)
    return PersonView(
        id=person_id,
        name=row.display_name,
        status=row.status,
        edits=edits,
        identities=_one_each(
            {
                "kind": i.kind,
                "value": i.display,
                "key": i.value,
                "service": i.service,
                "label": i.label,
                "from_record": i.source_record_id,
            }
            for i in pq.identities_of(conn, person_id)
        ),
        affiliations=_one_per_stint(
            {
                "organisation": a.organisation,
                "title": a.title,
                "department": a.department,
                "kind": a.kind,
                "start": a.start_date.isoformat() if a.start_date else None,
                "end": a.end_date.isoformat() if a.end_date else None,
                "from_record": a.source_record_id,
            }
            for a in pq.affiliations_of(conn, person_id)
        ),
        tags=pq.tags_of(conn, person_id),
        notes=notes,
        birthday=birthday,
        records=[
            {
                "id": r.id,
                "source": r.source,
                "locator": r.locator,
                "rule": r.link_rule,
                "evidence": r.link_evidence,
                "first_seen": r.first_seen.isoformat(),
                "key": r.natural_key,
            }
            for r in records
        ],
        merges=[
            {
                "event": e.id,
                "into": e.into_person_id,
                "absorbed": e.absorbed_person_id,
                "rule": e.rule,
                "evidence": e.evidence,
                "at": e.created_at.isoformat(),
                "undone_at": e.undone_at.isoformat() if e.undone_at else None,
            }
            for e in merges.events_for(conn, owner_id, person_id)
        ],
        first_contact=first,
        last_contact=last,
        interactions=count,
        related=related,
        addresses=addresses,
        anniversary=anniversary,
    )


def address_text(address: dict[str, Any]) -> str:
    """A stored postal address on one line (see :meth:`AddressRecord.one_line`)."""
    return AddressRecord.from_data(address).one_line()


def _one_each(identities: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """An address or number that several records hold, once (as the first record has it)."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for i in identities:
        seen.setdefault((i["kind"], i["key"]), i)
    return list(seen.values())


def _one_per_stint(affiliations: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per stint (organisation, title, kind and start) that several records hold; of
    an open one and an ended one, the ended one (a later record learnt that it ended)."""
    stints: dict[tuple[Any, ...], dict[str, Any]] = {}
    for a in affiliations:
        key = (a["organisation"].casefold(), (a["title"] or "").casefold(), a["kind"], a["start"])
        kept = stints.setdefault(key, a)
        if kept["end"] is None and a["end"] is not None:
            stints[key] = a
    return list(stints.values())


def show(store: Store, ref: str, region: str | None = None) -> PersonView:
    with store.read() as conn:
        return person_view(conn, store.owner_id, resolve_person(conn, store.owner_id, ref, region))


EDIT_FIELDS = (
    "name",
    "organisation",
    "title",
    "birthday",
    "medium",
    "country",
    "tier",
    "cadence",
)
TIERS = ("close", "regular", "occasional", "dormant")
MEDIA = ("email", "linkedin", "call", "video", "sms")


def edit(
    store: Store,
    ref: str,
    changes: dict[str, str | None],
    add_emails: list[str],
    add_phones: list[str],
    region: str | None = None,
    now: datetime | None = None,
) -> PersonView:
    """Store user edits apart from imported values; they win over every re-import."""
    now = now or utcnow()
    with store.begin() as conn:
        pid = resolve_person(conn, store.owner_id, ref, region)
        for fld, value in changes.items():
            if fld not in EDIT_FIELDS:
                raise UserError(f"cannot edit {fld!r}", hint="editable: " + ", ".join(EDIT_FIELDS))
            if fld == "birthday" and value:
                value = _parse_birthday(value, now.date())
            if fld == "tier" and value and value.strip().lower() not in TIERS:
                raise UserError(f"no tier {value!r}", hint="tiers: " + ", ".join(TIERS))
            if fld == "cadence" and value and not (value.strip().isdigit() and int(value) > 0):
                raise UserError(f"cadence {value!r} is not a number of days")
            if fld == "medium" and value and value.strip().lower() not in MEDIA:
                raise UserError(f"no medium {value!r}", hint="media: " + ", ".join(MEDIA))
            if fld in ("tier", "medium") and value:
                value = value.strip().lower()
            pq.set_edit(conn, store.owner_id, pid, fld, value.strip() if value else None, now)
        for raw in add_emails:
            email = normalise_email(raw)
            if not email:
                raise UserError(f"{raw!r} is not an email address")
            q.add_identity(conn, store.owner_id, pid, q.IdentityRow("email", email, raw.strip()))
        for raw in add_phones:
            phone = normalise_phone(raw, region)
            if not phone:
                raise UserError(
                    f"{raw!r} is not a phone number",
                    hint="set a default region: `rekindle config set region GB`",
                )
            q.add_identity(conn, store.owner_id, pid, q.IdentityRow("phone", phone, raw.strip()))
        from rekindle.services.importing import refresh_people  # an edit's, not a read's

        refresh_people(conn, store.owner_id, [pid], now)
        return person_view(conn, store.owner_id, pid)


#: the earliest year of birth taken (anyone older is a typo)
EARLIEST_BIRTH_YEAR = 1880


def _parse_birthday(text: str, today: date) -> str:
    """A birthday as ``YYYY-MM-DD`` or ``--MM-DD``: a day that exists (29 February only
    without a year or in a leap year), not in the future."""
    hint = "use YYYY-MM-DD, or --MM-DD without a year"
    try:
        found = PartialDate.from_iso(text.strip())
        date(found.year or 2000, found.month, found.day)  # 2000 is a leap year
    except ValueError:
        raise UserError(f"birthday {text!r} is not a date", hint=hint) from None
    if found.year is not None and not EARLIEST_BIRTH_YEAR <= found.year <= today.year:
        raise UserError(f"birthday {text!r} is not a year of birth", hint=hint)
    if found.year is not None and date(found.year, found.month, found.day) > today:
        raise UserError(f"birthday {text!r} is in the future", hint=hint)
    return found.iso()


def tag(
    store: Store, refs: list[str], add: list[str], remove: list[str], region: str | None = None
) -> list[int]:
    with store.begin() as conn:
        ids = [resolve_person(conn, store.owner_id, r, region) for r in refs]
        for pid in ids:
            for name in add:
                pq.add_tag(conn, store.owner_id, pid, name.strip())
            for name in remove:
                pq.remove_tag(conn, pid, name.strip())
        return ids


def add_note(
    store: Store, ref: str, body: str, region: str | None = None, now: datetime | None = None
) -> int:
    if not body.strip():
        raise UserError("the note is empty")
    with store.begin() as conn:
        pid = resolve_person(conn, store.owner_id, ref, region)
        pq.add_note(conn, store.owner_id, pid, body.strip(), now or utcnow())
        return pid


def list_people(
    store: Store,
    query: str | None = None,
    tag_name: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    with store.read() as conn:
        rows = pq.search_people(conn, store.owner_id, query, tag_name, limit, offset)
        info = pq.summaries(conn, [r.id for r in rows])
        return [
            {"id": r.id, "name": r.display_name, "status": r.status, **info[r.id]} for r in rows
        ]


def dumps(view: PersonView) -> str:
    return json.dumps(view.as_json(), ensure_ascii=False, indent=2)
