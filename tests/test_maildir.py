"""Maildir (cur/new, Maildir++, nested folders), .eml files and folders, and format sniffing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from rekindle.history.records import MessageRecord
from rekindle.identity.records import RecordError
from rekindle.sources import maildir as maildir_module
from rekindle.sources.maildir import maildir_key, read_eml, read_maildir, sniff_mail

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "mail"
MAILDIR = FIXTURES / "maildir-plus-plus"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def records(items: list[MessageRecord | RecordError]) -> list[MessageRecord]:
    assert not [i for i in items if isinstance(i, RecordError)]
    return [i for i in items if isinstance(i, MessageRecord)]


def test_maildir_plus_plus() -> None:
    found = records(list(read_maildir(MAILDIR, now=NOW)))
    by_id = {r.message_id: r for r in found}
    assert set(by_id) == {
        "inbox-1@example.net",
        "inbox-2@example.net",
        "inbox-3@example.net",
        "sent-1@example.net",
        "work-1@example.net",
    }  # not tmp/, not dovecot-uidlist, maildirfolder or subscriptions
    assert by_id["inbox-1@example.net"].locator == "cur/1646300000.M1P100.host:2,S"
    assert by_id["inbox-3@example.net"].locator == "new/1646400000.M3P100.host"
    assert by_id["inbox-1@example.net"].folder == "INBOX"
    assert by_id["sent-1@example.net"].folder == "Sent"
    assert by_id["work-1@example.net"].folder == "Work/Projects"
    assert by_id["work-1@example.net"].locator == ".Work.Projects/new/1646600000.M6P100.host"
    assert all(r.source == "maildir" and r.size > 0 for r in found)


def test_seen_files_are_skipped_by_their_flagless_name() -> None:
    asked: list[str] = []

    def seen(key: str) -> bool:
        asked.append(key)
        return key.startswith("1646300")

    found = records(list(read_maildir(MAILDIR, seen=seen, now=NOW)))
    assert "1646300000.M1P100.host" in asked
    assert ".Work.Projects/1646600000.M6P100.host" in asked
    assert {r.message_id for r in found} == {
        "inbox-3@example.net",
        "sent-1@example.net",
        "work-1@example.net",
    }


@pytest.mark.parametrize(
    ("locator", "key"),
    [
        ("cur/1646300000.M1P100.host:2,S", "1646300000.M1P100.host"),
        ("new/1646400000.M3P100.host", "1646400000.M3P100.host"),
        (".Sent/cur/17.M5.host:2,RS", ".Sent/17.M5.host"),
        ("foo/baz/cur/msg!2,F", "foo/baz/msg"),
        ("duplicate/msg-3-3:2,", "duplicate/msg-3-3"),
    ],
)
def test_maildir_key(locator: str, key: str) -> None:
    assert maildir_key(locator) == key


def test_deterministic() -> None:
    assert list(read_maildir(MAILDIR, now=NOW)) == list(read_maildir(MAILDIR, now=NOW))


def test_single_eml() -> None:
    items = list(read_eml(FIXTURES / "display-name-trick.eml", now=NOW))
    assert len(items) == 1
    r = items[0]
    assert isinstance(r, MessageRecord)
    assert (r.source, r.locator, r.folder) == ("eml", "display-name-trick.eml", None)
    assert r.sender is not None and r.sender.value == "bob@example.com"


def test_folder_of_numbered_files(tmp_path: Path) -> None:
    header = "From: a@example.com\nTo: b@example.com\nDate: Mon, 1 Jan 2001 10:00:00 +0000\n"
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "1.").write_text(header + "Message-ID: <1@x>\n\nbody\n")
    (tmp_path / "inbox" / "2_").write_text(header + "Message-ID: <2@x>\n\nbody\n")
    (tmp_path / "sent").mkdir()
    (tmp_path / "sent" / "3.eml").write_text(header + "Message-ID: <3@x>\n\nbody\n")
    (tmp_path / "notes.txt").write_text("not a message")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    found = records(list(read_eml(tmp_path, now=NOW)))
    assert [(r.locator, r.folder, r.message_id) for r in found] == [
        ("inbox/1.", "inbox", "1@x"),
        ("inbox/2_", "inbox", "2@x"),
        ("sent/3.eml", "sent", "3@x"),
    ]


def test_a_file_that_is_no_message_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "1.").write_text("hello there\nthis is no mail\n")
    items = list(read_eml(tmp_path, now=NOW))
    assert len(items) == 1 and isinstance(items[0], RecordError)
    assert items[0].locator == "1."


def test_only_the_header_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(maildir_module, "PIECE", 16)
    path = tmp_path / "big.eml"
    filler = "".join(f"X-Filler-{i}: {'y' * 50}\n" for i in range(50))
    path.write_bytes(
        (f"From: a@example.com\n{filler}Subject: late\n\n").encode() + b"\x00" * 100_000
    )
    header, size = maildir_module.read_header_bytes(str(path))
    assert header.endswith(b"Subject: late\n")
    assert size == path.stat().st_size
    r = list(read_eml(path, now=NOW))[0]
    assert isinstance(r, MessageRecord) and r.subject == "late"


def test_header_only_file_and_crlf(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(b"From: a@example.com\r\nSubject: no body\r\n")
    (tmp_path / "b.eml").write_bytes(b"\r\nFrom: b@example.com\r\nSubject: crlf\r\n\r\nbody")
    found = records(list(read_eml(tmp_path, now=NOW)))
    assert [r.subject for r in found] == ["no body", "crlf"]


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    items = list(read_eml(tmp_path / "missing.eml", now=NOW))
    assert len(items) == 1 and isinstance(items[0], RecordError)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("gmail-takeout-envelope.mbox", "mbox"),
        ("thunderbird-envelope.mbox", "mbox"),
        ("crlf.mbox", "mbox"),
        ("list-mail.eml", "eml"),
        ("null-date-1979.eml", "eml"),
        ("maildir-plus-plus", "maildir"),
    ],
)
def test_sniff_fixtures(name: str, kind: str) -> None:
    assert sniff_mail(FIXTURES / name) == kind


def test_sniff_by_content_not_name(tmp_path: Path) -> None:
    (tmp_path / "Inbox").write_bytes((FIXTURES / "thunderbird-envelope.mbox").read_bytes())
    (tmp_path / "mail.mbox").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:X\nEND:VCARD\n")
    (tmp_path / "empty.eml").write_bytes(b"")
    (tmp_path / "binary.eml").write_bytes(bytes(range(256)))
    assert sniff_mail(tmp_path / "Inbox") == "mbox"
    assert sniff_mail(tmp_path / "mail.mbox") is None
    assert sniff_mail(tmp_path / "empty.eml") is None
    assert sniff_mail(tmp_path / "binary.eml") is None
    assert sniff_mail(tmp_path / "missing") is None
    folder = tmp_path / "enron"
    (folder / "inbox").mkdir(parents=True)
    (folder / "inbox" / "1.").write_bytes((FIXTURES / "null-date-1979.eml").read_bytes())
    assert sniff_mail(folder) == "eml"
    assert sniff_mail(tmp_path / "nothing-here") is None
