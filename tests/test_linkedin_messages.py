"""LinkedIn messages.csv: the 2024–2026 layouts, the 2018 one, and the export as folder or zip."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

from rekindle.history.records import Address, MessageRecord
from rekindle.identity.records import RecordError
from rekindle.sources.linkedin_messages import ME, read_linkedin_messages

FIXTURES = Path(__file__).parent / "fixtures" / "linkedin"

Item = MessageRecord | RecordError


def read(path: Path) -> list[Item]:
    return list(read_linkedin_messages(path))


def by_row(found: list[Item]) -> dict[str, Item]:
    return {i.locator.rsplit(":", 1)[1]: i for i in found}


def message(found: list[Item], row: int) -> MessageRecord:
    item = by_row(found)[f"row {row}"]
    assert isinstance(item, MessageRecord), item
    return item


def url(slug: str) -> str:
    return f"https://www.linkedin.com/in/{slug}"


def test_2025_layout() -> None:
    found = read(FIXTURES / "messages-2025.csv")
    first = message(found, 2)
    assert first.source == "linkedin-messages"
    assert first.locator == "messages-2025.csv:row 2"
    assert first.date == datetime(2025, 3, 4, 9, 15, tzinfo=UTC)
    assert first.sender == Address(url("janedoe-123"), "Jane Doe", "url")  # canonical, lower
    assert first.to == [Address(url("me-myself"), "Me Myself", "url")]
    assert first.thread == "2-NDRhMDk0XzAxMg==" and first.folder == "INBOX"
    assert first.subject == "Coffee?" and first.bulk is None
    assert first.message_id and first.message_id.startswith("linkedin:")
    reply = message(found, 4)  # row 2 spans two lines (multi-line CONTENT)
    assert reply.folder == "SENT" and reply.thread == first.thread
    assert reply.message_id != first.message_id


def test_group_thread_recipients_zipped_with_names() -> None:
    group = message(read(FIXTURES / "messages-2025.csv"), 5)
    assert group.to == [
        Address(url("alex-roe"), "Alex Roe", "url"),
        Address(url("sam-poe"), "Sam Poe", "url"),
    ]
    assert group.subject is None


def test_recipient_counts_disagree_keeps_urls_without_names() -> None:
    odd = message(read(FIXTURES / "messages-2025.csv"), 6)
    assert odd.to == [Address(url("kim-lee"), "", "url"), Address(url("lou-ray"), "", "url")]


def test_sponsored_rows() -> None:
    found = read(FIXTURES / "messages-2025.csv")
    inmail = message(found, 7)
    assert inmail.bulk == "sponsored"
    assert inmail.sender == Address("", "Acme Recruiting", "name")
    member = message(found, 8)
    assert member.bulk == "sponsored" and member.sender == Address("", "LinkedIn Member", "name")
    others = [m for m in found if isinstance(m, MessageRecord) and m not in (inmail, member)]
    assert all(m.bulk is None for m in others)


def test_bad_date_and_bad_row() -> None:
    found = read(FIXTURES / "messages-2025.csv")
    odd = message(found, 9)
    assert odd.date is None and odd.date_problem == "unparseable: sometime last week"
    error = by_row(found)["row 10"]
    assert isinstance(error, RecordError) and "cells" in error.message
    assert len(found) == 8  # seven messages and the bad row


def test_13_column_quoted_layout_skips_drafts() -> None:
    found = read(FIXTURES / "messages-13col-quoted.csv")
    assert [i.locator for i in found] == [
        "messages-13col-quoted.csv:row 2",
        "messages-13col-quoted.csv:row 4",
    ]
    first = message(found, 2)
    assert first.sender == Address(url("ana-silva"), "Ana Silva", "url")  # br. and ?trk= gone
    assert first.date == datetime(2026, 1, 15, 16, 45, 9, tzinfo=UTC)
    undated = message(found, 4)
    assert undated.date is None and undated.date_problem == "missing"
    assert undated.folder == "ARCHIVE"


def test_2018_layout_puts_me_on_my_side() -> None:
    found = read(FIXTURES / "Messages-2018.csv")
    incoming = message(found, 2)
    assert incoming.date == datetime(2018, 10, 16, 8, 36, tzinfo=UTC)
    assert incoming.sender == Address("", "Alex Doe", "name") and incoming.to == [ME]
    assert Address("", "<me>", "name") == ME
    assert incoming.thread is None and incoming.folder == "INBOX"
    outgoing = message(found, 3)
    assert outgoing.sender == ME and outgoing.to == [Address("", "Alex Doe", "name")]
    assert outgoing.date == datetime(2018, 10, 16, 21, 2, tzinfo=UTC)
    group = message(found, 4)
    assert group.to == [Address("", "Kim Lee", "name"), Address("", "Lou Ray", "name")]
    assert message(found, 5).bulk == "sponsored"  # LinkedIn Member
    assert message(found, 6).date_problem == "unparseable: 13/45/18, 7:00 AM"
    assert message(found, 2).bulk is None


def test_message_ids_are_stable_and_distinct() -> None:
    for name in ("messages-2025.csv", "messages-13col-quoted.csv", "Messages-2018.csv"):
        first, again = read(FIXTURES / name), read(FIXTURES / name)
        assert first == again
        ids = [m.message_id for m in first if isinstance(m, MessageRecord)]
        assert len(set(ids)) == len(ids)


def test_export_folders() -> None:
    (current,) = read(FIXTURES / "linkedin-export")
    assert isinstance(current, MessageRecord) and current.locator == "messages.csv:row 2"
    assert current.sender == Address(url("janedoe-123"), "Jane Doe", "url")
    (old,) = read(FIXTURES / "linkedin-export-2018")
    assert isinstance(old, MessageRecord) and old.locator == "Messages.csv:row 2"
    assert old.to == [ME]


def test_export_zip(tmp_path: Path) -> None:
    archive = tmp_path / "Complete_LinkedInDataExport_01-02-2026.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in sorted((FIXTURES / "linkedin-export").iterdir()):
            if file.is_file():
                zf.write(file, f"export/{file.name}")
    (item,) = read(archive)
    assert isinstance(item, MessageRecord)
    assert item.locator == f"{archive.name}/export/messages.csv:row 2"
    (again,) = read(tmp_path)  # a folder holding the zip
    assert again == item


def test_export_without_messages(tmp_path: Path) -> None:
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(FIXTURES / "linkedin-export" / "Connections.csv", "Connections.csv")
    (error,) = read(archive)
    assert isinstance(error, RecordError) and "no messages.csv" in error.message
    folder = tmp_path / "empty"
    folder.mkdir()
    (error,) = read(folder)
    assert isinstance(error, RecordError)


def test_bad_inputs_are_errors_not_exceptions(tmp_path: Path) -> None:
    (error,) = read(FIXTURES / "linkedin-export" / "Connections.csv")
    assert isinstance(error, RecordError) and "not a LinkedIn messages file" in error.message
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    (error,) = read(broken)
    assert isinstance(error, RecordError) and "zip" in error.message
    empty = tmp_path / "messages.csv"
    empty.write_bytes(b"")
    assert read(empty) == []
    header_only = tmp_path / "header.csv"
    header_only.write_text("CONVERSATION ID,FROM,TO,DATE,CONTENT\n")
    assert read(header_only) == []
