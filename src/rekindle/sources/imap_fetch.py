"""Read-only IMAP: fetch the header bytes of new messages, folder by folder.

This module only fetches; :func:`rekindle.sources.mail_headers.parse_header_block` turns the
bytes into records (the offline twin reads the same headers from mbox or Maildir files).
Folders are opened with EXAMINE and headers fetched with ``BODY.PEEK``, so nothing on the
server changes and no body is ever downloaded.

:func:`fetch_headers` yields first one :class:`FetchPlan` (how many new messages the chosen
folders hold), then, per folder, one :class:`FetchedFolder` (``reset=True`` when the
server's UIDVALIDITY no longer matches the stored one: drop that folder's state and take
everything again), then a :class:`FetchedMessage` per new UID, or a :class:`FetchProblem` when
the folder cannot be read. After each batch ``on_progress`` receives a :class:`FetchProgress`
whose ``state`` is the caller's cue to commit, so a run cut short resumes where it stopped.
"""

from __future__ import annotations

import imaplib
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import CapabilityError, LoginError
from imapclient.imapclient import SocketTimeout

from rekindle.errors import UserError
from rekindle.sources.imap_account import PASSWORD_HINT, ImapAccount, check_plain

HEADER_FIELDS = (
    "FROM TO CC BCC DATE MESSAGE-ID SUBJECT IN-REPLY-TO REFERENCES LIST-ID LIST-UNSUBSCRIBE "
    "PRECEDENCE AUTO-SUBMITTED CONTENT-TYPE RETURN-PATH X-GM-THRID"
)
HEADER_ITEM = f"BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})]"
SENT_NAMES = ("sent", "sent items", "sent messages", "sent mail", "inbox.sent", "inbox/sent")


@dataclass(frozen=True, slots=True)
class FolderState:
    """What a previous run stored for one folder."""

    uidvalidity: int
    last_uid: int


@dataclass(frozen=True, slots=True)
class FetchedFolder:
    """A folder was opened. ``reset``: its UIDVALIDITY changed, everything comes again."""

    name: str
    uidvalidity: int
    reset: bool = False
    exists: int = 0
    new: int = 0


@dataclass(frozen=True, slots=True)
class FetchPlan:
    """Yielded once, before the first folder: the chosen folders and how many new messages
    they hold (what a progress bar measures against; mail arriving meanwhile waits for the
    next run)."""

    folders: tuple[str, ...]
    new: int


@dataclass(frozen=True, slots=True)
class FetchedMessage:
    """The selected header fields of one message (never its body) and its size in bytes."""

    folder: str
    uidvalidity: int
    uid: int
    header_bytes: bytes
    size: int
    gm_thread: str | None = None
    gm_labels: tuple[str, ...] = ()

    @property
    def locator(self) -> str:
        return f"{self.folder};UIDVALIDITY={self.uidvalidity};UID={self.uid}"


@dataclass(frozen=True, slots=True)
class FetchProblem:
    """A folder that could not be read; the other folders go on."""

    folder: str
    message: str

    def __str__(self) -> str:
        return f"{self.folder}: {self.message}"


@dataclass(frozen=True, slots=True)
class FetchProgress:
    """After each batch: store ``state`` for ``folder`` and a later run resumes from it."""

    folder: str
    state: FolderState
    done: int
    total: int
    fetched: int
    reconnects: int


FetchItem = FetchPlan | FetchedFolder | FetchedMessage | FetchProblem


# -- folders ---------------------------------------------------------------------------------


def choose_folders(listing: Iterable[tuple[Sequence[bytes], Any, str]]) -> list[str]:
    """Default folders from a LIST: Gmail's ``\\All`` folder alone when there is one (it holds
    every message), else INBOX plus the ``\\Sent`` special-use folder (or a usual Sent name)."""
    boxes = [(name, {f.lower() for f in flags}) for flags, _, name in listing]
    boxes = [(name, flags) for name, flags in boxes if b"\\noselect" not in flags]
    for name, flags in boxes:
        if b"\\all" in flags:
            return [name]
    chosen = ["INBOX"]
    sent = [n for n, flags in boxes if b"\\sent" in flags]
    sent = sent or [n for n, _ in boxes if n.lower() in SENT_NAMES]
    return chosen + sent[:1]


# -- fetching --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    progress: dict[str, FolderState]
    batch: int
    on_progress: Callable[[FetchProgress], None] | None
    gmail: bool = False
    fetched: int = 0
    reconnects: int = 0
    planned: bool = False
    folder: str | None = None
    announced: dict[str, int] = field(default_factory=dict)
    done: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)


def fetch_headers(
    account: ImapAccount,
    password: str,
    state: Mapping[str, FolderState],
    *,
    batch: int = 500,
    on_progress: Callable[[FetchProgress], None] | None = None,
    ssl_context: ssl.SSLContext | None = None,
    retries: int = 3,
    backoff: float = 1.0,
    timeout: float = 30.0,
) -> Iterator[FetchItem]:
    """Yield the folders, new messages' headers and problems of ``account`` (module docstring).

    A connection lost mid-fetch is reopened up to ``retries`` times in a row (waiting
    ``backoff``, then twice as long…), resuming after the last message yielded.
    """
    check_plain(account)
    run = _Run(progress=dict(state), batch=max(1, batch), on_progress=on_progress)
    folders = list(account.folders) if account.folders else None
    finished: set[str] = set()
    failures, fetched_at_failure = 0, 0
    while True:
        client, alive = None, True
        try:
            try:
                client = _connect(account, password, ssl_context, timeout)
            except (OSError, imaplib.IMAP4.error) as exc:
                dropped = isinstance(exc, OSError | imaplib.IMAP4.abort)
                if run.reconnects == 0 or not dropped:
                    raise _connect_error(account, exc, timeout) from exc
                raise
            run.gmail = client.has_capability("X-GM-EXT-1")
            if folders is None:
                folders = choose_folders(client.list_folders())
            if not run.planned:
                run.planned = True
                yield FetchPlan(tuple(folders), _count_new(client, folders, run.progress))
            for folder in folders:
                if folder not in finished:
                    yield from _fetch_folder(client, folder, run)
                    finished.add(folder)
            return
        except (OSError, imaplib.IMAP4.abort) as exc:
            alive = False
            if run.fetched > fetched_at_failure:
                failures = 0
            fetched_at_failure = run.fetched
            failures += 1
            if failures > retries:
                raise _gave_up(account, run, exc, retries) from exc
            run.reconnects += 1
            time.sleep(backoff * 2 ** (failures - 1))
        finally:
            if client is not None:
                _close(client, polite=alive)


def _connect(
    account: ImapAccount, password: str, context: ssl.SSLContext | None, timeout: float
) -> IMAPClient:
    context = context or ssl.create_default_context()
    client = IMAPClient(
        account.host,
        port=account.port,
        ssl=account.ssl == "ssl",
        ssl_context=context,
        timeout=SocketTimeout(connect=timeout, read=2 * timeout),
    )
    try:
        if account.ssl == "starttls":
            try:
                client.starttls(context)
            except CapabilityError as exc:
                raise UserError(
                    f"{account.host}:{account.port} does not offer STARTTLS.",
                    hint="Use imaps:// with the SSL port (usually 993).",
                ) from exc
        if password.isascii():
            client.login(account.user, password)
        else:
            client.plain_login(account.user, password)
    except LoginError as exc:
        _close(client, polite=False)
        reason = _text(exc).removeprefix("b'").removesuffix("'")
        raise UserError(
            f"IMAP login failed for {account.label}: {reason}", hint=PASSWORD_HINT
        ) from exc
    except BaseException:
        _close(client, polite=False)
        raise
    return client


def fetch_folder_names(
    account: ImapAccount,
    password: str,
    *,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = 15.0,
) -> list[str]:
    """Log in and list the folders (a connection check); a clear error otherwise."""
    check_plain(account)
    try:
        client = _connect(account, password, ssl_context, timeout)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise _connect_error(account, exc, timeout) from exc
    try:
        return [name for _, _, name in client.list_folders()]
    except (OSError, imaplib.IMAP4.error) as exc:
        raise _connect_error(account, exc, timeout) from exc
    finally:
        _close(client)


def _new_uids(
    client: IMAPClient, folder: str, known: FolderState | None
) -> tuple[Mapping[bytes, Any], bool, int, list[int]]:
    """Open ``folder`` read-only: (its SELECT response, whether its UIDVALIDITY changed since
    ``known``, the last UID already taken, the UIDs of the messages to take, in order)."""
    info = client.select_folder(folder, readonly=True)
    validity = int(info[b"UIDVALIDITY"])
    reset = known is not None and known.uidvalidity != validity
    last = 0 if known is None or reset else known.last_uid
    uidnext = info.get(b"UIDNEXT")
    uids: list[int] = []
    if uidnext is None or int(uidnext) > last + 1:  # a folder with nothing new is not searched
        uids = sorted(u for u in client.search(["UID", f"{last + 1}:*"]) if u > last)
    return info, reset, last, uids


def _count_new(client: IMAPClient, folders: Sequence[str], known: Mapping[str, FolderState]) -> int:
    """How many messages the folders hold that ``known`` has not taken (a folder that cannot
    be opened counts none: the fetch reports it)."""
    total = 0
    for folder in folders:
        try:
            total += len(_new_uids(client, folder, known.get(folder))[3])
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error:
            continue
    return total


def _fetch_folder(client: IMAPClient, folder: str, run: _Run) -> Iterator[FetchItem]:
    run.folder = folder
    try:
        info, reset, last, uids = _new_uids(client, folder, run.progress.get(folder))
        validity = int(info[b"UIDVALIDITY"])
    except imaplib.IMAP4.abort:
        raise
    except imaplib.IMAP4.error as exc:
        yield FetchProblem(folder, f"cannot open the folder: {_text(exc)}")
        return
    run.progress[folder] = FolderState(validity, last)
    if run.announced.get(folder) != validity:
        run.announced[folder] = validity
        run.done[folder], run.total[folder] = 0, len(uids)
        yield FetchedFolder(folder, validity, reset, int(info.get(b"EXISTS", 0)), len(uids))
    items = [HEADER_ITEM, "RFC822.SIZE"] + (["X-GM-THRID", "X-GM-LABELS"] if run.gmail else [])
    for start in range(0, len(uids), run.batch):
        chunk = uids[start : start + run.batch]
        try:
            response = client.fetch(chunk, items)
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as exc:
            yield FetchProblem(folder, f"cannot fetch UIDs {chunk[0]}-{chunk[-1]}: {_text(exc)}")
            return
        for uid in sorted(u for u in response if last < u <= chunk[-1]):
            yield _message(folder, validity, uid, response[uid])
            run.progress[folder] = FolderState(validity, uid)
            run.fetched += 1
        run.progress[folder] = FolderState(validity, chunk[-1])
        run.done[folder] += len(chunk)
        if run.on_progress is not None:
            run.on_progress(
                FetchProgress(
                    folder,
                    run.progress[folder],
                    run.done[folder],
                    run.total[folder],
                    run.fetched,
                    run.reconnects,
                )
            )


def _message(folder: str, validity: int, uid: int, data: Mapping[bytes, Any]) -> FetchedMessage:
    header = next((v for k, v in data.items() if k.startswith(b"BODY[HEADER")), b"")
    thread = data.get(b"X-GM-THRID")
    labels = tuple(_text(label) for label in data.get(b"X-GM-LABELS") or ())
    return FetchedMessage(
        folder=folder,
        uidvalidity=validity,
        uid=uid,
        header_bytes=bytes(header or b""),
        size=int(data.get(b"RFC822.SIZE") or 0),
        gm_thread=str(thread) if thread is not None else None,
        gm_labels=labels,
    )


def _close(client: IMAPClient, *, polite: bool = True) -> None:
    """LOGOUT when the connection works; a dead one is only shut (no wait for a reply)."""
    if polite:
        with suppress(Exception):
            client.logout()
            return
    with suppress(Exception):
        client.shutdown()


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _connect_error(account: ImapAccount, exc: BaseException, timeout: float) -> UserError:
    where = f"{account.host}:{account.port}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return UserError(
            f"The TLS certificate of {where} is not trusted: {exc.verify_message}",
            hint="Check the host name; a self-signed server needs its certificate trusted.",
        )
    if isinstance(exc, ssl.SSLError):
        return UserError(
            f"TLS with {where} failed: {exc.reason or exc}",
            hint="Port 993 speaks SSL (imaps://); port 143 speaks STARTTLS (imap://…?starttls).",
        )
    if isinstance(exc, TimeoutError):
        message = f"No answer from the IMAP server {where} within {timeout:g} s."
    elif isinstance(exc, socket.gaierror):
        message = f"Cannot find the IMAP server {account.host}: {exc.strerror or exc}"
    elif isinstance(exc, OSError):
        message = f"Cannot connect to the IMAP server {where}: {exc.strerror or exc}"
    else:
        message = f"The IMAP server {where} did not answer as IMAP: {_text(exc)}"
    return UserError(message, hint="Check the host, the port and the network connection.")


def _gave_up(account: ImapAccount, run: _Run, exc: BaseException, retries: int) -> UserError:
    where = ""
    if run.folder is not None and run.folder in run.progress:
        where = f"; {run.folder} is done up to UID {run.progress[run.folder].last_uid}"
    return UserError(
        f"Lost the connection to {account.host} after {run.fetched} new messages{where} "
        f"and could not reconnect ({retries} tries): {_text(exc) or type(exc).__name__}",
        hint="What was fetched is kept; run the same command again to resume from there.",
    )
