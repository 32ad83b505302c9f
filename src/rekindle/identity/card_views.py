"""What two-way contact sync compares: a person's fields as a card shows them, and a
three-way reconciliation of the card's and Rekindle's changes since the last sync.

A *view* is a plain dict of the synced fields: ``name``, ``organisation``, ``title``,
``birthday`` (ISO, ``--MM-DD`` without year), the sorted, normalised ``emails``,
``phones`` and ``urls``, and the ``tags`` (a card's CATEGORIES). Each side's change is its difference from its own baseline (the
view saved at the last sync), so a field only one side changed is never a conflict; lists
merge element by element (an address added on the phone and another added in Rekindle are
both kept); a single-valued field changed to different values on both sides is a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rekindle.identity.identifiers import normalise_identities
from rekindle.identity.records import ContactRecord

View = dict[str, Any]

SCALARS = ("name", "organisation", "title", "birthday")
LISTS = ("emails", "phones", "urls", "tags")
FIELDS = SCALARS + LISTS
_KINDS = {"email": "emails", "phone": "phones", "url": "urls"}


def card_view(record: ContactRecord, region: str | None) -> View:
    """The view of one card as Rekindle read it."""
    view: View = {name: [] for name in LISTS}
    for ident in normalise_identities(record.identities, region):
        if ident.kind in _KINDS:
            view[_KINDS[ident.kind]].append(ident.value)
    work = next(  # as Rekindle stores them: a title without an organisation is not kept
        (
            a
            for a in record.affiliations
            if a.kind == "work" and a.end is None and a.organisation.strip()
        ),
        None,
    )
    view["name"] = record.display_name() or None
    view["organisation"] = work.organisation if work and work.organisation else None
    view["title"] = work.title if work and work.title else None
    view["birthday"] = record.birthday.iso() if record.birthday else None
    view["tags"] = [t for t in record.tags if t.strip()]
    return tidy(view)


def tidy(view: View) -> View:
    """A view with every field present, lists de-duplicated and sorted."""
    out: View = {name: view.get(name) or None for name in SCALARS}
    for name in LISTS:
        out[name] = sorted(set(view.get(name) or []))
    return out


def changed_fields(base: View, now: View) -> set[str]:
    """The fields that differ; an empty baseline (never synced) counts as no change, and so
    does a field the baseline does not have (saved before that field was synced)."""
    if not base:
        return set()
    known = [name for name in FIELDS if name in base]
    base, now = tidy(base), tidy(now)
    return {name for name in known if base[name] != now[name]}


@dataclass(slots=True)
class Reconciled:
    """What to do with one card: the changes to write to it, and the fields in conflict.

    ``push`` maps a scalar field to its new value and a list field to ``(added, removed)``.
    ``conflicts`` maps a field to (Rekindle's value, the server's value).
    """

    push: dict[str, Any] = field(default_factory=dict)
    conflicts: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    #: fields the server changed (Rekindle takes them by importing the card)
    pulled: set[str] = field(default_factory=set)


def reconcile(
    card_base: View, card_now: View, person_base: View, person_now: View, prefer: str | None = None
) -> Reconciled:
    """Merge both sides' changes since the last sync; ``prefer`` ("mine" or "theirs") decides
    the conflicts, which are otherwise reported and left for the user."""
    mine = changed_fields(person_base, person_now)
    theirs = changed_fields(card_base, card_now)
    card_base, card_now = tidy(card_base), tidy(card_now)
    person_base, person_now = tidy(person_base), tidy(person_now)
    out = Reconciled(pulled=set(theirs))
    for name in sorted(mine):
        if name in LISTS:
            added = sorted(set(person_now[name]) - set(person_base[name]))
            removed = sorted(set(person_base[name]) - set(person_now[name]))
            added = [v for v in added if v not in card_now[name]]
            removed = [v for v in removed if v in card_now[name]]
            if added or removed:
                out.push[name] = (added, removed)
            continue
        if name in theirs and card_now[name] != person_now[name]:
            if prefer == "mine":
                out.push[name] = person_now[name]
            elif prefer != "theirs":
                out.conflicts[name] = (person_now[name], card_now[name])
            continue
        if card_now[name] != person_now[name]:
            out.push[name] = person_now[name]
    return out
