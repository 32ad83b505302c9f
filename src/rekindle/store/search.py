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
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
)

from rekindle.identity.identifiers import normalise_email
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


def text_filter(conn: Connection, query: str, owner_id: int) -> tuple[str, dict[str, Any]]:
    """How ``query`` is matched here: the kind of condition (:func:`condition` builds it) and
    the values of its parameters. Looking it up may read the index, never the people.

    - ``ids``: up to :data:`FEW_MATCHES` people the index found, listed; the planner reads
      them by key and sorts them.
    - ``indexed``: more; the condition stays a subquery on the index, and the planner walks
      the people in name order, stopping once a page is full (a common fragment such as
      ``mar`` meets its matches soon).
    - ``lagging``: some documents are stale (a write that bypassed :func:`refresh_stale`):
      those people are checked on their rows, so an index that lags never hides anyone.
    - ``name``: a query too short for trigrams matches names only (SQLite).
    - ``scan``: no index (PostgreSQL, an old SQLite): every searched column is scanned.

    An email address, however written (``Maria.G+news@googlemail.com``), also finds whoever
    holds it by its match key: those people are ``ids`` with the text's own matches.
    """
    by_address = _address_holders(conn, owner_id, query)
    if by_address:
        return "ids", {"match_ids": by_address}
    pattern = like_pattern(query)
    if not uses_index(conn, query):
        short = conn.dialect.name == "sqlite" and len(query) < MIN_INDEXED
        return ("name" if short else "scan"), {"pattern": pattern}
    phrase = '"' + query.replace('"', '""') + '"'  # the whole query, as one literal string
    stale = [int(r[0]) for r in conn.execute(_STALE)]
    if stale:
        return "lagging", {"phrase": phrase, "stale": stale, "pattern": pattern}
    ids = [int(r[0]) for r in conn.execute(_FOUND_FEW, {"phrase": phrase})]
    if len(ids) <= FEW_MATCHES:
        return "ids", {"match_ids": ids}
    return "indexed", {"phrase": phrase}


def _address_holders(conn: Connection, owner_id: int, query: str) -> list[int]:
    """The owner's people holding the email address ``query`` by its match key; none when
    ``query`` is no address."""
    if "@" not in query or len(query) > 320:
        return []
    key = normalise_email(query)
    if key is None:
        return []
    rows = conn.execute(
        select(identity.c.person_id)
        .where(identity.c.owner_id == owner_id, identity.c.kind == "email", identity.c.value == key)
        .limit(FEW_MATCHES)
    )
    return sorted({int(r[0]) for r in rows})


def condition(kind: str) -> Any:
    """The condition on ``person`` for a :func:`text_filter` kind, with bind parameters only
    (``owner_id`` among them), so that a statement built with it serves every search."""
    if kind == "ids":
        return person.c.id.in_(bindparam("match_ids", expanding=True))
    found = _found().union(select(search_stale.c.person_id))
    if kind == "indexed":
        # ``id + 0`` is no key to look rows up by: the planner walks the people in name order
        return (person.c.id + 0).in_(found)
    if kind == "lagging":
        fresh = person.c.id.not_in(bindparam("stale", expanding=True))
        return and_(person.c.id.in_(found), or_(fresh, scanned_matches()))
    if kind == "name":
        return _contains(person.c.display_name)
    return scanned_matches()


def _found() -> Any:
    return select(search_index.c.rowid).where(search_index.c.doc.match(bindparam("phrase")))


_STALE = select(search_stale.c.person_id)
_FOUND_FEW = _found().limit(FEW_MATCHES + 1)


def like_pattern(text: str) -> str:
    """The LIKE pattern (escape character ``/``) for "contains ``text``", in lower case: ``%``
    and ``_`` in it are plain characters."""
    escaped = text.lower().replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


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


def _contains(column: Any) -> Any:
    """``column`` contains the ``pattern`` parameter's text, in any case."""
    return func.lower(column).like(bindparam("pattern"), escape="/")


def scanned_matches() -> Any:
    """The name, an identity, an organisation, a title or a tag contains the ``pattern``
    parameter's text, read from the tables themselves."""
    owner_id: Any = bindparam("owner_id")
    return or_(
        _contains(person.c.display_name),
        person.c.id.in_(
            select(identity.c.person_id).where(
                identity.c.owner_id == owner_id, _contains(identity.c.display)
            )
        ),
        person.c.id.in_(
            select(affiliation.c.person_id).where(
                affiliation.c.owner_id == owner_id,
                or_(_contains(affiliation.c.organisation), _contains(affiliation.c.title)),
            )
        ),
        person.c.id.in_(
            select(tag.c.person_id).where(tag.c.owner_id == owner_id, _contains(tag.c.name))
        ),
    )
