"""A plain "count me in" answering a meetup invitation, found over IMAP against a real Dovecot:
the sync reads headers only, then fetches that one reply's body (read-only) and records it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from rekindle.services import me as me_svc
from rekindle.services import outreach as outreach_svc
from rekindle.services import people as people_svc
from rekindle.services.meetups import create_meetup
from rekindle.services.sync_imap import sync_imap
from rekindle.store import Store
from rekindle.store import meetups as mq
from tests.imap_server import DovecotServer, running_dovecot
from tests.test_sync_imap import ME, mail, url

NOW = datetime(2026, 11, 1, 9, tzinfo=UTC)


@pytest.fixture
def dovecot() -> Iterator[DovecotServer]:
    with running_dovecot() as server:
        server.append("INBOX", [mail(1, "Grace Hopper <grace@navy.mil>", ME, "COBOL?")])
        server.append("Sent", [mail(10, f"Me <{ME}>", "grace@navy.mil", "Re: COBOL?",
                                    reply_to="<imap-1@example.org>")])  # fmt: skip
        yield server


def _answer(n: int, text: str, in_reply_to: str) -> bytes:
    return (
        f"From: Grace Hopper <grace@navy.mil>\r\nTo: {ME}\r\n"
        f"Date: Mon, 02 Nov 2026 10:{n:02d}:00 +0000\r\nMessage-ID: <answer-{n}@navy.mil>\r\n"
        f"Subject: Re: Join me?\r\nIn-Reply-To: <{in_reply_to}>\r\n\r\n{text}\r\n"
    ).encode()


def test_a_plain_answer_over_imap(store: Store, dovecot: DovecotServer) -> None:
    me_svc.add_address(store, ME)
    env = {"REKINDLE_IMAP_PASSWORD": dovecot.password}
    sync_imap(store, url(dovecot), env=env, now=NOW)
    grace = people_svc.show(store, "grace@navy.mil").id
    made = create_meetup(
        store, title="Compiler reunion", start=NOW + timedelta(days=20),
        end=NOW + timedelta(days=20, hours=2), place="Arlington", people=[str(grace)], now=NOW,
    )  # fmt: skip
    [invited] = made.invited
    outreach_svc.mark_sent(store, invited.outreach_id, at=NOW, message_id="<inv-1@example.net>",
                           force=True, now=NOW)  # fmt: skip
    dovecot.append("INBOX", [_answer(1, "Count me in! Wouldn't miss it.", "inv-1@example.net")])
    report = sync_imap(store, url(dovecot), env=env, now=NOW + timedelta(days=1))
    assert report.meetup_answers == 1
    with store.read() as conn:
        [guest] = mq.guests_of(conn, store.owner_id, made.meetup_id)
    assert (guest.answer, guest.answer_source) == ("accepted", "mail")
    assert "Count me in" in (guest.answer_note or "")
    again = sync_imap(store, url(dovecot), env=env, now=NOW + timedelta(days=1))
    assert again.meetup_answers == 0  # each message is read once
