"""Syncing archives on disk: mbox, Maildir, .eml folders, LinkedIn messages and calendars."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from rekindle.errors import ImportFileError
from rekindle.services import history, sync_files, timeline
from rekindle.services import me as me_svc
from rekindle.services import people as people_svc
from rekindle.services.importing import import_path
from rekindle.services.sync_calendar import sync_calendar_path
from rekindle.services.sync_files import SPLIT_FROM, sync_mail_path
from rekindle.store import Store
from rekindle.store.schema import interaction, interaction_person
from rekindle.store.schema_history import tie_stats
from tests.conftest import CORPORA, FIXTURES
from tests.test_importing import people_count

NOW = datetime(2026, 11, 1, tzinfo=UTC)
MAIL = FIXTURES / "mail"


def test_gmail_takeout_mbox_and_resync(store: Store, tmp_path: Path) -> None:
    me_svc.add_address(store, "robin@example.org")
    box = tmp_path / "All mail Including Spam and Trash.mbox"
    shutil.copy(MAIL / "gmail-takeout-envelope.mbox", box)
    first = sync_mail_path(store, box, now=NOW)
    assert first.counts.read >= 3 and first.counts.new == first.counts.read
    assert first.counts.new_people == 1  # Ana wrote and Robin answered; the list mail is bulk
    ana = people_svc.show(store, "ana.costa@example.com")
    assert ana.interactions == 2 and ana.name == "Ana Costa"
    again = sync_mail_path(store, box, now=NOW)
    assert again.counts.read == 0 and again.note and "unchanged" in again.note
    # the archive grows: only the new message is read
    with box.open("ab") as fh:
        fh.write(
            b"\nFrom 1 Mon Jan 01 10:00:00 +0000 2024\nFrom: Ana Costa <ana.costa@example.com>\n"
            b"To: robin@example.org\nDate: Mon, 01 Jan 2024 10:00:00 +0000\nMessage-ID: <later@x>\n"
            b"Subject: happy new year\n\nhi\n"
        )
    third = sync_mail_path(store, box, now=NOW)
    assert third.counts.read == 1 and third.counts.new == 1
    assert people_svc.show(store, "ana.costa@example.com").interactions == 3


def test_rewritten_mbox_is_read_again_without_duplicates(store: Store, tmp_path: Path) -> None:
    me_svc.add_address(store, "robin@example.org")
    box = tmp_path / "inbox.mbox"
    shutil.copy(MAIL / "gmail-takeout-envelope.mbox", box)
    first = sync_mail_path(store, box, now=NOW)
    data = box.read_bytes()
    box.write_bytes(
        b"From x Mon Jan 01 10:00:00 2024\nFrom: a@b.c\nSubject: new first\n\nx\n" + data
    )
    again = sync_mail_path(store, box, now=NOW)
    assert again.counts.read == first.counts.read + 1
    assert again.counts.duplicates == first.counts.read and again.counts.new == 1


def test_maildir_skips_known_files(store: Store, tmp_path: Path) -> None:
    me_svc.add_address(store, "robin@example.org")
    root = tmp_path / "Maildir"
    shutil.copytree(MAIL / "maildir-plus-plus", root)
    first = sync_mail_path(store, root, now=NOW)
    assert first.counts.read >= 4
    again = sync_mail_path(store, root, now=NOW)
    assert again.counts.read == 0
    # a message marked read moves from new/ to cur/ and gains flags: still the same message
    moved = next((root / "new").iterdir())
    moved.rename(root / "cur" / (moved.name + ":2,S"))
    assert sync_mail_path(store, root, now=NOW).counts.read == 0


def test_linkedin_messages_with_my_profile(store: Store) -> None:
    me_svc.add_address(store, "https://www.linkedin.com/in/me-myself")
    report = sync_mail_path(store, FIXTURES / "linkedin" / "messages-2025.csv", now=NOW)
    assert report.counts.read >= 5
    assert report.counts.skipped and any("sponsored" in why for why in report.counts.skipped)
    jane = people_svc.show(store, "https://www.linkedin.com/in/janedoe-123")
    assert jane.name == "Jane Doe" and jane.interactions == 2


def test_linkedin_without_evidence_of_my_profile_says_how_to_add_it(store: Store) -> None:
    report = sync_mail_path(store, FIXTURES / "linkedin" / "messages-13col-quoted.csv", now=NOW)
    (notice,) = [n for n in report.notices if "me add-address" in n.message]
    assert notice.message.startswith("1 message counts as neither from nor to you")
    me_svc.add_address(store, "https://www.linkedin.com/in/me-myself")
    assert not [n for n in history.rebuild(store).notices if "me add-address" in n.message]


def test_linkedin_export_finds_my_profile_and_records_linkedin(store: Store) -> None:
    """Profile.csv names the owner; the URL written with that name on the messages is theirs."""
    # importing the export (Jane is a connection) already finds whose export it is
    imported = import_path(store, FIXTURES / "linkedin" / "linkedin-export")
    (notice,) = [n for n in imported.notices if "your LinkedIn profile" in n.message]
    assert "https://www.linkedin.com/in/me-myself" in notice.message
    assert "Profile.csv" in notice.message
    report = sync_mail_path(store, FIXTURES / "linkedin" / "linkedin-export", now=NOW)
    assert not [n for n in report.notices if "your LinkedIn profile" in n.message]  # known now
    assert "neither from nor to you" not in report.counts.skipped
    assert report.counts.interactions >= 1
    with store.read() as conn:
        query = select(interaction.c.channel).where(interaction.c.source == "mail")
        channels = set(conn.execute(query).scalars())
    assert channels == {"linkedin"}  # not email
    again = sync_mail_path(store, FIXTURES / "linkedin" / "linkedin-export", now=NOW)
    assert not [n for n in again.notices if "LinkedIn profile" in n.message]


def test_linkedin_messages_found_mine_on_every_message(store: Store) -> None:
    report = sync_mail_path(store, FIXTURES / "linkedin" / "messages-2025.csv", now=NOW)
    assert any("on 100% of the" in n.message for n in report.notices)
    jane = people_svc.show(store, "https://www.linkedin.com/in/janedoe-123")
    assert jane.interactions == 2


def test_calendar_meetings(store: Store) -> None:
    me_svc.add_address(store, "me@example.org")
    one = sync_calendar_path(store, FIXTURES / "ics" / "one-to-one-meeting.ics", now=NOW)
    assert one.counts.interactions == 1 and one.counts.new_people == 1
    jane = people_svc.show(store, "jane.doe@example.com")
    assert jane.interactions == 1
    declined = sync_calendar_path(store, FIXTURES / "ics" / "declined.ics", now=NOW)
    assert declined.counts.interactions == 0 and declined.counts.skipped["you declined"] == 1
    big = sync_calendar_path(store, FIXTURES / "ics" / "large-meeting.ics", now=NOW)
    assert big.counts.new_people == 0  # a large meeting makes nobody a person
    weekly = sync_calendar_path(store, FIXTURES / "ics" / "weekly-unbounded-rrule.ics", now=NOW)
    # a series is a meeting each week it was held (Tuesdays 09:00 New York from 2 January
    # 2024 until NOW), not one meeting, and not the unbounded rule's thousands
    tuesdays = (NOW - datetime(2024, 1, 2, 14, 0, tzinfo=UTC)).days // 7 + 1
    assert weekly.counts.interactions == tuesdays
    again = sync_calendar_path(store, FIXTURES / "ics" / "one-to-one-meeting.ics", now=NOW)
    assert again.counts.new == 0 and again.counts.duplicates == 1


def test_not_mail_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    prose = tmp_path / "notes.txt"
    prose.write_text("nothing to see\n")
    with pytest.raises(ImportFileError, match="no mail found"):
        sync_mail_path(store, prose, now=NOW)
    with pytest.raises(ImportFileError, match="not an iCalendar"):
        sync_calendar_path(store, prose, now=NOW)


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPORA / "enron-mailbox").is_dir(), reason="no shared corpora")
def test_enron_mailbox_end_to_end(sqlite_store: Store) -> None:
    store = sqlite_store
    for addr in ("phillip.allen@enron.com", "k..allen@enron.com", "pallen@enron.com"):
        me_svc.add_address(store, addr)
    report = sync_mail_path(store, CORPORA / "enron-mailbox" / "allen-p", now=NOW)
    assert report.counts.read == 3034
    assert 1300 <= report.counts.new <= 1500  # one message filed up to four times counts once
    assert report.counts.skipped["date absurd: 1979-12-31"] >= 1
    assert 30 <= people_count(store) <= 80
    dormant = timeline.dormant_people(store, NOW)
    assert dormant and all(d["silent_days"] > 365 * 20 for d in dormant)
    assert sync_mail_path(store, CORPORA / "enron-mailbox" / "allen-p", now=NOW).counts.read == 0


@pytest.mark.parametrize("part_mb", [32, 7])
def test_a_large_mbox_read_in_parts_stores_every_message_once(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part_mb: int
) -> None:
    """Past SPLIT_FROM bytes two child processes read the archive in parts (two, or eleven
    shared out in turn); the result is the same, duplicates across parts included."""
    monkeypatch.setattr(sync_files, "PART_BYTES", part_mb << 20)
    parts_read: list[int] = []
    real_read_in_parts = history.read_in_parts

    def counting(makers: Any, **kw: Any) -> Any:
        parts_read.append(len(makers))
        return real_read_in_parts(makers, **kw)

    monkeypatch.setattr(history, "read_in_parts", counting)
    me_svc.add_address(store, "robin@example.org")
    box = tmp_path / "big.mbox"
    padding = "x" * 76 + "\n"
    n = 240
    with box.open("w", encoding="utf-8") as fh:
        for i in range(n):
            who = f"friend{i // 2 % 12}@example.com"
            mine = i % 2 == 0
            fh.write(
                f"From x Mon Jan 01 10:00:00 2024\nFrom: {'robin@example.org' if mine else who}\n"
                f"To: {who if mine else 'robin@example.org'}\n"
                f"Date: Mon, 01 Jan 2024 {i % 24:02d}:{i % 60:02d}:00 +0000\n"
                f"Message-ID: <{i % 200}@x>\nSubject: n{i}\n\n"
                "From the desk of robin: lunch at 10:00 in 2024?\n" + padding * 4000 + "\n"
            )
    assert box.stat().st_size >= SPLIT_FROM
    first = sync_mail_path(store, box, now=NOW)
    assert parts_read == [box.stat().st_size // (part_mb << 20)]
    assert first.counts.read == n and first.counts.new == 200 and first.counts.duplicates == 40
    assert first.counts.new_people == 12 and first.counts.interactions == 200
    expected = sum(1 for i in range(200) if i // 2 % 12 == 3)
    assert people_svc.show(store, "friend3@example.com").interactions == expected
    again = sync_mail_path(store, box, now=NOW)
    assert again.counts.read == 0


def test_progress_tells_the_share_read_then_the_stages(store: Store, tmp_path: Path) -> None:
    """A long sync says how much of the archive it read, then what it does after reading."""
    me_svc.add_address(store, "robin@example.org")
    box = tmp_path / "box.mbox"
    with box.open("w", encoding="utf-8") as fh:
        for i in range(2500):
            mine = i % 2 == 0
            fh.write(
                f"From x Mon Jan 01 10:00:00 2024\n"
                f"From: {'robin@example.org' if mine else 'kim@example.com'}\n"
                f"To: {'kim@example.com' if mine else 'robin@example.org'}\n"
                f"Date: Mon, 01 Jan 2024 10:00:{i % 60:02d} +0000\nMessage-ID: <{i}@x>\n\nhi\n\n"
            )
    heard: list[tuple[int, float | None, str | None]] = []
    sync_mail_path(
        store,
        box,
        progress=lambda n, share=None, stage=None: heard.append((n, share, stage)),
        now=NOW,
    )
    reading = [h for h in heard if h[2] is None]
    assert [n for n, _, _ in reading] == [1000, 2000]
    shares = [s for _, s, _ in reading]
    assert all(s is not None and 0 < s < 1 for s in shares) and shares == sorted(shares)
    assert [h for h in heard if h[2] is not None] == [
        (2500, None, history.DERIVING),
        (2500, None, history.TIES),
    ]


def _write_maildir_messages(root: Path, first: int, count: int) -> None:
    (root / "cur").mkdir(parents=True, exist_ok=True)
    for i in range(first, first + count):
        (root / "cur" / f"{i:06d}.host:2,S").write_text(
            f"From: kim@example.com\nTo: robin@example.org\n"
            f"Date: Mon, 01 Jan 2024 10:{i % 60:02d}:00 +0000\nMessage-ID: <m{i}@x>\n\nhi\n"
        )


def test_maildir_progress_tells_the_share_of_the_new_files(store: Store, tmp_path: Path) -> None:
    """A Maildir sync measures its share against the files it has not read yet: the first sync
    against all of them, a later one against the new ones only."""
    me_svc.add_address(store, "robin@example.org")
    root = tmp_path / "Maildir"
    _write_maildir_messages(root, 0, 2500)
    (root / "new").mkdir()
    (root / "tmp").mkdir()
    (root / "tmp" / "half-delivered").write_text("From: x@example.com\n")
    heard: list[tuple[int, float | None]] = []

    def progress(n: int, share: float | None = None, stage: str | None = None) -> None:
        if stage is None:
            heard.append((n, share))

    sync_mail_path(store, root, progress=progress, now=NOW)
    assert heard == [(1000, 1000 / 2500), (2000, 2000 / 2500)]
    _write_maildir_messages(root, 2500, 4000)
    heard.clear()
    again = sync_mail_path(store, root, progress=progress, now=NOW)
    assert again.counts.read == 4000
    assert heard == [(n, n / 4000) for n in (1000, 2000, 3000, 4000)]
    heard.clear()
    unchanged = sync_mail_path(store, root, progress=progress, now=NOW)
    assert unchanged.counts.read == 0 and heard == []
    assert unchanged.note == "no new files since the last sync"


def test_thousands_of_correspondents_sync_alike_on_both_databases(
    store: Store, tmp_path: Path
) -> None:
    """5,000 two-way correspondents (more than one streamed pass of tie statistics takes on,
    which once left PostgreSQL running every later statement as a cursor): every exchange and
    every small group mail is an interaction, every correspondent a person with statistics."""
    me_svc.add_address(store, "robin@example.org")
    box = tmp_path / "many.mbox"
    friends = 5000
    with box.open("w", encoding="utf-8") as fh:
        n = 0
        for i in range(friends):
            who = f"friend{i}@example.com"
            heads = [("robin@example.org", who), (who, "robin@example.org")]
            if i % 10 == 0:  # a small group mail: three others on it
                heads.append(
                    (
                        "robin@example.org",
                        f"{who}, friend{(i + 1) % friends}@example.com, "
                        f"friend{(i + 2) % friends}@example.com",
                    )
                )
            for sender, to in heads:
                n += 1
                fh.write(
                    f"From x Mon Jan 01 10:00:00 2024\nFrom: {sender}\nTo: {to}\n"
                    f"Date: Mon, {1 + n % 28:02d} Jan 2024 10:{n % 60:02d}:00 +0000\n"
                    f"Message-ID: <{n}@x>\nSubject: n{n}\n\nhi\n\n"
                )
    report = sync_mail_path(store, box, now=NOW)
    groups = friends // 10
    assert report.counts.read == report.counts.new == 2 * friends + groups
    assert report.counts.new_people == friends
    assert report.counts.interactions == 2 * friends + groups
    assert report.ties_refreshed == friends
    with store.read() as conn:
        links = conn.execute(select(func.count()).select_from(interaction_person)).scalar_one()
        stats = conn.execute(select(func.count()).select_from(tie_stats)).scalar_one()
        contacts = conn.execute(
            select(func.sum(tie_stats.c.messages_in + tie_stats.c.messages_out))
        ).scalar_one()
    assert links == 2 * friends + 3 * groups
    assert stats == friends and contacts == links
    assert people_svc.show(store, "friend1@example.com").interactions == 3  # two, one group
    again = sync_mail_path(store, box, now=NOW)
    assert again.counts.read == 0
