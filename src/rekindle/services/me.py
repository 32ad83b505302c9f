""" "Me": the user's own addresses and affiliations, so shared context can be found."""

from __future__ import annotations

from datetime import date
from typing import Any

from rekindle.errors import UserError
from rekindle.identity.identifiers import normalise_email, normalise_phone, normalise_url
from rekindle.store import Store
from rekindle.store import contacts as q
from rekindle.store import people as pq
from rekindle.store.database import utcnow


def view(store: Store) -> dict[str, Any]:
    with store.read() as conn:
        me_id = pq.find_me(conn, store.owner_id)
        if me_id is None:
            return {"name": None, "identities": [], "affiliations": []}
        return {
            "name": pq.edits_of(conn, me_id).get("name"),
            "identities": [
                {"kind": i.kind, "value": i.display, "key": i.value}
                for i in pq.identities_of(conn, me_id)
            ],
            "affiliations": [
                {
                    "organisation": a.organisation,
                    "title": a.title,
                    "kind": a.kind,
                    "start": a.start_date.isoformat() if a.start_date else None,
                    "end": a.end_date.isoformat() if a.end_date else None,
                }
                for a in pq.affiliations_of(conn, me_id)
            ],
        }


def _date(text: str | None, what: str) -> date | None:
    if not text:
        return None
    for fmt_len, pad in ((4, "-01-01"), (7, "-01"), (10, "")):
        if len(text) == fmt_len:
            try:
                return date.fromisoformat(text + pad)
            except ValueError:
                break
    raise UserError(f"{what} {text!r} is not a date", hint="use YYYY, YYYY-MM or YYYY-MM-DD")


def _address(value: str, region: str | None) -> tuple[str, str | None, str | None]:
    """(kind, key, service) of an address of mine: email, profile URL or phone number."""
    text = value.strip()
    if text.lower().startswith(("http://", "https://", "www.", "linkedin.com/")):
        found = normalise_url(text)
        return "url", (found[1] if found else None), (found[0] if found else None)
    if "@" in text:
        return "email", normalise_email(text), None
    return "phone", normalise_phone(text, region), None


def add_address(store: Store, value: str, region: str | None = None) -> str:
    kind, key, service = _address(value, region)
    if not key:
        raise UserError(f"{value!r} is not an email address, profile URL or phone number")
    with store.begin() as conn:
        me_id = pq.ensure_me(conn, store.owner_id, utcnow())
        q.add_identity(
            conn, store.owner_id, me_id, q.IdentityRow(kind, key, value.strip(), service)
        )
    return key


def remove_address(store: Store, value: str, region: str | None = None) -> int:
    kind, key, _ = _address(value, region)
    with store.begin() as conn:
        me_id = pq.find_me(conn, store.owner_id)
        if me_id is None or not key:
            return 0
        return q.remove_identity(conn, me_id, kind, key)


def set_name(store: Store, name: str | None) -> None:
    """Your own name, as drafts sign it (None forgets it)."""
    value = " ".join((name or "").split()) or None
    with store.begin() as conn:
        me_id = pq.ensure_me(conn, store.owner_id, utcnow())
        pq.set_edit(conn, store.owner_id, me_id, "name", value, utcnow())


def add_affiliation(
    store: Store,
    organisation: str,
    title: str | None,
    start: str | None,
    end: str | None,
    school: bool = False,
) -> None:
    if not organisation.strip():
        raise UserError("the organisation is empty")
    row = q.AffiliationRow(
        organisation.strip(),
        title,
        None,
        "school" if school else "work",
        _date(start, "start"),
        _date(end, "end"),
    )
    if row.start and row.end and row.end < row.start:
        raise UserError("the end comes before the start")
    with store.begin() as conn:
        me_id = pq.ensure_me(conn, store.owner_id, utcnow())
        q.add_affiliation(conn, store.owner_id, me_id, row)
