"""Team-server hardening: the password change is throttled like a sign-in, the login throttle
believes X-Forwarded-For from a configured proxy only, HSTS over https; and a read-only
database still reads."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from rekindle.services import accounts
from rekindle.services import people as people_svc
from rekindle.services.importing import import_path
from rekindle.store import Store, database, open_store
from rekindle.web.app import create_app
from tests.test_web import NOW
from tests.test_web_team import PASSWORD, csrf_of, sign_in


@pytest.fixture
def alice(store: Store) -> Iterator[TestClient]:
    accounts.add_user(store, "alice", PASSWORD, display_name="Alice")
    with TestClient(create_app(store, now_fn=lambda: NOW, team=True)) as client:
        assert sign_in(client, "alice").status_code == 303
        yield client


def test_wrong_current_passwords_are_throttled(alice: TestClient) -> None:
    csrf = csrf_of(alice.get("/account").text)
    form = {"current": "wrong", "new": "another good one", "again": "another good one"}
    codes = [
        alice.post("/account/password", data=form, headers={"X-CSRF-Token": csrf}).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [400] * 5
    assert codes[5] == 429
    refused = alice.post(
        "/account/password", data={**form, "current": PASSWORD}, headers={"X-CSRF-Token": csrf}
    )
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0


def test_hsts_only_over_https(store: Store) -> None:
    app = create_app(store, now_fn=lambda: NOW)
    with TestClient(app, base_url="https://testserver") as client:
        assert client.get("/people").headers["strict-transport-security"] == "max-age=31536000"
    with TestClient(app) as client:
        assert "strict-transport-security" not in client.get("/people").headers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _failed_logins(db: str, extra: list[str], tries: int) -> list[int]:
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rekindle",
            "--db",
            db,
            "serve",
            "--team",
            "--port",
            str(port),
            *extra,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, headers={"Origin": base}, timeout=30) as client:
            for _ in range(100):
                try:
                    client.get("/login")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            codes = []
            for n in range(tries):
                page = client.get("/login").text
                token = re.search(r'name="login_token" value="([^"]+)"', page)
                assert token
                # a new account name each time (the per-account limit stays out of it), and a
                # new claimed address: believed, the per-address limit would never apply
                r = client.post(
                    "/login",
                    data={"username": f"nobody{n}", "password": "x", "login_token": token.group(1)},
                    headers={"X-Forwarded-For": f"203.0.113.{n}"},
                )
                codes.append(r.status_code)
            return codes
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_forwarded_for_is_believed_from_a_configured_proxy_only(tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    store = open_store(db)
    accounts.add_user(store, "alice", PASSWORD, display_name="Alice")
    store.close()
    codes = _failed_logins(db, [], 21)
    assert codes[:20] == [401] * 20 and codes[20] == 429  # counted by the real address
    trusted = _failed_logins(db, ["--trusted-proxy", "127.0.0.1"], 21)
    assert trusted == [401] * 21  # each forwarded address counted on its own


def test_a_read_only_database_still_reads_and_says_why_it_cannot_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "ro.db"
    store = open_store(str(db))
    vcf = tmp_path / "a.vcf"
    vcf.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nEMAIL:ann@example.com\nEND:VCARD\n")
    import_path(store, vcf)
    store.close()
    # as a user without write permission on the file sees it (the tests may run as root,
    # whom the file's mode does not stop)
    real_access = os.access
    monkeypatch.setattr(
        database.os,
        "access",
        lambda p, mode, **kw: (
            False if Path(p) == db and mode == os.W_OK else real_access(p, mode, **kw)
        ),
    )
    store = open_store(str(db))
    try:
        assert store.read_only
        assert [p["name"] for p in people_svc.list_people(store)] == ["Ann Lee"]
        with pytest.raises(Exception, match="readonly"):
            people_svc.add_note(store, "ann@example.com", "hello", now=NOW)
    finally:
        store.close()
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys; from pathlib import Path; "
            "real = os.access; os.access = lambda p, m, **k: False if Path(p).name == 'ro.db' "
            "and m == os.W_OK else real(p, m, **k); from rekindle.cli.main import run; "
            f"sys.argv = ['rekindle', '--db', {str(db)!r}, 'people']; run()",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert shown.returncode == 0, shown.stderr
    assert "Ann Lee" in shown.stdout and "read-only for you" in shown.stderr
