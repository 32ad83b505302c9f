"""Seeds and readers for the fuzz suite: real files from ../shared/corpora and the fixtures,
each with the reader that takes its format, and the byte mutations applied to them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rekindle.history.records import MeetingRecord, MessageRecord
from rekindle.identity.records import (
    ContactRecord,
    InteractionRecord,
    MeRecord,
    NoticeRecord,
    RecordError,
)
from rekindle.sources import ImportOptions, get_importer
from rekindle.sources.ics import read_ics
from rekindle.sources.linkedin_messages import read_linkedin_messages
from rekindle.sources.maildir import read_eml
from rekindle.sources.mbox import read_mbox

TESTS = Path(__file__).resolve().parent
CORPORA = TESTS.parent.parent / "shared" / "corpora"
FIXTURES = TESTS / "fixtures"
NOW = datetime(2026, 1, 15, tzinfo=UTC)
#: the most items one reader may yield for one input of the suite (a runaway is a failure)
MAX_ITEMS = 100_000
SEED_BYTES = 64 * 1024


def _contacts(fmt: str) -> Callable[[Path], Iterator[Any]]:
    return lambda path: get_importer(fmt).parse(path, ImportOptions())


def _ics(path: Path) -> Iterator[Any]:
    return read_ics(
        path,
        window_start=datetime(2020, 1, 1, tzinfo=UTC),
        window_end=datetime(2027, 1, 1, tzinfo=UTC),
    )


READERS: dict[str, tuple[str, Callable[[Path], Iterator[Any]]]] = {
    # format: (file suffix, reader)
    "vcard": (".vcf", _contacts("vcard")),
    "google_csv": (".csv", _contacts("google_csv")),
    "outlook_csv": (".csv", _contacts("outlook_csv")),
    "csv": (".csv", _contacts("csv")),
    "linkedin": (".csv", _contacts("linkedin")),
    "linkedin_messages": (".csv", read_linkedin_messages),
    "ics": (".ics", _ics),
    "eml": (".eml", lambda p: read_eml(p, now=NOW)),
    "mbox": (".mbox", lambda p: read_mbox(p, now=NOW)),
}

#: what readers may yield besides errors (an mbox reader's position marks among them)
RECORDS: tuple[type, ...] = (
    ContactRecord,
    MeRecord,
    InteractionRecord,
    NoticeRecord,
    MessageRecord,
    MeetingRecord,
)


def _some(pattern: str, folder: Path, limit: int) -> list[Path]:
    found = sorted(p for p in folder.rglob(pattern) if p.is_file() and p.stat().st_size < 200_000)
    step = max(1, len(found) // limit)
    return found[::step][:limit]


def seeds() -> dict[str, list[Path]]:
    """Per format, the real files the mutations start from."""
    csv = FIXTURES / "csv"
    linkedin = FIXTURES / "linkedin"
    return {
        "vcard": _some("*.vcf", CORPORA, 24) + _some("*.vcf", FIXTURES / "vcard", 8),
        "google_csv": sorted(csv.glob("google-*.csv")),
        "outlook_csv": sorted(csv.glob("outlook-*.csv")),
        "csv": sorted(csv.glob("generic-*")),
        "linkedin": sorted(linkedin.glob("linkedin-*.csv")),
        "linkedin_messages": sorted(linkedin.glob("[Mm]essages-*.csv")),
        "ics": _some("*.ics", CORPORA, 24) + _some("*.ics", FIXTURES / "ics", 8),
        "eml": _some("*.eml", CORPORA, 24) + sorted((FIXTURES / "mail").glob("*.eml")),
        "mbox": sorted((FIXTURES / "mail").glob("*.mbox"))
        + _some("*.mbox", CORPORA / "perceval-mbox", 4),
    }


def head_of(path: Path) -> bytes:
    return path.read_bytes()[:SEED_BYTES]


#: byte strings that mean something to one format or another
TOKENS = [
    b"\r\n",
    b"\n",
    b"\r",
    b"\n ",
    b"\n\t",
    b";",
    b",",
    b":",
    b'"',
    b"\\",
    b"=\r\n",
    b"=?utf-8?B?",
    b"BEGIN:VCARD\n",
    b"END:VCARD\n",
    b"BEGIN:VEVENT\n",
    b"END:VEVENT\n",
    b"RRULE:FREQ=SECONDLY\n",
    b"From x Mon Jan 01 10:00:00 2024\n",
    b"\nFrom: ",
    b"\nTo: ",
    b"\nDate: ",
    b"<>",
    b"@",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"\xe2\x80\xae",
    b"ENCODING=QUOTED-PRINTABLE:",
    b"CHARSET=x-unknown:",
    b"TZID=Nowhere/Else:",
    b"19700101T000000Z",
    b"99991231",
    b"-1",
    b"+",
]


def mutate(data: bytes, ops: list[tuple[int, float, int, bytes]]) -> bytes:
    """Apply (kind, where as a share of the length, a size, bytes) mutations in turn."""
    buf = bytearray(data)
    for kind, where, size, payload in ops:
        at = int(where * len(buf)) if buf else 0
        if kind == 0:  # insert a token or bytes
            buf[at:at] = payload
        elif kind == 1:  # delete a stretch
            del buf[at : at + size]
        elif kind == 2:  # flip a byte
            if buf:
                buf[min(at, len(buf) - 1)] ^= (size % 255) + 1
        elif kind == 3:  # repeat a stretch
            buf[at:at] = bytes(buf[at : at + size]) * (1 + size % 7)
        elif kind == 4:  # cut the file here
            del buf[at:]
        elif kind == 5:  # one long run of a byte
            buf[at:at] = (payload[:1] or b"A") * (size * 64)
    return bytes(buf)


def consume(fmt: str, path: Path) -> list[Any]:
    """Every item the reader yields for ``path``: records and errors, nothing raised."""
    items = []
    for item in READERS[fmt][1](path):
        items.append(item)
        assert len(items) <= MAX_ITEMS, f"{fmt}: more than {MAX_ITEMS} items"
    for item in items:
        if isinstance(item, RecordError):
            assert isinstance(item.locator, str) and item.locator.strip(), item
            assert item.message.strip(), item
            assert "\n" not in str(item).strip(), f"an error of more than one line: {item!r}"
        elif not isinstance(item, RECORDS):
            assert type(item).__name__ == "MboxMark", type(item)
    return items
