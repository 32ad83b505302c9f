"""vCard 2.1/3.0/4.0 importer: ``.vcf`` files and folders of them (khard, vdirsyncer).

Our own streaming parser, in layers: :mod:`~rekindle.sources.vcard_lines` cuts bytes into
cards and unfolded lines, :mod:`~rekindle.sources.vcard_values` reads properties and values,
:mod:`~rekindle.sources.vcard_fields` says what they mean. This module ties them together.
It reads bytes in blocks (never a whole file), keeps at most one card in memory and yields
a :class:`RecordError` (with file and line) for a bad card, then goes on with the next.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from rekindle.identity.records import Item, NoticeRecord, RecordError
from rekindle.sources.base import Importer, ImportOptions
from rekindle.sources.vcard_fields import SOURCE, parse_card
from rekindle.sources.vcard_lines import (
    MAX_CARD_BYTES,
    FrameStats,
    RawCard,
    StrayEnd,
    frame_cards,
    iter_blocks,
    iter_physical_lines,
    unfold,
)
from rekindle.sources.vcard_values import Property, decode_bytes, parse_property, render_payload

EXTENSIONS = (".vcf", ".vcard")
#: inline binary values (photos) longer than this are left out of the stored payload
PAYLOAD_BINARY_LIMIT = 1024
#: how many folder entries sniffing looks at before it gives up on a folder
SNIFF_FOLDER_ENTRIES = 20_000
_SNIFF_BEGIN = re.compile(rb"begin[ \t]*:[ \t]*vcard", re.IGNORECASE)
_BINARY_PROPERTIES = frozenset({"PHOTO", "LOGO", "SOUND", "KEY", "X-MS-CARDPICTURE"})


def sniff_vcard(path: Path, head: bytes) -> float:
    """0.95 when the head holds BEGIN:VCARD, 0.6 for a folder of .vcf files, else 0."""
    if path.is_dir():
        return 0.6 if _has_vcard_files(path) else 0.0
    if _SNIFF_BEGIN.search(head.replace(b"\x00", b"")):
        return 0.95
    return 0.0  # no card in the first 64 KiB: not a vCard file, whatever its name


def parse_vcards(path: Path, options: ImportOptions) -> Iterator[Item]:
    """Every card of a .vcf file, or of every .vcf file under a folder (sorted by path)."""
    if not path.is_dir():
        with path.open("rb") as fh:
            yield from parse_vcard_stream(fh, path.name, options)
        return
    files = sorted((p.relative_to(path).as_posix(), p) for p in _walk_vcard_files(path))
    for name, file in files:
        try:
            with file.open("rb") as fh:
                yield from parse_vcard_stream(fh, name, options)
        except OSError as exc:
            yield RecordError(SOURCE, name, f"cannot be read: {exc.strerror or exc}")


def _has_vcard_files(root: Path, budget: int = SNIFF_FOLDER_ENTRIES) -> bool:
    """True when a .vcf lies under ``root`` among the first ``budget`` entries walked."""
    for _dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if any(n.lower().endswith(EXTENSIONS) and not n.startswith(".") for n in filenames):
            return True
        budget -= len(filenames) + len(dirnames) + 1
        if budget <= 0:
            return False
    return False


def _walk_vcard_files(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.lower().endswith(EXTENSIONS) and not name.startswith("."):
                yield Path(dirpath) / name


def parse_vcard_stream(
    fh: BinaryIO, name: str, options: ImportOptions, *, max_card_bytes: int = MAX_CARD_BYTES
) -> Iterator[Item]:
    """The cards of one binary stream; ``name`` starts every locator."""
    stats = FrameStats()
    stray = 0
    lines = iter_physical_lines(iter_blocks(fh, options.encoding), max_card_bytes)
    for item in frame_cards(lines, stats, max_card_bytes):
        if isinstance(item, StrayEnd):
            stray += 1
            yield RecordError(SOURCE, f"{name}:{item.line}", "END:VCARD without BEGIN:VCARD")
        else:
            yield read_card(item, name, options, max_card_bytes)
            if not item.ended:  # cut short, or the next card began first
                yield NoticeRecord(
                    SOURCE,
                    f"{name}:{item.start_line} (card {item.index})",
                    "no END:VCARD (the file may be cut short): kept what the card held",
                )
    if stats.junk_lines and not stats.cards and not stray:
        message = f"no vCard found ({stats.junk_lines} lines without BEGIN:VCARD)"
        yield RecordError(SOURCE, name, message)
    elif stats.junk_lines:
        message = f"{stats.junk_lines} lines outside any vCard were skipped"
        yield NoticeRecord(SOURCE, name, message)


def read_card(
    card: RawCard, name: str, options: ImportOptions, max_card_bytes: int = MAX_CARD_BYTES
) -> Item:
    """One framed card as a record, a notice or an error; never raises for its content."""
    locator = f"{name}:{card.start_line} (card {card.index})"
    if card.oversized:
        limit = f"{max_card_bytes / (1024 * 1024):g} MB"
        return RecordError(SOURCE, locator, f"card larger than {limit} skipped")
    try:
        props = [p for p in map(parse_property, unfold(card.lines)) if p is not None]
        payload = render_payload(card.lines, _payload_elisions(card, props))
        return parse_card(props, locator=locator, payload=payload, options=options)
    except Exception as exc:  # a safety net: one strange card must not stop an import
        return RecordError(SOURCE, locator, f"internal error reading this card: {exc!r}")


def _payload_elisions(card: RawCard, props: list[Property]) -> dict[int, tuple[int, str]]:
    elisions: dict[int, tuple[int, str]] = {}
    for prop in props:
        if prop.name not in _BINARY_PROPERTIES or len(prop.value) <= PAYLOAD_BINARY_LIMIT:
            continue
        if prop.encoding in ("B", "BASE64") or prop.value[:5].lower() == b"data:":
            header = decode_bytes(card.lines[prop.first].data.split(b":", 1)[0])
            note = f"{header}:<{len(prop.value)} bytes of inline data not kept>"
            elisions[prop.first] = (prop.last, note)
    return elisions


IMPORTER = Importer(
    name="vcard",
    title="vCard 2.1/3.0/4.0 (.vcf)",
    sniff=sniff_vcard,
    parse=parse_vcards,
    extensions=EXTENSIONS,
    folders=True,
)
