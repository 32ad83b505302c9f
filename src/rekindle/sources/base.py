"""The importer contract, shared by every source module.

An importer is a plain function that yields :data:`rekindle.records.Item` values. It reads
one file (or one folder, for exports that come as several files), never the database.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

from rekindle.records import Item

#: how many bytes of a file detection may look at
SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class ImportOptions:
    """Settings an importer may honour. Importers read nothing else."""

    keep_photos: bool = False
    #: generic CSV: our field name -> the file's column header
    column_map: dict[str, str] = field(default_factory=dict)
    #: force a text encoding instead of sniffing it
    encoding: str | None = None
    #: force a CSV delimiter instead of sniffing it
    delimiter: str | None = None


ParseFn = Callable[[Path, ImportOptions], Iterator[Item]]
SniffFn = Callable[[Path, bytes], float]


@dataclass(frozen=True)
class Importer:
    """A source format: its name, how to recognise it and how to read it.

    ``sniff(path, head)`` returns a confidence in [0, 1] from the file's name and its first
    bytes (``head`` is empty for a folder). ``parse`` yields records and errors and never
    raises for bad content.
    """

    name: str
    title: str
    sniff: SniffFn
    parse: ParseFn
    extensions: tuple[str, ...] = ()
    folders: bool = False


BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_head(path: Path, size: int = SNIFF_BYTES) -> bytes:
    with path.open("rb") as fh:
        return fh.read(size)


def sniff_encoding(head: bytes) -> str:
    """Guess a text encoding from a file's first bytes: BOM, then UTF-8, then a detector."""
    for bom, name in BOMS:
        if head.startswith(bom):
            return name
    # UTF-16 without BOM: every other byte NUL in ASCII-heavy text
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4:
        return "utf-16-le"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4:
        return "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # a multi-byte sequence cut at the end of the sniffed window is still UTF-8
        if exc.start >= len(head) - 3:
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is not None and best.encoding not in ("ascii", "utf_8"):
        return best.encoding
    return "cp1252"


def decode_head(head: bytes, encoding: str | None = None) -> str:
    enc = encoding or sniff_encoding(head)
    return head.decode(enc, errors="replace")


def open_text(path: Path, encoding: str | None = None) -> TextIO:
    """Open a file as text with its sniffed encoding, streaming, undecodable bytes replaced.

    Newlines are passed through untranslated so the CSV module sees quoted CR/LF.
    """
    enc = encoding or sniff_encoding(read_head(path))
    raw: BinaryIO = path.open("rb")
    return io.TextIOWrapper(raw, encoding=enc, errors="replace", newline="")


def looks_binary(head: bytes) -> bool:
    """True for content that is no text in any encoding we read (NULs outside UTF-16).

    A zip archive is not "binary" here: exports (LinkedIn) arrive as zips of text files.
    """
    if not head or head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return False
    for bom, _ in BOMS:
        if head.startswith(bom):
            return False
    if b"\x00" not in head:
        return False
    # UTF-16 text has NULs in a regular pattern; binary garbage does not
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return not (odd > len(head) // 4 and even == 0 or even > len(head) // 4 and odd == 0)
