"""The history commands as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import FIXTURES
from tests.test_cli import rekindle


def test_sync_mail_history_and_dormant(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    box = tmp_path / "inbox.mbox"
    shutil.copy(FIXTURES / "mail" / "gmail-takeout-envelope.mbox", box)
    rekindle("me", "add-address", "robin@example.org", db=db)
    out = rekindle("sync", "mail", str(box), db=db).stdout
    assert "messages read" in out and "1 new person (two-way exchanges)" in out
    again = rekindle("sync", "mail", str(box), db=db).stdout
    assert "nothing new" in again
    hist = json.loads(rekindle("history", "ana.costa@example.com", "--json", db=db).stdout)
    assert hist["name"] == "Ana Costa" and len(hist["events"]) == 2
    assert hist["stats"]["messages_in"] == 1 and hist["stats"]["messages_out"] == 1
    shown = rekindle("history", "Ana Costa", db=db).stdout
    assert "Lunch next week?" in shown and "reciprocity" in shown
    dormant = json.loads(rekindle("people", "--sort", "dormant", "--json", db=db).stdout)
    assert isinstance(dormant, list)
    status = json.loads(rekindle("sync", "status", "--json", db=db).stdout)
    assert status[0]["kind"] == "mbox"
    said = rekindle("sync", "status", db=db).stdout
    assert "last run" in said and "nothing new" in said and "{" not in said  # the re-sync's run


def test_a_sync_before_any_address_of_mine_says_how_to_give_them(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    box = tmp_path / "inbox.mbox"
    shutil.copy(FIXTURES / "mail" / "gmail-takeout-envelope.mbox", box)
    out = " ".join(rekindle("sync", "mail", str(box), db=db).stdout.split())
    assert "your own addresses are not known yet" in out
    assert "hint: `rekindle me --suggest` proposes your own addresses" in out
    rekindle("me", "add-address", "robin@example.org", db=db)
    again = rekindle("sync", "mail", str(box), db=db).stdout
    assert "hint:" not in again


def test_sync_calendar_and_me_suggest(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    rekindle("me", "add-address", "me@example.org", db=db)
    out = rekindle(
        "sync", "calendar", str(FIXTURES / "ics" / "one-to-one-meeting.ics"), db=db
    ).stdout
    assert "1 event read" in out and "1 new: 1 interaction;" in out
    flat = " ".join(out.split())
    assert "1 new person (met in a meeting)" in flat and "two-way" not in flat
    synced = rekindle("sync", "mail", str(FIXTURES / "linkedin" / "messages-2025.csv"), db=db)
    # the export shows whose it is: the profile on every message is added as yours
    assert "your LinkedIn profile https://www.linkedin.com/in/me-myself was found" in (
        " ".join(synced.stdout.split())
    )
    suggested = json.loads(rekindle("me", "--suggest", "--json", db=db).stdout)
    assert suggested[0]["address"] == "https://www.linkedin.com/in/me-myself"
    said = rekindle("me", "--suggest", db=db).stdout
    sent, total = suggested[0]["in_sent_folders"], suggested[0]["messages_from_it"]
    assert f"https://www.linkedin.com/in/me-myself: {sent} message" in said
    assert f"in sent folders, {total} in all" in said
    assert "(already yours)" in said


def test_sync_errors_are_one_line(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    notmail = tmp_path / "x.txt"
    notmail.write_text("hello\n")
    proc = rekindle("sync", "mail", str(notmail), db=db, check=False)
    assert (
        proc.returncode == 1 and "no mail found" in proc.stderr and "Traceback" not in proc.stderr
    )
    proc = rekindle("sync", "mail", str(tmp_path / "missing.mbox"), db=db, check=False)
    assert proc.returncode == 1 and "no such file" in proc.stderr
    empty = tmp_path / "empty.ics"
    empty.write_bytes(b"")
    proc = rekindle("sync", "calendar", str(empty), db=db, check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith(f"error: {empty}: the file is empty")
    empty.write_text("hello\n")
    proc = rekindle("sync", "calendar", str(empty), db=db, check=False)
    assert proc.returncode == 1 and "not an iCalendar file" in proc.stderr
