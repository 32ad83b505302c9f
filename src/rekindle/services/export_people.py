"""Everything known about one person, gathered for an export (vCard, CSV).

A person may hold several records (two address books, a CSV and mail): the export unites their
facts, each once. Your edits win (name, organisation, title, birthday). A person learnt from
mail has no structured name: the display name is split into given and family names.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Connection

from rekindle.exporters.model import ExportPerson
from rekindle.identity.names import make_name
from rekindle.identity.records import AddressRecord, AffiliationRecord, PartialDate, RawIdentity
from rekindle.services.people import PersonView, person_view
from rekindle.store import contacts as q
from rekindle.store import people as pq

_NAME_FIELDS = ("given_name", "family_name", "middle_name", "prefix", "suffix", "nickname")


def everyone(conn: Connection, owner_id: int) -> Iterator[ExportPerson]:
    for pid in pq.all_person_ids(conn, owner_id):
        yield export_person(conn, owner_id, pid)


def export_person(conn: Connection, owner_id: int, person_id: int) -> ExportPerson:
    view = person_view(conn, owner_id, person_id)
    records = q.records_of(conn, owner_id, person_id)
    datas = [q.record_data(rec) for rec in records]
    names: dict[str, str | None] = dict.fromkeys(_NAME_FIELDS)
    extra: dict[str, str] = {}
    related: list[tuple[str, str]] = []
    for data in datas:
        for key in _NAME_FIELDS:
            names[key] = data.get(key) or names[key]
        for key, value in (data.get("extra") or {}).items():
            extra.setdefault(key, value)
        related += [(a, b) for a, b in data.get("related", []) if (a, b) not in related]
    person = ExportPerson(
        id=person_id,
        display_name=view.name,
        **names,
        identities=_identities(view, datas),
        affiliations=_affiliations(view),
        addresses=[AddressRecord.from_data(a) for a in view.addresses],
        birthday=_date(view.birthday),
        anniversary=_date(view.anniversary),
        note="\n\n".join(n["text"] for n in view.notes) or None,
        tags=view.tags,
        related=related,
        photo=q.photo_of(conn, [rec.id for rec in records]),
        is_organisation=any(d.get("is_organisation") for d in datas),
        connected_on=min(
            (date.fromisoformat(d["connected_on"]) for d in datas if d.get("connected_on")),
            default=None,
        ),
        extra=extra,
    )
    if view.birthday and person.birthday is None:
        person.extra.setdefault("birthday", view.birthday)
    if not (person.given_name or person.family_name or person.is_organisation):
        _split_name(person)
    return person


def _identities(view: PersonView, datas: list[dict[str, Any]]) -> list[RawIdentity]:
    preferred = {
        (i["kind"], i["value"].casefold())
        for data in datas
        for i in data.get("identities", [])
        if i.get("preferred")
    }
    return [
        RawIdentity(
            i["kind"],
            i["value"],
            i["label"],
            i["service"],
            (i["kind"], i["value"].casefold()) in preferred,
        )
        for i in view.identities
    ]


def _affiliations(view: PersonView) -> list[AffiliationRecord]:
    """Every stint; your edited organisation or title replaces the current work one."""
    affs = [
        AffiliationRecord(
            a["organisation"],
            a["title"],
            a["department"],
            date.fromisoformat(a["start"]) if a["start"] else None,
            date.fromisoformat(a["end"]) if a["end"] else None,
            a["kind"],
        )
        for a in view.affiliations
    ]
    org, title = view.edits.get("organisation"), view.edits.get("title")
    if org or title:
        current = next(
            (n for n, a in enumerate(view.affiliations) if a["kind"] == "work" and not a["end"]),
            None,
        )
        base = affs.pop(current) if current is not None else None
        edited = AffiliationRecord(
            org or (base.organisation if base else ""),
            title or (base.title if base else None),
            base.department if base else None,
            base.start if base else None,
        )
        if edited.organisation:
            affs.insert(0, edited)
    return affs


def _date(text: str | None) -> PartialDate | None:
    if not text:
        return None
    try:
        return PartialDate.from_iso(text)
    except ValueError:
        return None


def _split_name(person: ExportPerson) -> None:
    """Given and family names from the display name ("Maria García" from mail)."""
    text = person.display_name.strip()
    if not any(c.isalpha() for c in text) or text == "(no name)":
        return
    if text in (i.value for i in person.identities):
        return
    name = make_name(full=text)
    if name is not None:
        person.given_name = name.given or None
        person.family_name = name.family or None
