"""A reunion as a user runs it on the sample network (`rekindle demo`), through the CLI's one
error boundary, on SQLite and PostgreSQL: plan a group, create the meetup, send the
invitations with their calendar invitation to a real SMTP server, sync a mailbox with the
answers (an iTIP REPLY built by icalendar, a plain "can't make it", a calendar app's
"Accepted:" subject), remind the one who did not answer, then log the event and thank."""

from __future__ import annotations

import json
import mailbox
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from icalendar import Calendar, Event, vCalAddress
from sqlalchemy import select

from rekindle.services.delivery import prepare
from rekindle.services.meetups import SOURCE as MEETUP_SOURCE
from rekindle.store import open_store
from rekindle.store import outreach as oq
from rekindle.store.schema import interaction, interaction_person
from rekindle.store.schema_history import tie_stats
from rekindle.store.schema_meetup import meetup
from tests.smtp_server import running_smtp
from tests.test_cli_outreach import Cli

ME = "sam.rivera@gmail.com"


@pytest.fixture
def demo(db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The sample network, as `rekindle demo` loads it, and nothing else."""
    runner = Cli(db_url, capsys, monkeypatch)
    runner("demo")
    return runner


def _reply_ics(uid: str, guest: str, partstat: str) -> bytes:
    """What a guest's calendar app sends back: METHOD:REPLY, the one attendee, PARTSTAT."""
    cal = Calendar()
    cal.add("prodid", "-//Some Calendar App//EN")
    cal.add("version", "2.0")
    cal.add("method", "REPLY")
    event = Event()
    event.add("uid", uid)
    event.add("sequence", 0)
    event.add("dtstamp", datetime.now(UTC))
    attendee = vCalAddress(f"mailto:{guest}")
    attendee.params["PARTSTAT"] = partstat
    event.add("attendee", attendee)
    event.add("organizer", vCalAddress(f"mailto:{ME}"))
    cal.add_component(event)
    return bytes(cal.to_ical())


def _message(sender: str, subject: str, text: str, in_reply_to: str | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ME
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = f"<{abs(hash((sender, subject)))}@guest.example>"
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
    msg.set_content(text)
    return msg


def _write_mbox(path: Path, messages: list[EmailMessage]) -> None:
    box = mailbox.mbox(str(path))
    for m in messages:
        box.add(m)
    box.flush()
    box.close()


def test_a_reunion_from_plan_to_thanks(demo: Cli, tmp_path: Path) -> None:
    plan = json.loads(demo("meetup", "plan", "--json").stdout)
    groups = plan["groups"]
    assert groups, plan
    for g in groups:
        assert g["why"] and g["size"] == len(g["people"]) >= 3
        assert all(p["name"] != "Sam Rivera" for p in g["people"])
    team = next(g for g in groups if g["kind"] == "organisation" and g["dormant_count"])
    assert any(p["dormant"] for p in team["people"])

    start = (datetime.now(UTC) + timedelta(days=20)).strftime("%Y-%m-%d 18:00")
    made = json.loads(
        demo("meetup", "create", "--group", team["key"], "--title", "Old team reunion",
             "--start", start, "--end", "3h", "--place", "The Crown, 10 High St",
             "--tz", "Europe/London", "--json").stdout
    )  # fmt: skip
    mid = made["meetup_id"]
    assert [i["person_id"] for i in made["invited"]] == [p["id"] for p in team["people"]]
    shown = demo("outreach", "show", str(made["invited"][0]["outreach_id"])).stdout
    assert "Old team reunion" in shown and "Where: The Crown, 10 High St" in shown

    with running_smtp() as server:
        demo("config", "set", "smtp.host", "127.0.0.1")
        demo("config", "set", "smtp.port", str(server.port))
        demo("config", "set", "smtp.security", "none")
        dry = json.loads(demo("meetup", "send", str(mid), "--json").stdout)
        assert {r["status"] for r in dry} == {"ready"} and not server.handler.received
        sent = json.loads(demo("meetup", "send", str(mid), "--yes", "--force", "--json").stdout)
        assert {r["status"] for r in sent} == {"sent"}
        received = list(server.handler.received)
    assert len(received) == len(team["people"])

    view = json.loads(demo("meetup", "show", str(mid), "--json").stdout)
    uid = view["uid"]
    guests = view["guests"]
    for r in received:
        msg = r.message
        cals = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
        assert len(cals) == 1 and cals[0].get_param("method") == "REQUEST"
        cal = Calendar.from_ical(cals[0].get_payload(decode=True))
        assert str(cal["method"]) == "REQUEST"
        event = cal.walk("VEVENT")[0]
        assert str(event["uid"]) == uid and int(event["sequence"]) == 0
        assert str(event["organizer"]).lower() == "mailto:" + r.sender.lower()  # the From
        attendee = event["attendee"]
        assert attendee.params["RSVP"] == "TRUE" and attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert str(attendee).lower() == f"mailto:{r.recipients[0].lower()}"  # only them
        assert any(p.get_filename() == "invite.ics" for p in msg.walk())

    invite_ids = {}
    store = open_store(demo.db)
    try:
        with store.read() as conn:
            for g in guests:
                row = oq.get_outreach(conn, store.owner_id, g["invite_id"])
                invite_ids[g["person_id"]] = (row.message_id, row.subject)
    finally:
        store.close()
    a, b, c, d = guests[:4]
    box = tmp_path / "answers.mbox"
    itip = _message(a["email"], "Invitation reply", "See my calendar's answer.",
                    invite_ids[a["person_id"]][0])  # fmt: skip
    itip.add_alternative(_reply_ics(uid, a["email"], "TENTATIVE"), maintype="text",
                         subtype="calendar", params={"method": "REPLY"})  # fmt: skip
    plain = _message(
        b["email"],
        "Re: " + invite_ids[b["person_id"]][1],
        "So sorry, I can't make it that week.\n\nOn Monday, Sam wrote:\n> I'd love for you to come",
        invite_ids[b["person_id"]][0],
    )
    subject_only = _message(c["email"], "Accepted: Old team reunion", "")
    unrelated = _message(d["email"], "Lunch next week?", "Count me in for lunch!")
    _write_mbox(box, [itip, plain, subject_only, unrelated])
    synced = demo("sync", "mail", str(box)).stdout
    assert "3 meetup answers" in synced

    view = json.loads(demo("meetup", "show", str(mid), "--json").stdout)
    answers = {g["person_id"]: (g["answer"], g["answer_source"]) for g in view["guests"]}
    assert answers[a["person_id"]] == ("tentative", "itip")
    assert answers[b["person_id"]] == ("declined", "mail")
    assert answers[c["person_id"]] == ("accepted", "itip")
    assert answers[d["person_id"]] == ("needs-action", None)
    again = demo("sync", "mail", str(box)).stdout
    assert "meetup answer" not in again

    # five days on, the one reminder; never a second
    _shift(demo.db, mid, sent_days=5)
    reminded = json.loads(demo("meetup", "remind", str(mid), "--json").stdout)
    waiting = [g["person_id"] for g in view["guests"] if g["answer"] == "needs-action"]
    assert sorted(r["person_id"] for r in reminded) == sorted(waiting)
    assert json.loads(demo("meetup", "remind", str(mid), "--json").stdout) == []

    demo("meetup", "rsvp", str(mid), str(d["person_id"]), "yes")
    refused = demo("meetup", "done", str(mid), check=False)
    assert refused.code == 1 and "has not happened yet" in refused.stderr
    _shift(demo.db, mid, event_days=-25)
    done = json.loads(demo("meetup", "done", str(mid), "--thank", "--json").stdout)
    came = {x["person_id"] for x in done["attendees"]}
    assert came == {c["person_id"], d["person_id"]}
    assert {t["person_id"] for t in done["thanks"]} == came
    store = open_store(demo.db)
    try:
        with store.read() as conn:
            starts = conn.execute(select(meetup.c.starts_at).where(meetup.c.id == mid)).scalar()
            last = dict(conn.execute(select(tie_stats.c.person_id, tie_stats.c.last_contact)
                                     .where(tie_stats.c.person_id.in_(came))).all())  # fmt: skip
            met = set(conn.execute(
                select(interaction_person.c.person_id)
                .join(interaction, interaction.c.id == interaction_person.c.interaction_id)
                .where(interaction.c.source == MEETUP_SOURCE, interaction.c.occurred_at == starts)
            ).scalars())  # fmt: skip
    finally:
        store.close()
    assert met == came  # the meetup is in each attendee's history, at its start
    # their clocks restarted at the meetup at least (c and d also wrote today, after it)
    assert all(last[p] >= starts for p in came)
    second = json.loads(demo("meetup", "done", str(mid), "--thank", "--json").stdout)
    assert second["already_logged"] and second["thanks"] == []


def _shift(db: str, mid: int, sent_days: int = 0, event_days: int = 0) -> None:
    """Time passes: the invitations went ``sent_days`` earlier; the event moves by ``event_days``."""
    from rekindle.store import meetups as mq

    store = open_store(db)
    try:
        with store.begin() as conn:
            row = mq.get_meetup(conn, store.owner_id, mid)
            if event_days:
                mq.update_meetup(
                    conn, store.owner_id, mid,
                    starts_at=row.starts_at + timedelta(days=event_days),
                    ends_at=row.ends_at + timedelta(days=event_days),
                )  # fmt: skip
            for g in mq.guests_of(conn, store.owner_id, mid):
                sent = oq.get_outreach(conn, store.owner_id, g.invite_id)
                if sent_days and sent.sent_at is not None:
                    oq.update_outreach(conn, store.owner_id, sent.id,
                                       sent_at=sent.sent_at - timedelta(days=sent_days))  # fmt: skip
    finally:
        store.close()


def test_every_option_has_help(demo: Cli) -> None:
    commands = ("plan", "create", "list", "show", "send", "rsvp", "remind", "done", "ics",
                "cancel", "delete")  # fmt: skip
    for command in commands:
        shown = demo("meetup", command, "--help").stdout
        assert "--json" in shown or command == "ics", command
    assert "--tz" in demo("meetup", "create", "--help").stdout


def test_bad_input_is_one_line(demo: Cli) -> None:
    ran = demo("meetup", "create", "--title", "x", "--start", "tomorrow", "--place", "y",
               "--with", "1", check=False)  # fmt: skip
    assert ran.code == 1 and "cannot read the start" in ran.stderr and "Traceback" not in ran.stderr
    ran = demo("meetup", "create", "--title", "x", "--start", "2030-01-01 10:00", "--with", "2",
               check=False)  # fmt: skip
    assert ran.code == 1 and "--place or --link" in ran.stderr
    ran = demo("meetup", "show", "999", check=False)
    assert ran.code == 1 and "no meetup #999" in ran.stderr


def test_guests_are_invited_where_you_would_write_today(demo: Cli) -> None:
    """Eric Davis left Foxglove Analytics in 2021: the guest list, the calendar file and the
    invitation itself go to his current address, and the invitation names the meetup as a
    title, not as a bare noun phrase."""
    start = (datetime.now(UTC) + timedelta(days=20)).strftime("%Y-%m-%d 18:00")
    made = json.loads(
        demo("meetup", "create", "--group", "organisation:work:foxglove analytics",
             "--title", "Foxglove 2018 reunion", "--start", start, "--place", "The Crown",
             "--tz", "Europe/London", "--json").stdout
    )  # fmt: skip
    mid = str(made["meetup_id"])
    view = json.loads(demo("meetup", "show", mid, "--json").stdout)
    eric = next(g for g in view["guests"] if g["name"] == "Eric Davis")
    assert eric["email"] == "edavis@gmail.com"
    ics = demo("meetup", "ics", mid).stdout.replace("\r\n ", "").replace("\n ", "")
    assert "mailto:edavis@gmail.com" in ics and "foxglove-analytics.com" not in ics
    store = open_store(demo.db)
    try:
        out = prepare(store, eric["invite_id"])
    finally:
        store.close()
    assert out.email == "edavis@gmail.com"
    body = " ".join(out.body.split())
    assert "I'm putting together a get-together, “Foxglove 2018 reunion”," in body
    assert "putting together Foxglove" not in body
    assert out.subject and out.subject.startswith("Join me? Foxglove 2018 reunion (")
