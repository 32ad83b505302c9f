"""The vCard lexer, first half: bytes to physical lines, cards and unfolded logical lines.

Everything here works on bytes, because each property may declare its own ``CHARSET``
(vCard 2.1) and files mix encodings in the wild. :mod:`rekindle.sources.vcard_values` reads
a logical line as a property; :mod:`rekindle.sources.vcard_fields` says what it means.
Memory stays bounded: the file is read in blocks, and a card (or a line) larger than
``max_card_bytes`` is dropped as it streams by.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

BLOCK_SIZE = 64 * 1024
MAX_CARD_BYTES = 20 * 1024 * 1024

_TERMINATOR = re.compile(rb"\r*\n|\r")
_BEGIN = re.compile(rb"[ \t]*begin[ \t]*:[ \t]*vcard[ \t]*", re.IGNORECASE)
_END = re.compile(rb"[ \t]*end[ \t]*:[ \t]*vcard[ \t]*", re.IGNORECASE)
_AGENT = re.compile(rb"(?:[\w-]+\.)?agent(?:;[^:]*)?:[ \t]*", re.IGNORECASE)
_QP_HEADER = re.compile(rb"QUOTED-PRINTABLE", re.IGNORECASE)
_B64_HEADER = re.compile(rb"ENCODING=B(?:ASE64)?(?:[;:]|$)|;BASE64(?:[;:]|$)", re.IGNORECASE)
_KNOWN_NAMES = (
    rb"ADR|AGENT|ANNIVERSARY|BDAY|BEGIN|CATEGORIES|CLASS|EMAIL|END|FN|GEO|IMPP|KEY|KIND|LABEL|"
    rb"LOGO|MAILER|N|NICKNAME|NOTE|ORG|PHOTO|PRODID|RELATED|REV|ROLE|SOUND|TEL|TITLE|TZ|UID|"
    rb"URL|VERSION|X-[A-Z0-9-]+"
)
#: a line that starts a property (used to end a quoted-printable value that ends in ``=``)
_PROPERTY_START = re.compile(rb"(?:[A-Z0-9-]+\.)?(?:" + _KNOWN_NAMES + rb")[;:]", re.IGNORECASE)
_WIDE_ENCODINGS = ("utf-16", "utf-32")


@dataclass(slots=True)
class PhysicalLine:
    number: int
    data: bytes
    too_long: bool = False


@dataclass(slots=True)
class RawCard:
    """The physical lines of one card, from its BEGIN line (included) on."""

    index: int
    start_line: int
    lines: list[PhysicalLine] = field(default_factory=list)
    size: int = 0
    oversized: bool = False
    ended: bool = False


@dataclass(slots=True)
class StrayEnd:
    """An ``END:VCARD`` line outside any card."""

    line: int


@dataclass(slots=True)
class FrameStats:
    cards: int = 0
    junk_lines: int = 0


@dataclass(slots=True)
class LogicalLine:
    """One unfolded content line; ``first``/``last`` index the card's physical lines."""

    first: int
    last: int
    data: bytes


# --- reading ------------------------------------------------------------------------------


def wide_encoding(head: bytes, forced: str | None = None) -> str | None:
    """The UTF-16/32 codec a file needs transcoding from, or None for byte-oriented text."""
    if forced:
        try:
            name = codecs.lookup(forced).name
        except LookupError:
            return None
        return name if name.startswith(_WIDE_ENCODINGS) else None
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return name
    sample = head[:4096]
    if len(sample) >= 8 and b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > len(sample) // 4 and even == 0:
            return "utf-16-le"
        if even > len(sample) // 4 and odd == 0:
            return "utf-16-be"
    return None


def iter_blocks(fh: BinaryIO, encoding: str | None = None) -> Iterator[bytes]:
    """The file's bytes in blocks; UTF-16/32 files are transcoded to UTF-8, BOMs dropped."""
    head = fh.read(BLOCK_SIZE)
    wide = wide_encoding(head, encoding)
    if wide is None:
        if head.startswith(codecs.BOM_UTF8):
            head = head[len(codecs.BOM_UTF8) :]
        if head:
            yield head
        while block := fh.read(BLOCK_SIZE):
            yield block
        return
    decoder = codecs.getincrementaldecoder(wide)(errors="replace")
    first = True
    data = head
    while True:
        text = decoder.decode(data, final=not data)
        if first and text:
            text = text.removeprefix("\ufeff")
            first = False
        if text:
            yield text.encode("utf-8", errors="replace")
        if not data:
            return
        data = fh.read(BLOCK_SIZE)


def iter_physical_lines(
    blocks: Iterable[bytes], max_line: int = MAX_CARD_BYTES
) -> Iterator[PhysicalLine]:
    """Split blocks on CRLF, LF, lone CR (and CR CR LF) without ever holding a huge line."""
    number = 0
    parts: list[bytes] = []
    size = 0
    overflow = False
    carry = b""
    for block in _with_eof(blocks):
        at_eof = not block
        data = carry + block
        end = len(data)
        if not at_eof:
            while end and data[end - 1] == 0x0D:  # a CR may be the start of CR LF
                end -= 1
        carry = data[end:]
        pos = 0
        for match in _TERMINATOR.finditer(data, 0, end):
            piece = data[pos : match.start()]
            number += 1
            too_long = overflow or size + len(piece) > max_line
            line = b"" if too_long else (b"".join([*parts, piece]) if parts else piece)
            yield PhysicalLine(number, line, too_long)
            parts, size, overflow = [], 0, False
            pos = match.end()
        rest = data[pos:end]
        if rest:
            size += len(rest)
            if size > max_line:
                overflow, parts = True, []
            elif not overflow:
                parts.append(rest)
        if at_eof and (parts or overflow or size):
            number += 1
            yield PhysicalLine(number, b"" if overflow else b"".join(parts), overflow)


def _with_eof(blocks: Iterable[bytes]) -> Iterator[bytes]:
    for block in blocks:
        if block:
            yield block
    yield b""


# --- framing ------------------------------------------------------------------------------


def frame_cards(
    lines: Iterable[PhysicalLine], stats: FrameStats, max_card_bytes: int = MAX_CARD_BYTES
) -> Iterator[RawCard | StrayEnd]:
    """Group physical lines into cards; resynchronise at every top-level BEGIN:VCARD.

    A 2.1 ``AGENT:`` property may embed a whole card; its BEGIN/END pair stays inside.
    """
    card: RawCard | None = None
    depth = 0
    previous = b""
    for line in lines:
        data = line.data
        if card is None:
            if _BEGIN.fullmatch(data):
                stats.cards += 1
                card = RawCard(stats.cards, line.number, [line], len(data))
                depth, previous = 0, data
            elif _END.fullmatch(data):
                yield StrayEnd(line.number)
            elif line.too_long or data.strip():
                stats.junk_lines += 1
            continue
        if _BEGIN.fullmatch(data):
            if _AGENT.fullmatch(previous):
                depth += 1
            else:
                yield card
                stats.cards += 1
                card = RawCard(stats.cards, line.number, [line], len(data))
                depth, previous = 0, data
                continue
        elif _END.fullmatch(data) and depth == 0:
            _add_line(card, line, max_card_bytes)
            card.ended = True
            yield card
            card = None
            continue
        elif _END.fullmatch(data):
            depth -= 1
        _add_line(card, line, max_card_bytes)
        if data.strip():
            previous = data
    if card is not None:
        yield card


def _add_line(card: RawCard, line: PhysicalLine, max_card_bytes: int) -> None:
    if card.oversized:
        return
    card.size += len(line.data) + 1
    if line.too_long or card.size > max_card_bytes:
        card.oversized = True
        card.lines = card.lines[:1]
        return
    card.lines.append(line)


# --- unfolding ----------------------------------------------------------------------------


def unfold(lines: list[PhysicalLine]) -> list[LogicalLine]:
    """Join folded lines (space/TAB), quoted-printable soft breaks and bare base64 lines.

    ``lines`` starts with the card's BEGIN line; an embedded AGENT card is skipped.
    """
    out: list[LogicalLine] = []
    parts: list[bytes] = []
    first = last = 0
    depth = 0

    def flush() -> None:
        if parts:
            out.append(LogicalLine(first, last, b"".join(parts)))

    for index in range(1, len(lines)):
        data = lines[index].data
        if _BEGIN.fullmatch(data):
            flush()
            parts, depth = [], depth + 1
            continue
        if _END.fullmatch(data):
            flush()
            parts = []
            if depth == 0:
                break
            depth -= 1
            continue
        if depth:
            continue
        if parts:
            tail = parts[-1].rstrip(b" \t")
            if tail.endswith(b"=") and _is_qp(parts[0]) and not _PROPERTY_START.match(data):
                parts[-1] = tail[:-1]
                parts.append(data)
                last = index
                continue
            if data[:1] in (b" ", b"\t"):
                parts.append(data[1:])
                last = index
                continue
            if data and b":" not in data and _B64_HEADER.search(_header(parts[0])):
                parts.append(data)
                last = index
                continue
        if not data.strip():
            continue
        flush()
        parts, first, last = [data], index, index
    else:
        flush()
    return out


def _header(data: bytes) -> bytes:
    return data.split(b":", 1)[0]


def _is_qp(data: bytes) -> bool:
    return bool(_QP_HEADER.search(_header(data)))
