"""Settings → Mail accounts and sending from Compose, against a real SMTP server (aiosmtpd) and
a real Dovecot: saving the accounts, the connection tests, Send with its confirm step and the
double-send guard, the mail Drafts folder; passwords are never kept."""

from __future__ import annotations

import re
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rekindle.services import mail_accounts as accounts
from rekindle.services import outreach as outreach_svc
from rekindle.services import settings as settings_svc
from rekindle.store import Store
from rekindle.store.schema import setting
from rekindle.web.app import create_app
from tests.imap_server import free_port, running_dovecot
from tests.smtp_server import PASSWORD, USER, SmtpServer, running_smtp
from tests.test_web import HX, NOW, load_network

TEXT = "Subject: Lunch?\n\nHi Ana, how are you? It has been a while.\n\nRobin"
OUTREACH = re.compile(r'action="/outreach/(\d+)/send"')


@pytest.fixture
def client(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    for name in ("REKINDLE_SMTP_PASSWORD", "REKINDLE_IMAP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    with TestClient(create_app(store, now_fn=lambda: NOW)) as c:
        yield c


@pytest.fixture
def ana(store: Store, tmp_path: Path) -> int:
    return load_network(store, tmp_path)


def trust(server: SmtpServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the test server's certificate authority the one every default context trusts."""
    assert server.client_context is not None
    pem = tmp_path / "ca.pem"
    pem.write_text(
        "".join(
            ssl.DER_cert_to_PEM_cert(der)
            for der in server.client_context.get_ca_certs(binary_form=True)
        )
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(pem))


def stored_values(store: Store) -> str:
    with store.read() as conn:
        return " ".join(str(r.value) for r in conn.execute(select(setting)))


def smtp_form(server_port: int, security: str = "none", user: str = "") -> dict[str, str]:
    return {
        "host": "127.0.0.1",
        "port": str(server_port),
        "security": security,
        "user": user,
        "sender": "",
    }


def test_saving_the_accounts_uses_the_config_keys(client: TestClient, store: Store) -> None:
    page = client.get("/settings").text
    assert 'href="/settings/accounts"' in page and 'name="smtp.host"' not in page
    saved = client.post(
        "/settings/accounts/imap",
        data={
            "host": "imap.example.org",
            "port": "",
            "security": "starttls",
            "user": "robin@example.org",
            "folders": "INBOX, Sent Items",
            "drafts": "Drafts",
        },
    )
    assert saved.status_code == 200 and "Saved." in saved.text
    values = settings_svc.current(store)
    assert (
        values["sync.imap"]
        == "imap://robin%40example.org@imap.example.org/INBOX,Sent%20Items?starttls"
    )
    assert values["drafts.imap"] == "imap://robin%40example.org@imap.example.org/Drafts?starttls"
    form = accounts.imap_form(store)
    assert (form.user, form.folders, form.drafts) == (
        "robin@example.org",
        ["INBOX", "Sent Items"],
        "Drafts",
    )
    client.post("/settings/accounts/smtp", data=smtp_form(2525, "tls", "robin"))
    values = settings_svc.current(store)
    assert (values["smtp.host"], values["smtp.port"], values["smtp.security"]) == (
        "127.0.0.1",
        "2525",
        "tls",
    )
    assert values["smtp.username"] == "robin" and values["smtp.from"] is None
    bad = client.post("/settings/accounts/imap", data={"host": "h", "user": "u", "port": "99999"})
    assert bad.status_code == 400 and "is not a port number" in bad.text
    plain = client.post(
        "/settings/accounts/imap",
        data={"host": "imap.example.org", "user": "u", "security": "plain"},
    )
    assert plain.status_code == 400 and "Refusing to send a password unencrypted" in plain.text
    hostile = "<script>alert(1)</script>"
    client.post("/settings/accounts/smtp", data={**smtp_form(25), "user": hostile})
    page = client.get("/settings/accounts").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and hostile not in page


def test_the_smtp_test_reports_success_wrong_password_and_no_server(
    client: TestClient, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_smtp("starttls") as server:
        trust(server, tmp_path, monkeypatch)
        client.post("/settings/accounts/smtp", data=smtp_form(server.port, "starttls", USER))
        page = client.get("/settings/accounts").text
        assert 'name="password"' in page  # no password at hand: a field for one test
        ok = client.post("/settings/accounts/smtp/test", data={"password": PASSWORD}, headers=HX)
        assert ok.status_code == 200 and 'class="ok"' in ok.text
        assert f"Connected to 127.0.0.1:{server.port}" in ok.text and "nothing was sent" in ok.text
        wrong = client.post("/settings/accounts/smtp/test", data={"password": "nope"}, headers=HX)
        assert (
            "SMTP login failed for robin@127.0.0.1" in wrong.text and 'role="alert"' in wrong.text
        )
        none = client.post("/settings/accounts/smtp/test", headers=HX)
        assert "No SMTP password for robin@127.0.0.1" in none.text
        monkeypatch.setenv("REKINDLE_SMTP_PASSWORD", PASSWORD)
        assert 'name="password"' not in client.get("/settings/accounts").text.split("h-smtp")[-1]
        without_js = client.post("/settings/accounts/smtp/test")
        assert "<html" in without_js.text and "Connected to" in without_js.text
        assert server.received == []  # a test sends nothing
    assert PASSWORD not in stored_values(store) + ok.text + wrong.text
    client.post("/settings/accounts/smtp", data=smtp_form(free_port()))
    gone = client.post("/settings/accounts/smtp/test", headers=HX)
    assert "Cannot connect to the SMTP server 127.0.0.1" in gone.text
    assert "check smtp.host, smtp.port, smtp.security" in gone.text


def test_the_imap_test_logs_in_and_lists_the_folders(client: TestClient, store: Store) -> None:
    nothing = client.post("/settings/accounts/imap/test", headers=HX)
    assert "no IMAP account is configured" in nothing.text
    with running_dovecot() as server:
        client.post(
            "/settings/accounts/imap",
            data={
                "host": "127.0.0.1",
                "port": str(server.port),
                "security": "plain",
                "user": server.user,
            },
        )
        ok = client.post(
            "/settings/accounts/imap/test", data={"password": server.password}, headers=HX
        )
        assert f"Logged in to 127.0.0.1:{server.port} as {server.user}: 2 folders" in ok.text
        assert "INBOX" in ok.text and "Sent" in ok.text
        wrong = client.post("/settings/accounts/imap/test", data={"password": "x"}, headers=HX)
        assert "IMAP login failed" in wrong.text and "app password" in wrong.text
        assert server.password not in stored_values(store) + ok.text
    unreachable = client.post("/settings/accounts/imap/test", data={"password": "x"}, headers=HX)
    assert "Cannot connect to the IMAP server" in unreachable.text


def test_send_from_compose_asks_first_and_never_sends_twice(
    client: TestClient, store: Store, ana: int
) -> None:
    no_server = client.post(f"/compose/{ana}/send", data={"text": TEXT})
    assert no_server.status_code == 400 and "no SMTP server configured" in no_server.text
    page = client.get(f"/compose/{ana}").text
    # without a mail account: one way to keep the draft, no "Send…" and no Drafts folder, and
    # a link to set up the account
    assert page.count("Keep as a draft here</button>") == 1
    assert "Send…</button>" not in page and "Drafts folder</button>" not in page
    assert "set up your mail account" in page and 'href="/settings/accounts"' in page
    with running_smtp("none") as server:
        client.post("/settings/accounts/smtp", data=smtp_form(server.port))
        with_smtp = client.get(f"/compose/{ana}").text
        # sending becomes the primary action; keeping the draft steps back to secondary
        assert '/send">Send…</button>' in with_smtp
        assert 'class="secondary">Keep as a draft here</button>' in with_smtp
        # without JavaScript: the confirm step is a page of its own
        posted = client.post(f"/compose/{ana}/send", data={"text": TEXT}, follow_redirects=False)
        assert posted.status_code == 303 and posted.headers["location"].startswith("/outreach/")
        confirm = client.get(posted.headers["location"])
        assert "Send this email now?" in confirm.text and "<html" in confirm.text
        assert "ana.costa@example.com" in confirm.text and "robin@example.org" in confirm.text
        assert server.received == []  # nothing goes before the confirm
        oid = int(OUTREACH.search(confirm.text).group(1))  # type: ignore[union-attr]
        sent = client.post(f"/outreach/{oid}/send", follow_redirects=False)
        assert sent.status_code == 303 and sent.headers["location"] == f"/people/{ana}"
        [mail] = server.received
        assert mail.message["Subject"] == "Lunch?" and mail.recipients == ["ana.costa@example.com"]
        assert outreach_svc.show(store, oid)["status"] == "sent"
        again = client.post(f"/outreach/{oid}/send", headers=HX)
        assert again.status_code == 400 and "nothing is sent twice" in again.text
        locked = client.post(f"/compose/{ana}/send", data={"text": TEXT}, headers=HX)
        assert locked.status_code == 400 and "within 30 days is refused" in locked.text
        assert len(server.received) == 1


def test_send_with_htmx_and_a_login(
    client: TestClient, store: Store, ana: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_smtp("starttls") as server:
        trust(server, tmp_path, monkeypatch)
        client.post("/settings/accounts/smtp", data=smtp_form(server.port, "starttls", USER))
        confirm = client.post(f"/compose/{ana}/send", data={"text": TEXT}, headers=HX)
        assert confirm.status_code == 200 and "<html" not in confirm.text
        assert "Send this email now?" in confirm.text and 'type="password"' in confirm.text
        oid = int(OUTREACH.search(confirm.text).group(1))  # type: ignore[union-attr]
        wrong = client.post(f"/outreach/{oid}/send", data={"password": "nope"}, headers=HX)
        assert wrong.status_code == 400 and "SMTP login failed" in wrong.text
        assert outreach_svc.show(store, oid)["status"] == "draft" and server.received == []
        sent = client.post(f"/outreach/{oid}/send", data={"password": PASSWORD}, headers=HX)
        assert sent.status_code == 200 and "Sent to ana.costa@example.com" in sent.text
        assert len(server.received) == 1
    assert PASSWORD not in stored_values(store) + sent.text


def test_a_dropped_connection_is_not_sent_again_unless_you_say_so(
    client: TestClient, store: Store, ana: int
) -> None:
    with running_smtp("none") as server:
        server.handler.drop_on_data = True
        client.post("/settings/accounts/smtp", data=smtp_form(server.port))
        confirm = client.post(f"/compose/{ana}/send", data={"text": TEXT}, headers=HX)
        oid = int(OUTREACH.search(confirm.text).group(1))  # type: ignore[union-attr]
        dropped = client.post(f"/outreach/{oid}/send", headers=HX)
        assert dropped.status_code == 400 and "it may have been sent" in dropped.text
        assert outreach_svc.show(store, oid)["status"] == "sending"
        page = client.get(f"/outreach/{oid}/send").text
        assert "may already have been sent" in page and 'name="force"' in page
        refused = client.post(f"/outreach/{oid}/send", headers=HX)
        assert refused.status_code == 400 and "check your Sent folder" in refused.text
        assert len(server.received) == 1
        server.handler.drop_on_data = False
        forced = client.post(f"/outreach/{oid}/send", data={"force": "true"}, headers=HX)
        assert forced.status_code == 200 and "Sent to" in forced.text
        first, second = server.received
        assert first.message["Message-ID"] == second.message["Message-ID"]


def test_save_to_my_mail_drafts_folder(client: TestClient, store: Store, ana: int) -> None:
    none = client.post(f"/compose/{ana}/imap-draft", data={"text": TEXT})
    assert none.status_code == 400 and "no IMAP account for drafts" in none.text
    assert "Settings → Mail accounts" in none.text
    with running_dovecot({"Sent": "\\Sent", "Drafts": "\\Drafts"}) as server:
        client.post(
            "/settings/accounts/imap",
            data={
                "host": "127.0.0.1",
                "port": str(server.port),
                "security": "plain",
                "user": server.user,
            },
        )
        page = client.get(f"/compose/{ana}").text
        assert "Mail password for the Drafts folder" in page
        assert "Put it in my mail's Drafts folder</button>" in page
        missing = client.post(f"/compose/{ana}/imap-draft", data={"text": TEXT}, headers=HX)
        assert missing.status_code == 400 and "No IMAP password" in missing.text
        saved = client.post(
            f"/compose/{ana}/imap-draft",
            data={"text": TEXT, "password": server.password},
            headers=HX,
        )
        assert (
            saved.status_code == 200 and "Saved to your mail Drafts folder (Drafts)" in saved.text
        )
        with server.client() as imap:
            imap.select_folder("Drafts", readonly=True)
            [uid] = imap.search(["ALL"])
            data = imap.fetch([uid], ["FLAGS", "RFC822"])[uid]
        assert b"\\Draft" in data[b"FLAGS"] and b"Subject: Lunch?" in data[b"RFC822"]
        assert server.password not in stored_values(store) + saved.text
