"""The migrations build exactly the schema the code queries, on both databases."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from rekindle.store import Store, open_store
from rekindle.store.database import current_revision, head_revision
from rekindle.store.schema import metadata
from rekindle.store.search import SQLITE_ONLY_PREFIX


def _not_search_index(name: str | None, type_: str, parent: object) -> bool:
    """SQLite's search tables (migration 0007) are not part of the queried schema."""
    return not (type_ == "table" and name is not None and name.startswith(SQLITE_ONLY_PREFIX))


def test_migrated_schema_matches_the_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        context = MigrationContext.configure(conn, opts={"include_name": _not_search_index})
        diffs = compare_metadata(context, metadata)
    assert diffs == []


def test_opening_twice_is_harmless(db_url: str) -> None:
    first = open_store(db_url)
    first.close()
    second = open_store(db_url)
    try:
        assert second.owner_id == first.owner_id
    finally:
        second.close()


def test_upgrading_a_populated_database_keeps_every_row(db_url: str) -> None:
    """A database made before the team tables (revision 0004), with people and history in
    it, opened by today's code: every row is still there (on SQLite, a rebuilt ``owner``
    table would have cascaded to everything)."""
    from alembic import command
    from sqlalchemy import func, select, text

    from rekindle.config import resolve_location
    from rekindle.services.importing import import_path
    from rekindle.store.database import _alembic_config, make_engine, migrate
    from rekindle.store.schema import identity, person
    from tests.conftest import FIXTURES

    engine = make_engine(resolve_location(db_url))
    with engine.connect() as conn:
        command.upgrade(_alembic_config(conn), "0004")
        conn.commit()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO owner (username, display_name, created_at) VALUES ('local', 'local', :t)"
            ),
            {"t": "2026-01-01 00:00:00"},
        )
    with engine.begin() as conn:
        owner_id = conn.execute(text("SELECT id FROM owner")).scalar()
        for i in range(3):
            conn.execute(
                text(
                    "INSERT INTO person (owner_id, display_name, sort_name, is_me, status, created_at, updated_at) "
                    "VALUES (:o, :n, :n, false, 'active', :t, :t)"
                ),
                {"o": owner_id, "n": f"Person {i}", "t": "2026-01-01 00:00:00"},
            )
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(person)).scalar()
    migrate(engine)
    engine.dispose()
    upgraded = open_store(db_url)
    try:
        with upgraded.read() as conn:
            assert conn.execute(select(func.count()).select_from(person)).scalar() == before == 3
            assert current_revision(conn) == head_revision()
        import_path(upgraded, FIXTURES / "vcard" / "apple-item-labels.vcf")
        with upgraded.read() as conn:
            assert conn.execute(select(func.count()).select_from(person)).scalar() == 4
            assert conn.execute(select(func.count()).select_from(identity)).scalar() > 0
    finally:
        upgraded.close()


def test_upgrading_history_copies_each_interactions_time_and_indexes_the_people(
    db_url: str,
) -> None:
    """People and interactions stored before migrations 0007 and 0008: afterwards the search
    finds the people, and each link carries its interaction's time for the Person page."""
    from datetime import UTC, datetime

    from alembic import command
    from sqlalchemy import select, text

    from rekindle.config import resolve_location
    from rekindle.services import people as people_svc
    from rekindle.store.database import _alembic_config, make_engine, migrate
    from rekindle.store.history import history_page
    from rekindle.store.schema import interaction_person

    engine = make_engine(resolve_location(db_url))
    with engine.connect() as conn:
        command.upgrade(_alembic_config(conn), "0006")
        conn.commit()
    at = ["2025-03-01 10:00:00", "2026-06-02 09:30:00"]
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO owner (username, display_name, created_at) VALUES ('local', 'local', :t)"
            ),
            {"t": at[0]},
        )
        conn.execute(
            text(
                "INSERT INTO person (owner_id, display_name, sort_name, is_me, status, created_at, updated_at) "
                "VALUES (1, 'Ingrid Halvorsen', 'halvorsen ingrid', false, 'active', :t, :t)"
            ),
            {"t": at[0]},
        )
        pid = conn.execute(text("SELECT id FROM person")).scalar()
        for n, when in enumerate(at):
            conn.execute(
                text(
                    "INSERT INTO interaction (owner_id, source, natural_key, occurred_at, channel, direction, group_size) "
                    "VALUES (1, 'mbox', :k, :t, 'email', 'in', 1)"
                ),
                {"k": f"m{n}", "t": when},
            )
            iid = conn.execute(text("SELECT max(id) FROM interaction")).scalar()
            for value in ("ingrid@example.no", "ingrid.h@example.no"):  # two of her addresses
                conn.execute(
                    text(
                        "INSERT INTO interaction_person (interaction_id, owner_id, person_id, identity_kind, identity_value) "
                        "VALUES (:i, 1, :p, 'email', :v)"
                    ),
                    {"i": iid, "p": pid, "v": value},
                )
    migrate(engine)
    engine.dispose()
    upgraded = open_store(db_url)
    try:
        with upgraded.read() as conn:
            times = (
                conn.execute(
                    select(interaction_person.c.occurred_at).order_by(
                        interaction_person.c.occurred_at
                    )
                )
                .scalars()
                .all()
            )
            rows, (first, last, count) = history_page(conn, pid, 50)
        expected = [datetime.fromisoformat(t).replace(tzinfo=UTC) for t in at]
        assert times == [expected[0], expected[0], expected[1], expected[1]]
        assert [r.occurred_at for r in rows] == expected[::-1]  # latest first, once each
        assert (first, last, count) == (expected[0], expected[1], 2)
        found = people_svc.list_people(upgraded, "halvors", None, None, 0)
        assert [p["name"] for p in found] == ["Ingrid Halvorsen"]
    finally:
        upgraded.close()


def test_the_cli_says_when_it_upgrades_an_older_database(tmp_path: Path) -> None:
    """Upgrading a long history takes a while: the CLI says so first, on stderr, and only
    for a database an older version made."""
    import subprocess
    import sys

    from alembic import command

    from rekindle.config import resolve_location
    from rekindle.store.database import _alembic_config, make_engine

    def people(db: object) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "rekindle", "--db", str(db), "people"]
        return subprocess.run(cmd, capture_output=True, text=True, check=True)

    older = tmp_path / "older.db"
    engine = make_engine(resolve_location(str(older)))
    with engine.connect() as conn:
        command.upgrade(_alembic_config(conn), "0007")
        conn.commit()
    engine.dispose()
    first = people(older)
    assert f"Upgrading the database from schema 0007 to {head_revision()}" in first.stderr
    assert "Upgrading" not in people(older).stderr  # once
    assert "Upgrading" not in people(tmp_path / "new.db").stderr  # a new one is just created


def test_upgrading_marks_linkedin_messages_as_linkedin(db_url: str) -> None:
    """Migration 0014: interactions of LinkedIn messages stored as email become LinkedIn's."""
    from alembic import command
    from sqlalchemy import text

    from rekindle.config import resolve_location
    from rekindle.store.database import _alembic_config, make_engine, migrate

    engine = make_engine(resolve_location(db_url))
    with engine.connect() as conn:
        command.upgrade(_alembic_config(conn), "0013")
        conn.commit()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO owner (username, display_name, created_at) "
                "VALUES ('local', 'local', '2025-01-01 00:00:00')"
            )
        )
        for key, source in (("li-1", "linkedin-messages"), ("mb-1", "mbox")):
            conn.execute(
                text(
                    "INSERT INTO message (owner_id, key, fingerprint, bounce, in_sent, "
                    "recipients, source, locator) VALUES (1, :k, 'f', false, false, 1, :s, 'x')"
                ),
                {"k": key, "s": source},
            )
            conn.execute(
                text(
                    "INSERT INTO interaction (owner_id, source, natural_key, occurred_at, "
                    "channel, direction, group_size) "
                    "VALUES (1, 'mail', :k, '2025-01-01 00:00:00', 'email', 'in', 1)"
                ),
                {"k": key},
            )
    migrate(engine)
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT natural_key, channel FROM interaction")).all())
    engine.dispose()
    assert rows == {"li-1": "linkedin", "mb-1": "email"}
