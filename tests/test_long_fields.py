"""A field longer than its column refuses that one record, on both databases alike; the rest
of the file is imported (PostgreSQL used to abort the whole import on it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from rekindle.services.importing import import_path
from rekindle.store import Store
from rekindle.store.schema import person

LONG = "x" * 2000
FIELDS = {
    "organisation": f"ORG:{LONG}",
    "url": f"URL:https://example.com/{LONG}",
    "tag": f"CATEGORIES:{LONG}",
    "record key (UID)": f"UID:{LONG}",
    "name as sorted": f"N:{LONG};Ann;;;",
}


def _file(tmp_path: Path, line: str) -> Path:
    path = tmp_path / "cards.vcf"
    with path.open("w", encoding="utf-8") as fh:
        for n in range(11):
            fh.write(f"BEGIN:VCARD\nVERSION:3.0\nFN:Person {n}\nEMAIL:p{n}@example.com\n")
            if n == 4:
                fh.write(line + "\n")
            fh.write("END:VCARD\n")
    return path


@pytest.mark.parametrize("what", sorted(FIELDS))
def test_the_fifth_of_eleven_cards_too_long_is_refused_alone(
    store: Store, tmp_path: Path, what: str
) -> None:
    path = _file(tmp_path, FIELDS[what])
    report = import_path(store, path)
    assert report.new == 10
    assert len(report.errors) == 1
    line = str(report.errors[0])
    assert "card 5" in line and f"the {what} is" in line and "skipped" in line
    with store.read() as conn:
        assert (
            conn.execute(
                select(func.count()).select_from(person).where(person.c.is_me.is_(False))
            ).scalar()
            == 10
        )


def test_long_free_text_is_kept_whole(store: Store, tmp_path: Path) -> None:
    report = import_path(store, _file(tmp_path, f"NOTE:{LONG}\nTITLE:{LONG}"))
    assert report.new == 11 and not report.errors
