"""Scale: an import of 50,000 generated cards stores every one of them, on SQLite and on
PostgreSQL alike (the same counts), through the command a user runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rekindle.store import open_store
from rekindle.store.schema import affiliation, identity, person, source_record

pytestmark = pytest.mark.slow

CARDS = 50_000


_SYLLABLES = [a + b for a in "bdfgklmnprstvz" for b in "aeiou"]  # 70


def _name(n: int, salt: int) -> str:
    """A made-up name of three syllables: 50,000 distinct full names (some look alike, and
    become merge suggestions, as in a real address book)."""
    parts = []
    for _ in range(3):
        n, k = divmod(n * 7 + salt, 70)
        parts.append(_SYLLABLES[(k * 31 + salt) % 70])
    return "".join(parts).title()


def _write_cards(path: Path, cards: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for n in range(cards):
            given, family = _name(n, 3), _name(n // 70 + n * 13, 11)
            fh.write(
                f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:scale-{n}\r\nFN:{given} {family}\r\n"
                f"N:{family};{given};;;\r\nEMAIL:{given.lower()}.{n}@example{n % 97}.com\r\n"
                f"ORG:Company {n % 500}\r\nTITLE:Role {n % 13}\r\nEND:VCARD\r\n"
            )


def _counts(db: str) -> dict[str, int]:
    store = open_store(db)
    try:
        with store.read() as conn:

            def n(table: object) -> int:
                return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)  # type: ignore[arg-type]

            people = conn.execute(
                select(func.count()).select_from(person).where(person.c.is_me.is_(False))
            )
            return {
                "people": int(people.scalar() or 0),
                "records": n(source_record),
                "identities": n(identity),
                "affiliations": n(affiliation),
            }
    finally:
        store.close()


def test_fifty_thousand_cards(db_url: str, tmp_path: Path) -> None:
    cards = tmp_path / "cards.vcf"
    _write_cards(cards, CARDS)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "rekindle", "--db", db_url, "import", str(cards)],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "COLUMNS": "200"},
    )
    took = time.monotonic() - started
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{CARDS:,} contacts" in done.stdout and "0 skipped" in done.stdout, done.stdout
    counts = _counts(db_url)
    assert counts == {
        "people": CARDS,
        "records": CARDS,
        "identities": CARDS,
        "affiliations": CARDS,
    }, counts
    print(f"\n{db_url.split(':')[0]}: {CARDS:,} cards imported in {took:.1f} s (whole process)")
