"""`rekindle sync mail imap://…` end to end against a real Dovecot, on both databases."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rekindle.errors import UserError
from rekindle.services import me as me_svc
from rekindle.services import people as people_svc
from rekindle.services.sync_imap import sync_imap
from rekindle.store import Store
from tests.imap_server import DovecotServer, running_dovecot

NOW = datetime(2026, 11, 1, tzinfo=UTC)
ME = "me@example.net"


def mail(
    n: int, sender: str, to: str, subject: str, *, reply_to: str | None = None, extra: str = ""
) -> bytes:
    refs = f"In-Reply-To: {reply_to}\r\nReferences: {reply_to}\r\n" if reply_to else ""
    return (
        f"From: {sender}\r\nTo: {to}\r\nDate: Mon, {1 + n % 27:02d} Jan 2024 10:{n % 60:02d}:00 +0000\r\n"
        f"Message-ID: <imap-{n}@example.org>\r\nSubject: {subject}\r\n{refs}{extra}\r\nBody {n}\r\n"
    ).encode()


@pytest.fixture
def dovecot() -> Iterator[DovecotServer]:
    with running_dovecot() as server:
        server.append(
            "INBOX",
            [
                mail(1, "Grace Hopper <grace@navy.mil>", ME, "COBOL?"),
                mail(
                    2,
                    "News <news@shop.example>",
                    ME,
                    "Sale",
                    extra="List-Unsubscribe: <mailto:u@shop.example>\r\n",
                ),
                mail(3, "Alan <alan@bletchley.uk>", ME, "hello"),
            ],
        )
        server.append(
            "Sent",
            [
                mail(
                    10,
                    f"Me <{ME}>",
                    "grace@navy.mil",
                    "Re: COBOL?",
                    reply_to="<imap-1@example.org>",
                )
            ],
        )
        yield server


def url(server: DovecotServer) -> str:
    return f"imap://{server.user}@127.0.0.1:{server.port}/INBOX,Sent?plain"


def test_first_sync_incremental_and_reply(store: Store, dovecot: DovecotServer) -> None:
    me_svc.add_address(store, ME)
    env = {"REKINDLE_IMAP_PASSWORD": dovecot.password}
    first = sync_imap(store, url(dovecot), env=env, now=NOW)
    assert (first.counts.read, first.counts.new) == (4, 4)
    assert first.counts.new_people == 1  # Grace wrote and got an answer; Alan only wrote
    grace = people_svc.show(store, "grace@navy.mil")
    assert grace.interactions == 2
    again = sync_imap(store, url(dovecot), env=env, now=NOW)
    assert again.counts.read == 0 and again.resumed
    dovecot.append("INBOX", [mail(20, "Grace Hopper <grace@navy.mil>", ME, "Re: Re: COBOL?")])
    third = sync_imap(store, url(dovecot), env=env, now=NOW)
    assert (third.counts.read, third.counts.new) == (1, 1)
    assert people_svc.show(store, "grace@navy.mil").interactions == 3


def test_progress_tells_the_share_of_the_new_mail(store: Store, dovecot: DovecotServer) -> None:
    """The share is of the new messages in every chosen folder, counted before the first."""
    me_svc.add_address(store, ME)
    dovecot.append("INBOX", [mail(100 + i, "Ada <ada@example.org>", ME, "hi") for i in range(2400)])
    heard: list[tuple[int, float | None]] = []

    def progress(n: int, share: float | None = None, stage: str | None = None) -> None:
        if stage is None:
            heard.append((n, share))

    report = sync_imap(
        store,
        url(dovecot),
        env={"REKINDLE_IMAP_PASSWORD": dovecot.password},
        progress=progress,
        now=NOW,
    )
    assert report.counts.read == 2404
    assert [n for n, _ in heard] == [1000, 2000]
    # every item counts as read, the folder announcements too: one came before these messages
    assert [share for _, share in heard] == [999 / 2404, 1999 / 2404]


def test_uidvalidity_change_refetches_without_duplicates(
    store: Store, dovecot: DovecotServer
) -> None:
    me_svc.add_address(store, ME)
    env = {"REKINDLE_IMAP_PASSWORD": dovecot.password}
    sync_imap(store, url(dovecot), env=env, now=NOW)
    dovecot.set_uidvalidity("INBOX", dovecot.uidvalidity("INBOX") + 7)
    again = sync_imap(store, url(dovecot), env=env, now=NOW)
    assert again.counts.read == 3 and again.counts.new == 0 and again.counts.duplicates == 3


def test_wrong_password_is_one_clear_line(store: Store, dovecot: DovecotServer) -> None:
    with pytest.raises(UserError, match="IMAP login failed"):
        sync_imap(store, url(dovecot), env={"REKINDLE_IMAP_PASSWORD": "wrong"}, now=NOW)


def test_cli_sync_imap(dovecot: DovecotServer, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    env = {**os.environ, "REKINDLE_IMAP_PASSWORD": dovecot.password, "COLUMNS": "200"}
    run = [sys.executable, "-m", "rekindle", "--db", str(db)]
    subprocess.run([*run, "me", "add-address", ME], check=True, env=env, capture_output=True)
    out = subprocess.run(
        [*run, "sync", "mail", url(dovecot)], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "4 messages read" in out.stdout and "1 new person" in out.stdout
    bad = subprocess.run(
        [*run, "sync", "mail", url(dovecot)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "REKINDLE_IMAP_PASSWORD": "nope"},
        stdin=subprocess.DEVNULL,
    )
    assert (
        bad.returncode == 1 and "IMAP login failed" in bad.stderr and "Traceback" not in bad.stderr
    )
