"""`rekindle doctor`: what a user needs to help themselves."""

from __future__ import annotations

import importlib.util
import platform
import sys
from typing import Any

from rekindle import __version__
from rekindle.config import resolve_location
from rekindle.errors import RekindleError
from rekindle.services import settings
from rekindle.sources import importers
from rekindle.store import open_store
from rekindle.store import people as pq
from rekindle.store.database import current_revision, head_revision
from rekindle.store.history import count_interactions

OPTIONAL = {
    "psycopg": "PostgreSQL support (pip install 'rekindle[postgres]')",
}


def diagnose(db: str | None) -> dict[str, Any]:
    location = resolve_location(db)
    report: dict[str, Any] = {
        "version": __version__,
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "data_dir": str(location.data_dir),
        "database": location.describe(),
        "backend": "sqlite" if location.is_sqlite else location.url.split(":", 1)[0],
        "schema_head": head_revision(),
        "formats": sorted(importers()),
        "optional": {name: bool(importlib.util.find_spec(name)) for name in OPTIONAL},
        "problems": [],
    }
    try:
        store = open_store(db)
    except RekindleError as exc:
        report["problems"].append(exc.message)
        report["database_ok"] = False
        return report
    report["database_ok"] = True
    try:
        with store.read() as conn:
            report["schema"] = current_revision(conn)
            report["people"] = pq.count_people(conn, store.owner_id)
            report["records"] = pq.record_counts(conn, store.owner_id)
            report["interactions"] = count_interactions(conn, store.owner_id)
        report["settings"] = settings.current(store)
    finally:
        store.close()
    if report["schema"] != report["schema_head"]:
        report["problems"].append(
            f"schema {report['schema']} is not the newest ({report['schema_head']})"
        )
    if not report["settings"].get("region"):
        report["problems"].append(
            "no default phone region: numbers without +country code match only exactly "
            "(`rekindle config set region GB`)"
        )
    return report
