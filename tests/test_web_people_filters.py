"""People filters (tier, tag, organisation, silence) and sorts, through the real app on the
sample network; membership is checked against what each person's own page and history say."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rekindle.engine.tiers import PEAK_FOR
from rekindle.services import people as people_svc
from rekindle.services import timeline
from rekindle.services.demo import load_sample
from rekindle.services.importing import import_path
from rekindle.store import Store
from rekindle.web.app import create_app

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
IDS = re.compile(r'name="ids" value="(\d+)"')
HOSTILE_VCF = """BEGIN:VCARD
VERSION:3.0
UID:hostile-1
FN:<script>alert(1)</script>
ORG:<b>Evil</b> Corp
EMAIL:evil@example.com
END:VCARD
"""


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store, now_fn=lambda: NOW)) as c:
        yield c


@pytest.fixture
def facts(store: Store, tmp_path: Path) -> dict[int, dict[str, Any]]:
    """The sample network plus a hostile card, a tier edit and a tag; per person what their
    own page says: tier (by hand, from the edit or the peak), organisations now, last contact."""
    load_sample(store, now=NOW)
    card = tmp_path / "hostile.vcf"
    card.write_text(HOSTILE_VCF, encoding="utf-8")
    import_path(store, card, now=NOW)
    everyone = [r["id"] for r in people_svc.list_people(store)]
    people_svc.edit(store, str(everyone[0]), {"tier": "close"}, [], [], now=NOW)
    people_svc.edit(store, str(everyone[1]), {"organisation": "Zebra Works"}, [], [], now=NOW)
    people_svc.tag(store, [str(i) for i in everyone[:80]], ["team"], [])
    out = {}
    for pid in everyone:
        view = people_svc.show(store, str(pid))
        stats = timeline.timeline(store, str(pid), limit=1).stats or {}
        peak = stats.get("peak_personal") or 0.0
        tier = view.edits.get("tier") or next(
            (name for name, low in PEAK_FOR if peak >= low), "dormant"
        )
        orgs = [
            a["organisation"].lower()
            for a in view.affiliations
            if a["end"] is None or a["end"] >= NOW.date().isoformat()
        ]
        if view.edits.get("organisation"):
            orgs.append(view.edits["organisation"].lower())
        out[pid] = {
            "tier": tier,
            "orgs": orgs,
            "last": stats.get("last_contact"),
            "tags": view.tags,
            "peak": peak,
        }
    return out


def listed(client: TestClient, url: str) -> list[int]:
    """Every id the list shows, following the Next links."""
    ids: list[int] = []
    while url:
        page = client.get(url)
        assert page.status_code == 200, page.text
        ids += [int(i) for i in IDS.findall(page.text)]
        found = re.search(r'<a href="([^"]+)" rel="next">', page.text)
        url = found.group(1).replace("&amp;", "&") if found else ""
    return ids


def silent(f: dict[str, Any], days: int) -> bool:
    return f["last"] is not None and f["last"] < NOW - timedelta(days=days)


def test_each_filter_and_their_combinations_list_exactly_the_right_people(
    client: TestClient, facts: dict[int, dict[str, Any]]
) -> None:
    tiers = {t: {p for p, f in facts.items() if f["tier"] == t} for t in ("close", "dormant")}
    assert tiers["close"] and tiers["dormant"]
    for tier, expected in tiers.items():
        assert set(listed(client, f"/people?tier={tier}")) == expected
    year = {p for p, f in facts.items() if silent(f, 365)}
    assert year and set(listed(client, "/people?silent=1y")) == year
    half = {p for p, f in facts.items() if silent(f, 183)}
    assert half > year and set(listed(client, "/people?silent=6m")) == half
    combined = {p for p in year if facts[p]["tier"] == "dormant" and "team" in facts[p]["tags"]}
    assert set(listed(client, "/people?tier=dormant&silent=1y&tag=team")) == combined
    some_org = next(o for f in facts.values() for o in f["orgs"] if len(o) > 4)
    needle = some_org[1:4]
    at_org = {p for p, f in facts.items() if any(needle in o for o in f["orgs"])}
    assert set(listed(client, f"/people?org={needle.upper()}")) == at_org
    both = {p for p in at_org if silent(facts[p], 183)}
    assert set(listed(client, f"/people?org={needle}&silent=6m")) == both
    edited = next(p for p, f in facts.items() if "zebra works" in f["orgs"])
    assert listed(client, "/people?org=zebra") == [edited]  # the organisation edit counts
    assert listed(client, "/people?org=%25") == []  # % is a character, not a wildcard


def test_sorts_and_paging_keep_the_filters_in_the_url(
    client: TestClient, facts: dict[int, dict[str, Any]]
) -> None:
    by_last = listed(client, "/people?sort=last")
    assert len(by_last) == len(facts)
    contacted = [p for p in by_last if facts[p]["last"] is not None]
    assert by_last[: len(contacted)] == contacted  # never contacted come last
    lasts = [facts[p]["last"] for p in contacted]
    assert lasts == sorted(lasts, reverse=True)
    quiet = listed(client, "/people?sort=dormant")
    assert quiet and all(silent(facts[p], 90) and facts[p]["peak"] >= 6.0 for p in quiet)
    assert [facts[p]["last"] for p in quiet] == sorted(facts[p]["last"] for p in quiet)
    page = client.get("/people?sort=strength").text
    shown = [int(x) for x in re.findall(r"closeness now (\d+) of 100", page)]
    assert len(shown) == 50 and shown == sorted(shown, reverse=True) and shown[0] > 0
    # the filters survive paging and sorting: they are in the URL
    team = {p for p, f in facts.items() if "team" in f["tags"]}
    assert len(team) > 50  # two pages
    first = client.get("/people?tag=team&sort=last&tier=").text
    assert 'value="last" selected' in first and 'name="tag" value="team"' in first
    link = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert link and "tag=team" in link.group(1) and "sort=last" in link.group(1)
    assert "tier=" not in link.group(1)  # empty filters stay out of the URL
    in_order = listed(client, "/people?tag=team&sort=last")
    assert set(in_order) == team and len(in_order) == len(team)
    second = client.get("/people?tier=dormant&silent=6m&page=1").text
    assert 'value="dormant" selected' in second and 'value="6m" selected' in second
    back = re.search(r'name="back" value="([^"]+)"', client.get("/people?tier=dormant&org=x").text)
    assert back and "tier=dormant" in back.group(1) and "org=x" in back.group(1)


def test_bad_filters_are_one_line_errors_and_hostile_text_is_inert(
    client: TestClient, store: Store, tmp_path: Path
) -> None:
    card = tmp_path / "hostile.vcf"
    card.write_text(HOSTILE_VCF, encoding="utf-8")
    import_path(store, card, now=NOW)
    bad = client.get("/people?tier=best")
    assert bad.status_code == 400 and "no tier &#39;best&#39;" in bad.text and "close" in bad.text
    bad = client.get("/people?silent=forever")
    assert bad.status_code == 400 and "not a length of silence" in bad.text
    page = client.get("/people?org=evil").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "&lt;b&gt;Evil&lt;/b&gt; Corp" in page
    echoed = client.get('/people?org="><script>x</script>').text
    assert "<script>x" not in echoed and "&#34;&gt;&lt;script&gt;x" in echoed


def test_the_listed_tier_is_the_one_the_plan_explains(store: Store) -> None:
    """The People list's tier (from stored statistics, in SQL) and the one `rekindle why` gives
    (from the history, as the plan decides) agree for everyone, group mail or not."""
    from rekindle.services import people_filters
    from rekindle.services.why import why

    load_sample(store, now=NOW)
    rows = people_filters.find_people(store, people_filters.PeopleFilters(), NOW, limit=None)
    assert len(rows) > 100
    disagree = {
        r["id"]: (r["tier"], explained.tier)
        for r in rows
        if (explained := why(store, str(r["id"]), NOW)).tier != r["tier"]
    }
    assert disagree == {}


def test_group_mail_does_not_raise_the_listed_tier_above_the_plans(
    store: Store, tmp_path: Path
) -> None:
    """Kim and I wrote to each other a few times, and I copied Kim on ten announcements to six:
    the plan counts personal contact for a tier, and so does the list."""
    from rekindle.services import me as me_svc
    from rekindle.services import people_filters
    from rekindle.services.sync_files import sync_mail_path
    from rekindle.services.why import why

    me_svc.add_address(store, "robin@example.org")
    crowd = ", ".join(f"p{i}@example.com" for i in range(5))
    box = tmp_path / "box.mbox"
    with box.open("w", encoding="utf-8") as fh:
        mails = [("robin@example.org", "kim@example.com", 1)]
        mails += [
            ("kim@example.com", "robin@example.org", 2),
            ("kim@example.com", "robin@example.org", 3),
        ]
        mails += [("robin@example.org", f"kim@example.com, {crowd}", 4 + i) for i in range(10)]
        for n, (sender, to, day) in enumerate(mails):
            fh.write(
                f"From x Mon Mar {day:02d} 10:00:00 2025\nFrom: {sender}\nTo: {to}\n"
                f"Date: {day:02d} Mar 2025 10:00:00 +0000\nMessage-ID: <m{n}@x>\n\nhello\n\n"
            )
    sync_mail_path(store, box, now=NOW)
    [kim] = people_filters.find_people(store, people_filters.PeopleFilters(text="kim"), NOW)
    explained = why(store, str(kim["id"]), NOW)
    assert explained.tier == "occasional" and kim["tier"] == explained.tier
