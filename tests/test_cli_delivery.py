"""From the plan to a sent message, its one follow-up and the reply found by the next sync,
as a user runs it (in-process through the CLI's error boundary, on SQLite and PostgreSQL),
with a real SMTP server on loopback."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from icalendar import Calendar

from rekindle.store import open_store
from rekindle.store import outreach as oq
from tests.smtp_server import running_smtp
from tests.test_cli_outreach import Cli, cli  # noqa: F401 - the fixture

REPLY = """From ana@newjob.example {envelope}
From: Ana Costa <ana@newjob.example>
To: Robin Example <robin@example.org>
Date: {date}
Message-ID: <reply-1@newjob.example>
In-Reply-To: <{msgid}>
References: <{msgid}>
Subject: Re: {subject}

So good to hear from you!

"""


def back_date(runner: Cli, oid: int, days: int) -> None:
    """Time passes: the message went ``days`` ago."""
    store = open_store(runner.db)
    try:
        with store.begin() as conn:
            row = oq.get_outreach(conn, store.owner_id, oid)
            assert row is not None
            oq.update_outreach(
                conn,
                store.owner_id,
                oid,
                sent_at=row.sent_at - timedelta(days=days),
                follow_up_due=row.follow_up_due - timedelta(days=days),
            )
    finally:
        store.close()


def test_from_the_plan_to_a_reply(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    plan = json.loads(cli("plan", "--json").stdout)
    assert "Ana Costa" in [s["name"] for s in plan["suggestions"]]
    saved = json.loads(cli("draft", "Ana", "--save", "--json").stdout)
    oid = saved["saved_id"]
    with running_smtp() as server:
        cli("config", "set", "smtp.host", "127.0.0.1")
        cli("config", "set", "smtp.port", str(server.port))
        cli("config", "set", "smtp.security", "none")
        dry = cli("send", str(oid)).stdout
        assert "dry run" in dry and "To: Ana Costa <ana.costa@example.com>" in dry
        assert server.received == []
        done = cli("send", str(oid), "--yes").stdout
        assert f"#{oid} sent to Ana Costa" in done
        [first] = server.received
        again = cli("send", str(oid), "--yes", check=False)
        assert again.code == 1 and "nothing is sent twice" in again.stderr
        assert "Traceback" not in again.stderr
        log = json.loads(cli("log", "--json").stdout)
        [row] = [r for r in log if r["id"] == oid]
        assert row["status"] == "sent" and f"<{row['message_id']}>" == first.message["Message-ID"]
        # the same words as the web's Follow-ups page: nothing due, and when the next one is
        waiting = cli("followups").stdout
        assert "Nothing due. The next follow-up is due on" in waiting and "Ana Costa" in waiting
        assert f"{datetime.now(UTC) + timedelta(days=10):%d %b %Y}" in waiting
        back_date(cli, oid, 11)
        due = json.loads(cli("followups", "--json").stdout)["due"]
        [follow] = due
        assert follow["outreach_id"] == oid and follow["subject"] == f"Re: {row['subject']}"
        cli("send", str(follow["draft_id"]), "--yes")
        assert server.received[1].message["In-Reply-To"] == f"<{row['message_id']}>"
        assert json.loads(cli("followups", "--json").stdout)["due"] == []
    cal = tmp_path / "rekindle.ics"
    assert "reminders written" in cli("calendar", "export", str(cal)).stdout
    assert Calendar.from_ical(cal.read_bytes()).walk("VEVENT") is not None
    box = tmp_path / "reply.mbox"
    when = datetime.now(UTC) + timedelta(minutes=1)
    box.write_text(
        REPLY.format(
            envelope=f"{when:%a %b %d %H:%M:%S %Y}",
            date=format_datetime(when),
            msgid=row["message_id"],
            subject=row["subject"],
        ),
        encoding="utf-8",
    )
    assert "1 reply to your outreach" in cli("sync", "mail", str(box)).stdout
    shown = json.loads(cli("outreach", "show", str(oid), "--json").stdout)
    assert shown["status"] == "replied"
    thanks = cli("followups").stdout
    assert "Ana Costa: replied on" in thanks and "say thank you" in thanks
    outcome = cli("outreach", "outcome", str(oid), "call", "--note", "an hour, lovely").stdout
    assert "A thank-you, ready to edit" in outcome and "--intent thank" in outcome
    person = cli("show", "Ana").stdout
    assert "ledger   gave: nothing yet" in person and "calls (1)" in person


def test_delivery_errors_are_one_line(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    oid = json.loads(cli("draft", "Ana", "--save", "--json").stdout)["saved_id"]
    for args, words in (
        (("send", "999"), "no outreach #999"),
        (("send", str(oid)), "no SMTP server configured"),
        (("send", str(oid), "--drafts"), "no IMAP account for drafts"),
        (("outreach", "outcome", str(oid), "call"), "has not gone out yet"),
        (("outreach", "outcome", str(oid), "ghosted"), "unknown outcome"),
        (("config", "set", "smtp.security", "ssl3"), "smtp.security takes"),
        (("config", "set", "drafts.imap", "imaps://me:pw@host"), "must not contain the password"),
        (("config", "set", "followup.days", "0"), "followup.days takes"),
        (("followups", "skip", str(oid)), "not a sent message waiting"),
    ):
        ran = cli(*args, check=False)
        assert ran.code == 1 and words in ran.stderr, (args, ran.stderr)
        assert "Traceback" not in ran.stderr
    eml = tmp_path / "ana.eml"
    assert "written to" in cli("send", str(oid), "--eml", str(eml)).stdout
    assert b"X-Unsent: 1" in eml.read_bytes()
    linked = cli("draft", "Ana", "--medium", "sms", "--save", "--json").stdout
    sms = json.loads(linked)["saved_id"]
    out = cli("send", str(sms)).stdout
    assert "sms:+442079460018?body=" in out and "tel:+442079460018" in out
    assert f"rekindle outreach sent {sms}" in out


def test_the_linkedin_link_is_a_full_https_url(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    card = tmp_path / "cy.vcf"
    card.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Cy Park\nN:Park;Cy;;;\n"
        "URL;type=linkedin:linkedin.com/in/cy-park\nEND:VCARD\n",
        encoding="utf-8",
    )
    cli("import", str(card))
    saved = json.loads(cli("draft", "Cy Park", "--medium", "linkedin", "--save", "--json").stdout)
    out = json.loads(cli("send", str(saved["saved_id"]), "--links", "--json").stdout)
    assert out["links"]["linkedin"].startswith("https://")
    assert "linkedin.com/in/cy-park" in out["links"]["linkedin"]
    shown = cli("send", str(saved["saved_id"]), "--links").stdout
    assert "https://" in shown and "linkedin.com/in/cy-park" in shown


def test_profile_links_are_web_addresses_only() -> None:
    from rekindle.compose.mail_compose import profile_link

    assert profile_link("linkedin.com/in/x") == "https://linkedin.com/in/x"
    assert profile_link("http://www.linkedin.com/in/x") == "https://www.linkedin.com/in/x"
    assert profile_link("//linkedin.com/in/x") == "https://linkedin.com/in/x"
    assert profile_link("linkedin.com:443/in/x") == "https://linkedin.com:443/in/x"
    assert profile_link("javascript:alert(1)") is None
    assert profile_link("ftp://host/x") is None
    assert profile_link("a b") is None


def test_a_message_logged_from_elsewhere_is_followed_up_and_its_reply_found(
    cli: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    sent_at = datetime.now(UTC) - timedelta(days=12)
    logged = json.loads(
        cli("log", "Ana", "-m", "email", "-n", "from my phone", "--at",
            f"{sent_at:%Y-%m-%d %H:%M}", "--force", "--json").stdout
    )  # fmt: skip
    assert logged["status"] == "sent"
    said = cli("log", "Bob", "-m", "linkedin", "-n", "a note").stdout
    assert "waiting for the reply like a message sent from here" in said
    due = json.loads(cli("followups", "--json").stdout)["due"]
    assert [d["outreach_id"] for d in due] == [logged["id"]]  # Bob's is not due yet
    box = tmp_path / "reply.mbox"
    when = datetime.now(UTC) - timedelta(minutes=5)
    box.write_text(
        REPLY.format(envelope=f"{when:%a %b %d %H:%M:%S %Y}", date=format_datetime(when),
                     msgid="none@elsewhere", subject="hello")
        .replace("ana@newjob.example", "ana.costa@example.com"),  # matched by her address
        encoding="utf-8",
    )  # fmt: skip
    assert "1 reply to your outreach" in cli("sync", "mail", str(box)).stdout
    shown = json.loads(cli("outreach", "show", str(logged["id"]), "--json").stdout)
    assert shown["status"] == "replied"
    call = json.loads(cli("log", "Ana", "-m", "call", "--force", "--json").stdout)
    assert call["status"] == "logged"  # a call was answered as it happened
