"""`rekindle sync contacts URL`: two-way CardDAV sync that never overwrites an edit.

Per address book, in named steps:

1. **read** (network only): what changed on the server since the saved sync-token (or every
   card's ETag), and those cards;
2. **pull** (one transaction): each changed card is reconciled with Rekindle's changes to its
   person since the last sync (:func:`~rekindle.identity.card_views.reconcile`); cards without
   a conflict are imported, conflicts are kept with the server's version for ``--resolve``,
   deleted cards leave Rekindle; the new sync-token is saved with them, so a connection lost
   before this step leaves everything as it was and the next sync starts again;
3. **push** (network, then a small transaction per card): Rekindle's changes are written into
   the server's current card with ``If-Match``; a card changed on the server meanwhile is left
   alone and merged by the next sync. Each card written is remembered at once, so a sync cut
   off half-way resumes with what is left.

A person Rekindle merged from several cards keeps them on the server unless ``--push-merged``.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from sqlalchemy import Connection

from rekindle.errors import UserError
from rekindle.identity.card_views import View, card_view, changed_fields, reconcile, tidy
from rekindle.identity.records import ContactRecord, RecordError
from rekindle.plural import counted
from rekindle.services.carddav_records import SyncImport, card_record, card_uid, person_view
from rekindle.services.contact_push import (
    CardPusher,
    _applied,
    _Push,
    _rebased,
    _whole_view,
)
from rekindle.store import Store
from rekindle.store import carddav as cq
from rekindle.store import people as pq
from rekindle.store.database import utcnow
from rekindle.transport.carddav import (
    AddressBook,
    CardDavClient,
    RemoteCard,
)
from rekindle.transport.credentials import resolve_secret

PASSWORD_ENV = "REKINDLE_CARDDAV_PASSWORD"
RESOLUTIONS = ("keep-mine", "keep-theirs")
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class SyncOptions:
    #: how to settle a field both sides changed: keep-mine, keep-theirs, or None (report it)
    resolve: str | None = None
    #: write people learnt from mail as new cards
    push_new: bool = False
    #: write a person merged from several cards as one card (the others are deleted)
    push_merged: bool = False
    #: people whose cards are deleted from the server (and from Rekindle's records)
    delete: tuple[str, ...] = ()
    #: sync only the address book with this name or path
    book: str | None = None
    #: use RFC 6578 sync-tokens when the server offers them (else compare every ETag)
    use_sync_token: bool = True


@dataclass(slots=True)
class Conflict:
    person: str
    path: str
    #: field -> (Rekindle's value, the server's value; None for a card deleted there)
    fields: dict[str, tuple[Any, Any]]
    #: the server deleted the card while Rekindle changed its person
    deleted: bool = False

    @property
    def kind(self) -> str:
        return "deleted on the server" if self.deleted else "changed on both sides"


@dataclass(slots=True)
class ContactSyncReport:
    url: str
    books: list[str] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    removed: int = 0
    written: int = 0
    created: int = 0
    deleted: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)

    def summary(self) -> str:
        pulled = f"{self.new} new, {self.updated} updated, {self.removed} removed"
        pushed = f"{self.written} written, {self.created} created, {self.deleted} deleted"
        line = (
            f"Synced {counted(len(self.books), 'address book')}: from the server {pulled}; "
            f"to the server {pushed}"
        )
        if self.conflicts:
            line += (
                f"; {counted(len(self.conflicts), 'conflict')} kept for you "
                "(--resolve keep-mine or keep-theirs)"
            )
        if self.errors:
            line += f"; {counted(len(self.errors), 'card')} unreadable"
        return line + "."

    def as_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "books": self.books,
            "from_server": {"new": self.new, "updated": self.updated, "removed": self.removed},
            "to_server": {
                "written": self.written,
                "created": self.created,
                "deleted": self.deleted,
            },
            "conflicts": [
                {
                    "person": c.person,
                    "card": c.path,
                    "kind": c.kind,
                    "fields": {k: {"rekindle": m, "server": t} for k, (m, t) in c.fields.items()},
                }
                for c in self.conflicts
            ],
            "notices": self.notices,
            "errors": [{"locator": e.locator, "message": e.message} for e in self.errors],
        }


def address_books(store: Store) -> list[dict[str, Any]]:
    """The address books synced so far, as ``sync status`` lists them: URL, name, last sync,
    cards linked and conflicts waiting for ``--resolve``."""
    with store.read() as conn:
        rows = cq.books(conn, store.owner_id)
    return [
        {
            "kind": "carddav",
            "locator": r.url,
            "name": r.name,
            "last_sync_at": r.synced_at,
            "counts": {"cards": int(r.cards), "conflicts": int(r.conflicts)},
        }
        for r in rows
    ]


def account_of(url: str, user: str | None) -> tuple[str, str, str]:
    """(the URL without its user, the user, the host) of ``https://user@host/path``."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(
            f"not a CardDAV address: {url!r}",
            hint="give https://user@host/path/ of your server (or of the address book)",
        )
    name = user or (unquote(parts.username) if parts.username else None)
    if not name:
        raise UserError(
            f"no user name in {url!r}", hint="write it as https://USER@host/… or pass --user"
        )
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    clean = urlunsplit((parts.scheme, netloc, parts.path or "/", "", ""))
    return clean, name, parts.hostname


def sync_contacts(
    store: Store,
    url: str,
    *,
    user: str | None = None,
    options: SyncOptions | None = None,
    prompt: Callable[[str], str] | None = None,
    env: dict[str, str] | None = None,
    region: str | None = None,
    now: datetime | None = None,
    client_factory: Callable[[str, str, str], CardDavClient] | None = None,
    progress: Progress | None = None,
) -> ContactSyncReport:
    """Sync every address book of the account at ``url`` both ways (see the module doc)."""
    options = options or SyncOptions()
    if options.resolve not in (None, *RESOLUTIONS):
        raise UserError(f"no resolution {options.resolve!r}", hint="use keep-mine or keep-theirs")
    clean, name, host = account_of(url, user)
    password = resolve_secret(
        env_name=PASSWORD_ENV,
        label=f"{name}@{host}",
        what="CardDAV",
        env=env if env is not None else dict(os.environ),
        prompt=prompt,
    )
    report = ContactSyncReport(clean)
    make = client_factory or CardDavClient
    with make(clean, name, password) as client:
        books = client.discover()
        if options.book:
            books = [b for b in books if options.book in (b.name, b.path, client.origin + b.path)]
            if not books:
                raise UserError(f"no address book {options.book!r} at {clean}")
        for book in books:
            report.books.append(book.name)
            _BookSync(store, client, book, options, report, region, now or utcnow(), progress).run()
    return report


class _BookSync(CardPusher):
    def __init__(
        self,
        store: Store,
        client: CardDavClient,
        book: AddressBook,
        options: SyncOptions,
        report: ContactSyncReport,
        region: str | None,
        now: datetime,
        progress: Progress | None,
    ) -> None:
        self.store, self.client, self.options, self.report = store, client, options, report
        self.book = book if options.use_sync_token else replace(book, sync_token=None)
        self.region, self.now, self.progress = region, now, progress
        self.owner = store.owner_id
        self.url = client.origin + book.path
        self.label = f"carddav:{self.url}"
        self.prefer = {"keep-mine": "mine", "keep-theirs": "theirs"}.get(options.resolve or "")
        #: how many cards of this book each person has (more than one: merged in Rekindle)
        self.per_person: Counter[int] = Counter()
        #: each card's own UID, by path, as read or written in this sync
        self.uids: dict[str, str | None] = {}
        #: cards written, whose records are brought up to date at the end
        self.to_import: list[tuple[str, str | None, ContactRecord, int]] = []

    def card_url(self, path: str) -> str:
        return self.client.origin + path

    def run(self) -> None:
        with self.store.begin() as conn:
            row = cq.ensure_book(conn, self.owner, self.url, self.book.name)
        self.book_id = row.id
        with self.store.read() as conn:
            links = cq.card_links(conn, self.owner, self.book_id)
        cards, deleted, token = self.read(links, row.sync_token)
        pushes = self.pull(links, cards, deleted, token)
        try:
            self.push(pushes)
            if self.options.delete:
                self.delete_people()
            if self.options.push_new:
                self.create_new()
        finally:  # what was written is imported even when the connection drops
            self.import_written()

    # --- 1. read --------------------------------------------------------------------------

    def read(
        self, links: dict[str, cq.CardLink], token: str | None
    ) -> tuple[list[RemoteCard], list[str], str | None]:
        changes = self.client.changes(self.book, token)
        changed = [
            path
            for path, etag in changes.changed.items()
            if path not in links or links[path].etag != etag
        ]
        deleted = [p for p in changes.deleted if p in links]
        if changes.complete:
            deleted += [p for p in links if p not in changes.changed and p not in deleted]
        changed += [  # linked before tags were synced: read once more, for the new baseline
            path
            for path, link in links.items()
            if link.card_view and "tags" not in link.card_view
            and path not in deleted and path not in changed and not link.conflict
        ]  # fmt: skip
        cards = self.client.fetch(self.book, sorted(changed)) if changed else []
        fetched = {c.path for c in cards}
        for path, link in links.items():  # conflicts waiting since an earlier sync
            if link.conflict and path not in fetched and path not in deleted:
                if link.conflict.get("deleted"):  # still gone, unless it came back
                    deleted.append(path)
                else:
                    cards.append(RemoteCard(path, link.conflict["etag"], link.conflict["data"]))
        return cards, deleted, changes.token

    # --- 2. pull --------------------------------------------------------------------------

    def pull(
        self,
        links: dict[str, cq.CardLink],
        cards: list[RemoteCard],
        deleted: list[str],
        token: str | None,
    ) -> list[_Push]:
        with self.store.begin() as conn:
            imp = SyncImport.start(conn, self.owner, self.label, self.region, self.now)
            per_person = self.per_person = Counter(
                lk.person_id for lk in links.values() if lk.person_id is not None
            )
            before = {pid: person_view(conn, self.owner, pid, self.region) for pid in per_person}
            fresh: list[tuple[str, str | None, int | None, View]] = []
            pushes: list[_Push] = []
            for n, card in enumerate(cards, start=1):
                self.pull_card(conn, imp, links.get(card.path), card, before, fresh, pushes)
                if self.progress is not None:
                    self.progress(n)
            for path in deleted:
                link = links[path]
                if self.deleted_but_edited(conn, link, before, pushes, per_person):
                    continue
                if link.record_id is not None:
                    cq.remove_record(conn, self.owner, link.record_id)
                cq.drop_link(conn, link.id)
                self.report.removed += 1
            handled = {c.path for c in cards} | set(deleted)
            pushes += self.local_changes(links, handled, before, per_person)
            imp.finish()
            self.save_fresh(conn, fresh)
            cq.set_book_token(conn, self.book_id, token, self.now)
        return pushes

    def pull_card(
        self,
        conn: Connection,
        imp: SyncImport,
        link: cq.CardLink | None,
        card: RemoteCard,
        before: dict[int, View],
        fresh: list[tuple[str, str | None, int | None, View]],
        pushes: list[_Push],
    ) -> None:
        record = card_record(card.data, self.card_url(card.path))
        self.uids[card.path] = card_uid(card.data)
        if isinstance(record, RecordError):
            self.report.errors.append(record)
            return
        if record is None:  # a group: remembered, so it is not read again until it changes
            fresh.append((card.path, card.etag, None, {}))
            return
        view = card_view(record, self.region)
        if link is None or link.person_id is None:
            record_id = imp.add(record)
            if record_id is not None:
                fresh.append((card.path, card.etag, record_id, view))
                self.report.new += 1
            return
        pid = link.person_id
        mine = before.get(pid, link.person_view)
        found = reconcile(link.card_view, view, link.person_view, mine)
        if found.conflicts and self.prefer is None:
            cq.set_conflict(
                conn,
                link.id,
                {"etag": card.etag, "data": card.data, "fields": found.conflicts},
                self.now,
            )
            name = mine.get("name") or view.get("name") or card.path
            self.report.conflicts.append(Conflict(str(name), card.path, found.conflicts))
            return
        if found.conflicts and self.prefer == "theirs":
            for name in found.conflicts:
                pq.set_edit(conn, self.owner, pid, name, None, self.now)
        settled = reconcile(link.card_view, view, link.person_view, mine, self.prefer)
        imp.add(record)
        self.report.updated += 1
        if settled.push and self.per_person[pid] > 1 and not self.options.push_merged:
            self.hold_back(conn, link, card, view, str(mine.get("name") or card.path))
        elif settled.push:
            cq.save_link(
                conn, self.owner, self.book_id, card.path, uid=self.uids[card.path],
                etag=card.etag, record_id=link.record_id, card_view=view,
                person_view=link.person_view, now=self.now,
            )  # fmt: skip
            pushes.append(_Push(card.path, card.etag, pid, settled.push))
        else:
            fresh.append((card.path, card.etag, link.record_id, view))

    def hold_back(
        self, conn: Connection, link: cq.CardLink, card: RemoteCard, view: View, name: str
    ) -> None:
        """A card of a person Rekindle merged from several changed on the server: its change
        is taken, but Rekindle's changes are not written into it (the merge stays Rekindle's
        until ``--push-merged``); they stay pending against the card's new baseline."""
        cq.save_link(
            conn, self.owner, self.book_id, card.path, uid=self.uids[card.path],
            etag=card.etag, record_id=link.record_id, card_view=view,
            person_view=_rebased(link.person_view, link.card_view, view), now=self.now,
        )  # fmt: skip
        self.report.notices.append(
            f"{name}: one person in Rekindle, {self.per_person[link.person_id or 0]} cards on "
            f"the server; {card.path} took the server's change, yours were not written into it "
            "(--push-merged writes them as one card)"
        )

    def deleted_but_edited(
        self,
        conn: Connection,
        link: cq.CardLink,
        before: dict[int, View],
        pushes: list[_Push],
        per_person: Counter[int],
    ) -> bool:
        """A card deleted on the server whose person Rekindle changed since the last sync is
        a conflict, not a loss: kept (link, record, person) until ``--resolve``; keep-mine
        writes the card again, keep-theirs lets the delete happen. True when it is kept."""
        pid = link.person_id
        if pid is None or self.prefer == "theirs":
            return False
        mine = tidy(before.get(pid, link.person_view))
        edited = sorted(changed_fields(link.person_view, mine))
        if not edited:
            return False
        fields = {name: (mine[name], None) for name in edited}
        cq.set_conflict(  # kept until the card is written again or the delete is taken
            conn, link.id, {"deleted": True, "etag": None, "data": None, "fields": fields}, self.now
        )
        if self.prefer == "mine":
            # a merged person's other cards stay as they are: this one comes back as it was,
            # with Rekindle's changes; a person of this card alone comes back whole
            view: dict[str, Any] = {}
            if per_person[pid] > 1:
                mine_push = reconcile(link.card_view, link.card_view, link.person_view, mine).push
                view = {"name": None, **_whole_view({}, _applied(link.card_view, mine_push))}
            pushes.append(_Push(link.path, None, pid, view, recreate=True))
            return True
        name = mine.get("name") or link.card_view.get("name") or link.path
        self.report.conflicts.append(Conflict(str(name), link.path, fields, deleted=True))
        return True

    def local_changes(
        self,
        links: dict[str, cq.CardLink],
        handled: set[str],
        before: dict[int, View],
        per_person: Counter[int],
    ) -> list[_Push]:
        """Cards the server did not change whose person Rekindle changed."""
        pushes: list[_Push] = []
        merged: dict[int, list[cq.CardLink]] = {}
        for path, link in links.items():
            pid = link.person_id
            if path in handled or pid is None:
                continue
            if per_person[pid] > 1:
                merged.setdefault(pid, []).append(link)
                continue
            found = reconcile(link.card_view, link.card_view, link.person_view, before[pid])
            if found.push:
                pushes.append(_Push(path, link.etag, pid, found.push))
        for pid, group in merged.items():
            if len(group) < per_person[pid]:
                continue  # some of its cards changed on the server: wait for a quiet sync
            if not self.options.push_merged:
                if any(changed_fields(lk.person_view, before[pid]) for lk in group):
                    self.report.notices.append(
                        f"{before[pid].get('name')}: one person in Rekindle, "
                        f"{len(group)} cards on the server; left as they are "
                        "(--push-merged writes them as one card)"
                    )
                continue
            first, rest = group[0], group[1:]
            push = _whole_view(first.card_view, before[pid])
            absorb = [(lk.path, lk.etag, lk.id) for lk in rest]
            pushes.append(_Push(first.path, first.etag, pid, push, absorb))
        return pushes

    def save_fresh(
        self, conn: Connection, fresh: list[tuple[str, str | None, int | None, View]]
    ) -> None:
        """Link the cards imported as they are, with both baselines as they now stand."""
        for path, etag, record_id, view in fresh:
            cq.save_link(
                conn, self.owner, self.book_id, path, uid=self.uids.get(path), etag=etag,
                record_id=record_id,
                card_view=view, person_view={}, now=self.now,
            )  # fmt: skip
        links = cq.card_links(conn, self.owner, self.book_id)
        for path, *_ in fresh:
            link = links[path]
            if link.person_id is not None:
                cq.set_person_view(
                    conn,
                    link.id,
                    person_view(conn, self.owner, link.person_id, self.region),
                    self.now,
                )
