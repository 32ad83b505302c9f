"""Shared fixtures: a store on SQLite and on a real PostgreSQL, each test in its own space."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# pytest-xdist hands its workers the terminal's COLUMNS, and rich fixes a console's width from
# it when the CLI module is first imported: tests choose their width per run (COLUMNS in the
# environment of the command they run) as they do in one process
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)

from rekindle.store import Store, open_store  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_URL = os.environ.get("REKINDLE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the real data directory or an inherited database URL."""
    monkeypatch.setenv("REKINDLE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REKINDLE_DATABASE_URL", raising=False)


def _pg_available() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install 'rekindle[postgres]')"
    try:
        with psycopg.connect(PG_URL, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means: no server here
        return f"no PostgreSQL at {PG_URL}: {str(exc).splitlines()[0]}"


_PG_REASON: list[str | None] = []


def pg_skip_reason() -> str | None:
    if not _PG_REASON:
        _PG_REASON.append(_pg_available())
    reason = _PG_REASON[0]
    if reason and os.environ.get("CI"):
        pytest.fail(f"CI must run the PostgreSQL tests: {reason}")
    return reason


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A database URL whose search_path is a fresh schema, dropped afterwards."""
    reason = pg_skip_reason()
    if reason:
        pytest.skip(reason)
    import psycopg
    from psycopg import sql

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "rekindle.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = open_store(db_url)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(str(tmp_path / "rekindle.db"))
    try:
        yield s
    finally:
        s.close()
