"""Stream an mbox file (Gmail Takeout, Thunderbird, classic Unix) into message header records.

The file is read in large binary chunks; message boundaries are ``From `` envelope lines found
with bytes searches and checked to look like one (a time and a year on the line, a header line
after it), so an unquoted ``From `` line in a body is not a boundary. Only each message's header
block is copied and parsed; bodies are skipped without being decoded. Every few thousand
messages, and at the end, an :class:`MboxMark` says where a later sync may resume.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from rekindle.history.records import MessageRecord
from rekindle.identity.records import RecordError
from rekindle.sources.mail_headers import MAX_HEADER, parse_header_block

CHUNK = 4 << 20
MARK_EVERY = 5000
#: bytes before a mark's offset whose hash proves the file was not rewritten
TAIL = 4096
#: bytes after an envelope candidate needed to judge it
LOOKAHEAD = 2048

_ENVELOPE = re.compile(
    rb"From [^\r\n]{0,400}?\b\d{1,2}:\d\d(?::\d\d)?\b[^\r\n]{0,80}?\b(?:1[6-9]|2\d)\d\d\b"
)
_BOUNDARY = re.compile(rb"\nFrom ")
_BLANK_LINE = re.compile(rb"\n\r?\n")
_HEADERISH = re.compile(rb"[!-9;-~]+[ \t]*:")
_BLANK = re.compile(rb"[ \t]*\r?(?:\n|\Z)")


@dataclass(frozen=True, slots=True)
class MboxMark:
    """Where to resume: a message start (or the end of the file) and a hash of the bytes
    just before it. If the file was rewritten the hash no longer matches: rescan from 0."""

    offset: int
    tail_hash: str


def _tail_hash(fh: BinaryIO, offset: int) -> str:
    start = max(0, offset - TAIL)
    fh.seek(start)
    data = fh.read(offset - start)
    return hashlib.sha256(data).hexdigest()[:32]


def mark_matches(path: Path, mark: MboxMark) -> bool:
    """True if ``path`` still holds the bytes ``mark`` was taken on (it may have grown)."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, 2)
            if fh.tell() < mark.offset:
                return False
            return _tail_hash(fh, mark.offset) == mark.tail_hash
    except OSError:
        return False


class _Stream:
    """A window on the file: ``buf`` holds the bytes from file offset ``base``; ``pos`` is the
    cursor, and bytes before it are dropped at the next :meth:`fill`."""

    def __init__(self, fh: BinaryIO, offset: int) -> None:
        self.fh, self.base, self.buf, self.pos, self.eof = fh, offset, b"", 0, False

    def fill(self) -> int:
        """Drop ``buf[:pos]`` and append the next chunk; return how far indexes moved back,
        or -1 at the end of the file (nothing changed then)."""
        if self.eof:
            return -1
        data = self.fh.read(CHUNK)
        if not data:
            self.eof = True
            return -1
        shift = self.pos
        self.buf = self.buf[shift:] + data
        self.base += shift
        self.pos = 0
        return shift


def _is_envelope(buf: bytes, at: int, eof: bool, first: bool) -> bool | None:
    """Whether the line at ``at`` (which starts with ``From ``) is an envelope; None when more
    bytes are needed to tell."""
    end = buf.find(b"\n", at, at + 1024)
    if end < 0:
        return None if not eof and len(buf) - at < 1024 else False
    if not _ENVELOPE.match(buf, at, end):
        return False
    if not eof and len(buf) - end < LOOKAHEAD and buf.find(b"\n", end + 1) < 0:
        return None
    if _HEADERISH.match(buf, end + 1):
        return True
    if _BLANK.match(buf, end + 1):  # a message without any field: "From ...\n\n"
        return first or buf[at - 2 : at] == b"\n\n" or buf[at - 3 : at] == b"\n\r\n"
    return False


def _next_envelope(s: _Stream, *, first: bool, at_start: bool) -> int:
    """Index in ``s.buf`` of the next envelope line at or after ``s.pos``, or -1 at the end of
    the file. Bytes before it may be dropped (``s.pos`` moves forward)."""
    search = _BOUNDARY.search  # a compiled search beats bytes.find on long bodies
    while True:
        buf = s.buf
        if at_start and buf.startswith(b"From ", s.pos):
            cand = s.pos
        else:
            hit = search(buf, s.pos)
            cand = hit.start() + 1 if hit else -1
        need_more = False
        while cand >= 0:
            found = _is_envelope(buf, cand, s.eof, first)
            if found is None:
                need_more = True
                break
            if found:
                return cand
            hit = search(buf, cand)
            cand = hit.start() + 1 if hit else -1
        if s.eof:
            return -1
        if need_more:
            at_start = cand == s.pos
            s.pos = cand if at_start else max(s.pos, cand - 3)
        else:
            s.pos = max(s.pos, len(buf) - 5)
            at_start = False
        s.fill()


def find_blank(buf: bytes, start: int, stop: int) -> int:
    """Index of the newline that starts the first blank line in ``buf[start:stop]``, or -1.

    One regular-expression pass finds LF and CRLF blank lines alike (two ``bytes.find`` calls
    would scan the header twice, or far past it in a CRLF file).
    """
    m = _BLANK_LINE.search(buf, start, stop)
    return -1 if m is None else m.start()


def _read_header(s: _Stream) -> tuple[bytes, bool]:
    """The header block of the message whose envelope line is at ``s.pos`` (without that
    line) and whether it was complete; ``s.pos`` is left at the blank line after it."""
    env_end = s.buf.find(b"\n", s.pos)
    while env_end < 0:
        if s.fill() < 0:
            s.pos = len(s.buf)
            return b"", False
        env_end = s.buf.find(b"\n", s.pos)
    scan = env_end
    while True:
        limit = min(len(s.buf), env_end + MAX_HEADER)
        blank = find_blank(s.buf, scan, limit)
        if blank >= 0:
            s.pos = blank
            return s.buf[env_end + 1 : blank + 1], True
        if limit - env_end >= MAX_HEADER:
            cut = s.buf.rfind(b"\n", env_end + 1, limit)
            cut = cut if cut > env_end else limit
            s.pos = cut
            return s.buf[env_end + 1 : cut + 1], True
        scan = max(env_end, len(s.buf) - 2)
        shift = s.fill()
        if shift < 0:
            s.pos = len(s.buf)
            return s.buf[env_end + 1 :], False
        env_end -= shift
        scan -= shift


def read_mbox(
    path: Path,
    *,
    start_offset: int = 0,
    now: datetime | None = None,
    source: str = "mbox",
    mark_every: int = MARK_EVERY,
    stop_offset: int | None = None,
) -> Iterator[MessageRecord | RecordError | MboxMark]:
    """Every message of ``path`` from ``start_offset`` (a previous :class:`MboxMark` offset),
    as a record located ``<name>@<offset of its envelope line>``, with marks in between.

    With ``stop_offset`` (an :func:`envelope_after` offset) the reading ends where a message
    starts at exactly that offset, with a last mark there; if no message starts there, the
    offset lay inside one and the reading goes on to the end of the file.

    Never raises for bad content: a file without any envelope yields one
    ``RecordError("not an mbox")``; bytes before the first envelope are reported and skipped.
    A final message cut inside its header is yielded as far as it can be read, and the last
    mark then points at its start so that the next sync reads it again.
    """
    path = Path(path)
    now = now or datetime.now(UTC)
    try:
        fh = path.open("rb", buffering=0)
    except OSError as exc:
        yield RecordError(source, path.name, f"cannot be read: {exc.strerror or exc}")
        return
    with fh:
        yield from _scan(
            fh, path, max(0, start_offset), now, source, max(1, mark_every), stop_offset
        )


def envelope_after(path: Path, offset: int) -> int | None:
    """The offset of the first envelope line at or after ``offset`` (as a reading from the
    start judges it), or None when none follows: where a reading can be split in two."""
    with Path(path).open("rb", buffering=0) as fh:
        start = max(0, offset - 1)  # the newline before a "From " at ``offset``
        fh.seek(start)
        s = _Stream(fh, start)
        s.fill()
        env = _next_envelope(s, first=False, at_start=False)
        return None if env < 0 else s.base + env


def _mark(s: _Stream, fh: BinaryIO, offset: int) -> MboxMark:
    i = offset - s.base
    if 0 <= i <= len(s.buf) and (i >= TAIL or s.base == 0):
        return MboxMark(offset, hashlib.sha256(s.buf[max(0, i - TAIL) : i]).hexdigest()[:32])
    here = fh.tell()
    try:
        return MboxMark(offset, _tail_hash(fh, offset))
    finally:
        fh.seek(here)


def _scan(
    fh: BinaryIO,
    path: Path,
    start: int,
    now: datetime,
    source: str,
    mark_every: int,
    stop: int | None = None,
) -> Iterator[MessageRecord | RecordError | MboxMark]:
    name, folder = path.name, path.stem
    fh.seek(start)
    s = _Stream(fh, start)
    s.fill()
    if not s.buf:
        yield _mark(s, fh, start)
        return
    env = _next_envelope(s, first=True, at_start=True)
    if env < 0:
        yield RecordError(source, f"{name}@{start}", "not an mbox (no 'From ' envelope line)")
        return
    at = s.base + env
    if s.base > start or s.buf[:env].strip():
        msg = f"{at - start} bytes before the first 'From ' line skipped"
        yield RecordError(source, f"{name}@{start}", msg)
    count = 0
    search = _BOUNDARY.search
    while True:
        # the common case inline (the header and the next envelope inside the buffer); the
        # helpers handle buffer ends, refills and doubtful envelope lines
        s.pos = env
        buf = s.buf
        env_end = buf.find(b"\n", env, env + 1024)
        blank = -1
        if env_end > 0:
            limit = min(len(buf), env_end + MAX_HEADER)
            blank = find_blank(buf, env_end, limit)
        if blank >= 0:
            header, complete = buf[env_end + 1 : blank + 1], True
            s.pos = blank
        else:
            header, complete = _read_header(s)
        hit = search(s.buf, s.pos)
        if hit is not None and _is_envelope(s.buf, hit.start() + 1, s.eof, False):
            env = hit.start() + 1
        else:
            env = _next_envelope(s, first=False, at_start=False)
        end = s.base + (env if env >= 0 else len(s.buf))
        locator = f"{name}@{at}"
        item = parse_header_block(header, source, locator, folder, now=now, size=end - at)
        if not complete and isinstance(item, RecordError):
            item = RecordError(source, locator, "truncated message: the file ends in its header")
        yield item
        count += 1
        if env < 0:
            break
        at = end
        if at == stop:
            break
        if count % mark_every == 0:
            yield _mark(s, fh, at)
    yield _mark(s, fh, end if complete else at)
