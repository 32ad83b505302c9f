"""The migrations build exactly the schema the code queries, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from rekindle.store import Store, open_store
from rekindle.store.database import current_revision, head_revision
from rekindle.store.schema import metadata


def test_migrated_schema_matches_the_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diffs == []


def test_opening_twice_is_harmless(db_url: str) -> None:
    first = open_store(db_url)
    first.close()
    second = open_store(db_url)
    try:
        assert second.owner_id == first.owner_id
    finally:
        second.close()
