"""Which people a search matches: from the trigram index on SQLite, by scanning elsewhere.

Migration 0006 gives SQLite a full-text table (FTS5, trigram tokenizer) over each searched
column. A phrase of three characters or more, ``MATCH '"smith"'``, finds the rows containing
it, in any case, from the index alone. Those tables are
not part of the main schema (PostgreSQL has none), so they are described here on a metadata
of their own, for queries only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Integer, MetaData, Table, Text, func, or_, select, union

from rekindle.store.schema import affiliation, identity, person, tag

#: a trigram index can only find strings of three characters or more
MIN_INDEXED = 3

_fts = MetaData()
person_fts = Table("person_fts", _fts, Column("rowid", Integer), Column("display_name", Text))
identity_fts = Table("identity_fts", _fts, Column("rowid", Integer), Column("display", Text))
affiliation_fts = Table(
    "affiliation_fts",
    _fts,
    Column("rowid", Integer),
    Column("organisation", Text),
    Column("title", Text),
)
tag_fts = Table("tag_fts", _fts, Column("rowid", Integer), Column("name", Text))


_master = Table("sqlite_master", _fts, Column("type", Text), Column("name", Text))


def uses_index(conn: Connection, query: str) -> bool:
    """Whether ``query`` can be looked up in the index (an SQLite too old for trigrams has none;
    whether it has is looked up once per pooled connection)."""
    if conn.dialect.name != "sqlite" or len(query) < MIN_INDEXED:
        return False
    known = conn.info.get("trigram_index")
    if known is None:
        found = conn.execute(
            select(_master.c.name).where(_master.c.type == "table", _master.c.name == "person_fts")
        ).first()
        known = conn.info["trigram_index"] = found is not None
    return bool(known)


def indexed_matches(query: str) -> Any:
    """The ids (column ``id``) of people whose name, identity, organisation, title or tag
    contains ``query`` (case-insensitive), read from the trigram index.

    Each look-up goes from the index to rows by primary key and nothing else, so the planner
    has no other way in; the caller joins the ids to ``person``, which scopes them to the owner.
    """
    phrase = '"' + query.replace('"', '""') + '"'  # the whole query, as one literal string
    return union(
        select(person_fts.c.rowid.label("id")).where(person_fts.c.display_name.match(phrase)),
        *(
            select(table.c.person_id).where(
                table.c.id.in_(select(fts_table.c.rowid).where(column.match(phrase)))
            )
            # one look-up per column: an OR of two would read the whole full-text table
            for table, fts_table, column in (
                (identity, identity_fts, identity_fts.c.display),
                (affiliation, affiliation_fts, affiliation_fts.c.organisation),
                (affiliation, affiliation_fts, affiliation_fts.c.title),
                (tag, tag_fts, tag_fts.c.name),
            )
        ),
    )


def name_contains(query: str) -> Any:
    """The person's name contains ``query`` (any case; ``%`` and ``_`` are plain characters)."""
    return _contains(person.c.display_name, query)


def _contains(column: Any, query: str) -> Any:
    return func.lower(column).contains(query.lower(), autoescape=True)


def scanned_matches(owner_id: int, query: str) -> Any:
    """The same condition on the tables themselves (PostgreSQL, and short queries)."""
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
