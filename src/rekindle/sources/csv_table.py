"""Shared CSV plumbing: encoding and delimiter sniffing, header finding, streamed rows.

Contact exports are CSV files with quirks: a BOM or UTF-16, a Windows code page, `;` as
the delimiter, a preamble before the header (LinkedIn's ``Notes:``), blank padding rows,
ragged rows and vendor-specific header spellings. :func:`open_table` finds the header and
:meth:`CsvTable.rows` streams the rows after it with bounded memory, turning every bad row
into a :class:`RecordError` located at the line where the row starts.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import IO

from rekindle.identity.records import RecordError
from rekindle.sources.base import BOMS, SNIFF_BYTES, ImportOptions

#: a cell larger than this (in characters) makes its row a RecordError
MAX_CELL = 1 << 20
#: a line is read this many characters at a time at most: a file (or a zip member) of one
#: endless line costs a bounded buffer, and its oversized cells are reported as such
MAX_LINE = 4 * MAX_CELL
#: how many non-blank lines may precede the header row
HEADER_SCAN_LINES = 15
DELIMITERS = (",", ";", "\t")
#: decode invalid UTF-8 bytes as cp1252 instead of replacing them (files mixing both)
UTF8_FALLBACK = "rekindle-cp1252-fallback"

Opener = Callable[[], IO[bytes]]


class HeaderNotFoundError(ValueError):
    """No row in the first lines of a file looks like the header the importer expects."""


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(_byte_to_char(b) for b in bad), exc.end


def _byte_to_char(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)  # the five bytes cp1252 leaves undefined: read them as Latin-1


codecs.register_error(UTF8_FALLBACK, _cp1252_fallback)


@lru_cache(maxsize=4096)
def parse_header_key(text: str) -> str:
    """A header name reduced for loose matching: ``E-mail 1 - Value`` -> ``email1value``.

    Case, spaces and punctuation are dropped, ``e-mail`` is ``email`` and a trailing
    ``/Region`` (``Business Country/Region``) is ignored.
    """
    s = unicodedata.normalize("NFKC", text).replace("\ufeff", "").strip().lower()
    s = s.replace("e-mail", "email")
    s = re.sub(r"\s*/\s*region\s*$", "", s)
    return "".join(ch for ch in s if ch.isalnum())


def _latin_words_ratio(text: str) -> float:
    """The mean share of non-ASCII letters in words that have any (low for Western text)."""
    shares = []
    for word in re.findall(r"[^\W\d_]+", text):
        non_ascii = sum(1 for ch in word if ord(ch) > 127)
        if non_ascii:
            shares.append(non_ascii / len(word))
    return sum(shares) / len(shares) if shares else 0.0


def sniff_csv_encoding(head: bytes) -> str:
    """BOM, then UTF-16 by its NULs, then UTF-8, then cp1252 when it reads as Western
    text, else what charset detection says (falling back to cp1252)."""
    for bom, name in BOMS:
        if head.startswith(bom):
            return name
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4:
        return "utf-16-le"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4:
        return "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    undefined = any(b in head for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
    if not undefined and _latin_words_ratio(head.decode("cp1252")) <= 0.5:
        return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is not None and best.encoding not in ("ascii", "utf_8"):
        return str(best.encoding)
    return "cp1252"


def _errors_for(encoding: str) -> str:
    return UTF8_FALLBACK if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig") else "replace"


def decode_head_lines(head: bytes, encoding: str | None = None) -> list[str]:
    """The first non-blank text lines of a file's head (for ``sniff`` functions)."""
    enc = encoding or sniff_csv_encoding(head)
    text = head.decode(enc, errors=_errors_for(enc)).lstrip("\ufeff")
    lines = [line for line in text.splitlines() if line.strip(" \t,;\"'")]
    return lines[:HEADER_SCAN_LINES]


def _split_line(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def parse_header_candidates(lines: list[str], delimiter: str | None = None) -> list[list[str]]:
    """Each line split by its likeliest delimiter (the one giving the most cells)."""
    out = []
    for line in lines:
        splits = [_split_line(line, d) for d in ([delimiter] if delimiter else DELIMITERS)]
        out.append(max(splits, key=len))
    return out


def sniff_header_keys(head: bytes) -> list[set[str]]:
    """For each of the first non-blank lines, its cells as normalised header keys."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip archive, not a CSV
        return []
    return [
        {parse_header_key(c) for c in cells if c.strip()}
        for cells in parse_header_candidates(decode_head_lines(head))
    ]


@dataclass
class CsvTable:
    """A CSV file opened at its header row; :meth:`rows` streams what follows."""

    name: str
    header: list[str]
    keys: list[str]
    delimiter: str
    encoding: str
    header_line: int
    lines: Iterator[str] = field(repr=False)
    index: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for i, key in enumerate(self.keys):
            if key:
                self.index.setdefault(key, []).append(i)

    def has(self, *names: str) -> bool:
        """True when any of ``names`` is a column (matched loosely)."""
        return any(parse_header_key(n) in self.index for n in names)

    def columns_like(self, pattern: str) -> list[tuple[re.Match[str], int]]:
        """Columns whose key fully matches a regular expression, in header order."""
        rx = re.compile(pattern)
        found = []
        for i, key in enumerate(self.keys):
            m = rx.fullmatch(key)
            if m:
                found.append((m, i))
        return found

    def rows(self, source: str) -> Iterator[CsvRow | RecordError]:
        """The rows after the header; blank rows skipped, bad rows as RecordError."""
        csv.field_size_limit(MAX_CELL)
        reader = csv.reader(self.lines, delimiter=self.delimiter)
        width = len(self.header)
        prev = 0
        oversize: tuple[int, int] | None = None  # (first line, last line) being skipped
        while True:
            start = self.header_line + prev + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                prev = reader.line_num
                if "field limit" in str(exc):
                    oversize = (oversize[0] if oversize else start, self.header_line + prev)
                else:
                    yield RecordError(source, self.locator(start), f"unreadable row: {exc}")
                continue
            prev = reader.line_num
            if oversize is not None:
                if len(cells) != width:  # still inside the oversized cell: resynchronise
                    oversize = (oversize[0], self.header_line + prev)
                    continue
                yield self._oversize_error(source, oversize)
                oversize = None
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > width:
                if any(c.strip() for c in cells[width:]):
                    yield RecordError(
                        source,
                        self.locator(start),
                        f"row has {len(cells)} cells but the header has {width} "
                        "(an unquoted delimiter inside a value?)",
                    )
                    continue
                cells = cells[:width]
            elif len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            if cells[0].strip() == self.header[0] and [c.strip() for c in cells] == self.header:
                continue  # a repeated header (files concatenated)
            yield CsvRow(self, start, cells)
        if oversize is not None:
            yield self._oversize_error(source, oversize)

    def _oversize_error(self, source: str, span: tuple[int, int]) -> RecordError:
        where = f"line {span[0]}" if span[0] == span[1] else f"lines {span[0]}–{span[1]}"
        return RecordError(
            source,
            self.locator(span[0]),
            f"a cell is larger than {MAX_CELL // (1 << 20)} MB; {where} skipped",
        )

    def locator(self, line: int) -> str:
        return f"{self.name}:row {line}"


@dataclass(slots=True)
class CsvRow:
    """One data row: its cells, read by column name (loosely matched)."""

    table: CsvTable
    line: int
    cells: list[str]

    @property
    def locator(self) -> str:
        return self.table.locator(self.line)

    def get(self, *names: str) -> str:
        """The first non-empty value among the columns ``names``, stripped ("" if none)."""
        for name in names:
            for i in self.table.index.get(parse_header_key(name), ()):
                value = self.cells[i].strip()
                if value:
                    return value
        return ""

    def at(self, index: int) -> str:
        return self.cells[index].strip()

    def items(self) -> Iterator[tuple[str, str]]:
        """(header, value) for the non-empty cells, in header order."""
        for name, value in zip(self.table.header, self.cells, strict=True):
            if value.strip():
                yield name, value

    def payload(self) -> str:
        """The row as JSON (header -> value, non-empty cells): the record's raw text."""
        return json.dumps(dict(self.items()), ensure_ascii=False)


def _score(cells: list[str], expected: set[str], aliases: Mapping[str, str]) -> int:
    keys = {aliases.get(k, k) for k in (parse_header_key(c) for c in cells)}
    return len(keys & expected)


def _find_header(
    lines: list[tuple[int, str]],
    expected: set[str],
    min_match: int,
    aliases: Mapping[str, str],
    delimiter: str | None,
    first_line_fallback: bool,
) -> tuple[int, str, list[str]] | None:
    """(position in ``lines``, delimiter, cells) of the header row, or None."""
    delims: tuple[str, ...] = (delimiter,) if delimiter else DELIMITERS
    best: tuple[int, int, int, str, list[str]] | None = None
    for pos, (_, line) in enumerate(lines):
        for d in delims:
            cells = _split_line(line, d)
            score = _score(cells, expected, aliases) if expected else 0
            if score >= max(min_match, 1) and (best is None or (score, len(cells)) > best[:2]):
                best = (score, len(cells), pos, d, cells)
    if best is not None:
        return best[2], best[3], best[4]
    if first_line_fallback and lines:
        splits = [(d, _split_line(lines[0][1], d)) for d in delims]
        d, cells = max(splits, key=lambda t: len(t[1]))
        return 0, d, cells
    return None


def _bounded_lines(text: IO[str]) -> Iterator[str]:
    while line := text.readline(MAX_LINE):
        yield line


@contextmanager
def open_table(
    path: Path,
    options: ImportOptions,
    *,
    name: str | None = None,
    opener: Opener | None = None,
    expected: Collection[str] = (),
    min_match: int = 1,
    aliases: Mapping[str, str] | None = None,
    first_line_fallback: bool = False,
) -> Iterator[CsvTable | None]:
    """Open a CSV at its header row; yields None for a file with no non-blank line.

    ``expected`` are column names (matched loosely): the header is the row among the first
    :data:`HEADER_SCAN_LINES` non-blank lines matching most of them, at least ``min_match``.
    ``aliases`` maps normalised localised names to normalised canonical ones. Raises
    :class:`HeaderNotFoundError` when no row qualifies (unless ``first_line_fallback``).
    ``opener`` reads from elsewhere than ``path`` (a zip member); ``name`` is the file
    name locators use.
    """
    open_raw: Opener = opener or (lambda: path.open("rb"))
    aliases = aliases or {}
    with open_raw() as raw:
        head = raw.read(SNIFF_BYTES)
    encoding = options.encoding or sniff_csv_encoding(head)
    raw = open_raw()
    text = io.TextIOWrapper(raw, encoding=encoding, errors=_errors_for(encoding), newline="")
    try:
        buffered: list[str] = []
        candidates: list[tuple[int, str]] = []
        scanned = 0
        while len(candidates) < HEADER_SCAN_LINES and scanned < MAX_LINE:
            line = text.readline(MAX_LINE)
            if not line:
                break
            buffered.append(line)
            scanned += len(line)
            if line.strip().strip("\ufeff,;\t\"'"):
                candidates.append((len(buffered), line.lstrip("\ufeff")))
        if not candidates:
            yield None
            return
        wanted = {parse_header_key(e) for e in expected}
        found = _find_header(
            candidates, wanted, min_match, aliases, options.delimiter, first_line_fallback
        )
        if found is None:
            shown = ", ".join(sorted(expected)[:6])
            raise HeaderNotFoundError(
                f"no header row found in the first {HEADER_SCAN_LINES} lines "
                f"(expected columns such as {shown})"
            )
        pos, delimiter, header = found
        header_line = candidates[pos][0]
        keys = [aliases.get(k, k) for k in (parse_header_key(h) for h in header)]
        yield CsvTable(
            name=name or path.name,
            header=[h.strip() for h in header],
            keys=keys,
            delimiter=delimiter,
            encoding=encoding,
            header_line=header_line,
            lines=chain(buffered[header_line:], _bounded_lines(text)),
        )
    finally:
        text.close()
