"""A mail sync killed with SIGKILL keeps what it committed, and the next run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from rekindle.store import open_store
from rekindle.store.schema import interaction
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
        with store.read() as conn:
            return (
                int(conn.execute(select(func.count()).select_from(message)).scalar() or 0),
                int(conn.execute(select(func.count()).select_from(interaction)).scalar() or 0),
            )
    finally:
        store.close()


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
