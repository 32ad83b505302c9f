"""vCard export, 4.0 (RFC 6350) by default or 3.0 (RFC 2426) on request: escaped text, lines
folded at 75 octets, CRLF endings.

Nothing a contact import keeps is lost: every address or number with its type label (``TYPE``
when the label is made of type words, else Apple's ``itemN.X-ABLabel``, which Apple, Google,
Nextcloud and our own reader understand), IM handles and social profiles with their service,
postal addresses, the birthday and the anniversary (a missing year written ``--MMDD`` in 4.0
and the Apple way, ``X-APPLE-OMIT-YEAR=1604``, in 3.0), related people, the photo, every
organisation with its title, and the fields other tools keep (phonetic names, gender, role,
other dates). What vCard has no property for goes in ``X-REKINDLE-EXTRA;X-KEY=…``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

from rekindle.exporters.model import ExportPerson
from rekindle.identity.records import AddressRecord, AffiliationRecord, PartialDate, RawIdentity
from rekindle.sources.vcard_labels import (
    LABEL_TYPES,
    PHONETIC,
    RELATED_PROPERTIES,
    URI_SERVICES,
    type_label,
)

PRODID = "-//Rekindle//Rekindle export//EN"
VERSIONS = ("4.0", "3.0")
LINE_OCTETS = 75
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: RFC 6350 RELATED types; other relations are written as Apple's labelled related names
_RELATED_TYPES = frozenset(
    {"contact", "acquaintance", "friend", "met", "co-worker", "colleague", "co-resident"}
    | {"neighbor", "child", "parent", "sibling", "spouse", "kin", "muse", "crush", "date"}
    | {"sweetheart", "me", "agent", "emergency"}
)
_RELATED_URI = re.compile(r"(?:urn:[a-z0-9][a-z0-9-]{0,31}:|mailto:|https?://)\S+\Z", re.I)
_EMAIL = re.compile(r"[^\s@,;:<>]{1,64}@[^\s@,;:<>]{1,255}\.[a-z]{2,63}\Z", re.I)
_SCHEME_OF = {service: scheme for scheme, service in reversed(URI_SERVICES.items()) if service}
_PHONETIC_PROPERTY = {key: prop for prop, key in PHONETIC.items()}
#: extra keys written as their own property (the rest as X-REKINDLE-EXTRA)
_OWN_PROPERTY_EXTRAS = frozenset(
    {"title", "role", "gender", "kind", "birthday", "anniversary", "photo_url", *PHONETIC.values()}
)
_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF8", "GIF"),
    (b"BM", "BMP"),
)


def write_vcards(people: Iterable[ExportPerson], out: TextIO, version: str = "4.0") -> int:
    """Write one card per person to ``out`` (open it with ``newline=""``); return the count."""
    if version not in VERSIONS:
        raise ValueError(f"vCard version {version!r}: choose one of {', '.join(VERSIONS)}")
    count = 0
    for person in people:
        out.write("".join(fold_line(line) for line in card_lines(person, version)))
        count += 1
    return count


@dataclass
class _Card:
    """The lines of one card being written and its counter of Apple label groups."""

    version: str
    lines: list[str] = field(default_factory=list)
    groups: int = 0

    @property
    def v4(self) -> bool:
        return self.version == "4.0"

    def add(self, name: str, value: str, params: str = "") -> None:
        self.lines.append(f"{name}{params}:{value}")

    def labelled(self, name: str, value: str, label: str | None, params: str = "") -> None:
        """A property with its label: as TYPE when it is made of type words, else grouped."""
        if not label:
            self.add(name, value, params)
        elif (types := as_types(label)) is not None:
            self.add(name, value, f";TYPE={','.join(types)}{params}")
        else:
            self.grouped(name, value, label, params)

    def grouped(self, name: str, value: str, label: str, params: str = "") -> None:
        self.groups += 1
        group = f"item{self.groups}"
        self.add(f"{group}.{name}", value, params)
        self.add(f"{group}.X-ABLabel", escape_text(label))


def as_types(label: str) -> list[str] | None:
    """``work fax`` -> ``["work", "fax"]``; None when the label is not made of type words."""
    words = label.split(" ")
    if all(w in LABEL_TYPES for w in words) and type_label(words) == label:
        return words
    return None


def card_lines(person: ExportPerson, version: str = "4.0") -> list[str]:
    """The unfolded content lines of one person's card."""
    card = _Card(version)
    card.add("BEGIN", "VCARD")
    card.add("VERSION", version)
    card.add("PRODID", PRODID)
    card.add("UID", f"rekindle-person-{person.id}")
    _kind(card, person)
    _names(card, person)
    _work(card, person)
    for ident in person.identities:
        _identity(card, ident)
    for address in person.addresses:
        _address(card, address)
    _dates(card, person)
    for label, name in person.related:
        _related(card, label, name)
    _photo(card, person)
    _extras(card, person.extra)
    tags = [escape_text(t) for t in person.tags if t.strip()]
    if tags:
        card.add("CATEGORIES", ",".join(tags))
    if person.note and person.note.strip():
        card.add("NOTE", escape_text(person.note))
    card.add("END", "VCARD")
    return card.lines


def _kind(card: _Card, person: ExportPerson) -> None:
    kind = "org" if person.is_organisation else person.extra.get("kind")
    if kind and card.v4:
        card.add("KIND", escape_text(kind))
    elif person.is_organisation:
        card.add("X-ABShowAs", "COMPANY")
    elif kind:
        card.add("X-ADDRESSBOOKSERVER-KIND", escape_text(kind))


def _names(card: _Card, person: ExportPerson) -> None:
    given, family = person.given_name or "", person.family_name or ""
    name = person.display_name.strip() or " ".join(p for p in (given, family) if p)
    if not name:
        name = next(iter(person.values("email") + person.values("phone")), "") or "Unnamed"
    card.add("FN", escape_text(name))
    parts = (family, given, person.middle_name, person.prefix, person.suffix)
    card.add("N", ";".join(escape_text(p or "") for p in parts))
    if person.nickname:
        card.add("NICKNAME", ",".join(escape_text(n) for n in person.nickname.split(", ")))
    for key, prop in _PHONETIC_PROPERTY.items():
        if person.extra.get(key):
            card.add(prop, escape_text(person.extra[key]))


def _work(card: _Card, person: ExportPerson) -> None:
    """ORG and TITLE lines; those with a title first, as readers pair the n-th of each."""
    titled = [a for a in person.affiliations if a.title]
    for aff in titled + [a for a in person.affiliations if not a.title]:
        departments = aff.department.split("; ") if aff.department else []
        card.add(
            "ORG", ";".join(escape_text(p) for p in [aff.organisation, *departments]), _stint(aff)
        )
    for aff in titled:
        card.add("TITLE", escape_text(aff.title or ""))
    if not person.affiliations and person.extra.get("title"):
        card.add("TITLE", escape_text(person.extra["title"]))
    if person.extra.get("role"):
        card.add("ROLE", escape_text(person.extra["role"]))


def _stint(aff: AffiliationRecord) -> str:
    """A school, and a stint's dates, as parameters other readers skip and ours reads."""
    params = ";X-REKINDLE-KIND=school" if aff.kind == "school" else ""
    if aff.start:
        params += f";X-REKINDLE-START={aff.start.isoformat()}"
    if aff.end:
        params += f";X-REKINDLE-END={aff.end.isoformat()}"
    return params


def _identity(card: _Card, ident: RawIdentity) -> None:
    pref = (";PREF=1" if card.v4 else ";TYPE=pref") if ident.preferred else ""
    if ident.kind == "email":
        card.labelled("EMAIL", escape_text(ident.value), ident.label, pref)
    elif ident.kind == "phone":
        card.labelled("TEL", escape_text(ident.value), ident.label, pref)
    elif ident.kind == "url" and ident.service in (None, "", "web"):  # a website, not a profile
        card.labelled("URL", single_line(ident.value), ident.label, pref)
    elif ident.kind == "url":
        params = f';X-SERVICE-TYPE="{param_text(ident.service or "")}"{pref}'
        if ident.label:
            card.grouped("X-SOCIALPROFILE", single_line(ident.value), ident.label, params)
        else:
            card.add("X-SOCIALPROFILE", single_line(ident.value), params)
    else:
        scheme = _SCHEME_OF.get(ident.service or "", "im")
        params = f';X-SERVICE-TYPE="{param_text(ident.service)}"' if ident.service else ""
        card.labelled("IMPP", f"{scheme}:{escape_text(ident.value)}", ident.label, params + pref)


def _address(card: _Card, address: AddressRecord) -> None:
    parts = ("", "", address.street, address.city, address.region, address.postcode)
    value = ";".join(escape_text(p or "") for p in (*parts, address.country))
    has_parts = any(p for p in (*parts, address.country))
    if card.v4:
        label = f';LABEL="{param_text(address.formatted)}"' if address.formatted else ""
        card.labelled("ADR", value, address.label, label)
        return
    if has_parts:
        card.labelled("ADR", value, address.label)
    if address.formatted:
        card.labelled("LABEL", escape_text(address.formatted), address.label)


def _dates(card: _Card, person: ExportPerson) -> None:
    anniversary = "ANNIVERSARY" if card.v4 else "X-ANNIVERSARY"
    for prop, value, text in (
        ("BDAY", person.birthday, person.extra.get("birthday")),
        (anniversary, person.anniversary, person.extra.get("anniversary")),
    ):
        if value is not None:
            card.lines.append(format_date(prop, value, card.v4))
        if text:
            card.add(prop, escape_text(text), ";VALUE=text")
    for key, text in person.extra.items():
        if key.startswith("date:"):
            card.grouped("X-ABDATE", escape_text(text), key[5:])
    if person.connected_on:
        card.add("X-REKINDLE-CONNECTED", person.connected_on.isoformat())


def format_date(prop: str, value: PartialDate, v4: bool = True) -> str:
    if value.year is not None:
        return f"{prop}:{value.iso()}"
    if v4:
        return f"{prop}:--{value.month:02d}{value.day:02d}"
    return f"{prop};X-APPLE-OMIT-YEAR=1604:1604-{value.month:02d}-{value.day:02d}"


def _related(card: _Card, label: str, name: str) -> None:
    if card.v4 and (label in _RELATED_TYPES or label == "related"):
        types = f";TYPE={label}" if label != "related" else ""
        if uri := related_uri(name):
            card.add("RELATED", uri, types)
        else:
            card.add("RELATED", escape_text(name), f"{types};VALUE=text")
    elif label in RELATED_PROPERTIES.values() and not card.v4:
        card.add(f"X-{label.upper()}", escape_text(name))
    else:
        card.grouped("X-ABRELATEDNAMES", escape_text(name), label)


def related_uri(name: str) -> str | None:
    """A related person given by a URI (``urn:uuid:…``, ``http(s)://…``, an e-mail address as
    ``mailto:…``) as RELATED's default URI value; None for a plain name."""
    name = name.strip()
    if _RELATED_URI.match(name):
        return single_line(name)
    if _EMAIL.match(name):
        return f"mailto:{name}"
    return None


def _photo(card: _Card, person: ExportPerson) -> None:
    if person.photo:
        kind = image_type(person.photo)
        data = base64.b64encode(person.photo).decode("ascii")
        if card.v4:
            media = f"image/{kind.lower()}" if kind else "application/octet-stream"
            card.add("PHOTO", f"data:{media};base64,{data}")
        else:
            card.add("PHOTO", data, ";ENCODING=b" + (f";TYPE={kind}" if kind else ""))
    if url := person.extra.get("photo_url"):
        card.add("PHOTO", single_line(url), ";VALUE=uri" if card.v4 else ";VALUE=URI")


def image_type(data: bytes) -> str | None:
    """JPEG, PNG, GIF or BMP from the first bytes; None for anything else."""
    for magic, kind in _IMAGE_MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _extras(card: _Card, extra: dict[str, str]) -> None:
    if extra.get("gender"):
        card.add("GENDER", escape_text(extra["gender"]))  # 3.0 readers skip what they lack
    for key, text in extra.items():
        if key not in _OWN_PROPERTY_EXTRAS and not key.startswith("date:") and text:
            card.add("X-REKINDLE-EXTRA", escape_text(text), f';X-KEY="{param_text(key)}"')


def escape_text(text: str) -> str:
    r"""A TEXT value: ``\`` ``,`` ``;`` and newlines escaped, other control characters dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def param_text(text: str) -> str:
    """A quoted parameter value's content, with RFC 6868 escapes (``^n``, ``^^``, ``^'``)."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("^", "^^").replace("\n", "^n").replace('"', "^'")


def single_line(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r", " ").replace("\n", " ").replace("\t", " "))


def fold_line(line: str, limit: int = LINE_OCTETS) -> str:
    """``line`` plus CRLF, folded so no physical line exceeds ``limit`` UTF-8 octets.

    Continuation lines start with one space; a multi-byte character is never split.
    """
    if len(line.encode("utf-8")) <= limit:
        return line + "\r\n"
    if line.isascii():  # photos: thousands of characters, cut without a loop per character
        first, rest = line[:limit], line[limit:]
        step = limit - 1
        pieces = [first] + [rest[i : i + step] for i in range(0, len(rest), step)]
        return "\r\n ".join(pieces) + "\r\n"
    chunks: list[str] = []
    current: list[str] = []
    size, room = 0, limit
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > room:
            chunks.append("".join(current))
            current, size, room = [], 0, limit - 1
        current.append(char)
        size += width
    chunks.append("".join(current))
    return "\r\n ".join(chunks) + "\r\n"
