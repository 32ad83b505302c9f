"""Write Rekindle's changes into a card the server already has, leaving the rest as it was.

Two-way sync must not flatten a phone's card into Rekindle's export: photos, addresses,
labels, X- properties and the TYPE of every address that stays are kept line for line. Only
the fields that changed (see :mod:`rekindle.identity.card_views`) are replaced, added or
removed. The card is read by the vCard importer's own line and property layers.
"""

from __future__ import annotations

import io
from typing import Any

from rekindle.exporters.vcard import escape_text, fold_line, format_date
from rekindle.identity.identifiers import normalise_identities
from rekindle.identity.records import IdentityKind, PartialDate, RawIdentity
from rekindle.sources.vcard_lines import (
    FrameStats,
    RawCard,
    frame_cards,
    iter_blocks,
    iter_physical_lines,
    unfold,
)
from rekindle.sources.vcard_values import (
    Property,
    decode_value,
    parse_property,
    split_escaped,
    unescape,
)

_SINGLE = {"organisation": ("ORG",), "title": ("TITLE",), "birthday": ("BDAY",)}
_LISTS: dict[str, tuple[str, IdentityKind, str]] = {
    "emails": ("EMAIL", "email", "EMAIL;TYPE=INTERNET:"),
    "phones": ("TEL", "phone", "TEL:"),
    "urls": ("URL", "url", "URL:"),
}


class CardPatchError(ValueError):
    """The server's card could not be read as one vCard."""


def read_card(text: str) -> tuple[RawCard, list[Property]]:
    cards = [
        c
        for c in frame_cards(
            iter_physical_lines(iter_blocks(io.BytesIO(text.encode("utf-8")))), FrameStats()
        )
        if isinstance(c, RawCard)
    ]
    if len(cards) != 1 or cards[0].oversized or not cards[0].ended:
        raise CardPatchError("the server's card is not one complete vCard")
    card = cards[0]
    return card, [p for p in map(parse_property, unfold(card.lines)) if p is not None]


def patch_card(text: str, push: dict[str, Any], region: str | None = None) -> str:
    """``text`` with the changes of ``push`` (see ``card_views.Reconciled.push``) applied."""
    card, props = read_card(text)
    v4 = any(p.name == "VERSION" and decode_value(p).strip() == "4.0" for p in props)
    drop: set[int] = set()
    add: list[str] = []

    def drop_props(*names: str) -> None:
        for prop in props:
            if prop.name in names:
                drop.update(range(prop.first, prop.last + 1))

    for name, value in push.items():
        if name == "name":
            drop_props("FN", "N")
            add += _name_lines(value)
        elif name in _SINGLE:
            drop_props(*_SINGLE[name])
            if value:
                add.append(_single_line(name, value, v4))
        elif name in _LISTS:
            prop_name, kind, prefix = _LISTS[name]
            added, removed = value
            for prop in props:
                if prop.name == prop_name and _normalised(prop, kind, region) in set(removed):
                    drop.update(range(prop.first, prop.last + 1))
            add += [prefix + escape_text(v) for v in added]
        elif name == "tags":
            drop_props("CATEGORIES")
            if line := _categories_line(props, *value):
                add.append(line)
    lines = [ln.data.decode("utf-8", "replace") for i, ln in enumerate(card.lines) if i not in drop]
    end = lines.pop()  # END:VCARD
    body = [ln + "\r\n" for ln in lines] + [fold_line(ln) for ln in add] + [end + "\r\n"]
    return "".join(body)


def _categories_line(props: list[Property], added: list[str], removed: list[str]) -> str | None:
    """The card's categories as one line, with ``added`` and without ``removed``; any the
    sync does not show (a server's own, such as Google's "myContacts") stay."""
    gone = set(removed)
    tags: list[str] = []
    for prop in props:
        if prop.name == "CATEGORIES":
            for item in split_escaped(decode_value(prop), ","):
                tag = unescape(item).strip()
                if tag and tag not in gone and tag not in tags:
                    tags.append(tag)
    tags += [t for t in added if t not in tags]
    return "CATEGORIES:" + ",".join(escape_text(t) for t in tags) if tags else None


def _name_lines(name: str | None) -> list[str]:
    name = (name or "").strip() or "Unnamed"
    given, _, family = name.rpartition(" ")
    if not given:
        given, family = family, ""
    return ["FN:" + escape_text(name), f"N:{escape_text(family)};{escape_text(given)};;;"]


def _single_line(name: str, value: str, v4: bool) -> str:
    if name == "birthday":
        return format_date("BDAY", PartialDate.from_iso(value), v4)
    return ("ORG:" if name == "organisation" else "TITLE:") + escape_text(value)


def _normalised(prop: Property, kind: IdentityKind, region: str | None) -> str | None:
    text = unescape(decode_value(prop)).strip()
    if kind == "email" and text.lower().startswith("mailto:"):
        text = text[7:]
    if kind == "phone" and text.lower().startswith("tel:"):
        text = text[4:]
    found = normalise_identities([RawIdentity(kind, text)], region)
    return found[0].value if found else None
