"""Read-only IMAP fetching against a real Dovecot (see tests/imap_server.py)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from rekindle.errors import UserError
from rekindle.sources.imap_account import (
    ImapAccount,
    parse_imap_url,
    resolve_password,
    save_imap_password,
)
from rekindle.sources.imap_fetch import (
    FetchedFolder,
    FetchedMessage,
    FetchItem,
    FetchPlan,
    FetchProblem,
    FetchProgress,
    FolderState,
    _message,
    choose_folders,
    fetch_headers,
)
from tests.imap_server import DovecotServer, free_port, running_dovecot

INBOX_COUNT, SENT_COUNT = 5, 3


def message(folder: str, i: int) -> bytes:
    return (
        f"From: Ada Lovelace <ada{i}@example.org>\r\n"
        f"To: Me <me@example.net>\r\n"
        f"Cc: Charles <charles@example.org>\r\n"
        f"Date: Mon, 0{1 + i % 9} Jan 2024 10:00:00 +0000\r\n"
        f"Message-ID: <{folder}-{i}@example.org>\r\n"
        f"Subject: {folder} note {i}\r\n"
        f"X-Not-Fetched: secret header {i}\r\n"
        f"\r\n"
        f"BODY-TEXT of {folder} {i}\r\n" + "padding line\r\n" * 20
    ).encode()


@pytest.fixture(scope="module")
def server() -> Iterator[DovecotServer]:
    with running_dovecot() as dovecot:
        dovecot.append("INBOX", [message("INBOX", i) for i in range(INBOX_COUNT)])
        dovecot.append("Sent", [message("Sent", i) for i in range(SENT_COUNT)])
        yield dovecot


def account(server: DovecotServer, *folders: str, **kw: Any) -> ImapAccount:
    kw.setdefault("port", server.port)
    kw.setdefault("ssl", "plain")
    return ImapAccount("127.0.0.1", server.user, folders=list(folders) or None, **kw)


def folder_with(server: DovecotServer, name: str, count: int) -> str:
    server.create_folder(name)
    server.append(name, [message(name, i) for i in range(count)])
    return name


def sync(
    acct: ImapAccount,
    state: dict[str, FolderState],
    password: str = "",
    hook: Callable[[FetchProgress], None] | None = None,
    **kw: Any,
) -> tuple[list[FetchItem], list[FetchProgress]]:
    """Fetch as the history service will: commit ``state`` per batch and on a reset."""
    progress: list[FetchProgress] = []

    def on_progress(p: FetchProgress) -> None:
        progress.append(p)
        state[p.folder] = p.state
        if hook:
            hook(p)

    items: list[FetchItem] = []
    password = password or "correct horse battery staple"
    kw.setdefault("backoff", 0.01)
    for item in fetch_headers(acct, password, dict(state), on_progress=on_progress, **kw):
        if isinstance(item, FetchedFolder) and item.reset:
            state[item.name] = FolderState(item.uidvalidity, 0)
        items.append(item)
    return items, progress


def messages(items: list[FetchItem], folder: str | None = None) -> list[FetchedMessage]:
    return [i for i in items if isinstance(i, FetchedMessage) and folder in (None, i.folder)]


def subjects(items: list[FetchItem]) -> list[str]:
    out = []
    for m in messages(items):
        line = next(x for x in m.header_bytes.split(b"\r\n") if x.startswith(b"Subject:"))
        out.append(line.decode()[9:])
    return out


# -- fetching --------------------------------------------------------------------------------


def test_first_fetch_reads_inbox_and_sent_headers_only(server: DovecotServer) -> None:
    items, progress = sync(account(server), {})
    folders = [i for i in items if isinstance(i, FetchedFolder)]
    assert [(f.name, f.reset, f.new) for f in folders] == [
        ("INBOX", False, INBOX_COUNT),
        ("Sent", False, SENT_COUNT),
    ]
    assert len(messages(items, "INBOX")) == INBOX_COUNT
    assert len(messages(items, "Sent")) == SENT_COUNT
    for m in messages(items):
        assert b"Message-ID: <" in m.header_bytes and b"From: Ada" in m.header_bytes
        assert b"BODY-TEXT" not in m.header_bytes and b"padding" not in m.header_bytes
        assert b"X-Not-Fetched" not in m.header_bytes
        assert m.size == len(message(m.folder, int(subjects([m])[0].split()[-1])))
        assert m.locator == f"{m.folder};UIDVALIDITY={m.uidvalidity};UID={m.uid}"
    assert [p.folder for p in progress] == ["INBOX", "Sent"]
    with server.client() as imap:  # EXAMINE + BODY.PEEK: nothing was marked as read
        imap.select_folder("INBOX", readonly=True)
        assert all(b"\\Seen" not in f for f in imap.get_flags(imap.search("ALL")).values())


def test_headers_parse_into_records(server: DovecotServer) -> None:
    mail_headers = pytest.importorskip("rekindle.sources.mail_headers")
    items, _ = sync(account(server, "Sent"), {})
    m = messages(items)[0]
    record = mail_headers.parse_header_block(m.header_bytes, "imap", m.locator, m.folder)
    assert record.message_id == "Sent-0@example.org"
    assert record.sender.value == "ada0@example.org"


def test_incremental_fetch_returns_only_new_messages(server: DovecotServer) -> None:
    folder = folder_with(server, "Incremental", 4)
    state: dict[str, FolderState] = {}
    first, _ = sync(account(server, folder), state)
    assert len(messages(first)) == 4
    server.append(folder, [message(folder, i) for i in range(4, 7)])
    second, _ = sync(account(server, folder), state)
    assert subjects(second) == [f"{folder} note {i}" for i in (4, 5, 6)]
    assert min(m.uid for m in messages(second)) > max(m.uid for m in messages(first))
    assert [(f.reset, f.new) for f in second if isinstance(f, FetchedFolder)] == [(False, 3)]
    third, progress = sync(account(server, folder), state)
    assert messages(third) == [] and progress == []


def test_the_plan_counts_the_new_messages_of_every_folder_first(server: DovecotServer) -> None:
    """Before any folder is fetched, one plan tells how many new messages all of them hold:
    what a progress bar measures against (a folder that cannot be opened counts none)."""
    left, right = folder_with(server, "Planned-A", 4), folder_with(server, "Planned-B", 2)
    state: dict[str, FolderState] = {}
    items, _ = sync(account(server, left, "No Such Folder", right), state)
    assert items[0] == FetchPlan((left, "No Such Folder", right), 6)
    assert [i for i in items if isinstance(i, FetchPlan)] == [items[0]]
    server.append(right, [message(right, i) for i in range(2, 5)])
    items, _ = sync(account(server, left, right), state)
    assert items[0] == FetchPlan((left, right), 3) and len(messages(items)) == 3
    items, _ = sync(account(server, left, right), state)
    assert items[0] == FetchPlan((left, right), 0) and messages(items) == []


def test_uidvalidity_change_refetches_everything(server: DovecotServer) -> None:
    folder = folder_with(server, "Rebuilt", 3)
    state: dict[str, FolderState] = {}
    sync(account(server, folder), state)
    old = state[folder].uidvalidity
    server.set_uidvalidity(folder, old + 1000)
    items, _ = sync(account(server, folder), state)
    assert [(f.reset, f.uidvalidity) for f in items if isinstance(f, FetchedFolder)] == [
        (True, old + 1000)
    ]
    assert len(messages(items)) == 3
    assert state[folder] == FolderState(old + 1000, max(m.uid for m in messages(items)))


def test_recreated_folder_resets(server: DovecotServer) -> None:
    folder = folder_with(server, "Recreated", 2)
    state: dict[str, FolderState] = {}
    sync(account(server, folder), state)
    server.delete_folder(folder)
    folder_with(server, folder, 1)
    items, _ = sync(account(server, folder), state)
    assert [f.reset for f in items if isinstance(f, FetchedFolder)] == [True]
    assert subjects(items) == [f"{folder} note 0"]


@pytest.mark.parametrize("how", ["kick", "restart"])
def test_dropped_connection_resumes_without_loss(server: DovecotServer, how: str) -> None:
    folder = folder_with(server, f"Flaky-{how}", 23)

    def drop(p: FetchProgress) -> None:
        if p.done in (5, 15):
            server.kick() if how == "kick" else server.restart()

    state: dict[str, FolderState] = {}
    items, progress = sync(account(server, folder), state, hook=drop, batch=5)
    assert subjects(items) == [f"{folder} note {i}" for i in range(23)]
    assert progress[-1].reconnects == 2 and progress[-1].fetched == 23
    assert len([i for i in items if isinstance(i, FetchedFolder)]) == 1
    assert [i for i in items if isinstance(i, FetchPlan)] == [FetchPlan((folder,), 23)]


def test_server_gone_stops_with_how_far_it_got(server: DovecotServer) -> None:
    folder = folder_with(server, "Vanishing", 12)
    state: dict[str, FolderState] = {}
    try:
        with pytest.raises(UserError) as caught:
            sync(account(server, folder), state, hook=lambda p: server.stop(), batch=5, retries=2)
    finally:
        server.start()
    assert "after 5 new messages" in caught.value.message
    assert f"{folder} is done up to UID {state[folder].last_uid}" in caught.value.message
    assert "resume" in (caught.value.hint or "")
    rest, _ = sync(account(server, folder), state)  # the next run picks up from the state
    assert subjects(rest) == [f"{folder} note {i}" for i in range(5, 12)]


def test_missing_folder_is_a_problem_and_others_continue(server: DovecotServer) -> None:
    items, _ = sync(account(server, "INBOX", "No Such Folder", "Sent"), {})
    problems = [i for i in items if isinstance(i, FetchProblem)]
    assert [p.folder for p in problems] == ["No Such Folder"]
    assert "cannot open the folder" in str(problems[0])
    assert len(messages(items)) == INBOX_COUNT + SENT_COUNT


# -- connecting ------------------------------------------------------------------------------


def test_wrong_password_is_a_clear_user_error(server: DovecotServer) -> None:
    with pytest.raises(UserError) as caught:
        sync(account(server), {}, password="wrong")
    message = caught.value.message
    assert message.startswith(f"IMAP login failed for {server.user}@127.0.0.1: ")
    assert "\n" not in message and "b'" not in message
    assert "REKINDLE_IMAP_PASSWORD" in (caught.value.hint or "")


@pytest.mark.parametrize("mode", ["ssl", "starttls"])
def test_encrypted_connections(server: DovecotServer, mode: str) -> None:
    port = server.ssl_port if mode == "ssl" else server.port
    acct = account(server, "Sent", ssl=mode, port=port)
    items, _ = sync(acct, {}, ssl_context=server.ssl_context())
    assert len(messages(items)) == SENT_COUNT


def test_untrusted_certificate(server: DovecotServer) -> None:
    with pytest.raises(UserError, match="certificate of 127.0.0.1:.* is not trusted"):
        sync(account(server, ssl="ssl", port=server.ssl_port), {})


def test_ssl_to_a_plain_port(server: DovecotServer) -> None:
    with pytest.raises(UserError, match="TLS with 127.0.0.1:.* failed") as caught:
        sync(account(server, ssl="ssl"), {}, ssl_context=server.ssl_context())
    assert "993" in (caught.value.hint or "")


def test_nothing_listening() -> None:
    acct = ImapAccount("127.0.0.1", "me", port=free_port(), ssl="plain")
    with pytest.raises(UserError, match="Cannot connect to the IMAP server 127.0.0.1:"):
        list(fetch_headers(acct, "pw", {}))


def test_silent_server_times_out() -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never greets
        acct = ImapAccount("127.0.0.1", "me", port=silent.getsockname()[1], ssl="plain")
        with pytest.raises(UserError, match=r"No answer .* within 0.2 s"):
            list(fetch_headers(acct, "pw", {}, timeout=0.2))


def test_plain_only_to_loopback() -> None:
    acct = ImapAccount("mail.example.com", "me", port=143, ssl="plain")
    with pytest.raises(UserError, match="unencrypted"):
        list(fetch_headers(acct, "pw", {}))


def test_gmail_all_mail_is_the_default() -> None:
    boxes = {"[Gmail]/All Mail": "\\All", "[Gmail]/Sent Mail": "\\Sent"}
    with running_dovecot(boxes) as gmail:
        gmail.append("INBOX", [message("INBOX", 0)])
        gmail.append("[Gmail]/All Mail", [message("All", i) for i in range(2)])
        items, _ = sync(account(gmail), {})
    assert [i.name for i in items if isinstance(i, FetchedFolder)] == ["[Gmail]/All Mail"]
    assert subjects(items) == ["All note 0", "All note 1"]


@pytest.mark.parametrize(
    ("listing", "expected"),
    [
        ([((b"\\HasNoChildren",), "/", "INBOX")], ["INBOX"]),
        ([((), "/", "INBOX"), ((b"\\Sent",), "/", "Gesendet")], ["INBOX", "Gesendet"]),
        ([((), ".", "INBOX"), ((), ".", "INBOX.Sent")], ["INBOX", "INBOX.Sent"]),
        (
            [((), "/", "INBOX"), ((b"\\Noselect", b"\\All"), "/", "X"), ((), "/", "Sent Items")],
            ["INBOX", "Sent Items"],
        ),  # fmt: skip
        (
            [((), "/", "INBOX"), ((b"\\All",), "/", "[Gmail]/All Mail"), ((b"\\Sent",), "/", "S")],
            ["[Gmail]/All Mail"],
        ),  # fmt: skip
    ],
)
def test_choose_folders(listing: Any, expected: list[str]) -> None:
    assert choose_folders(listing) == expected


def test_gmail_thread_and_labels_are_kept() -> None:
    data = {
        b"SEQ": 4,
        b"BODY[HEADER.FIELDS (FROM TO)]": b"From: a@example.org\r\n\r\n",
        b"RFC822.SIZE": 2048,
        b"X-GM-THRID": 1799999999999999999,
        b"X-GM-LABELS": (b"\\Inbox", b"Family"),
    }
    m = _message("[Gmail]/All Mail", 7, 42, data)
    assert (m.header_bytes, m.size) == (b"From: a@example.org\r\n\r\n", 2048)
    assert (m.gm_thread, m.gm_labels) == ("1799999999999999999", ("\\Inbox", "Family"))


# -- addresses and passwords -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("imaps://me@mail.example.com", ("mail.example.com", "me", 993, "ssl", None)),
        ("imap://user@host:993/INBOX,Sent?starttls", ("host", "user", 993, "starttls", ["INBOX", "Sent"])),
        ("imap://user@host/INBOX", ("host", "user", 143, "starttls", ["INBOX"])),
        ("imaps://ada%40gmail.com@imap.gmail.com/%5BGmail%5D%2FAll%20Mail",
         ("imap.gmail.com", "ada@gmail.com", 993, "ssl", ["[Gmail]/All Mail"])),
        ("imaps://ada@gmail.com@imap.gmail.com/[Gmail]/All Mail",
         ("imap.gmail.com", "ada@gmail.com", 993, "ssl", ["[Gmail]/All Mail"])),
        ("imap://me@127.0.0.1:1143?plain", ("127.0.0.1", "me", 1143, "plain", None)),
        ("IMAP://me@LOCALHOST?plain", ("localhost", "me", 143, "plain", None)),
    ],
)  # fmt: skip
def test_parse_imap_url(url: str, expected: tuple[Any, ...]) -> None:
    acct = parse_imap_url(url)
    assert (acct.host, acct.user, acct.port, acct.ssl, acct.folders) == expected


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("https://me@host", "Not an IMAP address"),
        ("imaps://me:secret@host", "must not contain the password"),
        ("imaps://host", "needs a user and a host"),
        ("imap://me@host?tls", "Unknown IMAP option"),
        ("imap://me@host?starttls&plain", "Unknown IMAP option"),
        ("imaps://me@host?starttls", "always SSL"),
        ("imap://me@host:99999", "Bad port"),
        ("imap://me@mail.example.com?plain", "unencrypted"),
    ],
)
def test_parse_imap_url_errors(url: str, error: str) -> None:
    with pytest.raises(UserError, match=error):
        parse_imap_url(url)


ACCT = ImapAccount("mail.example.com", "ada")


@pytest.fixture
def memory_keyring() -> Iterator[dict[tuple[str, str], str]]:
    """An in-process keyring backend (the keyring library's plug-in interface)."""
    keyring = pytest.importorskip("keyring")
    from keyring.backend import KeyringBackend

    store: dict[tuple[str, str], str] = {}

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def get_password(self, service: str, username: str) -> str | None:
            return store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            store.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield store
    keyring.set_keyring(previous)


def test_password_from_env_first(memory_keyring: dict[tuple[str, str], str]) -> None:
    memory_keyring[("rekindle", "ada@mail.example.com")] = "from-keyring"
    env = {"REKINDLE_IMAP_PASSWORD": "from-env"}
    assert resolve_password(ACCT, env=env, prompt=lambda _: "typed") == "from-env"


def test_password_from_keyring_before_prompt(memory_keyring: dict[tuple[str, str], str]) -> None:
    assert save_imap_password(ACCT, "from-keyring") == "MemoryKeyring"
    assert memory_keyring == {("rekindle", "ada@mail.example.com"): "from-keyring"}
    assert resolve_password(ACCT, env={}, prompt=lambda _: "typed") == "from-keyring"


def test_password_prompt_last(memory_keyring: dict[tuple[str, str], str]) -> None:
    asked: list[str] = []

    def prompt(question: str) -> str:
        asked.append(question)
        return "typed"

    assert resolve_password(ACCT, env={}, prompt=prompt) == "typed"
    assert asked == ["IMAP password for ada@mail.example.com: "]


def test_broken_keyring_falls_through_to_prompt() -> None:
    keyring = pytest.importorskip("keyring")
    from keyring.backends.fail import Keyring as FailKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        assert resolve_password(ACCT, env={}, prompt=lambda _: "typed") == "typed"
        with pytest.raises(UserError, match="Cannot store the password"):
            save_imap_password(ACCT, "pw")
    finally:
        keyring.set_keyring(previous)


def test_no_password_anywhere(memory_keyring: dict[tuple[str, str], str]) -> None:
    with pytest.raises(UserError, match="No IMAP password for ada@mail.example.com"):
        resolve_password(ACCT, env={"REKINDLE_IMAP_PASSWORD": ""}, prompt=None)
