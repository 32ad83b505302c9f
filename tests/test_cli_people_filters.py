"""`rekindle people --tier/--org/--silent-for/--sort`: the same list as the People page."""

from __future__ import annotations

import json
from pathlib import Path

from rekindle.services.demo import load_sample
from rekindle.services.people_filters import PeopleFilters, find_people
from rekindle.store import open_store
from tests.test_cli import rekindle


def test_people_filters_on_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "rekindle.db"
    store = open_store(str(db))
    try:
        load_sample(store)
        want = PeopleFilters(tier="dormant", silent_for="1y", sort="last")
        expected = [r["id"] for r in find_people(store, want, limit=None)]
    finally:
        store.close()
    assert expected
    out = rekindle(
        "people", "--tier", "dormant", "--silent-for", "1y", "--sort", "last", "--limit", "0",
        "--json", db=db,
    )  # fmt: skip
    rows = json.loads(out.stdout)
    assert [r["id"] for r in rows] == expected
    assert {r["tier"] for r in rows} == {"dormant"}
    org = next(r["organisation"] for r in rows if r["organisation"])
    table = rekindle("people", "--org", org[:4].upper(), db=db).stdout
    assert org in table and "tier" in table
    bad = rekindle("people", "--silent-for", "ages", db=db, check=False)
    assert bad.returncode != 0 and "'ages' is not a length of silence" in bad.stdout + bad.stderr
    assert "Traceback" not in bad.stdout + bad.stderr
    help_text = rekindle("people", "--help", db=db).stdout
    assert "--silent-for" in help_text and "--tier" in help_text and "--org" in help_text
