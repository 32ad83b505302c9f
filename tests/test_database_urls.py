"""--db refuses what it cannot open with one clear line, never hangs, never guesses a file."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rekindle.config import resolve_location
from rekindle.errors import UserError
from rekindle.store import database, open_store


@pytest.mark.parametrize(
    ("db", "says"),
    [
        ("mysql://u@h/db", "cannot open a 'mysql' database"),
        ("oracle://x/y", "cannot open a 'oracle' database"),
        ("postgresql+asyncpg://u@h/d", "cannot open a 'postgresql+asyncpg' database"),
        ("postgresql://u@127.0.0.1:abc/d", "is not a number"),
        ("postgresql:/x", "neither a database URL nor a file name"),
        ("mysql:db", "neither a database URL nor a file name"),
    ],
)
def test_a_url_rekindle_cannot_open_is_refused_clearly(db: str, says: str, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=re.escape(says)):
        resolve_location(db)
    done = subprocess.run(
        [sys.executable, "-m", "rekindle", "--db", db, "people"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode != 0
    assert says in done.stdout + done.stderr
    assert "internal error" not in done.stdout + done.stderr and "Traceback" not in done.stderr
    assert not any(tmp_path.iterdir())  # no SQLite file named after the URL


def test_plain_paths_and_urls_still_open(tmp_path: Path) -> None:
    assert resolve_location(str(tmp_path / "a.db")).is_sqlite
    assert resolve_location("postgres://u@h:5433/d").url == "postgresql+psycopg://u@h:5433/d"
    assert resolve_location(f"sqlite:///{tmp_path}/b.db").is_sqlite


def test_an_unresponsive_server_fails_after_the_connect_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("psycopg")
    silent = socket.socket()  # accepts connections (the kernel's backlog) and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    monkeypatch.setattr(database, "CONNECT_TIMEOUT_S", 2)
    started = time.monotonic()
    try:
        with pytest.raises(UserError, match="cannot open the database"):
            open_store(f"postgresql://u@127.0.0.1:{port}/d")
    finally:
        silent.close()
    assert time.monotonic() - started < 20


def test_doctor_exits_non_zero_when_the_database_cannot_be_opened(tmp_path: Path) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    for extra in ([], ["--json"]):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "rekindle",
                "--db",
                f"postgresql://u@127.0.0.1:{port}/d",
                "doctor",
                *extra,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 1
        assert "cannot open the database" in done.stdout
    ok = subprocess.run(
        [sys.executable, "-m", "rekindle", "--db", str(tmp_path / "ok.db"), "doctor"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stdout
