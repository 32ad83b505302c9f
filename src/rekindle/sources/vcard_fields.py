"""What a vCard's properties mean: one card's properties to a :class:`ContactRecord`.

Apple ``itemN.X-ABLabel`` labels win over TYPE parameters; identity values stay as written
(normalisation happens later); a group card becomes a notice, not a person.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from rekindle.identity.records import (
    AddressRecord,
    AffiliationRecord,
    ContactRecord,
    IdentityKind,
    NoticeRecord,
    RawIdentity,
    RecordError,
)
from rekindle.sources.base import ImportOptions
from rekindle.sources.vcard_labels import (
    ANNIVERSARY_PROPERTIES,
    IM_PROPERTIES,
    KDE_MESSAGING,
    KNOWN_SERVICES,
    NOISE_TYPES,
    PHONETIC,
    RELATED_PROPERTIES,
    SYSTEM_TAGS,
    URI_SERVICES,
    normalise_service,
    parse_label,
    type_label,
)
from rekindle.sources.vcard_lines import wide_encoding
from rekindle.sources.vcard_values import (
    Property,
    decode_binary,
    decode_value,
    parse_partial_date,
    split_escaped,
    unescape,
)

SOURCE = "vcard"
NO_CONTENT = "card has no name, address or organisation"

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(.*)", re.DOTALL)
_WEB = re.compile(r"https?://", re.IGNORECASE)


@dataclass
class _Card:
    """The record being built and what is only known once every property is seen."""

    record: ContactRecord
    options: ImportOptions
    labels: dict[str, str]
    charset: str | None = None
    kind: str | None = None
    uid: str | None = None
    apple_uid: str | None = None
    has_n: bool = False
    members: int = 0
    nicknames: list[str] = field(default_factory=list)
    orgs: list[list[str]] = field(default_factory=list)
    #: each ORG's stint as our own export writes it: (kind, start, end)
    stints: list[tuple[str | None, date | None, date | None]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    labels_text: list[tuple[str | None, str]] = field(default_factory=list)
    seen: dict[tuple[str, str | None, str], RawIdentity] = field(default_factory=dict)

    def text(self, prop: Property) -> str:
        return decode_value(prop, self.charset)

    def value(self, prop: Property) -> str:
        return unescape(self.text(prop)).strip()

    def label(self, prop: Property) -> str | None:
        if prop.group and prop.group in self.labels:
            return self.labels[prop.group]
        return type_label([t for t in prop.types if t.lower() not in KNOWN_SERVICES])

    def identity(
        self,
        kind: IdentityKind,
        value: str,
        prop: Property,
        service: str | None = None,
        *,
        typed: bool = True,
    ) -> None:
        """Add an identity once; ``typed=False`` takes no label from TYPE parameters."""
        value = value.strip()
        if not value:
            return
        key = (kind, service, value.casefold())
        label = self.label(prop) if typed else self.labels.get(prop.group or "")
        known = self.seen.get(key)
        if known is not None:
            known.preferred = known.preferred or prop.is_preferred()
            known.label = known.label or label
            return
        ident = RawIdentity(kind, value, label, service, prop.is_preferred())
        self.seen[key] = ident
        self.record.identities.append(ident)

    def extra(self, key: str, value: str) -> None:
        if value and key not in self.record.extra:
            self.record.extra[key] = value


def parse_card(
    props: list[Property], *, locator: str, payload: str, options: ImportOptions
) -> ContactRecord | NoticeRecord | RecordError:
    """One card's properties as a contact, a notice (group card) or an error (no content)."""
    # a forced UTF-16/32 encoding was undone when the file was read; values are UTF-8 now
    charset = None if wide_encoding(b"", options.encoding) else options.encoding
    labels: dict[str, str] = {}
    for prop in props:
        if prop.name == "X-ABLABEL" and prop.group and prop.group not in labels:
            label = parse_label(decode_value(prop, charset))
            if label:
                labels[prop.group] = label
    record = ContactRecord(source=SOURCE, locator=locator, payload=payload)
    card = _Card(record, options, labels, charset)
    for prop in props:
        handler = _HANDLERS.get(prop.name)
        if handler is not None:
            handler(card, prop)
        elif prop.name in IM_PROPERTIES:
            _add_im(card, prop, IM_PROPERTIES[prop.name])
        elif prop.name in RELATED_PROPERTIES:
            _add_related(card, RELATED_PROPERTIES[prop.name], card.value(prop))
        elif prop.name in ANNIVERSARY_PROPERTIES:
            _set_date(card, prop, "anniversary")
        elif prop.name in PHONETIC:
            card.extra(PHONETIC[prop.name], card.value(prop))
        elif match := KDE_MESSAGING.fullmatch(prop.name):
            _add_im(card, prop, normalise_service(match.group(1)))
    return _finish(card, locator)


def _finish(card: _Card, locator: str) -> ContactRecord | NoticeRecord | RecordError:
    record = card.record
    if card.kind == "group":
        name = record.full_name or "unnamed"
        return NoticeRecord(
            SOURCE, locator, f"contact group {name!r} ({card.members} members) skipped"
        )
    for index, components in enumerate(card.orgs):
        title = card.titles[index] if index < len(card.titles) else None
        organisation, *departments = [c for c in components if c]
        kind, start, end = card.stints[index]
        record.affiliations.append(
            AffiliationRecord(
                organisation,
                title,
                "; ".join(departments) or None,
                start,
                end,
                "school" if kind == "school" else "work",
            )
        )
    if not card.orgs and card.titles:
        card.extra("title", card.titles[0])
    for label, text in card.labels_text:
        _attach_label(record, label, text)
    record.nickname = ", ".join(dict.fromkeys(card.nicknames)) or None
    record.note = "\n\n".join(card.notes) or None
    record.source_id = card.uid or card.apple_uid
    if card.kind in ("org", "organization"):
        record.is_organisation = True
    elif card.kind and card.kind != "individual":
        card.extra("kind", card.kind)
    named = (record.full_name, record.given_name, record.family_name, record.middle_name)
    if not (any(named) or record.nickname or record.identities or record.affiliations):
        return RecordError(SOURCE, locator, NO_CONTENT)
    return record


def _attach_label(record: ContactRecord, label: str | None, text: str) -> None:
    for address in record.addresses:
        if address.formatted is None and address.label == label:
            address.formatted = text
            return
    if not any(address.label == label for address in record.addresses):
        record.addresses.append(AddressRecord(label=label, formatted=text))


# --- handlers -----------------------------------------------------------------------------


def _components(text: str, joiner: str = " ") -> list[str]:
    """Structured value components, unescaped; a component's comma list joined by ``joiner``."""
    parts = []
    for component in split_escaped(text, ";"):
        items = (unescape(item).strip() for item in split_escaped(component, ","))
        parts.append(joiner.join(item for item in items if item))
    return parts


def _fn(card: _Card, prop: Property) -> None:
    if card.record.full_name is None:
        card.record.full_name = card.value(prop) or None


def _n(card: _Card, prop: Property) -> None:
    parts = _components(card.text(prop))
    if card.has_n or not any(parts):
        return
    card.has_n = True
    family, given, middle, prefix, suffix = (parts + [""] * 5)[:5]
    record = card.record
    record.family_name, record.given_name, record.middle_name = (
        family or None,
        given or None,
        middle or None,
    )
    record.prefix, record.suffix = prefix or None, suffix or None


def _nickname(card: _Card, prop: Property) -> None:
    items = (unescape(item).strip() for item in split_escaped(card.text(prop), ","))
    card.nicknames.extend(item for item in items if item)


def _email(card: _Card, prop: Property) -> None:
    card.identity("email", card.value(prop), prop)


def _tel(card: _Card, prop: Property) -> None:
    value = card.value(prop)
    if value[:4].lower() == "tel:":
        value = value[4:]
    card.identity("phone", value, prop)


def _url(card: _Card, prop: Property) -> None:
    card.identity("url", card.value(prop), prop)


def _social(card: _Card, prop: Property) -> None:
    value = card.value(prop)
    typed = [t for t in prop.types if t.lower() not in NOISE_TYPES]
    service = normalise_service(prop.param("X-SERVICE-TYPE") or (typed[0] if typed else None))
    if value.lower().startswith("x-apple:"):
        card.identity("handle", prop.param("X-USER") or value[8:], prop, service, typed=False)
    else:
        kind: IdentityKind = "url" if _WEB.match(value) or _bare_web(value) else "handle"
        card.identity(kind, value, prop, service, typed=False)


def _bare_web(value: str) -> bool:
    """A profile address written without its scheme: ``linkedin.com/in/ana``."""
    host, slash, path = value.partition("/")
    tld = host.rpartition(".")[2]
    return bool(slash and path.strip() and "." in host and " " not in host) and (
        len(tld) >= 2 and tld.isascii() and tld.isalpha()
    )


def _impp(card: _Card, prop: Property) -> None:
    _add_im(card, prop, None)


def _add_im(card: _Card, prop: Property, service: str | None) -> None:
    value = card.value(prop)
    match = _SCHEME.fullmatch(value)
    if match and match.group(1).lower() in URI_SERVICES:
        service = URI_SERVICES[match.group(1).lower()] or service
        value = match.group(2).lstrip("/")
    if service is None:
        declared = prop.param("X-SERVICE-TYPE")
        known = [t.lower() for t in prop.types if t.lower() in KNOWN_SERVICES]
        service = normalise_service(declared or (known[0] if known else None))
    card.identity("handle", value, prop, service)


def _adr(card: _Card, prop: Property) -> None:
    raw = split_escaped(card.text(prop), ";")
    parts = _components(";".join(raw[:7]), ", ") + [""] * 7
    pobox, extended, street, city, region, postcode, country = (p or None for p in parts[:7])
    formatted = prop.param("LABEL") or unescape(";".join(raw[7:])).strip() or None
    lines = ", ".join(p for p in (street, extended, pobox) if p) or None
    if not any((lines, city, region, postcode, country, formatted)):
        return
    card.record.addresses.append(
        AddressRecord(card.label(prop), lines, city, region, postcode, country, formatted)
    )


def _label(card: _Card, prop: Property) -> None:
    text = card.value(prop)
    if text:
        card.labels_text.append((card.label(prop), text))


def _org(card: _Card, prop: Property) -> None:
    components = [unescape(c).strip() for c in split_escaped(card.text(prop), ";")]
    if any(components):
        card.orgs.append(components)
        kind = (prop.param("X-REKINDLE-KIND") or "").strip().lower() or None
        card.stints.append((kind, _iso_date(prop, "START"), _iso_date(prop, "END")))


def _iso_date(prop: Property, which: str) -> date | None:
    """An ORG's ``X-REKINDLE-START``/``-END`` parameter (our own export's stint dates)."""
    text = (prop.param(f"X-REKINDLE-{which}") or "").strip()
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _title(card: _Card, prop: Property) -> None:
    if title := card.value(prop):
        card.titles.append(title)


def _note(card: _Card, prop: Property) -> None:
    if note := card.value(prop):
        card.notes.append(note)


def _categories(card: _Card, prop: Property) -> None:
    tags = card.record.tags
    for item in split_escaped(card.text(prop), ","):
        tag = unescape(item).strip()
        if tag and tag.casefold().replace(" ", "") not in SYSTEM_TAGS and tag not in tags:
            tags.append(tag)


def _set_date(card: _Card, prop: Property, what: str) -> None:
    text = card.value(prop)
    value_type = (prop.param("VALUE") or "").lower()
    parsed = (
        None if value_type == "text" else parse_partial_date(text, prop.param("X-APPLE-OMIT-YEAR"))
    )
    if parsed is None:
        card.extra(what, text)
    elif what == "birthday" and card.record.birthday is None:
        card.record.birthday = parsed
    elif what == "anniversary" and card.record.anniversary is None:
        card.record.anniversary = parsed


def _bday(card: _Card, prop: Property) -> None:
    _set_date(card, prop, "birthday")


def _abdate(card: _Card, prop: Property) -> None:
    label = card.labels.get(prop.group or "")
    if label and label.lower() == "anniversary":
        _set_date(card, prop, "anniversary")
        return
    parsed = parse_partial_date(card.value(prop))
    card.extra(f"date:{label or 'other'}", parsed.iso() if parsed else card.value(prop))


def _add_related(card: _Card, label: str, name: str) -> None:
    if name.lower().startswith("mailto:"):
        name = name[7:]
    if name and (label, name) not in card.record.related:
        card.record.related.append((label, name))


def _related(card: _Card, prop: Property) -> None:
    typed = [t.lower() for t in prop.types if t.lower() not in NOISE_TYPES]
    _add_related(card, typed[0] if typed else "related", card.value(prop))


def _related_names(card: _Card, prop: Property) -> None:
    _add_related(card, card.labels.get(prop.group or "") or "related", card.value(prop))


def _photo(card: _Card, prop: Property) -> None:
    head = prop.value[:8].strip().lower()
    if head.startswith((b"http:", b"https:")):
        card.extra("photo_url", card.value(prop))
    elif card.options.keep_photos and card.record.photo is None:
        card.record.photo = decode_binary(prop)


def _uid(card: _Card, prop: Property) -> None:
    card.uid = card.uid or card.value(prop) or None


def _apple_uid(card: _Card, prop: Property) -> None:
    card.apple_uid = card.apple_uid or card.value(prop) or None


def _kind(card: _Card, prop: Property) -> None:
    card.kind = card.kind or card.value(prop).lower() or None


def _member(card: _Card, prop: Property) -> None:
    card.members += 1


def _show_as(card: _Card, prop: Property) -> None:
    if card.value(prop).upper() == "COMPANY":
        card.record.is_organisation = True


def _role(card: _Card, prop: Property) -> None:
    card.extra("role", card.value(prop))


def _rekindle_extra(card: _Card, prop: Property) -> None:
    """What our own export keeps that vCard has no property for (``X-KEY`` names it)."""
    key = (prop.param("X-KEY") or "").strip()
    if key:
        card.extra(key, card.value(prop))


def _connected(card: _Card, prop: Property) -> None:
    """When you connected (our own export of a LinkedIn connection)."""
    try:
        card.record.connected_on = date.fromisoformat(card.value(prop))
    except ValueError:
        card.extra("connected_on", card.value(prop))


def _gender(card: _Card, prop: Property) -> None:
    card.extra("gender", _components(card.text(prop))[0])


_HANDLERS: dict[str, Callable[[_Card, Property], None]] = {
    "FN": _fn,
    "N": _n,
    "NICKNAME": _nickname,
    "EMAIL": _email,
    "TEL": _tel,
    "URL": _url,
    "X-SOCIALPROFILE": _social,
    "IMPP": _impp,
    "ADR": _adr,
    "LABEL": _label,
    "ORG": _org,
    "TITLE": _title,
    "ROLE": _role,
    "NOTE": _note,
    "CATEGORIES": _categories,
    "BDAY": _bday,
    "X-ABDATE": _abdate,
    "RELATED": _related,
    "X-ABRELATEDNAMES": _related_names,
    "PHOTO": _photo,
    "X-MS-CARDPICTURE": _photo,
    "UID": _uid,
    "X-ABUID": _apple_uid,
    "KIND": _kind,
    "X-ADDRESSBOOKSERVER-KIND": _kind,
    "MEMBER": _member,
    "X-ADDRESSBOOKSERVER-MEMBER": _member,
    "X-ABSHOWAS": _show_as,
    "GENDER": _gender,
    "X-REKINDLE-EXTRA": _rekindle_extra,
    "X-REKINDLE-CONNECTED": _connected,
}
