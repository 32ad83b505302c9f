"""What a contact record may hold: the longest value each stored column keeps.

PostgreSQL refuses a value longer than its column (``character varying(500)``), and the
refusal would abort the whole import's transaction; SQLite would keep it. So a record with
such a value is refused, on both databases alike, before anything of it is written: one clear
line naming the record and the field, and the rest of the file is imported."""

from __future__ import annotations

from collections.abc import Iterable

from rekindle.identity.records import ContactRecord
from rekindle.store.contacts import COLUMN_LIMITS, AffiliationRow, IdentityRow


def _first_too_long(values: Iterable[tuple[str, str, str | None]]) -> str | None:
    for what, limit_of, value in values:
        limit = COLUMN_LIMITS[limit_of]
        if value is not None and len(value) > limit:
            return (
                f"the {what} is {len(value):,} characters long, more than the {limit:,} "
                "Rekindle keeps; the record was skipped"
            )
    return None


def too_long(
    record: ContactRecord,
    natural_key: str,
    names: tuple[str, str],
    idents: list[IdentityRow],
    affs: list[AffiliationRow],
) -> str | None:
    """Why the record cannot be stored whole (None: it can)."""
    values: list[tuple[str, str, str | None]] = [
        ("name", "name", names[0]),
        ("name as sorted", "name", names[1]),
        ("record key (UID)", "record key", natural_key),
    ]
    for ident in idents:
        values += [
            (ident.kind, "address", ident.value),
            (ident.kind, "address as written", ident.display),
            (f"{ident.kind} label", "address label", ident.label),
            (f"{ident.kind} service", "address service", ident.service),
        ]
    for aff in affs:
        values += [
            ("organisation", "organisation", aff.organisation),
            ("title", "title", aff.title),
            ("department", "department", aff.department),
        ]
    values += [("tag", "tag", t) for t in record.tags]
    return _first_too_long(values)
