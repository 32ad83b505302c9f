"""The meetup pages through the real app on a real database (SQLite and PostgreSQL): groups
proposed, a meetup created from the form, answers marked with htmx, the one reminder, the log
after the event, the calendar download; imported names escaped; and on a team server, a
meetup is its creator's alone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from rekindle.errors import NotFoundError
from rekindle.services import accounts, settings
from rekindle.services import meetups as svc
from rekindle.services import outreach as outreach_svc
from rekindle.services import people as people_svc
from rekindle.services.demo import load_sample
from rekindle.store import Store
from rekindle.store import meetups as mq
from rekindle.store import outreach as oq
from rekindle.web.app import create_app
from tests.smtp_server import running_smtp
from tests.test_web import HX, NOW, load_network
from tests.test_web_team import PASSWORD, csrf_of, sign_in


@pytest.fixture
def sample(store: Store) -> Store:
    load_sample(store, now=NOW)
    return store


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store, now_fn=lambda: NOW)) as c:
        yield c


def _create(client: TestClient, **form: str) -> int:
    made = client.post("/meetups", data=form, follow_redirects=False)
    assert made.status_code == 303, made.text[:500]
    found = re.fullmatch(r"/meetups/(\d+)", made.headers["location"])
    assert found
    return int(found.group(1))


def test_groups_form_answers_reminder_and_log(client: TestClient, sample: Store) -> None:
    page = client.get("/meetups")
    assert page.status_code == 200 and "Groups worth bringing together" in page.text
    key = re.search(r'href="/meetups/new\?group=([^"]+)"', page.text)
    assert key and "Sam Rivera" not in page.text.split("Groups worth")[1]
    form = client.get(f"/meetups/new?group={key.group(1)}").text
    ticked = re.findall(r'name="guest" value="(\d+)" checked', form)
    assert len(ticked) >= 3
    assert '<label for="title">Title</label>' in form  # every field has its label
    group = re.search(r'name="group" value="([^"]+)"', form)
    assert group
    mid = _create(
        client, title="Team <b>reunion</b>", start="2026-11-20T18:30", end="21:30",
        tz="Europe/London", place="The Crown", group=group.group(1), guest=ticked[:3],
    )  # fmt: skip
    shown = client.get(f"/meetups/{mid}").text
    assert "Team &lt;b&gt;reunion&lt;/b&gt;" in shown and "<b>reunion</b>" not in shown
    assert "18:30–21:30 GMT" in shown and shown.count('class="card guest"') == 3
    assert "3 invitations not sent yet" in shown

    first = int(ticked[0])
    answered = client.post(f"/meetups/{mid}/rsvp", data={"person_id": first, "answer": "accepted"},
                           headers=HX)  # fmt: skip
    assert answered.status_code == 200 and 'id="meetup"' in answered.text
    assert "<html" not in answered.text and "Coming <small>(1)</small>" in answered.text
    assert client.post(f"/meetups/{mid}/rsvp", data={"person_id": first, "answer": "perhaps"},
                       headers=HX).status_code == 400  # fmt: skip

    assert "Set up your mail server" in shown  # no SMTP account yet: no send button
    with running_smtp() as server:
        for key, value in (("smtp.host", "127.0.0.1"), ("smtp.port", str(server.port)),
                           ("smtp.security", "none")):  # fmt: skip
            settings.change(sample, key, value)
        page = client.get(f"/meetups/{mid}").text
        assert "Send the 3 invitations" in page and 'name="password"' not in page
        sent = client.post(f"/meetups/{mid}/send", data={"force": "true"}, headers=HX).text
        assert "3 sent." in sent and "Send the" not in sent
        assert len(server.handler.received) == 3
        calendars = [p for r in server.handler.received for p in r.message.walk()
                     if p.get_content_type() == "text/calendar"]  # fmt: skip
        assert len(calendars) == 3
    # the invitations went out six days ago: one reminder for the two who did not answer
    for g in svc_guests(sample, mid):
        row = outreach_svc.show(sample, g.invite_id)
        assert row["status"] == ("replied" if g.person_id == first else "sent")
        with sample.begin() as conn:
            oq.update_outreach(conn, sample.owner_id, g.invite_id,
                               sent_at=NOW - timedelta(days=6))  # fmt: skip
    page = client.get(f"/meetups/{mid}").text
    assert "Draft the reminder (2)" in page
    reminded = client.post(f"/meetups/{mid}/remind", headers=HX).text
    assert "2 reminder drafts made" in reminded and "Draft the reminder" not in reminded
    assert "reminded; no more reminders" in reminded

    ics = client.get(f"/meetups/{mid}/invite.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(ics.content)
    assert str(cal["method"]) == "REQUEST" and len(cal.walk("VEVENT")[0]["attendee"]) == 3

    with TestClient(create_app(sample, now_fn=lambda: NOW + timedelta(days=30))) as later:
        page = later.get(f"/meetups/{mid}").text
        assert "It happened: log it with the 1 who came" in page
        logged = later.post(f"/meetups/{mid}/done", data={"thank": "1"}, headers=HX).text
        assert "Logged with 1 people; 1 thank-you drafts made" in logged


def svc_guests(store: Store, mid: int) -> list[object]:
    with store.read() as conn:
        return list(mq.guests_of(conn, store.owner_id, mid))


def test_a_bad_form_is_shown_again_with_the_error(client: TestClient, sample: Store) -> None:
    bad = client.post("/meetups", data={"title": "x", "start": "soon", "place": "y",
                                        "others": "1"})  # fmt: skip
    assert bad.status_code == 400 and "cannot read the start" in bad.text
    assert 'value="x"' in bad.text  # what was typed is kept
    assert client.get("/meetups/999").status_code == 404


def test_a_meetup_is_its_creators_alone(store: Store, tmp_path: Path) -> None:
    owners = {}
    for name in ("alice", "bob"):
        account = accounts.add_user(store, name, PASSWORD, display_name=name.title())
        mine = replace(store, owner_id=account.owner_id)
        (tmp_path / name).mkdir()
        ana = load_network(mine, tmp_path / name)
        owners[name] = (mine, ana)
    alice, ana = owners["alice"]
    people_svc.edit(alice, str(ana), {"name": "Ana of Alice"}, [], [])
    made = svc.create_meetup(
        alice, title="Alice's secret dinner", start=NOW + timedelta(days=9),
        end=NOW + timedelta(days=9, hours=2), place="Alice's flat", people=[str(ana)], now=NOW,
    )  # fmt: skip
    mid = made.meetup_id
    app = create_app(store, now_fn=lambda: NOW, team=True)
    with TestClient(app) as as_bob, TestClient(app) as as_alice:
        sign_in(as_bob, "bob")
        sign_in(as_alice, "alice")
        assert "Alice&#39;s secret dinner" in as_alice.get("/meetups").text
        listing = as_bob.get("/meetups")
        assert listing.status_code == 200 and "secret dinner" not in listing.text
        token = csrf_of(listing.text)
        for method, url in (("GET", f"/meetups/{mid}"), ("GET", f"/meetups/{mid}/invite.ics"),
                            ("POST", f"/meetups/{mid}/rsvp"), ("POST", f"/meetups/{mid}/remind"),
                            ("POST", f"/meetups/{mid}/done"), ("POST", f"/meetups/{mid}/cancel"),
                            ("POST", f"/meetups/{mid}/thank")):  # fmt: skip
            data = {"person_id": str(ana), "answer": "yes", "csrf_token": token}
            got = as_bob.request(method, url, data=data if method == "POST" else None)
            assert got.status_code == 404, (method, url, got.status_code)
            assert "secret dinner" not in got.text and "Ana of Alice" not in got.text
        # Bob's own meetup may not take Alice's person as a guest
        bob, _ = owners["bob"]
        with pytest.raises(NotFoundError, match=f"no person with id {ana}"):
            svc.create_meetup(bob, title="x", start=NOW + timedelta(days=1),
                              end=NOW + timedelta(days=1, hours=1), place="y",
                              people=[str(ana)], now=NOW)  # fmt: skip
    view = svc_guests(alice, mid)
    assert [g.answer for g in view] == ["needs-action"]  # Bob's tries changed nothing
