"""Opening the database: engine, SQLite pragmas, migrations on open, the owner."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import (
    Connection,
    Engine,
    column,
    create_engine,
    event,
    insert,
    inspect,
    select,
    table,
)
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from rekindle.config import Location, resolve_location
from rekindle.errors import UserError
from rekindle.store.schema import owner
from rekindle.store.search import refresh_stale

MIGRATIONS = Path(__file__).parent / "migrations"
#: Alembic's table of the schema's revision (its default name)
VERSION_TABLE = "alembic_version"
LOCAL_OWNER = "local"
#: SQLite connections kept open (the web server runs requests on up to 40 threads)
POOL_SIZE = 20
MMAP_BYTES = 1 << 30
#: seconds to wait for a PostgreSQL server to answer a connection
CONNECT_TIMEOUT_S = 10
#: how long a SQLite writer waits for another to finish before "database is locked": an
#: import is one transaction (all or nothing) and holds the write lock while it runs
BUSY_TIMEOUT_MS = 60_000
#: execution option of a connection whose transaction will write (:meth:`Store.begin`)
WRITER = "rekindle_writer"
#: on a writer's pooled connection: its transaction is begun by its first statement
_PENDING = "rekindle_begin_immediate"


#: each connection's page cache (KiB): for the lookups of a page, a person, a plan
CACHE_KIB = 65536
#: the page cache of a scan of a whole large table (SQLite's default size)
SCAN_CACHE_KIB = 2000


@contextmanager
def scanning(conn: Connection) -> Iterator[None]:
    """A statement that reads every page of a large table once, and groups what it read, on
    SQLite: through the small cache SQLite has by default. Through the connection's large one
    the same scan took twice as long (the subjects of 1.7 million interactions grouped:
    2.2 against 1.1 CPU-s), its pages only passing through."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql(f"PRAGMA cache_size=-{SCAN_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size=-{CACHE_KIB}")


def utcnow() -> datetime:
    return datetime.now(UTC)


def _sqlite_engine(
    url: str, memory_map: bool = False, read_only: bool = False, **kw: Any
) -> Engine:
    # as many pooled connections as the web server's worker threads use at once: a connection
    # opened past the pool is closed again after one request, its cache and pragmas wasted
    kw.setdefault("pool_size", POOL_SIZE)
    kw.setdefault("max_overflow", POOL_SIZE)
    engine = create_engine(url, **kw)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # let SQLAlchemy, not the driver, decide when transactions begin
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        if not read_only:  # setting it writes the file's header
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        if memory_map:
            # read through a shared memory map: every pooled connection sees the same pages
            # instead of warming a private cache of its own (the web server's threads); a
            # one-shot command does without, or the mapped pages of a large database would
            # count as its memory (a mail sync stays under its bound)
            cur.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        cur.close()

    # One discipline for writers: a transaction that will write takes the write lock with its
    # first statement (BEGIN IMMEDIATE), waiting up to the busy timeout for another writer to
    # finish. A deferred transaction that reads first and writes later cannot wait: when
    # another connection committed in between, its upgrade to a writer fails at once with
    # "database is locked" whatever the busy timeout (SQLite's busy handler is not called
    # then). Readers stay deferred: in WAL mode they never wait for a writer.
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITER):
            # begun lazily by the first statement, so a writer that first reads a file for a
            # while (a sync's batch) does not hold the lock meanwhile
            conn.info[_PENDING] = True
        else:
            conn.info.pop(_PENDING, None)
            conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "before_cursor_execute")
    def _begin_writer(
        conn: Connection, cursor: Any, _stmt: Any, _params: Any, _ctx: Any, _many: bool
    ) -> None:
        if conn.info.pop(_PENDING, False):
            cursor.execute("BEGIN IMMEDIATE")

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(conn: Connection) -> None:
        conn.info.pop(_PENDING, None)

    return engine


def sqlite_read_only(location: Location) -> bool:
    """Whether the SQLite file exists but may not be written (then it is opened read-only)."""
    if not location.is_sqlite:
        return False
    db_path = Path(location.url.removeprefix("sqlite:///"))
    return db_path.is_file() and not os.access(db_path, os.W_OK)


def make_engine(location: Location, memory_map: bool = False) -> Engine:
    if location.is_sqlite:
        db_path = Path(location.url.removeprefix("sqlite:///"))
        if sqlite_read_only(location):
            # opened so, reading works; a command that changes something says why it cannot
            url = f"sqlite:///file:{quote(str(db_path))}?mode=ro&uri=true"
            return _sqlite_engine(url, memory_map, read_only=True)
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create the data directory {db_path.parent}: {exc}") from None
        return _sqlite_engine(location.url, memory_map)
    # an unresponsive server (a firewall dropping packets) fails the command after this long
    # instead of hanging it; a URL's own connect_timeout wins
    args = {} if "connect_timeout=" in location.url else {"connect_timeout": CONNECT_TIMEOUT_S}
    return create_engine(location.url, pool_pre_ping=True, connect_args=args)


def _alembic_config(conn: Connection) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    """The newest migration's revision: the one no other migration names as its
    ``down_revision``, read from the files' own ``revision =`` lines.

    Every command checks it on opening the database; asking Alembic's script directory
    instead imports Alembic, Mako and every migration (0.2 s a start). Should the files not
    form one plain chain, Alembic is asked after all (it reports branches its own way).
    """
    revisions: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        own = _REVISION.search(source)
        down = _DOWN_REVISION.search(source)
        if own is None or down is None:
            return _alembic_head()
        revisions[own.group(1)] = down.group(1)
    named = set(revisions.values())
    heads = [rev for rev in revisions if rev not in named]
    return heads[0] if len(heads) == 1 else _alembic_head()


#: a migration file's own revision and the one it follows (``None`` for the first)
_REVISION = re.compile(r"""^revision(?:\s*:[^=\n]*)?\s*=\s*["']([^"'\n]+)["']""", re.M)
_DOWN_REVISION = re.compile(
    r"""^down_revision(?:\s*:[^=\n]*)?\s*=\s*(?:["']([^"'\n]+)["']|None)""", re.M
)


def _alembic_head() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision the database's schema is at (``None``: a new, empty database), read from
    Alembic's ``alembic_version`` table with one query, without importing Alembic."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    version = table(VERSION_TABLE, column("version_num"))
    rows = conn.execute(select(version.c.version_num)).scalars().all()
    if len(rows) > 1:  # branches merged by hand: Alembic knows what that means
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(conn).get_current_revision()
    return str(rows[0]) if rows else None


#: told (from revision, to revision) before an existing database's schema is upgraded
Upgrading = Callable[[str, str], None]


def migrate(engine: Engine, on_upgrade: Upgrading | None = None) -> None:
    """Bring the schema to the newest migration; each migration runs in a transaction.
    ``on_upgrade`` hears of it first when a database made by an older version is upgraded
    (a new one is just created)."""
    with engine.connect() as conn:
        found = current_revision(conn)
    head = head_revision()
    if found == head:
        return
    if found is not None and on_upgrade is not None:
        on_upgrade(found, head)
    from alembic import command  # only now: a start whose schema is current goes without

    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # a migration that rebuilds a table (Alembic's batch mode on SQLite) drops it; with
            # foreign keys on, dropping a table others reference would cascade to their rows
            _driver(conn).execute("PRAGMA foreign_keys=OFF")
        try:
            command.upgrade(_alembic_config(conn), "head")
            conn.commit()
        finally:
            if sqlite:
                _driver(conn).execute("PRAGMA foreign_keys=ON")
        if sqlite:
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            conn.rollback()
            if broken:
                raise UserError(
                    f"the schema upgrade left {len(broken)} rows pointing nowhere",
                    hint="restore the database from its backup and report it",
                )


def _driver(conn: Connection) -> Any:
    """The DBAPI connection under ``conn`` (PRAGMAs that must run outside a transaction)."""
    return conn.connection.dbapi_connection


@dataclass
class Store:
    """An open database and the owner whose data every query is scoped to."""

    engine: Engine
    location: Location
    owner_id: int
    #: a SQLite file this user may not write: opened read-only
    read_only: bool = False

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on any error. The
        search documents of the people it changed are rebuilt just before it commits.

        On SQLite the transaction is a writer's from its first statement (``BEGIN
        IMMEDIATE``): it waits for another writer up to the busy timeout instead of failing
        when it first reads and then writes."""
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITER: True})
            with conn.begin():
                yield conn
                refresh_stale(conn)

    @contextmanager
    def begin_loading(self) -> Iterator[Connection]:
        """:meth:`begin` for a first sync's load, which only inserts rows whose references it
        has just made: SQLite checks no foreign key row by row meanwhile (the loader checks
        them all at the end, :func:`rekindle.store.mail.check_references`, a sorted pass
        costing a fraction of that). Nothing is deleted, so no cascade is missed.
        PostgreSQL's transaction is :meth:`begin`'s."""
        with self.engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                _driver(conn).execute("PRAGMA foreign_keys=OFF")
            try:
                conn.execution_options(**{WRITER: True})
                with conn.begin():
                    yield conn
                    refresh_stale(conn)
            finally:
                if sqlite:  # the connection goes back to the pool as every other one is
                    _driver(conn).execute("PRAGMA foreign_keys=ON")

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    def update_statistics(self) -> None:
        """Tell SQLite's query planner how large the tables are and how selective the indexes
        (``ANALYZE``, sampled: milliseconds on millions of rows). Without statistics it takes
        every indexed equality for a narrow one, ``owner_id = ?`` included, and walks all the
        people instead of the few a search found. PostgreSQL keeps its own up to date."""
        if self.engine.dialect.name != "sqlite" or self.read_only:
            return
        with self.begin() as conn:
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
            conn.exec_driver_sql("ANALYZE")


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


def open_store(
    db: str | None = None,
    username: str | None = None,
    on_upgrade: Upgrading | None = None,
    *,
    memory_map: bool = False,
) -> Store:
    """Open (creating and migrating as needed) the database named by ``db`` or the defaults.

    The data is the local owner's, or ``username``'s: a team account, which must exist.
    ``on_upgrade`` is told before an older database's schema is upgraded. ``memory_map``:
    SQLite connections read through a shared memory map (for the web server's threads).
    """
    location = resolve_location(db)
    engine = make_engine(location, memory_map)
    try:
        migrate(engine, on_upgrade)
        with engine.begin() as conn:
            if username is None or username == LOCAL_OWNER:
                owner_id = ensure_owner(conn, LOCAL_OWNER)
            else:
                found = conn.execute(select(owner.c.id).where(owner.c.username == username))
                owner_id = found.scalar() or 0
        if not owner_id:
            engine.dispose()
            raise UserError(
                f"no account named {username!r} in {location.describe()}",
                hint="`rekindle user list` shows the accounts; `rekindle user add` creates one",
            )
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise UserError(
            f"cannot open the database {location.describe()}: {reason}",
            hint="check --db / REKINDLE_DATABASE_URL, and that the server is running",
        ) from None
    except SQLAlchemyError as exc:
        engine.dispose()
        orig = getattr(exc, "orig", None)  # the driver's words, without SQLAlchemy's link
        reason = (str(orig) if orig is not None else str(exc)).strip().splitlines()[0]
        if "not a database" in reason:
            raise UserError(
                f"{location.describe()}: not a Rekindle database ({reason})",
                hint="give --db a database file (a new name makes one), not a file to import",
            ) from None
        raise UserError(f"database error on {location.describe()}: {reason}") from None
    return Store(
        engine=engine,
        location=location,
        owner_id=owner_id,
        read_only=sqlite_read_only(location),
    )


def driver_message(exc: BaseException) -> str:
    """The first line of what the database driver said (a SQLAlchemy error wraps it)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
