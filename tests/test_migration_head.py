"""The schema check on opening a database agrees with Alembic without importing it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine

from rekindle.store import open_store
from rekindle.store.database import _alembic_head, current_revision, head_revision


def test_the_head_read_from_the_files_is_alembics() -> None:
    assert head_revision() == _alembic_head()


def test_the_current_revision_of_a_new_and_of_a_migrated_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    engine = create_engine(url)
    with engine.connect() as conn:
        assert current_revision(conn) is None  # nothing there yet
    engine.dispose()
    open_store(url).close()
    engine = create_engine(url)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        from alembic.runtime.migration import MigrationContext

        assert current_revision(conn) == MigrationContext.configure(conn).get_current_revision()
    engine.dispose()
