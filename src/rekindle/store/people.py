"""Persons: creation, listing and search, user edits, tags and notes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select, update

from rekindle.identity.names import fold_case_accents
from rekindle.store import bulk, search
from rekindle.store.schema import (
    affiliation,
    identity,
    note,
    person,
    person_edit,
    source_record,
    tag,
)

#: user-editable fields; edits are stored apart from imported values and always win
EDITABLE_FIELDS = (
    "name",
    "organisation",
    "title",
    "birthday",
    "phone",
    "email",
    "medium",
    "country",
    "tier",
    "cadence",
)


def insert_person(
    conn: Connection,
    owner_id: int,
    display_name: str,
    sort_name: str,
    now: datetime,
    is_me: bool = False,
) -> int:
    result = conn.execute(
        insert(person).values(
            owner_id=owner_id,
            display_name=display_name,
            sort_name=sort_name,
            is_me=is_me,
            status="active",
            created_at=now,
            updated_at=now,
        )
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def insert_people(conn: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert; the new ids in the order of ``rows``."""
    if not rows:
        return []
    return bulk.insert_dicts_returning_ids(conn, person, rows)


def ensure_me(conn: Connection, owner_id: int, now: datetime) -> int:
    found = conn.execute(
        select(person.c.id).where(person.c.owner_id == owner_id, person.c.is_me.is_(True))
    ).scalar()
    if found is not None:
        return int(found)
    return insert_person(conn, owner_id, "me", "", now, is_me=True)


def find_me(conn: Connection, owner_id: int) -> int | None:
    found = conn.execute(
        select(person.c.id).where(person.c.owner_id == owner_id, person.c.is_me.is_(True))
    ).scalar()
    return int(found) if found is not None else None


# The look-ups every Person page makes are built once, with bind parameters: building a Core
# statement costs several times what running such a small query does.
_PERSON = select(person).where(
    person.c.owner_id == bindparam("owner_id"), person.c.id == bindparam("person_id")
)
_EDITS = select(person_edit.c.field, person_edit.c.value).where(
    person_edit.c.person_id == bindparam("person_id")
)
_IDENTITIES = (
    select(identity)
    .where(identity.c.person_id == bindparam("person_id"))
    .order_by(identity.c.kind, identity.c.id)
)
_AFFILIATIONS = (
    select(affiliation)
    .where(affiliation.c.person_id == bindparam("person_id"))
    .order_by(affiliation.c.start_date.desc().nulls_first(), affiliation.c.id)
)
_TAGS = select(tag.c.name).where(tag.c.person_id == bindparam("person_id")).distinct()
_NOTES = (
    select(note)
    .where(note.c.person_id == bindparam("person_id"))
    .order_by(note.c.created_at, note.c.id)
)


def get_person(conn: Connection, owner_id: int, person_id: int) -> Any | None:
    return conn.execute(_PERSON, {"owner_id": owner_id, "person_id": person_id}).first()


def set_names(
    conn: Connection, person_id: int, display_name: str, sort_name: str, now: datetime
) -> None:
    conn.execute(
        update(person)
        .where(person.c.id == person_id)
        .values(display_name=display_name, sort_name=sort_name, updated_at=now)
    )


def edits_of(conn: Connection, person_id: int) -> dict[str, str]:
    return {r.field: r.value for r in conn.execute(_EDITS, {"person_id": person_id})}


def edits_for(
    conn: Connection, person_ids: Sequence[int], fields: Sequence[str]
) -> dict[int, dict[str, str]]:
    """The edits of these fields for many people at once (500 ids a query)."""
    out: dict[int, dict[str, str]] = {}
    ids = list(person_ids)
    for start in range(0, len(ids), 500):
        for r in conn.execute(
            select(person_edit.c.person_id, person_edit.c.field, person_edit.c.value).where(
                person_edit.c.person_id.in_(ids[start : start + 500]),
                person_edit.c.field.in_(list(fields)),
            )
        ):
            out.setdefault(r.person_id, {})[r.field] = r.value
    return out


def set_edit(
    conn: Connection, owner_id: int, person_id: int, field: str, value: str | None, now: datetime
) -> None:
    conn.execute(
        delete(person_edit).where(
            person_edit.c.person_id == person_id, person_edit.c.field == field
        )
    )
    if value is not None:
        conn.execute(
            insert(person_edit).values(
                owner_id=owner_id, person_id=person_id, field=field, value=value, updated_at=now
            )
        )


def add_tag(conn: Connection, owner_id: int, person_id: int, name: str) -> bool:
    exists = conn.execute(
        select(tag.c.id).where(
            tag.c.person_id == person_id, tag.c.name == name, tag.c.source_record_id.is_(None)
        )
    ).first()
    if exists:
        return False
    conn.execute(insert(tag).values(owner_id=owner_id, person_id=person_id, name=name))
    return True


def remove_tag(conn: Connection, person_id: int, name: str) -> int:
    """Remove a tag however it came (typed or imported); returns how many rows went."""
    result = conn.execute(delete(tag).where(tag.c.person_id == person_id, tag.c.name == name))
    return int(result.rowcount or 0)


def add_note(conn: Connection, owner_id: int, person_id: int, body: str, now: datetime) -> int:
    result = conn.execute(
        insert(note).values(owner_id=owner_id, person_id=person_id, body=body, created_at=now)
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def identities_of(conn: Connection, person_id: int) -> list[Any]:
    return list(conn.execute(_IDENTITIES, {"person_id": person_id}))


def affiliations_of(conn: Connection, person_id: int) -> list[Any]:
    return list(conn.execute(_AFFILIATIONS, {"person_id": person_id}))


def tags_of(conn: Connection, person_id: int) -> list[str]:
    return sorted(r.name for r in conn.execute(_TAGS, {"person_id": person_id}))


def notes_of(conn: Connection, person_id: int) -> list[Any]:
    return list(conn.execute(_NOTES, {"person_id": person_id}))


def active_person(owner_id: Any) -> Any:
    """Not merged away, not "me", of this owner (an id, or a bind parameter for one)."""
    return and_(
        person.c.owner_id == owner_id, person.c.merged_into.is_(None), person.c.is_me.is_(False)
    )


def count_people(conn: Connection, owner_id: int) -> int:
    return int(
        conn.execute(
            select(func.count()).select_from(person).where(active_person(owner_id))
        ).scalar()
        or 0
    )


def search_people(
    conn: Connection,
    owner_id: int,
    query: str | None = None,
    tag_name: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Any]:
    """Active people whose name, identity, organisation, title or tag contains ``query``,
    in name order.

    On SQLite the trigram index finds them (:mod:`rekindle.store.search`); a query shorter
    than three characters, which no trigram can find, matches names only there.
    """
    stmt = select(person.c.id, person.c.display_name, person.c.status).where(
        active_person(owner_id)
    )
    if tag_name:
        stmt = stmt.where(
            person.c.id.in_(
                select(tag.c.person_id).where(tag.c.owner_id == owner_id, tag.c.name == tag_name)
            )
        )
    values: dict[str, Any] = {"owner_id": owner_id}
    if query:  # the name, an identity, an organisation, a title or a tag contains it
        kind, found = search.text_filter(conn, query, owner_id)
        stmt = stmt.where(search.condition(kind))
        values.update(found)
    stmt = stmt.order_by(person.c.sort_name, person.c.display_name, person.c.id).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(conn.execute(stmt, values))


#: the most names a mistyped one is compared with (the first by sort name beyond that)
NAMES_COMPARED = 200_000


def active_names(conn: Connection, owner_id: int) -> list[tuple[int, str]]:
    """Every active person's id and display name, for "did you mean" after a miss."""
    rows = conn.execute(
        select(person.c.id, person.c.display_name)
        .where(active_person(owner_id))
        .order_by(person.c.sort_name, person.c.id)
        .limit(NAMES_COMPARED)
    )
    return [(int(pid), name or "") for pid, name in rows]


def people_by_name(conn: Connection, owner_id: int, name: str) -> list[Any]:
    """Exact display-name matches, else those containing ``name``; case and accents folded
    ("lucia garcia" is Lucía García), with :func:`fold_case_accents`, as ``sort_name`` is."""
    exact = list(
        conn.execute(
            select(person.c.id, person.c.display_name)
            .where(active_person(owner_id), func.lower(person.c.display_name) == name.lower())
            .order_by(person.c.id)
        )
    )
    if exact:
        return exact
    key = fold_case_accents(name.strip())
    # sort_name holds the folded display name (after the family name): it finds candidates,
    # the display names themselves decide; the plain LIKE keeps a stale sort_name harmless
    rows = conn.execute(
        select(person.c.id, person.c.display_name)
        .where(
            active_person(owner_id),
            or_(
                person.c.sort_name.like(search.like_pattern(key), escape="/"),
                func.lower(person.c.display_name).like(search.like_pattern(name), escape="/"),
            ),
        )
        .order_by(person.c.sort_name, person.c.id)
        .limit(NAMES_COMPARED)
    )
    found = [r for r in rows if key in fold_case_accents(r.display_name or "")]
    same = [r for r in found if fold_case_accents(r.display_name or "") == key]
    return sorted(same, key=lambda r: r.id) if same else found[:50]


def _first(column: Any, table: Any, *where: Any, order: tuple[Any, ...]) -> Any:
    """The value of ``column`` in the person's first row of ``table`` (``order``), or NULL."""
    return (
        select(column)
        .where(table.c.person_id == person.c.id, *where)
        .order_by(*order)
        .limit(1)
        .scalar_subquery()
    )


_ROLE_ORDER = (
    affiliation.c.end_date.is_not(None),  # a current role first, then the latest begun
    affiliation.c.start_date.desc().nulls_last(),
    affiliation.c.id,
)
#: one row a person, each value looked up in the database: a page of 50 people costs 50 rows
#: (not the ~200 identity and affiliation rows they have). Built once.
_SUMMARIES = select(
    person.c.id,
    _first(identity.c.display, identity, identity.c.kind == "email", order=(identity.c.id,)).label(
        "email"
    ),
    _first(identity.c.display, identity, identity.c.kind == "phone", order=(identity.c.id,)).label(
        "phone"
    ),
    # your edit wins over the current role's (edits are one row per person and field)
    func.coalesce(
        _first(person_edit.c.value, person_edit, person_edit.c.field == "organisation", order=()),
        _first(affiliation.c.organisation, affiliation, order=_ROLE_ORDER),
    ).label("organisation"),
    func.coalesce(
        _first(person_edit.c.value, person_edit, person_edit.c.field == "title", order=()),
        _first(affiliation.c.title, affiliation, order=_ROLE_ORDER),
    ).label("title"),
).where(person.c.id.in_(bindparam("ids", expanding=True)))


def summaries(conn: Connection, person_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """First email, phone and organisation/title (yours if you edited them, else the current
    role's) of each person, in one query."""
    out: dict[int, dict[str, Any]] = {
        pid: {"email": None, "phone": None, "organisation": None, "title": None}
        for pid in person_ids
    }
    for start in range(0, len(person_ids), 500):
        chunk = {"ids": list(person_ids[start : start + 500])}
        for r in conn.execute(_SUMMARIES, chunk):
            out[r.id] = {
                "email": r.email,
                "phone": r.phone,
                "organisation": r.organisation,
                "title": r.title,
            }
    return out


def all_person_ids(conn: Connection, owner_id: int) -> list[int]:
    return [
        r.id
        for r in conn.execute(
            select(person.c.id).where(active_person(owner_id)).order_by(person.c.id)
        )
    ]


def record_counts(conn: Connection, owner_id: int) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(source_record)
            .where(source_record.c.owner_id == owner_id)
        ).scalar()
        or 0
    )
