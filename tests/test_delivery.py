"""Delivery of saved drafts: SMTP against a real aiosmtpd server on loopback (plain, STARTTLS
with a login, implicit TLS), refusals, timeouts and a connection dropped after DATA; .eml
files; links for the other media; the IMAP Drafts folder on a real Dovecot."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from rekindle.errors import UserError
from rekindle.services import delivery, drafting
from rekindle.services import outreach as log
from rekindle.services import settings as settings_svc
from rekindle.services.importing import import_path
from rekindle.store import Store
from rekindle.transport.smtp import SendError
from tests.imap_server import free_port, running_dovecot
from tests.smtp_server import PASSWORD, USER, SmtpServer, running_smtp
from tests.test_outreach import add_people

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
ENV = {"REKINDLE_SMTP_PASSWORD": PASSWORD}

CY_VCF = """BEGIN:VCARD
VERSION:3.0
UID:cy-1
FN:Cy Park
TEL;type=CELL:+44 7700 900123
URL:https://www.linkedin.com/in/cy-park
END:VCARD
"""


@pytest.fixture
def people(sqlite_store: Store, tmp_path: Path) -> Store:
    return add_people(sqlite_store, tmp_path)


def configure(store: Store, server: SmtpServer | None, port: int | None = None) -> None:
    settings_svc.change(store, "smtp.host", "127.0.0.1")
    settings_svc.change(store, "smtp.port", str(port or (server.port if server else 1)))
    settings_svc.change(store, "smtp.security", server.security if server else "none")
    if server is not None and server.security != "none":
        settings_svc.change(store, "smtp.username", USER)


def saved_draft(store: Store, ref: str = "Ana", medium: str = "email") -> int:
    result = drafting.draft_for(store, ref, drafting.DraftRequest(medium=medium), now=NOW)
    return log.save_draft(store, result.person_id, result.draft, now=NOW)


def send(store: Store, server: SmtpServer | None, oid: int, **kw: object) -> delivery.Outgoing:
    return delivery.send(
        store,
        oid,
        confirm=True,
        env=ENV,
        ssl_context=server.client_context if server else None,
        now=kw.pop("now", NOW),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def test_dry_run_sends_and_records_nothing(people: Store) -> None:
    oid = saved_draft(people)
    with running_smtp() as server:
        configure(people, server)
        out = delivery.send(people, oid, confirm=False, now=NOW)
        assert out.message is not None and out.message["To"] == "Ana Costa <ana.costa@example.com>"
        assert server.received == []
    row = log.show(people, oid)
    assert row["status"] == "draft" and row["message_id"] is None


@pytest.mark.parametrize("security", ["starttls", "tls", "none"])
def test_send_through_smtp(people: Store, security: str) -> None:
    oid = saved_draft(people)
    with running_smtp(security) as server:
        configure(people, server)
        out = send(people, server, oid)
        [got] = server.received
    row = log.show(people, oid)
    assert row["status"] == "sent" and out.status == "sent"
    assert row["message_id"] == out.message_id and row["message_id"].endswith("@example.org")
    assert row["follow_up_due"].startswith("2025-06-11")
    assert got.sender == "robin@example.org" and got.recipients == ["ana.costa@example.com"]
    msg = got.message
    assert msg["From"] == "Robin Example <robin@example.org>"
    assert msg["To"] == "Ana Costa <ana.costa@example.com>"
    assert msg["Subject"] == row["subject"]
    assert msg["Message-ID"] == f"<{row['message_id']}>"
    assert parsedate_to_datetime(msg["Date"]) == NOW
    assert msg.get_content().replace("\r\n", "\n").strip() == row["body"].strip()
    with pytest.raises(UserError, match="sent already; nothing is sent twice"):
        send(people, server, oid)


def test_a_refused_recipient_leaves_a_draft(people: Store) -> None:
    oid = saved_draft(people)
    with running_smtp() as server:
        configure(people, server)
        server.handler.refuse_rcpt = True
        with pytest.raises(SendError, match="refused the recipient ana.costa@example.com: 550"):
            send(people, server, oid)
        assert log.show(people, oid)["status"] == "draft" and server.received == []
        server.handler.refuse_rcpt = False
        send(people, server, oid)
        assert len(server.received) == 1
    assert log.show(people, oid)["status"] == "sent"


def test_a_wrong_password_sends_nothing(people: Store) -> None:
    oid = saved_draft(people)
    with running_smtp("starttls") as server:
        configure(people, server)
        with pytest.raises(SendError, match="SMTP login failed for robin@127.0.0.1: 535"):
            delivery.send(
                people,
                oid,
                confirm=True,
                env={"REKINDLE_SMTP_PASSWORD": "wrong"},
                ssl_context=server.client_context,
                now=NOW,
            )
        assert server.received == []
    assert log.show(people, oid)["status"] == "draft"


def test_no_password_anywhere_is_one_clear_error(people: Store) -> None:
    oid = saved_draft(people)
    with running_smtp("starttls") as server:
        configure(people, server)
        with pytest.raises(UserError, match="No SMTP password for robin@127.0.0.1"):
            delivery.send(people, oid, confirm=True, env={}, prompt=None, now=NOW)
    assert log.show(people, oid)["status"] == "draft"


def test_a_dropped_connection_after_data_is_never_sent_twice(people: Store) -> None:
    oid = saved_draft(people)
    with running_smtp() as server:
        configure(people, server)
        server.handler.drop_on_data = True
        with pytest.raises(SendError, match="may have been sent") as caught:
            send(people, server, oid)
        assert caught.value.maybe_sent and "Sent folder" in (caught.value.hint or "")
        row = log.show(people, oid)
        assert row["status"] == "sending" and row["message_id"]
        [first] = server.received
        assert first.message["Message-ID"] == f"<{row['message_id']}>"
        with pytest.raises(UserError, match="may already have been sent"):
            send(people, server, oid)
        assert len(server.received) == 1
        server.handler.drop_on_data = False
        send(people, server, oid, force=True)  # the user chose to send again: same Message-ID
        assert [r.message["Message-ID"] for r in server.received] == [f"<{row['message_id']}>"] * 2
    assert log.show(people, oid)["status"] == "sent"


def test_you_may_record_a_maybe_sent_message_as_sent(people: Store) -> None:
    oid = saved_draft(people)
    with running_smtp() as server:
        configure(people, server)
        server.handler.drop_on_data = True
        with pytest.raises(SendError):
            send(people, server, oid)
    log.mark_sent(people, oid, now=NOW)
    assert log.show(people, oid)["status"] == "sent"


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(5)
        yield int(sock.getsockname()[1])


def test_timeouts_and_refused_connections_send_nothing(people: Store, silent_port: int) -> None:
    oid = saved_draft(people)
    configure(people, None, silent_port)
    settings_svc.change(people, "smtp.timeout", "1")
    with pytest.raises(SendError, match=r"No answer .* within 1 s\. Nothing was sent"):
        send(people, None, oid)
    assert log.show(people, oid)["status"] == "draft"
    configure(people, None, free_port())
    with pytest.raises(SendError, match="Cannot connect to the SMTP server"):
        send(people, None, oid)
    assert log.show(people, oid)["status"] == "draft"


def test_the_duplicate_outreach_lock_and_missing_settings(people: Store, tmp_path: Path) -> None:
    first, second = saved_draft(people), saved_draft(people)
    with pytest.raises(UserError, match="no SMTP server configured"):
        delivery.send(people, first, confirm=False, now=NOW)
    with running_smtp() as server:
        configure(people, server)
        send(people, server, first)
        with pytest.raises(UserError, match="within 30 days is refused"):
            delivery.send(people, second, confirm=False, now=NOW + timedelta(days=3))
        send(people, server, second, force=True, now=NOW + timedelta(days=3))
        assert len(server.received) == 2


def test_missing_address_and_sender(people: Store, tmp_path: Path) -> None:
    card = tmp_path / "cy.vcf"
    card.write_text(CY_VCF, encoding="utf-8")
    import_path(people, card, now=NOW)
    oid = saved_draft(people, "Cy")
    with pytest.raises(UserError, match="Cy Park has no email address on record"):
        delivery.prepare(people, oid, now=NOW)


def test_an_eml_file_opens_as_a_draft(people: Store, tmp_path: Path) -> None:
    import email
    import email.policy

    oid = saved_draft(people)
    path = tmp_path / "ana.eml"
    out = delivery.write_eml(people, oid, path, now=NOW)
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert msg["X-Unsent"] == "1" and msg["Message-ID"] == f"<{out.message_id}>"
    assert msg["To"] == "Ana Costa <ana.costa@example.com>"
    row = log.show(people, oid)
    assert row["status"] == "draft" and row["message_id"] == out.message_id
    with pytest.raises(UserError, match="exists"):
        delivery.write_eml(people, oid, path, now=NOW)


def test_other_media_get_their_reach(people: Store, tmp_path: Path) -> None:
    card = tmp_path / "cy.vcf"
    card.write_text(CY_VCF, encoding="utf-8")
    import_path(people, card, now=NOW)
    oid = saved_draft(people, "Cy", "sms")
    out = delivery.prepare(people, oid, now=NOW)
    assert out.message is None and out.phone == "+44 7700 900123"
    assert out.linkedin and "linkedin.com/in/cy-park" in out.linkedin
    with pytest.raises(UserError, match="Rekindle sends email only"):
        delivery.send(people, oid, confirm=True, now=NOW)


def test_save_into_the_imap_drafts_folder(people: Store) -> None:
    from rekindle.transport.imap_drafts import choose_drafts

    oid = saved_draft(people)
    with running_dovecot({"Sent": "\\Sent", "Drafts": "\\Drafts"}) as server:
        url = f"imap://{server.user}@127.0.0.1:{server.port}?starttls"
        out, folder = delivery.save_to_drafts(
            people,
            oid,
            url,
            env={"REKINDLE_IMAP_PASSWORD": server.password},
            ssl_context=server.ssl_context(),
            now=NOW,
        )
        assert folder == "Drafts"
        with server.client() as imap:
            assert choose_drafts(imap.list_folders()) == "Drafts"
            imap.select_folder("Drafts", readonly=True)
            [uid] = imap.search(["ALL"])
            data = imap.fetch([uid], ["FLAGS", "RFC822"])[uid]
        assert b"\\Draft" in data[b"FLAGS"]
        assert f"Message-ID: <{out.message_id}>".encode() in data[b"RFC822"]
        with pytest.raises(UserError, match="IMAP login failed"):
            delivery.save_to_drafts(
                people,
                oid,
                url,
                env={"REKINDLE_IMAP_PASSWORD": "wrong"},
                ssl_context=server.ssl_context(),
                now=NOW,
            )
    row = log.show(people, oid)
    assert row["status"] == "draft" and row["message_id"] == out.message_id
