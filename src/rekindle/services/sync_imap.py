"""`rekindle sync mail imap://…`: read-only IMAP, headers only, incremental by UID."""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from rekindle.history.records import MessageRecord
from rekindle.identity.records import NoticeRecord
from rekindle.services.history import Positioned, Progress, SyncReport, ingest
from rekindle.services.meetup_rsvp import note_imap_answers
from rekindle.sources.imap_account import ImapAccount, parse_imap_url, resolve_password
from rekindle.sources.imap_bodies import fetch_bodies
from rekindle.sources.imap_fetch import (
    FetchedFolder,
    FetchedMessage,
    FetchPlan,
    FetchProblem,
    FolderState,
    fetch_headers,
)
from rekindle.sources.mail_headers import parse_header_block
from rekindle.store import Store
from rekindle.store.database import utcnow


def sync_imap(
    store: Store,
    url: str,
    *,
    prompt: Callable[[str], str] | None = None,
    progress: Progress | None = None,
    ssl_context: ssl.SSLContext | None = None,
    now: datetime | None = None,
    env: dict[str, str] | None = None,
) -> SyncReport:
    """Fetch new message headers of every chosen folder and store them (see ``history.ingest``)."""
    account = parse_imap_url(url)
    password = resolve_password(
        account, env=env if env is not None else dict(os.environ), prompt=prompt
    )
    now = now or utcnow()
    locator = f"imap://{account.label}:{account.port}/" + ",".join(
        account.folders or ["(default folders)"]
    )

    reading = _ImapReading(account, password, ssl_context, now)
    report = ingest(
        store,
        "imap",
        locator,
        reading.items,
        on_item=reading.on_item,
        progress=progress,
        now=now,
        share=reading.share,
    )
    # replies about a meetup that only their words answer: their bodies, fetched read-only
    report.meetup_answers += note_imap_answers(
        store, lambda found: fetch_bodies(account, password, found, ssl_context=ssl_context), now
    )
    return report


class _ImapReading:
    """How an IMAP account is read for :func:`ingest`: the new headers of every chosen folder
    after the UIDs remembered in the state, and how many are new (the share read)."""

    def __init__(
        self,
        account: ImapAccount,
        password: str,
        ssl_context: ssl.SSLContext | None,
        now: datetime,
    ) -> None:
        self.account = account
        self.password = password
        self.ssl_context = ssl_context
        self.now = now
        #: messages the server has that are new to us, and how many of them passed so far
        self.new = 0
        self.taken = 0

    def items(self, state: dict[str, Any]) -> Iterator[Positioned]:
        folders = {name: FolderState(**fs) for name, fs in state.get("folders", {}).items()}
        for item in fetch_headers(
            self.account, self.password, folders, ssl_context=self.ssl_context
        ):
            if isinstance(item, FetchPlan):
                self.new = item.new
            elif isinstance(item, FetchedMessage):
                yield Positioned(self._parsed(item), item)
            elif isinstance(item, FetchProblem):
                yield Positioned(
                    NoticeRecord("imap", item.folder, f"folder skipped: {item.message}"), item
                )
            else:
                yield Positioned(None, item)

    def _parsed(self, item: FetchedMessage) -> Any:
        """The message's header facts, with Gmail's own thread and labels when it gave them."""
        parsed = parse_header_block(
            item.header_bytes, "imap", item.locator, item.folder, now=self.now, size=item.size
        )
        if isinstance(parsed, MessageRecord):
            parsed = replace(
                parsed,
                thread=item.gm_thread or parsed.thread,
                labels=list(item.gm_labels) or parsed.labels,
            )
        return parsed

    def on_item(self, raw: Any, state: dict[str, Any]) -> None:
        folders = state.setdefault("folders", {})
        if isinstance(raw, FetchedFolder):
            if raw.reset or raw.name not in folders:
                folders[raw.name] = {"uidvalidity": raw.uidvalidity, "last_uid": 0}
        elif isinstance(raw, FetchedMessage):
            self.taken += 1
            current = folders.get(raw.folder, {"uidvalidity": raw.uidvalidity, "last_uid": 0})
            folders[raw.folder] = {
                "uidvalidity": raw.uidvalidity,
                "last_uid": max(current["last_uid"], raw.uid),
            }

    def share(self, state: dict[str, Any]) -> float | None:
        return min(1.0, self.taken / self.new) if self.new else None
