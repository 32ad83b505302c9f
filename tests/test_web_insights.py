"""Insights: the figures match what was logged (through the services, on SQLite and
PostgreSQL), the page draws them as accessible inline SVG, and `rekindle insights` prints them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest
from fastapi.testclient import TestClient

from rekindle.engine.tiers import TIERS, tier_for
from rekindle.services import demo
from rekindle.services import insights as svc
from rekindle.services import outreach as log
from rekindle.services import people as people_svc
from rekindle.services.importing import import_path
from rekindle.store import Store, open_store
from rekindle.store import engine as eq
from rekindle.store import people as pq
from rekindle.store.database import utcnow
from rekindle.web.app import create_app
from tests.test_cli import rekindle
from tests.test_followups import sent
from tests.test_outreach import add_people, sync_fixture_mail
from tests.test_web_security import ESCAPED_NAME, HOSTILE, assert_inert

NOW = datetime(2025, 6, 12, 12, tzinfo=UTC)  # a Thursday; its week starts on 9 June


def texts(series: svc.Series) -> dict[str, str]:
    return {f.label: f.text for f in series.figures}


def logged_network(store: Store, tmp_path: Path, now: datetime = NOW) -> Store:
    """Ana (whose mail stops in 2015) and Bob: an email to each, Ana replies; a call with Bob."""
    add_people(store, tmp_path)
    sync_fixture_mail(store, tmp_path)
    ana = sent(store, "Ana", now - timedelta(days=10))
    sent(store, "Bob", now - timedelta(days=3))
    log.mark(store, ana, "replied", at=now - timedelta(days=9))
    log.log_outreach(store, "Bob", "call", at=now - timedelta(days=1), force=True, now=now)
    return store


@pytest.fixture
def network(store: Store, tmp_path: Path) -> Store:
    return logged_network(store, tmp_path)


@pytest.fixture
def client(network: Store) -> Iterator[TestClient]:
    # eight days on: Bob's email (sent 3 days before NOW) is past its reply window
    with TestClient(create_app(network, now_fn=lambda: NOW + timedelta(days=8))) as c:
        yield c


def test_the_figures_match_what_was_logged(network: Store) -> None:
    found = svc.insights(network, NOW)
    weeks = texts(found.get("per_week"))
    assert len(weeks) == svc.WEEKS
    assert list(weeks)[-1] == "09 Jun 2025"  # this week last
    assert weeks["09 Jun 2025"] == "2"  # Bob's email (9 Jun) and the call (11 Jun)
    assert weeks["02 Jun 2025"] == "1"  # Ana's email (2 Jun)
    assert sum(int(t) for t in weeks.values()) == 3
    # reply rates count messages only (a logged call is not waiting for a reply), and a
    # message only once answered or past its reply window: Bob's email of 3 days ago waits
    assert texts(found.get("by_medium")) == {"email": "100% (1 of 1)"}
    assert found.get("by_medium").note == "1 message still within its reply window, not counted yet"
    assert texts(found.get("by_intent")) == {"catch-up": "100% (1 of 1)"}
    assert texts(found.get("by_silence")) == {"5+ years": "100% (1 of 1)"}
    # ten days on (followup.days), Bob's email counts as unanswered
    later = svc.insights(network, NOW + timedelta(days=8))
    assert texts(later.get("by_medium")) == {"email": "50% (1 of 2)"}
    assert later.get("by_medium").figures[0].value == 50.0
    assert later.get("by_medium").note == ""
    assert texts(later.get("by_intent")) == {"catch-up": "50% (1 of 2)"}
    # Ana last wrote in 2015: 5+ years of silence; Bob had none before the email
    assert texts(later.get("by_silence")) == {
        "5+ years": "100% (1 of 1)",
        "no contact before": "0% (0 of 1)",
    }
    # people by last contact: Bob had the call yesterday, Ana's mail is ten years old
    dormancy = texts(found.get("dormancy"))
    assert dormancy["under 6 months"] == "1" and dormancy["5+ years"] == "1"
    assert sum(int(t) for t in dormancy.values()) == 2
    # a decline is an answer, not a reply: said beside the rate
    [bob] = log.list_log(network, "Bob", ["sent"])
    log.mark(network, bob["id"], "declined", at=NOW)
    by_medium = texts(svc.insights(network, NOW).get("by_medium"))
    assert by_medium == {"email": "50% (1 of 2, 1 declined)"}


def test_tier_sizes_and_dormancy_match_the_rules_person_by_person(store: Store) -> None:
    """On the sample network (120 people, thousands of interactions), the SQL counts equal
    the tier rule and the last contact applied to each person in Python."""
    demo.load_sample(store, now=NOW)
    with store.read() as conn:
        ids = pq.all_person_ids(conn, store.owner_id)
    people_svc.edit(store, str(ids[0]), {"tier": "Regular"}, [], [], now=NOW)
    found = svc.insights(store, NOW)
    with store.read() as conn:
        stats = eq.tie_summaries(conn, store.owner_id)
    tiers = {t: 0 for t in TIERS}
    dormancy: dict[str, int] = {}
    for pid in ids:
        row = stats.get(pid)
        peak = row.peak_personal if row is not None else 0.0
        counts = (row.messages_in, row.messages_out, row.meetings) if row is not None else (0, 0, 0)
        tier = "regular" if pid == ids[0] else tier_for(peak, *counts)
        tiers[tier] += 1
        last = row.last_contact if row is not None else None
        label = svc.NEVER if last is None else svc.span_of((NOW - last).total_seconds() / 86400)
        dormancy[label] = dormancy.get(label, 0) + 1
    assert texts(found.get("tiers")) == {t: str(n) for t, n in tiers.items()}
    assert {k: v for k, v in texts(found.get("dormancy")).items() if v != "0"} == {
        k: str(v) for k, v in dormancy.items()
    }
    assert len([n for n in tiers.values() if n]) >= 3  # the sample has several tiers


def test_an_empty_store_has_zeros_and_no_rates(store: Store) -> None:
    found = svc.insights(store, NOW)
    assert all(f.value == 0 for f in found.get("per_week").figures)
    assert found.get("per_week").empty and found.get("by_medium").empty
    assert found.get("by_medium").figures == [] and found.get("by_silence").figures == []
    assert sum(f.value for f in found.get("tiers").figures) == 0


def test_the_page_draws_each_chart_as_accessible_svg(client: TestClient) -> None:
    page = client.get("/insights")
    assert page.status_code == 200
    text = page.text
    for key in ("per_week", "by_medium", "by_intent", "by_silence", "dormancy", "tiers"):
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in text
    # and what was learnt (Ana's answered email, Bob's past its window): medium, intent, gap
    for key in ("learnt_medium", "learnt_intent", "learnt_gap"):
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in text
    assert text.count('role="img"') == 9
    for key in ("per_week", "by_medium", "dormancy"):  # each names its title and description
        assert f'id="chart-{key}-title"' in text and f'id="chart-{key}-desc"' in text
    # the time series is a full-width SVG; the categories are rows of text with a bar each
    assert 'viewBox="0 0 720 ' in text and 'width="100%"' in text
    assert text.count('<div class="hbars"') == 8
    assert " style=" not in text  # the CSP forbids style attributes
    assert "Reply rate by medium: email: 50% (1 of 2)." in text  # the description
    assert '<th scope="row">email</th><td>50% (1 of 2)</td>' in text  # the data table
    assert text.count("<summary>The numbers</summary>") == 9  # one under every chart
    assert "<script" not in text.split("</head>")[1]
    # the email bar is half the width of the scale (0 to 100%)
    medium = text.split('id="chart-by_medium-head"')[1].split('<div class="hb-row">')[1]
    assert '<span class="hb-label">email</span>' in medium
    [width] = re.findall(r'<rect class="bar" x="0" y="0" width="([\d.]+)"', medium)
    assert float(width) == pytest.approx(50.0)
    assert 'aria-current="page"' in text.split('href="/insights"')[1][:30]


def test_an_empty_network_says_so_in_words(store: Store) -> None:
    with TestClient(create_app(store, now_fn=lambda: NOW)) as c:
        page = c.get("/insights").text
    assert "No outreach in these weeks yet" in page
    assert "No message has gone out yet, so there is no reply rate." in page
    assert "No people yet: import your contacts." in page
    assert "shows here after an import" in page  # what will appear, and when
    assert 'role="img"' not in page


def test_hostile_data_is_inert_on_the_insights_page(client: TestClient, network: Store) -> None:
    import_path(network, HOSTILE, now=NOW)
    people_svc.edit(network, "mallory@example.net", {"organisation": "<b>bold</b>"}, [], [])
    page = client.get("/insights").text
    assert_inert(page, "/insights")
    assert ESCAPED_NAME not in page  # no names on this page at all


def test_the_cli_prints_the_same_figures(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    try:
        logged_network(store, tmp_path, now=utcnow())
        expected = svc.insights(store).as_json()
    finally:
        store.close()
    # the real command, in its own process
    data = json.loads(rekindle("insights", "--json", db=cast(Path, db_url)).stdout)
    assert [s["key"] for s in data["series"]] == [s["key"] for s in expected["series"]]
    for got, want in zip(data["series"], expected["series"], strict=True):
        assert got["figures"] == want["figures"], got["key"]
    table = rekindle("insights", db=cast(Path, db_url)).stdout
    assert "Reply rate by medium" in table and "100% (1 of 1)" in table
    assert "1 message still within its reply window" in table  # Bob's email of 3 days ago
    assert "Tier sizes" in table and "5+ years" in table
