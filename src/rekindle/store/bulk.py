"""Bulk writes through the driver: one prepared INSERT, many rows, no per-row SQLAlchemy work.

Rows are plain tuples in the order of the columns given. Values still pass the columns' own
bind processors (UTC datetimes, booleans), so what is stored is exactly what a Core insert
would store, on SQLite and PostgreSQL alike. Mail syncs write hundreds of thousands of rows;
building a Core parameter set per row costs more than the database work itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Select, Table, func, insert, select

Row = Sequence[Any]
_Processors = list[tuple[int, Callable[[Any], Any]]]
_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s"}
_statements: dict[tuple[str, str, tuple[str, ...]], tuple[str, _Processors]] = {}


def _prepared(conn: Connection, table: Table, columns: tuple[str, ...]) -> tuple[str, _Processors]:
    """The INSERT statement in the driver's parameter style and the value converters it needs."""
    dialect = conn.dialect
    cache_key = (dialect.name, table.name, columns)
    found = _statements.get(cache_key)
    if found is not None:
        return found
    mark = _PLACEHOLDER.get(dialect.paramstyle)
    if mark is None:
        raise NotImplementedError(
            f"bulk inserts need positional parameters, not {dialect.paramstyle}"
        )
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join([mark] * len(columns))})"
    )
    processors: _Processors = []
    for i, name in enumerate(columns):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors.append((i, process))
    _statements[cache_key] = (sql, processors)
    return sql, processors


def _converted(rows: Sequence[Row], processors: _Processors) -> Sequence[Row]:
    if not processors:
        return rows
    out = []
    for row in rows:
        values = list(row)
        for i, process in processors:
            values[i] = process(values[i])
        out.append(tuple(values))
    return out


def converter(conn: Connection, table: Table, columns: Sequence[str]) -> Callable[[Row], Row]:
    """A function that turns a row into the values the driver takes (the columns' bind
    processors applied), so that the work can be done ahead (in a reader's child process);
    rows it made are inserted with ``converted=True``."""
    _, processors = _prepared(conn, table, tuple(columns))
    if not processors:
        return tuple

    def convert(row: Row) -> Row:
        values = list(row)
        for i, process in processors:
            values[i] = process(values[i])
        return tuple(values)

    return convert


def insert_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Row],
    *,
    converted: bool = False,
) -> None:
    """INSERT every row (a tuple of values in ``columns`` order) with one executemany.
    ``converted``: the rows come from :func:`converter`."""
    if not rows:
        return
    sql, processors = _prepared(conn, table, tuple(columns))
    conn.exec_driver_sql(sql, list(rows) if converted else list(_converted(rows, processors)))


def insert_rows_returning_ids(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Row],
    *,
    converted: bool = False,
) -> list[int]:
    """INSERT every row and return the new integer primary keys, in the rows' order.

    On SQLite the rows of one executemany get consecutive rowids (the transaction holds the
    write lock, and an INTEGER PRIMARY KEY takes the largest rowid plus one), so the ids are
    the ``len(rows)`` ending at ``last_insert_rowid()``. On PostgreSQL (psycopg 3) one
    executemany of INSERT … RETURNING, whose results come back in the rows' order; with
    another driver a Core INSERT … RETURNING.
    """
    if not rows:
        return []
    if conn.dialect.name != "sqlite":
        return _returning_ids(conn, table, columns, rows, converted)
    insert_rows(conn, table, columns, rows, converted=converted)
    last = int(conn.exec_driver_sql("SELECT last_insert_rowid()").scalar_one())
    first = last - len(rows) + 1
    found = conn.execute(
        select(func.count()).select_from(table).where(table.c.id.between(first, last))
    ).scalar_one()
    if found != len(rows):  # rowids were not handed out in sequence (the largest is taken)
        raise RuntimeError(f"{table.name}: new rows did not get consecutive ids")
    return list(range(first, last + 1))


def _returning_ids(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Row], converted: bool
) -> list[int]:
    sql, processors = _prepared(conn, table, tuple(columns))
    values = list(rows) if converted else list(_converted(rows, processors))
    if conn.dialect.driver != "psycopg":
        names = list(columns)
        result = conn.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            [dict(zip(names, row, strict=True)) for row in values],
        )
        return [int(r[0]) for r in result]
    raw = conn.connection.driver_connection
    assert raw is not None
    ids: list[int] = []
    with raw.cursor() as cur:
        cur.executemany(
            f"{sql} RETURNING {conn.dialect.identifier_preparer.quote('id')}",
            values,
            returning=True,
        )
        while True:
            ids.append(int(cur.fetchone()[0]))
            if not cur.nextset():
                break
    if len(ids) != len(values):
        raise RuntimeError(f"{table.name}: {len(ids)} ids back for {len(values)} new rows")
    return ids


def raw_rows(conn: Connection, statement: Select[Any]) -> list[tuple[Any, ...]]:
    """The rows of a SELECT as the driver gives them (values as stored, without the
    columns' result processing): plain tuples, fetched without per-row SQLAlchemy work."""
    return [row for batch in raw_batches(conn, statement, None) for row in batch]


def raw_batches(
    conn: Connection, statement: Select[Any], size: int | None = 10000
) -> Iterator[list[tuple[Any, ...]]]:
    """:func:`raw_rows` a batch of ``size`` rows at a time (None: all in one), for reads too
    large to hold as tuples at once. The driver's own cursor: on SQLite it steps through the
    rows as they are fetched."""
    # (a list given to IN is written out as one parameter per value)
    compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    positional = [params[name] for name in compiled.positiontup or ()]
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), positional)
        if size is None:
            yield list(cursor.fetchall())
            return
        while batch := cursor.fetchmany(size):
            yield list(batch)
    finally:
        cursor.close()


def _columns_of(rows: Sequence[dict[str, Any]]) -> tuple[str, ...]:
    columns = tuple(rows[0])
    if any(len(r) != len(columns) or r.keys() != rows[0].keys() for r in rows):
        raise ValueError("bulk inserts need the same columns in every row")
    return columns


def insert_dicts(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """:func:`insert_rows` for rows given as dicts (the same keys in each, every column the
    table has no server default for: Core's Python-side defaults are not applied)."""
    if rows:
        columns = _columns_of(rows)
        insert_rows(conn, table, columns, [tuple(r.values()) for r in rows])


def insert_dicts_returning_ids(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]]
) -> list[int]:
    """:func:`insert_rows_returning_ids` for rows given as dicts (as :func:`insert_dicts`)."""
    if not rows:
        return []
    columns = _columns_of(rows)
    return insert_rows_returning_ids(conn, table, columns, [tuple(r.values()) for r in rows])
