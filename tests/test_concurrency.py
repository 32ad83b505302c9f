"""The web server under a bounded write load while a CLI mail sync and an import run on the
same database: no request fails, no write is lost, the sync stores what it stores alone.

A real ``rekindle serve`` in its own process, as a user runs it with the page open."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from rekindle.store import open_store
from rekindle.store.schema import interaction, note, person, tag
from rekindle.store.schema_history import message

ME = "me@example.org"
MESSAGES = 24_000  # two committed batches of the sync
CARDS = 3_000
WRITERS = 4
POSTS_EACH = 60  # notes and tags: 240 web writes in all


def _write_mbox(path: Path, count: int) -> None:
    with path.open("w", encoding="ascii") as fh:
        for n in range(count):
            friend = f"friend{n % 301}@example.com"
            sender, to = (ME, friend) if n % 2 == 0 else (friend, ME)
            fh.write(
                f"From x Mon Jan 01 10:00:00 2024\nFrom: {sender}\nTo: {to}\n"
                f"Date: Mon, {1 + n % 28:02d} Jan 2024 {n % 24:02d}:{n % 60:02d}:00 +0000\n"
                f"Message-ID: <busy-{n}@example.com>\nSubject: note {n}\n\nbody line\n\n"
            )


def _write_vcf(path: Path, cards: int, prefix: str) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for n in range(cards):
            fh.write(
                f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{prefix}-{n}\r\nFN:{prefix} {n} Person\r\n"
                f"EMAIL:{prefix}{n}@example{n % 89}.com\r\nORG:Company {n % 300}\r\nEND:VCARD\r\n"
            )


def _cli(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rekindle", "--db", db, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "200"},
    )


def _counts(db: str) -> dict[str, int]:
    store = open_store(db)
    try:
        with store.read() as conn:

            def n(table: object) -> int:
                return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)  # type: ignore[arg-type]

            return {
                "messages": n(message),
                "interactions": n(interaction),
                "people": n(person),
                "notes": n(note),
                "tags": n(tag),
            }
    finally:
        store.close()


def _people(db: str) -> list[int]:
    store = open_store(db)
    try:
        with store.read() as conn:
            return [
                int(i) for i in conn.scalars(select(person.c.id).where(person.c.is_me.is_(False)))
            ]
    finally:
        store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: str, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "rekindle", "--db", db, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/people", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else b""
    proc.kill()
    pytest.fail("the server did not start within 60 s")


def _prepare(db: str, tmp_path: Path) -> None:
    seed = tmp_path / "seed.vcf"
    _write_vcf(seed, 20, "seed")
    assert _cli(db, "import", str(seed)).returncode == 0
    assert _cli(db, "me", "add-address", ME).returncode == 0


@pytest.mark.slow
def test_web_writes_during_a_sync_and_an_import(db_url: str, tmp_path: Path) -> None:
    box, cards = tmp_path / "mail.mbox", tmp_path / "cards.vcf"
    _write_mbox(box, MESSAGES)
    _write_vcf(cards, CARDS, "card")
    _prepare(db_url, tmp_path)
    ids = _people(db_url)[: WRITERS * 2]
    port = _free_port()
    server = _serve(db_url, port)
    statuses: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()
    running = threading.Event()
    running.set()

    def writer(k: int) -> None:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=60, headers={"Origin": base}) as client:
            for i in range(POSTS_EACH):
                pid = ids[(k + i) % len(ids)]
                try:
                    if i % 2:
                        r = client.post(
                            f"/people/{pid}/tags", data={"name": f"w{k}-{i}", "action": "add"}
                        )
                    else:
                        r = client.post(f"/people/{pid}/note", data={"body": f"note {k}-{i}"})
                except httpx.HTTPError as exc:
                    with lock:
                        failures.append(repr(exc))
                    continue
                with lock:
                    statuses.append(r.status_code)
                time.sleep(0.02)

    try:
        threads = [threading.Thread(target=writer, args=(k,)) for k in range(WRITERS)]
        for t in threads:
            t.start()
        sync = subprocess.Popen(
            [sys.executable, "-m", "rekindle", "--db", db_url, "sync", "mail", str(box)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        imported = _cli(db_url, "import", str(cards))
        out, err = sync.communicate(timeout=600)
        for t in threads:
            t.join(timeout=600)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert sync.returncode == 0, out + err
    assert "locked" not in out + err + imported.stdout + imported.stderr
    assert not failures
    assert len(statuses) == WRITERS * POSTS_EACH
    assert all(s in (200, 303) for s in statuses), sorted(set(statuses))
    together = _counts(db_url)
    # every web write is there: one note per note post, one tag per tag post
    assert together["notes"] == WRITERS * POSTS_EACH // 2
    assert together["tags"] == WRITERS * POSTS_EACH // 2
    # the sync and the import store what they store with no one else writing
    quiet = _second_database(db_url, tmp_path)
    try:
        _prepare(quiet, tmp_path)
        assert _cli(quiet, "sync", "mail", str(box)).returncode == 0
        assert _cli(quiet, "import", str(cards)).returncode == 0
        alone = _counts(quiet)
    finally:
        _drop_second(quiet)
    assert together["messages"] == alone["messages"] == MESSAGES
    assert together["interactions"] == alone["interactions"]
    assert together["people"] == alone["people"]


def _second_database(db_url: str, tmp_path: Path) -> str:
    if "://" not in db_url:
        return str(tmp_path / "quiet.db")
    import psycopg

    base = db_url.split("?")[0]
    schema = "q_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return f"{base}?options=-csearch_path%3D{schema}"


def _drop_second(url: str) -> None:
    if "://" not in url:
        return
    import psycopg

    base, _, options = url.partition("?")
    schema = options.rsplit("%3D", 1)[1]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_a_writer_waits_for_the_lock_and_past_the_timeout_the_page_says_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from fastapi.testclient import TestClient

    from rekindle.store import database
    from rekindle.web.app import create_app

    db = str(tmp_path / "busy.db")
    _prepare(db, tmp_path)
    pid = _people(db)[0]
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 1500)
    store = open_store(db)
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    try:
        with TestClient(create_app(store)) as client:
            # a writer that reads first and writes later waits for the lock (it used to fail
            # at once): the other writer lets go within the timeout
            other.execute("BEGIN IMMEDIATE")
            threading.Timer(0.5, lambda: other.execute("COMMIT")).start()
            started = time.monotonic()
            ok = client.post(f"/people/{pid}/note", data={"body": "waited"}, follow_redirects=False)
            assert ok.status_code == 303
            assert time.monotonic() - started >= 0.4
            time.sleep(0.2)
            # held past the timeout: a clear 503, nothing written
            other.execute("BEGIN IMMEDIATE")
            busy = client.post(f"/people/{pid}/note", data={"body": "refused"})
            other.execute("ROLLBACK")
            assert busy.status_code == 503
            assert "busy" in busy.text and busy.headers["retry-after"] == "30"
    finally:
        other.close()
        store.close()
    assert _counts(db)["notes"] == 1
