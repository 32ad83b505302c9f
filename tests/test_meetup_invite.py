"""Meetup invitations as iCalendar: the REQUEST a calendar app shows with Accept/Decline, and
answers read from REPLYs, from calendar apps' subjects and from a reply's own words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar, Event, vCalAddress

from rekindle.compose.meetup_invite import Guest, Invitation, build_request, parse_reply
from rekindle.compose.meetup_words import details_block, when_words
from rekindle.compose.rsvp_words import answer_in_subject, answer_in_text
from rekindle.sources.mail_body import parse_body, raw_message

START = datetime(2027, 1, 15, 18, 0, tzinfo=UTC)
END = datetime(2027, 1, 15, 21, 0, tzinfo=UTC)
ME = Guest("Sam Rivera", "sam@example.org")


def _invitation(**kw: object) -> Invitation:
    values: dict[str, object] = {"uid": "meetup-1@rekindle.local", "sequence": 2,
                                 "title": "Reunion", "start": START, "end": END,
                                 "organizer": ME, "place": "The Crown"}  # fmt: skip
    values.update(kw)
    return Invitation(**values)  # type: ignore[arg-type]


def test_a_request_has_what_a_calendar_app_needs() -> None:
    data = build_request(_invitation(link="https://meet.example/x"),
                         [Guest("Ana Costa", "ana@example.com"), Guest("", "bo@example.com")],
                         START)  # fmt: skip
    cal = Calendar.from_ical(data)
    assert str(cal["method"]) == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert str(event["uid"]) == "meetup-1@rekindle.local" and int(event["sequence"]) == 2
    assert event.decoded("dtstart") == START and event.decoded("dtend") == END
    assert str(event["organizer"]) == "mailto:sam@example.org"
    assert event["organizer"].params["CN"] == "Sam Rivera"
    ana, bo = event["attendee"]
    assert str(ana) == "mailto:ana@example.com" and ana.params["RSVP"] == "TRUE"
    assert ana.params["PARTSTAT"] == "NEEDS-ACTION" and "CN" not in bo.params
    assert str(event["location"]) == "The Crown" and str(event["url"]) == "https://meet.example/x"
    cancelled = Calendar.from_ical(build_request(_invitation(cancelled=True), [], START))
    assert str(cancelled["method"]) == "CANCEL"
    assert str(cancelled.walk("VEVENT")[0]["status"]) == "CANCELLED"


def _reply(partstat: str, method: str = "REPLY") -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Test//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", "meetup-1@rekindle.local")
    event.add("sequence", 2)
    event.add("comment", "See you!")
    who = vCalAddress("MAILTO:Ana@Example.com")
    who.params["PARTSTAT"] = partstat
    event.add("attendee", who)
    cal.add_component(event)
    return bytes(cal.to_ical())


@pytest.mark.parametrize(("partstat", "answer"), [("ACCEPTED", "accepted"),
                         ("DECLINED", "declined"), ("TENTATIVE", "tentative")])  # fmt: skip
def test_a_reply_gives_the_answer(partstat: str, answer: str) -> None:
    [reply] = parse_reply(_reply(partstat))
    assert (reply.uid, reply.email, reply.answer) == (
        "meetup-1@rekindle.local",
        "ana@example.com",
        answer,
    )
    assert reply.sequence == 2 and reply.comment == "See you!"


def test_anything_but_a_reply_is_no_answer() -> None:
    assert parse_reply(_reply("ACCEPTED", method="REQUEST")) == []
    assert parse_reply(_reply("NEEDS-ACTION")) == []
    assert parse_reply(b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\n") == []
    assert parse_reply(b"\xff\xfe not a calendar") == []


@pytest.mark.parametrize(("text", "answer"), [
    ("Count me in!", "accepted"),
    ("Yes! Wouldn't miss it.", "accepted"),
    ("I'll be there, see you then", "accepted"),
    ("So sorry, I can't make it that week.", "declined"),
    ("I won't be able to come, sadly", "declined"),
    ("Have to pass this time", "declined"),
    ("Maybe: depends on work", "tentative"),
    ("Not sure yet, I'll try", "tentative"),
    ("Great to hear from you! How are the kids?", None),
    ("Thanks.\n\nOn Mon, 4 Jan 2027, Sam wrote:\n> Count me in? I'd love for you to come", None),
    ("> can't make it\nI'm in!", "accepted"),
])  # fmt: skip
def test_plain_words(text: str, answer: str | None) -> None:
    assert answer_in_text(text) == answer


def test_calendar_app_subjects() -> None:
    assert answer_in_subject("Accepted: Reunion @ Fri 15 Jan") == "accepted"
    assert answer_in_subject("Declined: Reunion") == "declined"
    assert answer_in_subject("Tentatively Accepted: Reunion") == "tentative"
    assert answer_in_subject("Re: Accepted: Reunion") is None
    assert answer_in_subject(None) is None


def test_words_of_when_and_where() -> None:
    assert when_words(START, END) != ""  # in this machine's zone
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    assert when_words(START, END, paris) == "Friday 15 January 2027, 19:00–22:00 CET"
    block = details_block(START, END, "The Crown", "https://meet.example/x", None, paris)
    assert block.splitlines()[:3] == ["When: Friday 15 January 2027, 19:00–22:00 CET",
                                      "Where: The Crown", "Video link: https://meet.example/x"]  # fmt: skip


def test_a_body_is_read_again_from_its_mbox_offset_and_maildir_file(tmp_path: object) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    first = b"From a@x Mon Jan  4 10:00:00 2027\nFrom: a@x\nSubject: one\n\nfirst body\n\n"
    second = (b"From b@x Mon Jan  4 11:00:00 2027\nFrom: b@x\nSubject: two\n"
              b"Content-Type: text/plain\n\nCount me in!\n")  # fmt: skip
    box = root / "Inbox.mbox"
    box.write_bytes(first + second)
    raw = raw_message("mbox", box, f"Inbox.mbox@{len(first)}")
    assert raw is not None and parse_body(raw).text.strip() == "Count me in!"
    assert raw_message("mbox", box, "Other.mbox@0") is None  # another file's message
    assert raw_message("mbox", box, "Inbox.mbox@5") is None  # not at an envelope line
    maildir = root / "Mail"
    (maildir / "cur").mkdir(parents=True)
    (maildir / "cur" / "1.eml").write_bytes(second.split(b"\n", 1)[1])
    assert (
        parse_body(raw_message("maildir", maildir, "cur/1.eml") or b"").text.strip()
        == "Count me in!"
    )
    assert raw_message("maildir", maildir, "../Inbox.mbox") is None  # never outside the folder
