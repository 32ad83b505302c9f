"""vCard 3.0 export (RFC 2426): escaped text, lines folded at 75 octets, CRLF endings.

Apple Contacts, Google Contacts, Thunderbird and Nextcloud all read 3.0. A birthday without
a year is written the Apple way (``BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-15``), which they
understand and which our own parser reads back as "year unknown".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from rekindle.exporters.model import ExportPerson
from rekindle.identity.records import PartialDate

PRODID = "-//Rekindle//Rekindle export//EN"
LINE_OCTETS = 75
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def write_vcards(people: Iterable[ExportPerson], out: TextIO) -> int:
    """Write one card per person to ``out`` (open it with ``newline=""``); return the count."""
    count = 0
    for person in people:
        out.write("".join(fold_line(line) for line in card_lines(person)))
        count += 1
    return count


def card_lines(person: ExportPerson) -> list[str]:
    """The unfolded content lines of one person's card."""
    given, family = person.given_name or "", person.family_name or ""
    name = person.display_name.strip() or " ".join(p for p in (given, family) if p)
    if not name:
        name = next(iter(person.emails + person.phones + person.urls), "") or "Unnamed"
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"PRODID:{PRODID}", f"UID:rekindle-person-{person.id}"]
    lines.append("FN:" + escape_text(name))
    lines.append("N:" + ";".join(escape_text(p) for p in (family, given, "", "", "")))
    if person.organisation:
        lines.append("ORG:" + escape_text(person.organisation))
    if person.title:
        lines.append("TITLE:" + escape_text(person.title))
    lines += ["EMAIL;TYPE=INTERNET:" + escape_text(e) for e in person.emails if e.strip()]
    lines += ["TEL:" + escape_text(p) for p in person.phones if p.strip()]
    lines += ["URL:" + _single_line(u) for u in person.urls if u.strip()]
    if person.birthday:
        lines.append(format_birthday(person.birthday))
    tags = [escape_text(t) for t in person.tags if t.strip()]
    if tags:
        lines.append("CATEGORIES:" + ",".join(tags))
    if person.note and person.note.strip():
        lines.append("NOTE:" + escape_text(person.note))
    lines.append("END:VCARD")
    return lines


def format_birthday(birthday: PartialDate) -> str:
    if birthday.year is None:
        return f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{birthday.month:02d}-{birthday.day:02d}"
    return f"BDAY:{birthday.iso()}"


def escape_text(text: str) -> str:
    r"""A TEXT value: ``\`` ``,`` ``;`` and newlines escaped, other control characters dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _single_line(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r", " ").replace("\n", " ").replace("\t", " "))


def fold_line(line: str, limit: int = LINE_OCTETS) -> str:
    """``line`` plus CRLF, folded so no physical line exceeds ``limit`` UTF-8 octets.

    Continuation lines start with one space; a multi-byte character is never split.
    """
    if len(line.encode("utf-8")) <= limit:
        return line + "\r\n"
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
