"""Writing Rekindle's changes to a CardDAV address book: the cards to write, the writes with
If-Match, cards made anew, deletions, and the card views the writes are computed from.

Part of `rekindle sync contacts` (:mod:`rekindle.services.sync_contacts`): :class:`CardPusher`
is the push half of one address book's sync and works on that sync's state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rekindle.exporters.vcard import card_lines, escape_text, fold_line
from rekindle.exporters.vcard_patch import CardPatchError, patch_card
from rekindle.identity.card_views import View, card_view, changed_fields, tidy
from rekindle.identity.records import ContactRecord, RecordError
from rekindle.services.carddav_records import SyncImport, card_record, card_uid, person_view
from rekindle.services.export_people import ExportPerson, export_person
from rekindle.services.people import resolve_person
from rekindle.store import Store
from rekindle.store import carddav as cq
from rekindle.transport.carddav import (
    CardDavError,
    PreconditionFailed,
)


@dataclass
class _Push:
    """A card to write: Rekindle's changes for it, or (merge) the person's whole view."""

    path: str
    etag: str | None
    person_id: int
    push: dict[str, Any]
    #: for a merged person written as one card: the other cards to delete (path, etag, link)
    absorb: list[tuple[str, str | None, int]] = field(default_factory=list)
    #: the card was deleted on the server and is written again (--resolve keep-mine)
    recreate: bool = False


class CardPusher:
    """The push steps of a book's sync (mixed into its state: client, store, report…)."""

    # the state of the sync these steps run in
    client: Any
    store: Store
    report: Any
    options: Any
    owner: int
    region: str | None
    now: datetime
    progress: Any
    book: Any
    book_id: int
    label: str
    uids: dict[str, str | None]
    to_import: list[Any]

    def card_url(self, path: str) -> str:  # pragma: no cover - the sync's own
        raise NotImplementedError

    # --- 3. push --------------------------------------------------------------------------

    def push(self, pushes: list[_Push]) -> None:
        for plan in pushes:
            if plan.recreate:
                self.recreate(plan)
                continue
            current = self.client.get(plan.path)
            if current is None:
                self.report.notices.append(f"{plan.path}: deleted on the server during the sync")
                continue
            if plan.etag and current.etag and current.etag != plan.etag:
                self.report.notices.append(
                    f"{plan.path}: changed on the server during the sync; "
                    "your change waits for the next sync, which merges both"
                )
                continue
            try:
                text = patch_card(current.data, plan.push, self.region)
                etag = self.client.put(plan.path, text, current.etag or plan.etag)
            except CardPatchError as exc:
                self.report.errors.append(RecordError("carddav", plan.path, str(exc)))
                continue
            except PreconditionFailed:
                self.report.notices.append(
                    f"{plan.path}: changed on the server while Rekindle wrote it; nothing was "
                    "overwritten, and the next sync merges both"
                )
                continue
            self.written(plan.path, etag, text, plan.person_id)
            self.report.written += 1
            for path, old_etag, _link_id in plan.absorb:
                self.absorb(path, old_etag)

    def recreate(self, plan: _Push) -> None:
        """Write again a card the server deleted (``If-None-Match: *``: a card put there
        meanwhile is not replaced): everything Rekindle knows of its person, or, for a person
        merged from several cards, this card's own fields with Rekindle's changes."""
        with self.store.read() as conn:
            link = cq.card_links(conn, self.owner, self.book_id).get(plan.path)
            person = export_person(conn, self.owner, plan.person_id)
        uid = link.uid if link else None
        if not uid or uid.startswith(("http://", "https://")):  # (saved by an older sync)
            uid = f"rekindle-{uuid.uuid4()}"
        if plan.push:  # the card's own fields, on a new card of its UID
            bare = f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{escape_text(uid)}\r\nEND:VCARD\r\n"
            text = patch_card(bare, plan.push, self.region)
        else:
            text = _card_text(person, uid)
        try:
            etag = self.client.put(plan.path, text, None)
        except PreconditionFailed:
            self.report.notices.append(
                f"{plan.path}: a card appeared there during the sync; not replaced, "
                "the next sync reads it"
            )
            return
        self.written(plan.path, etag, text, plan.person_id)
        self.report.created += 1

    def written(self, path: str, etag: str | None, text: str, person_id: int) -> None:
        """Remember a card just written, at once: its ETag and both new baselines. Its
        record is brought up to date with the others at the end (:meth:`import_written`)."""
        record = card_record(text, self.card_url(path))
        if not isinstance(record, ContactRecord):
            raise CardDavError(f"{path}: the card Rekindle wrote cannot be read back")
        self.uids[path] = card_uid(text)
        with self.store.begin() as conn:
            link = cq.card_links(conn, self.owner, self.book_id).get(path)
            cq.save_link(
                conn, self.owner, self.book_id, path, uid=self.uids.get(path), etag=etag,
                record_id=link.record_id if link else None,
                card_view=card_view(record, self.region),
                person_view=person_view(conn, self.owner, person_id, self.region), now=self.now,
            )  # fmt: skip
        self.to_import.append((path, etag, record, person_id))

    def import_written(self) -> None:
        """The cards written, imported as their records in one go (one import run)."""
        if not self.to_import:
            return
        with self.store.begin() as conn:
            imp = SyncImport.start(conn, self.owner, self.label, self.region, self.now)
            ids = [imp.add(record, pid) for _, _, record, pid in self.to_import]
            imp.finish()
            for (path, etag, record, pid), record_id in zip(self.to_import, ids, strict=True):
                cq.save_link(
                    conn, self.owner, self.book_id, path, uid=self.uids.get(path), etag=etag,
                    record_id=record_id, card_view=card_view(record, self.region),
                    person_view=person_view(conn, self.owner, pid, self.region), now=self.now,
                )  # fmt: skip
        self.to_import.clear()

    def absorb(self, path: str, etag: str | None) -> None:
        """Delete a card merged into another one just written (if it is still as it was)."""
        try:
            self.client.delete(path, etag)
        except PreconditionFailed:
            self.report.notices.append(f"{path}: changed on the server; not deleted")
            return
        self.forget(path)
        self.report.deleted += 1

    def forget(self, path: str) -> None:
        with self.store.begin() as conn:
            link = cq.card_links(conn, self.owner, self.book_id).get(path)
            if link is None:
                return
            if link.record_id is not None:
                cq.remove_record(conn, self.owner, link.record_id)
            cq.drop_link(conn, link.id)

    # --- deleting and creating ------------------------------------------------------------

    def delete_people(self) -> None:
        with self.store.read() as conn:
            pids = {
                ref: resolve_person(conn, self.owner, ref, self.region)
                for ref in self.options.delete
            }
            links = cq.card_links(conn, self.owner, self.book_id)
        for ref, pid in pids.items():
            theirs = [lk for lk in links.values() if lk.person_id == pid]
            if not theirs:
                self.report.notices.append(f"{ref}: no card in {self.book.name}; nothing deleted")
            for link in theirs:
                self.absorb(link.path, link.etag)

    def create_new(self) -> None:
        with self.store.read() as conn:
            linked = cq.linked_person_ids(conn, self.owner)
            todo = [p for p in cq.people_from_mail(conn, self.owner) if p not in linked]
        for n, pid in enumerate(todo, start=1):
            uid = f"rekindle-{uuid.uuid4()}"
            with self.store.read() as conn:
                person = export_person(conn, self.owner, pid)
            text = _card_text(person, uid)
            path = self.book.path.rstrip("/") + f"/{uid}.vcf"
            try:
                etag = self.client.put(path, text, None)
            except PreconditionFailed:
                continue
            self.written(path, etag, text, pid)
            self.report.created += 1
            if self.progress is not None:
                self.progress(n)


def _card_text(person: ExportPerson, uid: str) -> str:
    """A new card of everything Rekindle knows of ``person``, with ``uid``."""
    lines = [f"UID:{uid}" if ln.startswith("UID:") else ln for ln in card_lines(person)]
    return "".join(fold_line(ln) for ln in lines)


def _rebased(person_base: View, card_base: View, card_now: View) -> View:
    """Rekindle's baseline moved by the server's changes to a card, so that what Rekindle
    changed since stays a change and what the server changed does not become one."""
    out = dict(person_base)
    if not person_base:
        return out
    base, now, was = tidy(person_base), tidy(card_now), tidy(card_base)
    for name in changed_fields(card_base, card_now):
        if name not in person_base:
            continue
        if isinstance(now[name], list):
            gone = set(was[name]) - set(now[name])
            out[name] = sorted((set(base[name]) | (set(now[name]) - set(was[name]))) - gone)
        else:
            out[name] = now[name]
    return out


def _applied(card: View, push: dict[str, Any]) -> View:
    """A card's view with the changes of ``push`` made."""
    out = tidy(card)
    for name, value in push.items():
        if isinstance(value, tuple):
            added, removed = value
            out[name] = sorted((set(out[name]) | set(added)) - set(removed))
        else:
            out[name] = value
    return out


def _whole_view(card: View, person: View) -> dict[str, Any]:
    """The changes that make a card show the whole of a person's view."""
    card, person = tidy(card), tidy(person)
    push: dict[str, Any] = {}
    for name, value in person.items():
        if isinstance(value, list):
            added = [v for v in value if v not in card[name]]
            if added:
                push[name] = (added, [])
        elif value != card[name]:
            push[name] = value
    return push
