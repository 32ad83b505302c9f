"""Import & sync in the background: a path, an upload and the IMAP account, with the progress
fragment htmx polls until the report; errors; team mode; one job at a time."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from rekindle.errors import UserError
from rekindle.services import mail_accounts as accounts
from rekindle.services import me as me_svc
from rekindle.services import people as people_svc
from rekindle.store import Store
from rekindle.web.app import create_app
from rekindle.web.jobs import Jobs
from tests.conftest import FIXTURES
from tests.imap_server import running_dovecot
from tests.test_sync_imap import ME, mail

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
HX = {"HX-Request": "true"}
JOB = re.compile(r'hx-get="/import/jobs/([\w-]+)" hx-trigger="every 1s"')


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    """The app answering at once with the progress bar (no grace time for quick jobs)."""
    app = create_app(store, now_fn=lambda: NOW)
    app.state.job_grace = 0
    with TestClient(app) as c:
        yield c


def poll(client: TestClient, job_id: str, headers: dict[str, str] | None = None) -> Response:
    """The job's fragment (or page) once it has finished; at most 60 s."""
    deadline = time.monotonic() + 60
    while True:
        page = client.get(f"/import/jobs/{job_id}", headers=headers or HX)
        assert page.status_code == 200
        if "every 1s" not in page.text:
            return page
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.05)


def started(response: Response) -> str:
    """The job id of a progress fragment that polls every second."""
    assert response.status_code == 200, response.text
    assert "<progress" in response.text and "read so far" in response.text
    found = JOB.search(response.text)
    assert found, response.text
    return found.group(1)


def test_a_path_sync_shows_progress_then_the_report(
    client: TestClient, store: Store, tmp_path: Path
) -> None:
    me_svc.add_address(store, "robin@example.org")
    box = tmp_path / "All mail.mbox"
    shutil.copy(FIXTURES / "mail" / "gmail-takeout-envelope.mbox", box)
    first = client.post("/import/path", data={"kind": "mail", "path": str(box)}, headers=HX)
    job = started(first)
    assert "0 messages read so far" in first.text and "<html" not in first.text
    done = poll(client, job)
    assert '<progress value="1" max="1"' in done.text
    assert "3 messages read" in done.text and "1 new person" in done.text
    assert "hx-trigger" not in done.text  # polling stops
    assert people_svc.show(store, "ana.costa@example.com").interactions == 2
    again = poll(client, started(client.post("/import/path", data={"path": str(box)}, headers=HX)))
    assert "nothing new" in again.text  # the second sync reads only what is new


def test_a_calendar_sync_lists_every_broken_record(client: TestClient, store: Store) -> None:
    me_svc.add_address(store, "robin@example.org")
    path = FIXTURES / "ics" / "broken-event-among-good.ics"
    job = started(
        client.post("/import/path", data={"kind": "calendar", "path": str(path)}, headers=HX)
    )
    done = poll(client, job)
    assert "skipped" in done.text and 'class="errors"' in done.text
    assert "broken-event-among-good.ics" in done.text


def test_without_javascript_the_job_has_its_own_page(client: TestClient, tmp_path: Path) -> None:
    card = tmp_path / "card.vcf"
    shutil.copy(FIXTURES / "vcard" / "end-without-begin.vcf", card)
    posted = client.post(
        "/import/path", data={"kind": "calendar", "path": str(card)}, follow_redirects=False
    )
    assert posted.status_code == 303
    job = posted.headers["location"].rsplit("/", 1)[1]
    running = client.get(f"/import/jobs/{job}")
    assert running.status_code == 200 and "<html" in running.text
    page = poll(client, job, headers={})
    assert "not an iCalendar file" in page.text and "export your calendar as .ics" in page.text
    assert 'http-equiv="refresh"' not in page.text
    assert client.get("/import/jobs/nope").status_code == 404


def test_an_upload_is_imported_as_a_job(client: TestClient, store: Store) -> None:
    body = (FIXTURES / "vcard" / "end-without-begin.vcf").read_bytes()
    job = started(
        client.post(
            "/import",
            data={"kind": "contacts"},
            files={"file": ("<b>cards</b>.vcf", body, "text/vcard")},
            headers=HX,
        )
    )
    done = poll(client, job)
    assert "1 contact: 1 new" in done.text
    assert "&lt;b&gt;cards&lt;/b&gt;.vcf:4: END:VCARD without BEGIN:VCARD" in done.text
    assert "<b>cards" not in done.text and "uploads" not in done.text
    assert list((store.location.data_dir / "uploads").iterdir()) == []  # read, then deleted


def test_bad_paths_are_one_line_errors_with_a_hint(client: TestClient, tmp_path: Path) -> None:
    missing = client.post("/import/path", data={"path": str(tmp_path / "<i>nope</i>.mbox")})
    assert missing.status_code == 400
    assert "&lt;i&gt;nope&lt;/i&gt;.mbox: no such file or folder" in missing.text
    assert "give the full path" in missing.text and "<i>nope" not in missing.text
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    odd = client.post("/import/path", data={"path": str(fifo)}, headers=HX)
    assert odd.status_code == 400 and "not a regular file" in odd.text
    assert odd.headers["HX-Retarget"] == "#flash"
    empty = client.post("/import/path", data={"path": "  "})
    assert empty.status_code == 400 and "no path given" in empty.text
    nothing = client.post("/import/imap")
    assert nothing.status_code == 400 and "no IMAP account is configured" in nothing.text


def test_team_mode_refuses_path_syncs(store: Store, tmp_path: Path) -> None:
    from rekindle.services.accounts import add_user
    from tests.test_web_team import PASSWORD, csrf_of, sign_in

    add_user(store, "bob", PASSWORD)
    with TestClient(create_app(store, now_fn=lambda: NOW, team=True)) as client:
        sign_in(client, "bob")
        page = client.get("/import").text
        assert 'action="/import/path"' not in page and 'action="/import"' in page
        box = tmp_path / "a.mbox"
        shutil.copy(FIXTURES / "mail" / "gmail-takeout-envelope.mbox", box)
        refused = client.post("/import/path", data={"path": str(box), "csrf_token": csrf_of(page)})
        assert refused.status_code == 400 and "turned off in team mode" in refused.text


def test_one_job_at_a_time_per_owner() -> None:
    jobs = Jobs()
    go = threading.Event()
    cleaned: list[str] = []

    def slow(progress: Callable[[int], None]) -> dict[str, str]:
        progress(7)
        go.wait(30)
        return {"summary": "done"}

    first = jobs.start(1, "big.mbox", "messages", slow)
    with pytest.raises(UserError, match="already running: big.mbox"):
        jobs.start(1, "other.mbox", "messages", slow, cleanup=lambda: cleaned.append("x"))
    assert cleaned == ["x"]  # a refused upload is deleted at once
    other_owner = jobs.start(2, "theirs.mbox", "messages", lambda p: {"summary": "ok"})
    assert other_owner.finished.wait(30) and other_owner.state == "done"
    assert jobs.get(first.id, 2) is None  # nobody sees another owner's job
    go.set()
    assert first.finished.wait(30)
    assert first.state == "done" and first.read == 7 and jobs.running(1) is None


def test_the_imap_account_syncs_with_a_typed_password(
    client: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REKINDLE_IMAP_PASSWORD", raising=False)
    me_svc.add_address(store, ME)
    with running_dovecot() as server:
        server.append("INBOX", [mail(1, "Grace Hopper <grace@navy.mil>", ME, "COBOL?")])
        server.append("Sent", [mail(2, f"Me <{ME}>", "grace@navy.mil", "Re: COBOL?")])
        accounts.save_imap(
            store, "127.0.0.1", str(server.port), "plain", server.user, "INBOX,Sent", ""
        )
        page = client.get("/import").text
        assert f"{server.user} on 127.0.0.1:{server.port}" in page and 'name="password"' in page
        refused = client.post("/import/imap")
        assert refused.status_code == 400 and "no IMAP password" in refused.text
        job = started(client.post("/import/imap", data={"password": server.password}, headers=HX))
        done = poll(client, job)
        assert "2 messages read" in done.text
        wrong = poll(
            client, started(client.post("/import/imap", data={"password": "x"}, headers=HX))
        )
        assert "IMAP login failed" in wrong.text and 'role="alert"' in wrong.text
        assert server.password not in done.text + wrong.text
    assert people_svc.show(store, "grace@navy.mil").interactions == 2


def test_the_progress_fragment_shows_the_share_read_then_the_stage(
    client: TestClient, store: Store
) -> None:
    """While a long sync reads, the bar fills with the share of the archive read; afterwards
    the line says what the sync is doing (the same callback the CLI's line gets)."""
    client.get("/import")  # the app makes its job registry on first use
    jobs: Jobs = client.app.state.jobs  # type: ignore[attr-defined]
    read, derived, finish = threading.Event(), threading.Event(), threading.Event()

    def work(progress: Callable[..., None]) -> dict[str, str]:
        progress(1200, 0.4)
        read.wait(30)
        progress(3000, None, "learning who you talked to")
        derived.wait(30)
        finish.set()
        return {"summary": "done"}

    job = jobs.start(store.owner_id, "big.mbox", "messages", work)
    reading = client.get(f"/import/jobs/{job.id}", headers=HX).text
    assert '<progress aria-label="Reading big.mbox" value="0.400" max="1">' in reading
    assert "1,200 messages read (40%)…" in reading
    read.set()
    deadline = time.monotonic() + 30
    while job.stage is None and time.monotonic() < deadline:
        time.sleep(0.01)
    after = client.get(f"/import/jobs/{job.id}", headers=HX).text
    assert "3,000 messages read; learning who you talked to…" in after
    assert 'value="0.400"' not in after  # the bar no longer claims a share
    derived.set()
    assert finish.wait(30) and job.finished.wait(30)
