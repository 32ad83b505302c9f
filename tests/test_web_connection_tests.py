"""The team server's mail connection test is no port scanner: the usual ports only, a short
timeout, a few tests a minute per account, on threads of its own (a burst of tests does not
hold up anyone's pages)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rekindle.services import accounts
from rekindle.services import mail_accounts as mail_svc
from rekindle.store import Store
from rekindle.web.app import create_app
from tests.test_web import NOW
from tests.test_web_team import PASSWORD, csrf_of, sign_in


@pytest.fixture
def alice(store: Store) -> Iterator[tuple[TestClient, str]]:
    accounts.add_user(store, "alice", PASSWORD, display_name="Alice")
    with TestClient(create_app(store, now_fn=lambda: NOW, team=True, threads=2)) as client:
        assert sign_in(client, "alice").status_code == 303
        yield client, csrf_of(client.get("/settings/accounts").text)


def _save_smtp(client: TestClient, csrf: str, port: int) -> None:
    saved = client.post(
        "/settings/accounts/smtp",
        data={"host": "127.0.0.1", "port": str(port), "security": "starttls"},
        headers={"X-CSRF-Token": csrf},
        follow_redirects=False,
    )
    assert saved.status_code == 303


def test_a_port_other_than_the_usual_is_not_tried(alice: tuple[TestClient, str]) -> None:
    client, csrf = alice
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    probe.listen(1)
    probe.settimeout(0.5)
    try:
        _save_smtp(client, csrf, probe.getsockname()[1])
        answer = client.post(
            "/settings/accounts/smtp/test", headers={"X-CSRF-Token": csrf, "HX-Request": "true"}
        )
        assert answer.status_code == 200
        assert "usual ports only (25, 465, 587, 2525)" in answer.text
        with pytest.raises(TimeoutError):
            probe.accept()  # nothing connected to it
    finally:
        probe.close()


def test_tests_run_aside_time_out_and_are_rate_limited(
    alice: tuple[TestClient, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, csrf = alice
    silent = socket.socket()  # accepts and never answers: the worst a test can meet
    silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        silent.bind(("127.0.0.1", 2525))
    except OSError:
        pytest.skip("port 2525 is taken here")
    silent.listen(16)
    monkeypatch.setattr(mail_svc, "TEAM_TEST_TIMEOUT_S", 3.0)
    _save_smtp(client, csrf, 2525)
    answers: list[str] = []

    def run_test() -> None:
        r = client.post(
            "/settings/accounts/smtp/test", headers={"X-CSRF-Token": csrf, "HX-Request": "true"}
        )
        answers.append(r.text)

    try:
        started = time.monotonic()
        tests = [threading.Thread(target=run_test) for _ in range(4)]
        for t in tests:
            t.start()
        time.sleep(0.5)
        page_started = time.monotonic()
        page = client.get("/people")
        page_took = time.monotonic() - page_started
        for t in tests:
            t.join(timeout=60)
        took = time.monotonic() - started
    finally:
        silent.close()
    assert page.status_code == 200
    assert page_took < 2.5  # not behind the tests (the server has 2 threads for pages)
    assert len(answers) == 4 and all("No answer" in a or "within" in a for a in answers), answers[
        0
    ][:400]
    assert took < 20  # the short timeout, not 30 s each
    # six tests a minute per account: the seventh is refused
    codes = [
        client.post("/settings/accounts/smtp/test", headers={"X-CSRF-Token": csrf}).status_code
        for _ in range(3)
    ]
    assert codes[:2] != [429, 429] and codes[-1] == 429
