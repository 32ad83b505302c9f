"""Export everything, so nobody is locked in: vCard, CSV and a complete JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import Connection

from rekindle.errors import UserError
from rekindle.exporters.table import write_csv
from rekindle.exporters.vcard import VERSIONS as VCARD_VERSIONS
from rekindle.exporters.vcard import write_vcards
from rekindle.services.export_people import everyone
from rekindle.services.people import person_view
from rekindle.store import Store
from rekindle.store import contacts as q
from rekindle.store import people as pq

FORMATS = ("vcard", "csv", "json")


def _full_json(conn: Connection, owner_id: int) -> Iterator[dict[str, Any]]:
    for pid in pq.all_person_ids(conn, owner_id):
        data = person_view(conn, owner_id, pid).as_json()
        data["records"] = [
            {**r, "payload": rec.payload, "data": q.record_data(rec)}
            for r, rec in zip(data["records"], q.records_of(conn, owner_id, pid), strict=True)
        ]
        yield data


def export(store: Store, fmt: str, out: TextIO, *, vcard_version: str = "4.0") -> int:
    """Write every person in ``fmt`` to ``out``; return how many were written."""
    if fmt not in FORMATS:
        raise UserError(
            f"unknown export format {fmt!r}", hint="choose one of: " + ", ".join(FORMATS)
        )
    if vcard_version not in VCARD_VERSIONS:
        raise UserError(
            f"no vCard version {vcard_version!r}", hint="choose " + " or ".join(VCARD_VERSIONS)
        )
    with store.read() as conn:
        if fmt == "vcard":
            return write_vcards(everyone(conn, store.owner_id), out, vcard_version)
        if fmt == "csv":
            return write_csv(everyone(conn, store.owner_id), out)
        count = 0
        out.write('{"people": [\n')
        for n, item in enumerate(_full_json(conn, store.owner_id)):
            out.write((",\n" if n else "") + json.dumps(item, ensure_ascii=False, sort_keys=True))
            count += 1
        out.write("\n]}\n")
        return count
