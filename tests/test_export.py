"""Exports: CSV is spreadsheet-safe, JSON holds everything with locators."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from rekindle.exporters.table import neutralise
from rekindle.services.exporting import export
from rekindle.services.importing import import_items
from rekindle.store import Store
from tests.test_importing import contact

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_neutralise_formulas() -> None:
    for cell in ('=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", " =1", "\t=1"):
        assert neutralise(cell).startswith("'")
    assert neutralise("Alice") == "Alice"
    assert neutralise("") == ""


def test_csv_export_is_safe(store: Store) -> None:
    import_items(
        store,
        [
            contact(1, "=cmd|'/c calc'!A1", "evil@example.com", org="+Acme"),
            contact(2, "Bob", "bob@example.com", org="Globex"),
        ],
        "t",
        "test",
        now=NOW,
    )
    out = io.StringIO()
    assert export(store, "csv", out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    evil = next(r for r in rows if "evil" in r["emails"])
    assert evil["name"].startswith("'=")
    assert evil["organisation"] == "'+Acme"
    assert next(r for r in rows if r["name"] == "Bob")["organisation"] == "Globex"


def test_json_export_holds_records_with_locators(store: Store) -> None:
    import_items(
        store,
        [
            contact(1, "Alice", "alice@example.com", org="Acme"),
            contact(2, "Alice", "alice@example.com", source="other"),
        ],
        "t",
        "test",
        now=NOW,
    )
    out = io.StringIO()
    export(store, "json", out)
    data = json.loads(out.getvalue())
    [alice] = data["people"]
    assert {r["locator"] for r in alice["records"]} == {"test.vcf:1", "test.vcf:2"}
    assert alice["records"][0]["payload"].startswith("card")
    assert alice["identities"][0]["value"] == "alice@example.com"
    assert alice["affiliations"][0]["organisation"] == "Acme"
