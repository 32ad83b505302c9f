"""A backup the user can trust: ``export json`` holds everything, ``import`` of it restores it.

The file is JSON, versioned (``"format": "rekindle-backup", "version": 1``). Beside a readable
``people`` section (each person as ``show --json`` tells them, with their source records) it
holds, under ``tables``, every row of the account: people, records, identities, merges and
your edits, notes and tags, the synced mail and meetings, the outreach log with its texts,
occasions, goals, settings and your own addresses. Restoring it into an empty database gives
back exactly the same data (an export of the restored database equals the backup). Restoring
into a database that already holds people is refused: merging two histories cannot be made
exact.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Connection, Date, DateTime, LargeBinary, Table
from sqlalchemy.exc import DBAPIError

from rekindle.errors import UserError
from rekindle.plural import counted
from rekindle.services.people import person_view
from rekindle.store import Store
from rekindle.store import backup as bq
from rekindle.store import contacts as q
from rekindle.store import people as pq
from rekindle.store.database import current_revision

FORMAT = "rekindle-backup"
VERSION = 1
_SNIFF = re.compile(rb'^\s*\{\s*"format"\s*:\s*"rekindle-backup"')
#: the first bytes of a file looked at to tell a backup
SNIFF_BYTES = 256
_HINT = "restore into a new database: rekindle --db NEW.db import FILE"


@dataclass
class RestoreReport:
    path: str
    people: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        shown = [
            counted(self.rows.get(table, 0), *nouns)
            for table, *nouns in _SUMMARY_NOUNS
            if self.rows.get(table)
        ]
        return f"restored {counted(self.people, 'person', 'people')} from {self.path}" + (
            f" ({', '.join(shown)})" if shown else ""
        )


#: what a restore's summary counts, table by table
_SUMMARY_NOUNS = (
    ("source_record", "contact record"),
    ("interaction", "interaction"),
    ("message", "message"),
    ("outreach", "outreach entry", "outreach entries"),
    ("note", "note"),
    ("merge_event", "merge"),
)


def looks_like_backup(path: Path) -> bool:
    """Whether the file starts as a Rekindle backup does."""
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return False
    return bool(_SNIFF.match(head.removeprefix(b"\xef\xbb\xbf")))


# --- writing ------------------------------------------------------------------------------


def write_backup(store: Store, out: TextIO) -> int:
    """Write the whole account to ``out``; return how many people it holds."""
    with store.read() as conn:
        out.write(f'{{"format": "{FORMAT}", "version": {VERSION},\n')
        out.write(f'"schema": {json.dumps(current_revision(conn))},\n')
        settings = bq.owner_settings(conn, store.owner_id)
        out.write(f'"owner": {_dumps(settings)},\n"people": [\n')
        count = 0
        for n, item in enumerate(_people(conn, store.owner_id)):
            out.write((",\n" if n else "") + _dumps(item))
            count += 1
        out.write('\n],\n"tables": {')
        for n, table in enumerate(bq.backup_tables()):
            _write_table(conn, store.owner_id, table, out, first=n == 0)
        out.write("\n}}\n")
    return count


def _people(conn: Connection, owner_id: int) -> Iterator[dict[str, Any]]:
    for pid in pq.all_person_ids(conn, owner_id):
        data = person_view(conn, owner_id, pid).as_json()
        data["records"] = [
            {**r, "payload": rec.payload, "data": q.record_data(rec)}
            for r, rec in zip(data["records"], q.records_of(conn, owner_id, pid), strict=True)
        ]
        yield data


def _write_table(conn: Connection, owner_id: int, table: Table, out: TextIO, first: bool) -> None:
    columns = [c.name for c in table.c if c.name != "owner_id"]
    out.write(("" if first else ",") + f'\n"{table.name}": {{"columns": {_dumps(columns)}, ')
    out.write('"rows": [')
    for n, row in enumerate(bq.owner_rows(conn, owner_id, table)):
        values = [_encode(table, name, row[name]) for name in columns]
        out.write(("," if n else "") + "\n" + _dumps(values))
    out.write("]}")


def _encode(table: Table, name: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- restoring ----------------------------------------------------------------------------


def restore_backup(store: Store, path: Path) -> RestoreReport:
    """Restore a backup into this account, which must hold nobody yet; all or nothing."""
    data = _load(path)
    tables = {t.name: t for t in bq.backup_tables()}
    rows = data["tables"]
    for name, block in rows.items():
        if name not in tables:
            raise UserError(f"{path}: table {name!r} is unknown here", hint="upgrade Rekindle")
        unknown = set(block.get("columns", [])) - set(tables[name].c.keys())
        if unknown:
            raise UserError(
                f"{path}: {name} has columns this Rekindle does not know ({', '.join(sorted(unknown))})",
                hint="the backup was made by a newer Rekindle: upgrade first",
            )
    report = RestoreReport(str(path), people=len(data.get("people", [])))
    sizes: dict[Any, Any] = {}  # interaction id -> group size, for links of older backups
    with store.begin() as conn:
        _refuse_unless_empty(conn, store.owner_id, path)
        bq.clear_settings(conn, store.owner_id)
        for name, table in tables.items():
            block = rows.get(name) or {"columns": [], "rows": []}
            decoded = _decode_rows(table, block, store.owner_id, path)
            if name == "interaction":
                sizes = {r.get("id"): r.get("group_size") for r in decoded}
            elif name == "interaction_person":
                _link_sizes(decoded, sizes)
            if (
                decoded
                and "id" in table.c
                and bq.ids_taken(conn, table, [r["id"] for r in decoded])
            ):
                raise UserError(
                    f"{path}: this database holds other accounts whose ids the backup uses",
                    hint=_HINT,
                )
            try:
                bq.insert_rows(conn, table, decoded)
            except DBAPIError as exc:
                reason = str(exc.orig or exc).strip().splitlines()[0]
                raise UserError(
                    f"{path}: the {name} rows cannot be restored ({reason}); nothing was changed"
                ) from None
            report.rows[name] = len(decoded)
        bq.restore_owner(conn, store.owner_id, _owner_values(data.get("owner") or {}))
        bq.move_sequences(conn)
    return report


def _link_sizes(links: list[dict[str, Any]], sizes: dict[Any, Any]) -> None:
    """A backup made before links carried their interaction's group size (schema 0016) gets
    it from the interactions restored just before."""
    for link in links:
        if link.get("group_size") is None:
            link["group_size"] = sizes.get(link.get("interaction_id")) or 1


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except (ValueError, UnicodeError) as exc:
        raise UserError(f"{path}: not a readable backup ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(
            f"{path}: not a Rekindle backup", hint="make one with: rekindle export json"
        )
    version = data.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise UserError(
            f"{path}: backup format version {version!r} is newer than this Rekindle reads ({VERSION})",
            hint="upgrade Rekindle first",
        )
    if not isinstance(data.get("tables"), dict):
        raise UserError(f"{path}: the backup holds no tables (cut short?)")
    return data


def _refuse_unless_empty(conn: Connection, owner_id: int, path: Path) -> None:
    held = {k: v for k, v in bq.rows_held(conn, owner_id).items() if k != "setting"}
    if held:
        people = pq.count_people(conn, owner_id)  # as doctor counts: not merged, not "me"
        what = (
            counted(people, "person", "people")
            if people
            else ", ".join(counted(v, f"{k.replace('_', ' ')} row") for k, v in held.items())
        )
        raise UserError(
            f"{path}: not restored, this database already holds {what}",
            hint="a backup goes into an empty database: rekindle --db NEW.db import FILE",
        )


def _decode_rows(
    table: Table, block: dict[str, Any], owner_id: int, path: Path
) -> list[dict[str, Any]]:
    columns = block.get("columns") or []
    decoders = [_decoder(table, name) for name in columns]
    out = []
    for n, values in enumerate(block.get("rows") or []):
        if not isinstance(values, list) or len(values) != len(columns):
            raise UserError(f"{path}: {table.name} row {n + 1} does not match its columns")
        try:
            row = {c: d(v) for c, d, v in zip(columns, decoders, values, strict=True)}
        except (ValueError, TypeError) as exc:
            raise UserError(f"{path}: {table.name} row {n + 1}: {exc}") from None
        if "owner_id" in table.c:
            row["owner_id"] = owner_id
        out.append(row)
    return out


def _decoder(table: Table, name: str) -> Any:
    kind = table.c[name].type
    if isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(kind, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    return lambda v: v


def _owner_values(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in bq.OWNER_COLUMNS}
