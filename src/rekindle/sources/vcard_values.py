"""vCard properties and values: parameters, charsets, quoted-printable, escapes.

A :class:`Property` keeps its value as bytes until a caller decodes it, because the charset
is a per-property parameter in vCard 2.1 and many files mix encodings.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote_to_bytes

from rekindle.identity.records import PartialDate
from rekindle.sources.vcard_lines import LogicalLine, PhysicalLine

_NAME = re.compile(r"[A-Z0-9_/-]+")
_BARE_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})
_CARET = re.compile(r"\^([n^'])")
_CARET_MAP = {"n": "\n", "^": "^", "'": '"'}
_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_NO_YEAR_DATE = re.compile(r"--(\d{2})-?(\d{2})")
_WHITESPACE = re.compile(rb"\s+")
_ASCII = bytes(range(128))
_BASE64 = re.compile(rb"[A-Za-z0-9+/]*")
#: Apple and CardBook write a birthday without a year as year 1604
UNKNOWN_YEAR = 1604


@dataclass(slots=True)
class Property:
    name: str
    group: str | None
    params: dict[str, list[str]]
    value: bytes
    first: int
    last: int

    def param(self, key: str) -> str | None:
        values = self.params.get(key)
        return values[0] if values else None

    @property
    def types(self) -> list[str]:
        return self.params.get("TYPE", [])

    def type_set(self) -> set[str]:
        return {t.lower() for t in self.types}

    @property
    def encoding(self) -> str | None:
        value = self.param("ENCODING")
        return value.upper() if value else None

    def is_preferred(self) -> bool:
        return "pref" in self.type_set() or self.param("PREF") == "1"


# --- properties ---------------------------------------------------------------------------


def parse_property(line: LogicalLine) -> Property | None:
    """``[group.]NAME[;param…]:value`` as a :class:`Property`, or None for a non-property."""
    data = line.data.strip(b" \t")
    colon = _find_unquoted_colon(data)
    if colon < 0:
        colon = data.find(b":")
    if colon <= 0:
        return None
    header = data[:colon]
    pieces = _split_unquoted(header, b";")
    name_part = pieces[0].strip()
    names = name_part.decode("ascii", errors="replace").split(".")
    name = names[-1].upper()
    if not _NAME.fullmatch(name):
        return None
    group = ".".join(names[:-1]).lower() or None
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        text = decode_bytes(piece).strip()
        if not text:
            continue
        if "=" in text:
            key, raw = text.split("=", 1)
            key = key.strip().upper()
        else:
            raw = text
            key = "ENCODING" if text.upper() in _BARE_ENCODINGS else "TYPE"
        if not key:
            continue
        params.setdefault(key, []).extend(_param_values(key, raw))
    return Property(name, group, params, data[colon + 1 :], line.first, line.last)


def _param_values(key: str, raw: str) -> list[str]:
    if key != "TYPE":
        return [_caret_decode(_unquote(raw.strip()))]
    values = (v.strip() for v in raw.replace('"', "").split(","))
    return [_caret_decode(v) for v in values if v]


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1]
    return text.strip('"')


def _caret_decode(text: str) -> str:
    """RFC 6868 parameter escapes: ``^n`` newline, ``^^`` caret, ``^'`` double quote."""
    return _CARET.sub(lambda m: _CARET_MAP[m.group(1)], text) if "^" in text else text


def _find_unquoted_colon(data: bytes) -> int:
    """The first ``:`` outside double quotes, or -1 (also for an unbalanced quote)."""
    pos = 0
    while True:
        colon = data.find(b":", pos)
        if colon < 0 or data.count(b'"', 0, colon) % 2 == 0:
            return colon
        close = data.find(b'"', colon)
        if close < 0:
            return -1
        pos = close + 1


def _split_unquoted(data: bytes, sep: bytes) -> list[bytes]:
    if b'"' not in data:
        return data.split(sep)
    pieces: list[bytes] = []
    quoted = False
    start = 0
    for index, byte in enumerate(data):
        if byte == 0x22:
            quoted = not quoted
        elif byte == sep[0] and not quoted:
            pieces.append(data[start:index])
            start = index + 1
    pieces.append(data[start:])
    return pieces


# --- values -------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ESCAPE = re.compile(r"\\([nN\\,;:\"])")
_QP_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode with the declared charset, else as UTF-8, else as Windows-1252; never fails.

    Text that is mostly UTF-8 with a stray bad byte stays UTF-8 (the byte becomes U+FFFD);
    text whose high bytes are mostly not UTF-8 is read as Windows-1252 (then Latin-1).
    """
    codec = _codec(charset)
    if codec is not None and codec not in ("utf-8", "ascii"):
        try:
            return data.decode(codec, errors="replace")
        except (LookupError, UnicodeError, ValueError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    high = len(data.translate(None, _ASCII))
    if text.count("\ufffd") * 4 <= high:
        return text
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return codecs.lookup(charset.strip()).name
    except (LookupError, ValueError):
        return None


def decode_value(prop: Property, default_charset: str | None = None) -> str:
    """A property's text: quoted-printable undone, charset decoded, controls removed."""
    raw = prop.value
    if prop.encoding == "QUOTED-PRINTABLE":
        raw = decode_quoted_printable(raw)
    elif prop.encoding in ("B", "BASE64"):  # old phones base64-encode text values too
        raw = decode_binary(prop) or raw
    text = decode_bytes(raw, prop.param("CHARSET") or default_charset)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def decode_quoted_printable(data: bytes) -> bytes:
    """``=XX`` escapes decoded, a final soft break dropped; malformed escapes kept as written."""
    data = data.rstrip(b" \t")
    if data.endswith(b"="):
        data = data[:-1]
    return _QP_ESCAPE.sub(lambda m: bytes((int(m.group(1), 16),)), data)


def unescape(text: str) -> str:
    r"""Undo ``\n``, ``\,``, ``\;``, ``\:``, ``\\``; other backslashes stay as written."""
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def split_escaped(text: str, sep: str) -> list[str]:
    """Split on ``sep`` where it is not backslash-escaped; pieces stay escaped."""
    if sep not in text:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if char == sep:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    pieces.append("".join(current))
    return pieces


def render_payload(lines: list[PhysicalLine], elisions: dict[int, tuple[int, str]]) -> str:
    """The card's text; ``elisions`` maps a first line index to (last index, note line)."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        if index in elisions:
            last, note = elisions[index]
            out.append(note)
            index = last + 1
            continue
        out.append(decode_bytes(lines[index].data))
        index += 1
    return "\n".join(out)


# --- dates and binary values --------------------------------------------------------------


def parse_partial_date(text: str, omit_year: str | None = None) -> PartialDate | None:
    """``1999-04-08``, ``19990408``, ``--0408``, ``--04-08`` or a date-time, else None.

    Year 1604 (Apple's ``X-APPLE-OMIT-YEAR``), year 0 and ``omit_year`` mean "no year".
    """
    value = text.strip()
    if "T" in value[1:]:
        value = value.split("T", 1)[0]
    year: int | None
    match = _DATE.fullmatch(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _NO_YEAR_DATE.fullmatch(value)
        if not match:
            return None
        year, (month, day) = None, (int(g) for g in match.groups())
    if year is not None and (year in (0, UNKNOWN_YEAR) or str(year) == (omit_year or "").strip()):
        year = None
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: --02-29 is a valid birthday
    except ValueError:
        return None
    return PartialDate(month, day, year)


def decode_binary(prop: Property) -> bytes | None:
    """The bytes of an inline base64 or ``data:`` value (PHOTO, LOGO); None if it has none."""
    raw = prop.value.strip()
    if raw[:5].lower() == b"data:":
        header, _, data = raw.replace(b"\\,", b",").partition(b",")
        if b";base64" not in header.lower():
            return unquote_to_bytes(data) or None
    elif prop.encoding in ("B", "BASE64"):
        data = raw
    else:
        return None
    data = _WHITESPACE.sub(b"", data).rstrip(b"=")
    if not _BASE64.fullmatch(data):
        return None
    if len(data) % 4 == 1:
        data = data[:-1]
    try:
        decoded = base64.b64decode(data + b"=" * (-len(data) % 4))
    except (binascii.Error, ValueError):
        return None
    return decoded or None
