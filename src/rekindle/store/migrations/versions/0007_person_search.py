"""People search from one trigram document per person, on SQLite

Migration 0006 indexed each searched column apart. A search then had to go from every matching
identity, affiliation and tag row back to its person: a common fragment such as ``mar`` meant
thousands of row look-ups before the first result. Here each person has one document in the
full-text table ``search_index`` (rowid = the person's id): their name, identities,
organisations, titles and tags, a line each. A search reads the matching person ids straight
from the index.

Triggers do not rewrite a document on every row change (an import adding four identities to a
person would rebuild it four times). They note the person in ``search_stale``, and
:func:`rekindle.store.search.refresh_stale` rebuilds the noted documents in one statement
before the writing transaction commits (``Store.begin``). A write that bypasses ``Store.begin``
leaves the notes for the next one; searches meanwhile also look at the noted people's rows.

PostgreSQL, and an SQLite without FTS5's trigram tokenizer, scan instead, as before.

A later migration that rebuilds person, identity, affiliation or tag with ``batch_alter_table``
on SQLite drops that table's triggers with it: it must create them again (``create_triggers``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 07:00:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: table -> (the column naming the person, the columns whose change stales the document)
WATCHED = {
    "person": ("id", ("display_name",)),
    "identity": ("person_id", ("display", "person_id")),
    "affiliation": ("person_id", ("organisation", "title", "person_id")),
    "tag": ("person_id", ("name", "person_id")),
}


def create_triggers(table: str) -> None:
    key, columns = WATCHED[table]

    def note(row: str) -> str:
        return f"INSERT OR IGNORE INTO search_stale(person_id) VALUES ({row}.{key});"

    op.execute(f"CREATE TRIGGER {table}_search_ai AFTER INSERT ON {table} BEGIN {note('new')} END")
    op.execute(f"CREATE TRIGGER {table}_search_ad AFTER DELETE ON {table} BEGIN {note('old')} END")
    op.execute(
        f"CREATE TRIGGER {table}_search_au AFTER UPDATE OF {', '.join(columns)} ON {table} "
        f"BEGIN {note('old')} {note('new')} END"
    )


def _migration_0006() -> Any:
    path = Path(__file__).with_name("0006_page_indexes.py")
    spec = importlib.util.spec_from_file_location("rekindle_migration_0006", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _drop_column_indexes() -> None:
    for table in _migration_0006().SEARCHED:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {table}_fts")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite" or not _migration_0006().has_trigram_search():
        return
    _drop_column_indexes()
    op.execute("CREATE TABLE search_stale (person_id INTEGER NOT NULL PRIMARY KEY)")
    op.execute("CREATE VIRTUAL TABLE search_index USING fts5(doc, tokenize='trigram')")
    for table in WATCHED:
        create_triggers(table)
    op.execute("INSERT INTO search_stale(person_id) SELECT id FROM person")
    from rekindle.store.search import refresh_stale

    refresh_stale(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in WATCHED:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_search_{suffix}")
    op.execute("DROP TABLE IF EXISTS search_index")
    op.execute("DROP TABLE IF EXISTS search_stale")
    earlier = _migration_0006()
    if earlier.has_trigram_search():
        earlier.create_indexes()
