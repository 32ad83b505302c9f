"""Which people a search matches: from the trigram index on SQLite, by scanning elsewhere.

Migration 0007 gives SQLite a full-text table (FTS5, trigram tokenizer), ``search_index``,
holding one document per person: name, identities, organisations, titles and tags. A phrase
of three characters or more, ``MATCH '"smith"'``, finds the people containing it, in any case,
from the index alone. Triggers note in ``search_stale`` whose document a change made old;
:func:`refresh_stale` rebuilds those before each writing transaction commits. These tables are
not part of the main schema (PostgreSQL has none), so they are described here on a metadata
of their own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    Text,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
)

from rekindle.store.schema import affiliation, identity, person, tag

#: a trigram index can only find strings of three characters or more
MIN_INDEXED = 3
#: up to this many matches are fetched by id and sorted; more walk the people in name order
#: (a common fragment meets a page of matches soon)
FEW_MATCHES = 500
#: the names of the tables (and FTS5's own ``search_index_*``) that only SQLite has
SQLITE_ONLY_PREFIX = "search_"

_own = MetaData()
search_index = Table("search_index", _own, Column("rowid", Integer), Column("doc", Text))
search_stale = Table("search_stale", _own, Column("person_id", Integer, primary_key=True))
_master = Table("sqlite_master", _own, Column("type", Text), Column("name", Text))


def has_index(conn: Connection) -> bool:
    """Whether this database has the index (SQLite 3.34 or later, built with FTS5); looked up
    once per pooled connection."""
    if conn.dialect.name != "sqlite":
        return False
    known = conn.info.get("search_index")
    if known is None:
        found = conn.execute(
            select(_master.c.name).where(
                _master.c.type == "table", _master.c.name == search_index.name
            )
        ).first()
        known = conn.info["search_index"] = found is not None
    return bool(known)


def uses_index(conn: Connection, query: str) -> bool:
    """Whether ``query`` can be looked up in the index."""
    return len(query) >= MIN_INDEXED and has_index(conn)


def matching(conn: Connection, query: str) -> tuple[Any, list[int]]:
    """The condition ``person.id`` matches ``query`` (any case) in the index, and the ids of
    people whose document is stale (a write that bypassed :func:`refresh_stale`), for the
    caller to check on their rows: an index that lags never hides anyone.

    Up to :data:`FEW_MATCHES` matches are listed, and the planner reads them by key and sorts
    them. More stay a subquery, and the planner walks the people in name order, stopping once
    a page is full: a common fragment such as ``mar`` meets its matches soon."""
    phrase = '"' + query.replace('"', '""') + '"'  # the whole query, as one literal string
    found = select(search_index.c.rowid).where(search_index.c.doc.match(phrase))
    stale = [int(r[0]) for r in conn.execute(select(search_stale.c.person_id))]
    ids = [int(r[0]) for r in conn.execute(found.limit(FEW_MATCHES + 1))]
    if len(ids) <= FEW_MATCHES:
        return person.c.id.in_(sorted({*ids, *stale})), stale
    # ``id + 0`` is no key to look rows up by: the planner walks the people in name order
    return (person.c.id + 0).in_(found.union(select(search_stale.c.person_id))), stale


def refresh_stale(conn: Connection) -> None:
    """Rebuild the documents of the people noted in ``search_stale``, then clear the notes
    (a person deleted since just loses theirs). A cheap no-op when nothing is noted."""
    if not has_index(conn) or not conn.execute(select(exists(search_stale))).scalar():
        return
    noted = select(search_stale.c.person_id)
    conn.execute(delete(search_index).where(search_index.c.rowid.in_(noted)))
    conn.execute(
        insert(search_index).from_select(
            ["rowid", "doc"], select(person.c.id, _document()).where(person.c.id.in_(noted))
        )
    )
    conn.execute(delete(search_stale))


def _document() -> Any:
    """A person's name, identities, organisations and titles, and tags, a line each."""

    def joined(column: Any, table: Any) -> Any:
        return func.coalesce(
            select(func.group_concat(column, "\n"))
            .where(table.c.person_id == person.c.id)
            .scalar_subquery(),
            "",
        )

    roles = (
        func.coalesce(affiliation.c.organisation, "")
        + "\n"
        + func.coalesce(affiliation.c.title, "")
    )
    return (
        func.coalesce(person.c.display_name, "")
        + "\n"
        + joined(identity.c.display, identity)
        + "\n"
        + joined(roles, affiliation)
        + "\n"
        + joined(tag.c.name, tag)
    )


def name_contains(query: str) -> Any:
    """The person's name contains ``query`` (any case; ``%`` and ``_`` are plain characters)."""
    return _contains(person.c.display_name, query)


def _contains(column: Any, query: str) -> Any:
    return func.lower(column).contains(query.lower(), autoescape=True)


def scanned_matches(owner_id: int, query: str) -> Any:
    """The same condition on the tables themselves (PostgreSQL, short queries, and the people
    whose document is stale)."""
    return or_(
        _contains(person.c.display_name, query),
        person.c.id.in_(
            select(identity.c.person_id).where(
                identity.c.owner_id == owner_id, _contains(identity.c.display, query)
            )
        ),
        person.c.id.in_(
            select(affiliation.c.person_id).where(
                affiliation.c.owner_id == owner_id,
                or_(
                    _contains(affiliation.c.organisation, query),
                    _contains(affiliation.c.title, query),
                ),
            )
        ),
        person.c.id.in_(
            select(tag.c.person_id).where(tag.c.owner_id == owner_id, _contains(tag.c.name, query))
        ),
    )
