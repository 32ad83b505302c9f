"""Source records and the facts derived from them (identities, affiliations, tags)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from rekindle.store import bulk
from rekindle.store.schema import (
    affiliation,
    identity,
    person,
    record_photo,
    source_record,
    tag,
)

#: the longest value (in characters) each column a contact record fills keeps
COLUMN_LIMITS: dict[str, int] = {
    what: int(column.type.length)  # type: ignore[attr-defined]
    for what, column in (
        ("name", person.c.display_name),
        ("record key", source_record.c.natural_key),
        ("address", identity.c.value),
        ("address as written", identity.c.display),
        ("address label", identity.c.label),
        ("address service", identity.c.service),
        ("organisation", affiliation.c.organisation),
        ("title", affiliation.c.title),
        ("department", affiliation.c.department),
        ("tag", tag.c.name),
    )
}


@dataclass(frozen=True)
class IdentityRow:
    kind: str
    value: str
    display: str
    service: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class AffiliationRow:
    organisation: str
    title: str | None = None
    department: str | None = None
    kind: str = "work"
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class KnownRecord:
    id: int
    content_hash: str
    person_id: int


def load_record_index(conn: Connection, owner_id: int) -> dict[tuple[str, str], KnownRecord]:
    """Every stored record's (source, natural key) with its hash and person."""
    rows = conn.execute(
        select(
            source_record.c.source,
            source_record.c.natural_key,
            source_record.c.id,
            source_record.c.content_hash,
            source_record.c.person_id,
        ).where(source_record.c.owner_id == owner_id)
    )
    return {(r.source, r.natural_key): KnownRecord(r.id, r.content_hash, r.person_id) for r in rows}


def insert_record(
    conn: Connection,
    owner_id: int,
    person_id: int,
    *,
    source: str,
    natural_key: str,
    locator: str,
    content_hash: str,
    payload: str,
    data: dict[str, Any],
    link_rule: str,
    link_evidence: str,
    import_id: int | None,
    now: datetime,
) -> int:
    result = conn.execute(
        insert(source_record).values(
            owner_id=owner_id,
            person_id=person_id,
            source=source,
            natural_key=natural_key,
            locator=locator,
            content_hash=content_hash,
            payload=payload,
            data=json.dumps(data, ensure_ascii=False, sort_keys=True),
            link_rule=link_rule,
            link_evidence=link_evidence,
            import_id=import_id,
            first_seen=now,
            last_seen=now,
        )
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def insert_records(conn: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert of new source records (``data`` as a dict); their ids in order."""
    if not rows:
        return []
    prepared = [
        {**r, "data": json.dumps(r["data"], ensure_ascii=False, sort_keys=True)} for r in rows
    ]
    return bulk.insert_dicts_returning_ids(conn, source_record, prepared)


def update_record(
    conn: Connection,
    record_id: int,
    *,
    locator: str,
    content_hash: str,
    payload: str,
    data: dict[str, Any],
    import_id: int | None,
    now: datetime,
) -> None:
    conn.execute(
        update(source_record)
        .where(source_record.c.id == record_id)
        .values(
            locator=locator,
            content_hash=content_hash,
            payload=payload,
            data=json.dumps(data, ensure_ascii=False, sort_keys=True),
            import_id=import_id,
            last_seen=now,
        )
    )


def replace_record_facts(
    conn: Connection,
    owner_id: int,
    person_id: int,
    record_id: int,
    identities: Sequence[IdentityRow],
    affiliations: Sequence[AffiliationRow],
    tags: Iterable[str],
) -> None:
    """Make the record's derived facts exactly these (idempotent)."""
    for table in (identity, affiliation, tag):
        conn.execute(delete(table).where(table.c.source_record_id == record_id))
    insert_facts(conn, owner_id, [(person_id, record_id, identities, affiliations, list(tags))])


def insert_facts(
    conn: Connection,
    owner_id: int,
    facts: Sequence[
        tuple[int, int, Sequence[IdentityRow], Sequence[AffiliationRow], Sequence[str]]
    ],
) -> None:
    """Bulk insert of the facts of new records: (person, record, identities, affiliations, tags)."""
    idents, affs, tags = [], [], []
    for person_id, record_id, i_rows, a_rows, t_names in facts:
        base = {"owner_id": owner_id, "person_id": person_id, "source_record_id": record_id}
        idents += [
            {
                **base,
                "kind": i.kind,
                "value": i.value,
                "display": i.display,
                "service": i.service,
                "label": i.label,
            }
            for i in i_rows
        ]
        affs += [
            {
                **base,
                "organisation": a.organisation,
                "title": a.title,
                "department": a.department,
                "kind": a.kind,
                "start_date": a.start,
                "end_date": a.end,
            }
            for a in a_rows
        ]
        tags += [
            {**base, "name": n} for n in sorted({t.strip() for t in t_names if t and t.strip()})
        ]
    for table, rows in ((identity, idents), (affiliation, affs), (tag, tags)):
        bulk.insert_dicts(conn, table, rows)


def add_identity(conn: Connection, owner_id: int, person_id: int, row: IdentityRow) -> None:
    """An identity the user typed in (no source record; survives every re-import)."""
    exists = conn.execute(
        select(identity.c.id).where(
            identity.c.person_id == person_id,
            identity.c.kind == row.kind,
            identity.c.value == row.value,
            identity.c.source_record_id.is_(None),
        )
    ).first()
    if exists is None:
        conn.execute(
            insert(identity).values(
                owner_id=owner_id,
                person_id=person_id,
                source_record_id=None,
                kind=row.kind,
                value=row.value,
                display=row.display,
                service=row.service,
                label=row.label,
            )
        )


_RECORDS = (  # built once: the Person page reads it every time
    select(source_record)
    .where(
        source_record.c.owner_id == bindparam("owner_id"),
        source_record.c.person_id == bindparam("person_id"),
    )
    .order_by(source_record.c.first_seen, source_record.c.id)
)


def records_of(conn: Connection, owner_id: int, person_id: int) -> list[Any]:
    return list(conn.execute(_RECORDS, {"owner_id": owner_id, "person_id": person_id}))


def record_data(row: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(row.data)
    return data


def persons_with_identity(conn: Connection, owner_id: int, kind: str, value: str) -> list[int]:
    rows = conn.execute(
        select(identity.c.person_id)
        .where(identity.c.owner_id == owner_id, identity.c.kind == kind, identity.c.value == value)
        .distinct()
    )
    return [r.person_id for r in rows]


#: identity values asked about in one statement
_VALUES_AT_ONCE = 500


def persons_with_identities(
    conn: Connection, owner_id: int, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[int]]:
    """For each (kind, value), the persons holding that identity (ascending; none: absent),
    asked a few hundred values at a statement."""
    wanted = set(pairs)
    values = sorted({value for _, value in wanted})
    found: dict[tuple[str, str], set[int]] = {}
    for start in range(0, len(values), _VALUES_AT_ONCE):
        for kind, value, pid in conn.execute(
            select(identity.c.kind, identity.c.value, identity.c.person_id).where(
                identity.c.owner_id == owner_id,
                identity.c.value.in_(values[start : start + _VALUES_AT_ONCE]),
            )
        ):
            if (kind, value) in wanted:
                found.setdefault((kind, value), set()).add(int(pid))
    return {pair: sorted(pids) for pair, pids in found.items()}


def add_affiliation(conn: Connection, owner_id: int, person_id: int, row: AffiliationRow) -> None:
    """An affiliation the user typed in (no source record)."""
    conn.execute(
        insert(affiliation).values(
            owner_id=owner_id,
            person_id=person_id,
            source_record_id=None,
            organisation=row.organisation,
            title=row.title,
            department=row.department,
            kind=row.kind,
            start_date=row.start,
            end_date=row.end,
        )
    )


def remove_identity(conn: Connection, person_id: int, kind: str, value: str) -> int:
    result = conn.execute(
        delete(identity).where(
            identity.c.person_id == person_id, identity.c.kind == kind, identity.c.value == value
        )
    )
    return int(result.rowcount or 0)


def put_photo(conn: Connection, owner_id: int, record_id: int, data: bytes | None) -> None:
    """Make ``data`` the record's photo (None: it has none)."""
    conn.execute(delete(record_photo).where(record_photo.c.source_record_id == record_id))
    if data:
        conn.execute(
            insert(record_photo).values(source_record_id=record_id, owner_id=owner_id, data=data)
        )


def photo_of(conn: Connection, record_ids: Sequence[int]) -> bytes | None:
    """The photo of the first of these records that has one."""
    if not record_ids:
        return None
    rows = {
        r.source_record_id: bytes(r.data)
        for r in conn.execute(
            select(record_photo.c.source_record_id, record_photo.c.data).where(
                record_photo.c.source_record_id.in_(list(record_ids))
            )
        )
    }
    return next((rows[i] for i in record_ids if i in rows), None)
