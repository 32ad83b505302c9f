"""Export everything, so nobody is locked in: vCard, CSV and a complete JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import Connection

from rekindle.errors import UserError
from rekindle.exporters.model import ExportPerson
from rekindle.exporters.table import write_csv
from rekindle.exporters.vcard import write_vcards
from rekindle.identity.records import PartialDate
from rekindle.services.people import person_view
from rekindle.store import Store
from rekindle.store import contacts as q
from rekindle.store import people as pq

FORMATS = ("vcard", "csv", "json")


def export_person(conn: Connection, owner_id: int, person_id: int) -> ExportPerson:
    view = person_view(conn, owner_id, person_id)
    given = family = None
    for rec in q.records_of(conn, owner_id, person_id):
        data = q.record_data(rec)
        given = data.get("given_name") or given
        family = data.get("family_name") or family
    current = next((a for a in view.affiliations if a["kind"] == "work" and not a["end"]), None)
    org = view.edits.get("organisation") or (current["organisation"] if current else None)
    title = view.edits.get("title") or (current["title"] if current else None)
    birthday = None
    if view.birthday:
        try:
            birthday = PartialDate.from_iso(view.birthday)
        except ValueError:
            birthday = None
    return ExportPerson(
        id=person_id,
        display_name=view.name,
        given_name=given,
        family_name=family,
        emails=[i["value"] for i in view.identities if i["kind"] == "email"],
        phones=[i["value"] for i in view.identities if i["kind"] == "phone"],
        urls=[i["value"] for i in view.identities if i["kind"] == "url"],
        organisation=org,
        title=title,
        birthday=birthday,
        note="\n\n".join(n["text"] for n in view.notes) or None,
        tags=view.tags,
    )


def _everyone(conn: Connection, owner_id: int) -> Iterator[ExportPerson]:
    for pid in pq.all_person_ids(conn, owner_id):
        yield export_person(conn, owner_id, pid)


def _full_json(conn: Connection, owner_id: int) -> Iterator[dict[str, Any]]:
    for pid in pq.all_person_ids(conn, owner_id):
        data = person_view(conn, owner_id, pid).as_json()
        data["records"] = [
            {**r, "payload": rec.payload, "data": q.record_data(rec)}
            for r, rec in zip(data["records"], q.records_of(conn, owner_id, pid), strict=True)
        ]
        yield data


def export(store: Store, fmt: str, out: TextIO) -> int:
    """Write every person in ``fmt`` to ``out``; return how many were written."""
    if fmt not in FORMATS:
        raise UserError(
            f"unknown export format {fmt!r}", hint="choose one of: " + ", ".join(FORMATS)
        )
    with store.read() as conn:
        if fmt == "vcard":
            return write_vcards(_everyone(conn, store.owner_id), out)
        if fmt == "csv":
            return write_csv(_everyone(conn, store.owner_id), out)
        count = 0
        out.write('{"people": [\n')
        for n, item in enumerate(_full_json(conn, store.owner_id)):
            out.write((",\n" if n else "") + json.dumps(item, ensure_ascii=False, sort_keys=True))
            count += 1
        out.write("\n]}\n")
        return count
