"""One transaction per import: SIGKILL half-way leaves the database exactly as before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from rekindle.store import open_store
from rekindle.store.schema import person, source_record


def _write_big_vcf(path: Path, cards: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for n in range(cards):
            fh.write(
                f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:kill-{n}\r\nFN:Person {n} Example\r\n"
                f"N:Example;Person {n};;;\r\nEMAIL:person{n}@example{n % 97}.com\r\n"
                f"ORG:Company {n % 500}\r\nTITLE:Role {n % 13}\r\nEND:VCARD\r\n"
            )


def _counts(db: str) -> tuple[int, int]:
    store = open_store(db)
    try:
        with store.read() as conn:
            people = conn.execute(select(func.count()).select_from(person)).scalar()
            records = conn.execute(select(func.count()).select_from(source_record)).scalar()
            return int(people or 0), int(records or 0)
    finally:
        store.close()


def test_sigkill_mid_import_leaves_database_unchanged(db_url: str, tmp_path: Path) -> None:
    small = tmp_path / "small.vcf"
    small.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Kept Person\nEMAIL:kept@example.com\nEND:VCARD\n"
    )
    subprocess.run(
        [sys.executable, "-m", "rekindle", "--db", db_url, "import", str(small)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    before = _counts(db_url)
    assert before[1] == 1
    big = tmp_path / "big.vcf"
    _write_big_vcf(big, 60_000)
    proc = subprocess.Popen(
        [sys.executable, "-m", "rekindle", "--db", db_url, "import", str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "120"},
    )
    # wait until the import is under way (it has printed the detected format), then a little more
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert b"Detected" in first
    time.sleep(2.0)
    assert proc.poll() is None, (
        "the import finished before it could be killed; make the file bigger"
    )
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert _counts(db_url) == before
    # and the database still works: the same import now runs to the end
    done = subprocess.run(
        [sys.executable, "-m", "rekindle", "--db", db_url, "import", str(small)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "1 unchanged" in done.stdout
