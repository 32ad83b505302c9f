"""A mail sync killed with SIGKILL keeps what it committed, and the next run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from rekindle.store import Store, open_store
from rekindle.store.schema import interaction, interaction_person
from rekindle.store.schema_history import message

ME = "me@example.org"


def _write_mbox(path: Path, count: int) -> None:
    with path.open("w", encoding="ascii") as fh:
        for n in range(count):
            friend = f"friend{n % 301}@example.com"  # odd: everyone writes and is written to
            mine = n % 2 == 0
            sender, to = (ME, friend) if mine else (friend, ME)
            fh.write(
                f"From x Mon Jan 01 10:00:00 2024\nFrom: {sender}\nTo: {to}\n"
                f"Date: Mon, {1 + n % 28:02d} Jan 2024 {n % 24:02d}:{n % 60:02d}:00 +0000\n"
                f"Message-ID: <kill-{n}@example.com>\nSubject: note {n}\n\n"
                + "body line\n" * 40
                + "\n"
            )


def _counts(db: str) -> tuple[int, int]:
    store = open_store(db)
    try:
        return _counted(store)
    finally:
        store.close()


def _counted(store: Store) -> tuple[int, int]:
    """(messages, interactions) stored, as a new read sees them."""
    with store.read() as conn:
        return (
            int(conn.execute(select(func.count()).select_from(message)).scalar() or 0),
            int(conn.execute(select(func.count()).select_from(interaction)).scalar() or 0),
        )


def _run(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rekindle", "--db", db, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_killed_sync_resumes_to_the_same_result(db_url: str, tmp_path: Path) -> None:
    box = tmp_path / "big.mbox"
    _write_mbox(box, 60_000)
    assert _run(db_url, "me", "add-address", ME).returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "rekindle", "--db", db_url, "sync", "mail", str(box)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and _counts(db_url)[0] == 0 and proc.poll() is None:
        time.sleep(0.2)
    assert proc.poll() is None, (
        "the sync finished before it could be killed; make the archive bigger"
    )
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    stored, _ = _counts(db_url)
    assert 0 < stored < 60_000  # whole batches were committed, not everything
    resumed = _run(db_url, "sync", "mail", str(box))
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed" in resumed.stdout
    assert _counts(db_url) == (60_000, 60_000)
    assert "nothing new" in _run(db_url, "sync", "mail", str(box)).stdout


def _derived(db: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every interaction (but its id) and every link (its interaction by key), sorted."""
    store = open_store(db)
    try:
        with store.read() as conn:
            rows = conn.execute(
                select(
                    interaction.c.natural_key,
                    interaction.c.occurred_at,
                    interaction.c.direction,
                    interaction.c.subject,
                    interaction.c.thread,
                    interaction.c.group_size,
                )
            ).all()
            links = conn.execute(
                select(
                    interaction.c.natural_key,
                    interaction_person.c.identity_value,
                    interaction_person.c.occurred_at,
                    interaction_person.c.group_size,
                ).join(interaction, interaction.c.id == interaction_person.c.interaction_id)
            ).all()
        return sorted(tuple(r) for r in rows), sorted(tuple(r) for r in links)
    finally:
        store.close()


def test_a_sync_killed_while_deriving_resumes_to_the_same_result(
    db_url: str, tmp_path: Path
) -> None:
    """Killed once every message is stored, while it derives (from memory, with the plain
    indexes of the interaction tables dropped): the next run derives them all the same."""
    box = tmp_path / "box.mbox"
    _write_mbox(box, 20_000)
    clean = str(tmp_path / "clean.db")
    for db in (db_url, clean):
        assert _run(db, "me", "add-address", ME).returncode == 0
    assert _run(clean, "sync", "mail", str(box)).returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "rekindle", "--db", db_url, "sync", "mail", str(box)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # one open store polls (a new one per look took longer than some derivations on a busy
    # machine), and the sync is stopped the moment every message is in, before it can
    # commit what it derives
    watch = open_store(db_url)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            if _counted(watch)[0] >= 20_000:
                os.kill(proc.pid, signal.SIGSTOP)
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the sync finished before it could be stopped"
        assert _counted(watch) == (20_000, 0)  # stored, nothing derived yet
    finally:
        watch.close()
        proc.kill()  # SIGKILL (nothing, if it ended)
        proc.wait(timeout=30)
    assert _counts(db_url) == (20_000, 0)  # killed while stopped: still nothing derived
    resumed = _run(db_url, "sync", "mail", str(box))
    assert resumed.returncode == 0, resumed.stderr
    assert _counts(db_url) == _counts(clean) == (20_000, 20_000)
    assert _derived(db_url) == _derived(clean)
