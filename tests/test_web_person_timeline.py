"""The Person page shows its timeline a page at a time, the latest first, with the whole
history's first and last contact and count; the search page escapes what it finds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from rekindle.identity.records import ContactRecord, InteractionRecord, RawIdentity
from rekindle.services import people as people_svc
from rekindle.services.importing import import_items
from rekindle.services.person_page import PAGE_SIZE
from rekindle.store import Store
from rekindle.web.app import create_app

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script>"
COUNT = 2 * PAGE_SIZE + 20  # two full pages and a part


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store, now_fn=lambda: NOW)) as c:
        yield c


@pytest.fixture
def mia(store: Store) -> int:
    """Mia (named like a script) with ``COUNT`` mails, one a day, numbered oldest first."""
    start = NOW - timedelta(days=COUNT)
    mails = [
        InteractionRecord(
            "test", f"test:m{n}", start + timedelta(days=n), "email", "in" if n % 2 else "out",
            [RawIdentity("email", "mia@example.org")], f"Mail number {n:03d}", f"t{n}", f"m{n}",
        )
        for n in range(COUNT)
    ]  # fmt: skip
    mia = ContactRecord(
        "test", "test:mia", "mia", "mia", full_name=f"Mia {HOSTILE}",
        identities=[RawIdentity("email", "mia@example.org")], tags=[HOSTILE],
    )  # fmt: skip
    import_items(store, [mia, *mails], "test", "test", now=NOW)
    return people_svc.show(store, "mia@example.org").id


def subjects(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"Mail number (\d{3})", html)]


def test_the_timeline_comes_a_page_at_a_time_latest_first(client: TestClient, mia: int) -> None:
    first = client.get(f"/people/{mia}")
    assert first.status_code == 200
    assert subjects(first.text) == list(range(COUNT - 1, COUNT - 1 - PAGE_SIZE, -1))
    assert f"{COUNT} interactions" in first.text  # the whole history, not the page
    assert f'href="/people/{mia}?page=2#h-timeline"' in first.text and "Newer" not in first.text
    last = client.get(f"/people/{mia}?page=3")
    assert subjects(last.text) == list(range(COUNT - 1 - 2 * PAGE_SIZE, -1, -1))
    assert f'href="/people/{mia}?page=2#h-timeline"' in last.text and "Older" not in last.text
    assert f"{COUNT} interactions" in last.text


def test_a_page_past_the_end_is_empty_but_keeps_the_history_summary(
    client: TestClient, mia: int
) -> None:
    past = client.get(f"/people/{mia}?page=9")
    assert past.status_code == 200
    assert subjects(past.text) == [] and "No interactions on record." in past.text
    assert f"{COUNT} interactions" in past.text
    assert client.get(f"/people/{mia}?page=0").status_code == 200  # read as the first
    assert client.get(f"/people/{mia}?page=x").status_code == 422


def test_person_and_search_pages_render_a_script_name_inert(client: TestClient, mia: int) -> None:
    for url in (f"/people/{mia}", "/people?q=script", "/people?q=mia", "/people?q=alert(1"):
        html = client.get(url).text
        assert HOSTILE not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
