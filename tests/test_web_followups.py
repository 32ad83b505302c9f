"""The Follow-ups page and the calendar feed, through the real app on a real store (SQLite and
PostgreSQL): the due follow-up with its draft and checks, mark sent (exactly one follow-up,
like the CLI), skip, outcomes, thank-yous, the empty state, and /calendar.ics parsed back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from rekindle.services import calendar_export, followups
from rekindle.services import outreach as log
from rekindle.services import people as people_svc
from rekindle.services.importing import import_path
from rekindle.store import Store
from rekindle.web.app import create_app
from tests.test_followups import sent
from tests.test_outreach import add_people
from tests.test_web_security import ESCAPED_NAME, HOSTILE, assert_inert

NOW = datetime(2025, 6, 12, 12, tzinfo=UTC)  # a Thursday
HX = {"HX-Request": "true"}


@pytest.fixture
def people(store: Store, tmp_path: Path) -> Store:
    return add_people(store, tmp_path)


@pytest.fixture
def client(people: Store) -> Iterator[TestClient]:
    with TestClient(create_app(people, now_fn=lambda: NOW)) as c:
        yield c


@pytest.fixture
def waiting(people: Store) -> int:
    """An email to Ana twelve days ago, no reply: its follow-up is due (since two days)."""
    return sent(people, "Ana", NOW - timedelta(days=12))


def draft_of(store: Store, outreach_id: int) -> int:
    [due], _ = followups.due_follow_ups(store, NOW)
    assert due.outreach_id == outreach_id
    return due.draft_id


def test_a_due_follow_up_shows_its_draft_its_checks_and_every_action(
    client: TestClient, people: Store, waiting: int
) -> None:
    page = client.get("/followups")
    assert page.status_code == 200
    draft = draft_of(people, waiting)
    text = page.text
    assert "Ana Costa" in text and f"Your email #{waiting} of 31 May 2025 has no reply" in text
    assert "follow-up due 10 Jun 2025" in text and "closes as no reply on 20 Jun 2025" in text
    assert "Subject: Re: " in text and "A gentle nudge on my note from 31 May" in text
    assert f'<textarea id="text-{draft}" name="text"' in text
    assert f'hx-post="/followups/{draft}/check"' in text and f'id="checks-{draft}"' in text
    assert f'action="/followups/{draft}/save"' in text and 'value="sent"' in text
    assert f'action="/followups/{waiting}/skip"' in text
    assert f'action="/followups/{waiting}/outcome"' in text and '<option value="declined">' in text
    assert 'href="mailto:ana.costa@example.com?subject=Re%3A' in text
    assert 'href="/calendar.ics"' in text and "Subscribe in your calendar" in text
    assert 'aria-current="page"' in text.split('href="/followups"')[1][:30]
    # listing again offers the same single draft, as `rekindle followups` does
    client.get("/followups")
    drafts = log.list_log(people, "Ana", ["draft"])
    assert [d["id"] for d in drafts] == [draft]


def test_the_checks_run_again_on_the_edited_follow_up(
    client: TestClient, people: Store, waiting: int
) -> None:
    draft = draft_of(people, waiting)
    person = people_svc.show(people, "Ana").id
    checked = client.post(
        f"/followups/{draft}/check",
        data={
            "text": "Subject: Re: hi\n\nHi Ana, I hope this email finds you well.",
            "medium": "email",
            "person_id": str(person),
        },
    )
    assert checked.status_code == 200
    assert f'<section id="checks-{draft}"' in checked.text
    assert 'data-code="generic-filler"' in checked.text
    assert f'id="open-link-{draft}"' in checked.text and 'hx-swap-oob="true"' in checked.text


def test_mark_sent_keeps_the_edit_and_sends_exactly_one_follow_up(
    client: TestClient, people: Store, waiting: int
) -> None:
    draft = draft_of(people, waiting)
    text = "Subject: Re: Acme days\n\nHi Ana, just floating this up. Robin"
    done = client.post(
        f"/followups/{draft}/save",
        data={"text": text, "action": "sent"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/followups"
    follow = log.show(people, draft)
    assert follow["status"] == "sent" and follow["sent_at"] == NOW.isoformat()
    assert follow["subject"] == "Re: Acme days" and follow["body"] == text.split("\n\n", 1)[1]
    parent = log.show(people, waiting)
    assert parent["status"] == "sent"  # still waiting for the reply, now followed up
    assert followups.due_follow_ups(people, NOW) == ([], 0)
    assert "Nothing due." in client.get("/followups").text
    # a second click changes nothing and says why, in one line
    again = client.post(f"/followups/{draft}/save", data={"text": text, "action": "sent"})
    assert again.status_code == 400
    assert f"follow-up #{draft} is sent already; nothing was changed" in again.text
    assert "Traceback" not in again.text
    assert len(log.list_log(people, "Ana")) == 2  # the message and its one follow-up
    # followup.days after the follow-up it closes as no-reply: never a third message
    assert followups.due_follow_ups(people, NOW + timedelta(days=10)) == ([], 1)
    assert log.show(people, waiting)["status"] == "no-reply"


def test_save_keeps_the_draft_and_htmx_gets_the_list_back(
    client: TestClient, people: Store, waiting: int
) -> None:
    draft = draft_of(people, waiting)
    saved = client.post(
        f"/followups/{draft}/save",
        data={"text": "Subject: Re: x\n\nHi Ana, any news? Robin", "action": "save"},
        headers=HX,
    )
    assert saved.status_code == 200
    assert saved.text.lstrip().startswith('<section id="followups"')
    assert f"Follow-up #{draft} saved." in saved.text and "Hi Ana, any news? Robin" in saved.text
    assert log.show(people, draft)["status"] == "draft"
    empty = client.post(f"/followups/{draft}/save", data={"text": "  ", "action": "sent"})
    assert empty.status_code == 400 and "the follow-up is empty" in empty.text
    assert log.show(people, draft)["status"] == "draft"
    wrong = client.post(f"/followups/{waiting}/save", data={"text": "hi", "action": "sent"})
    assert wrong.status_code == 400 and f"#{waiting} is not a follow-up draft" in wrong.text


def test_skip_closes_the_message_as_no_reply(
    client: TestClient, people: Store, waiting: int
) -> None:
    draft = draft_of(people, waiting)
    skipped = client.post(f"/followups/{waiting}/skip", follow_redirects=False)
    assert skipped.status_code == 303
    assert log.show(people, waiting)["status"] == "no-reply"
    assert [r["id"] for r in log.list_log(people, "Ana")] == [waiting]  # the draft is dropped
    page = client.get("/followups").text
    assert "Nothing due." in page and "No message is waiting for a reply." in page
    assert f"/followups/{draft}/save" not in page
    again = client.post(f"/followups/{waiting}/skip")
    assert again.status_code == 400 and "is not a sent message waiting for a reply" in again.text


def test_an_outcome_closes_the_follow_up_and_proposes_a_thank_you(
    client: TestClient, people: Store, waiting: int
) -> None:
    draft_of(people, waiting)
    done = client.post(f"/followups/{waiting}/outcome", data={"outcome": "call"}, headers=HX)
    assert done.status_code == 200
    assert "Ana Costa: call recorded; a thank-you is in the list below." in done.text
    row = log.show(people, waiting)
    assert row["status"] == "replied" and row["outcome"] == "call"
    ana = people_svc.show(people, "Ana").id
    assert f'href="/compose/{ana}?intent=thank"' in done.text
    assert "call on 2025-06-12" in done.text
    bad = client.post(f"/followups/{waiting}/outcome", data={"outcome": "ghosted"})
    assert bad.status_code == 400 and "unknown outcome" in bad.text


def test_declined_closes_it_and_nothing_is_due(
    client: TestClient, people: Store, waiting: int
) -> None:
    client.post(f"/followups/{waiting}/outcome", data={"outcome": "declined"})
    assert log.show(people, waiting)["status"] == "declined"
    page = client.get("/followups").text
    assert "Nothing due." in page and "None: nobody replied" in page


def test_the_empty_state_names_the_next_follow_up(client: TestClient, people: Store) -> None:
    assert "No message is waiting for a reply." in client.get("/followups").text
    sent(people, "Ana", NOW - timedelta(days=3))
    page = client.get("/followups").text
    assert "Nothing due." in page
    assert "The next follow-up is due on 19 Jun 2025 (Ana Costa)." in page


def test_calendar_feed_parses_and_holds_the_follow_up_with_a_stable_uid(
    client: TestClient, people: Store, waiting: int
) -> None:
    feed = client.get("/calendar.ics")
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(feed.content)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    event = events["Follow up with Ana Costa"]
    assert event.decoded("dtstart") == (NOW - timedelta(days=2)).date()
    assert f"followup-{waiting}-" in str(event["uid"])
    assert "Reconnect with Bob Jones" in events  # this week's check-in
    again = client.get("/calendar.ics")
    uids = [str(e["uid"]) for e in Calendar.from_ical(again.content).walk("VEVENT")]
    assert str(event["uid"]) in uids
    # the same body as `rekindle calendar export`
    assert feed.content == calendar_export.export_calendar(people, NOW)[0]


def test_a_hostile_name_is_inert_on_the_follow_ups_page(client: TestClient, people: Store) -> None:
    import_path(people, HOSTILE, now=NOW)
    mallory = sent(people, "mallory@example.net", NOW - timedelta(days=11))
    ana = sent(people, "Ana", NOW - timedelta(days=11))
    replied = client.post(f"/followups/{ana}/outcome", data={"outcome": "replied"}, headers=HX)
    assert_inert(replied.text, "the list after an outcome")
    page = client.get("/followups").text
    assert ESCAPED_NAME in page and f"/followups/{mallory}/skip" in page
    assert "Say thank you" in page  # Ana, in the thank-you list
    assert_inert(page, "/followups")
