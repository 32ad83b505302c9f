"""Opening the database: engine, SQLite pragmas, migrations on open, the owner."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from rekindle.config import Location, resolve_location
from rekindle.errors import UserError
from rekindle.store.schema import owner

MIGRATIONS = Path(__file__).parent / "migrations"
LOCAL_OWNER = "local"


def utcnow() -> datetime:
    return datetime.now(UTC)


def _sqlite_engine(url: str, **kw: Any) -> Engine:
    engine = create_engine(url, **kw)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # let SQLAlchemy, not the driver, decide when transactions begin
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA cache_size=-65536")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def make_engine(location: Location) -> Engine:
    if location.is_sqlite:
        db_path = Path(location.url.removeprefix("sqlite:///"))
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create the data directory {db_path.parent}: {exc}") from None
        return _sqlite_engine(location.url)
    return create_engine(location.url, pool_pre_ping=True)


def _alembic_config(conn: Connection) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration; each migration runs in a transaction."""
    from alembic import command

    with engine.connect() as conn:
        if current_revision(conn) == head_revision():
            return
    with engine.connect() as conn:
        command.upgrade(_alembic_config(conn), "head")
        conn.commit()


@dataclass
class Store:
    """An open database and the owner whose data every query is scoped to."""

    engine: Engine
    location: Location
    owner_id: int

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on any error."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def ensure_owner(conn: Connection, username: str) -> int:
    found = conn.execute(select(owner.c.id).where(owner.c.username == username)).scalar()
    if found is not None:
        return int(found)
    result = conn.execute(
        insert(owner).values(username=username, display_name=username, created_at=utcnow())
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def open_store(db: str | None = None, username: str = LOCAL_OWNER) -> Store:
    """Open (creating and migrating as needed) the database named by ``db`` or the defaults."""
    location = resolve_location(db)
    engine = make_engine(location)
    try:
        migrate(engine)
        with engine.begin() as conn:
            owner_id = ensure_owner(conn, username)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise UserError(
            f"cannot open the database {location.describe()}: {reason}",
            hint="check --db / REKINDLE_DATABASE_URL, and that the server is running",
        ) from None
    except SQLAlchemyError as exc:
        engine.dispose()
        raise UserError(f"database error on {location.describe()}: {exc}") from None
    return Store(engine=engine, location=location, owner_id=owner_id)
