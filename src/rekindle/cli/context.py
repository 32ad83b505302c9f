"""What every command shares: the database option, the console and output helpers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from rekindle.store import Store

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@dataclass
class Context:
    db: str | None = None
    user: str | None = None
    debug: bool = False
    _store: Store | None = field(default=None, repr=False)

    def store(self) -> Store:
        from rekindle.store import open_store

        if self._store is None:
            self._store = open_store(self.db, self.user, on_upgrade=_say_upgrading)
            if self._store.read_only:
                err_console.print(
                    f"note: {safe(self._store.location.describe())} is read-only for you: "
                    "opened for reading; commands that change something will fail"
                )
            _repair_addresses(self._store)
        return self._store

    def region(self) -> str | None:
        from rekindle.services import settings

        return settings.region(self.store())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _say_upgrading(found: str, head: str) -> None:
    err_console.print(
        f"Upgrading the database from schema {found} to {head}: once, and a minute or so "
        "for a long mail history…"
    )


def _repair_addresses(store: Store) -> None:
    """Once after the upgrade that re-keyed addresses: merge the duplicates it showed."""
    from rekindle.store.address_keys import any_pending

    if store.read_only or not any_pending(store.engine):
        return  # the usual case: no import of the history services at start
    from rekindle.services.address_repair import describe, repair_pending

    for repair in repair_pending(store):
        err_console.print(safe(describe(repair)))


STATE = Context()


def safe(text: object) -> str:
    """Imported text shown in rich markup: escaped so `[bold]` in a name stays literal."""
    return escape("" if text is None else str(text))


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
