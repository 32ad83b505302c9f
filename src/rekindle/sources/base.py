"""The importer contract, shared by every source module.

An importer is a plain function that yields :data:`rekindle.identity.records.Item` values. It reads
one file (or one folder, for exports that come as several files), never the database.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rekindle.identity.records import Item

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
