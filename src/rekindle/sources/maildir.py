"""One message per file: Maildir (``cur/``, ``new/``, Maildir++ ``.Folder.Sub/``, nested folders),
single ``.eml`` files and folders of them (Enron's numbered ``1.`` / ``1_`` files).

Only the header bytes of each file are read (64 KB pieces until the blank line). Entries are
visited in sorted order, so a run is deterministic. :func:`sniff_mail` tells the mail formats
apart from their content.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from rekindle.history.records import MessageRecord
from rekindle.identity.records import RecordError
from rekindle.sources.mail_headers import MAX_HEADER, parse_header_block
from rekindle.sources.mbox import find_blank

PIECE = 64 * 1024
#: files a mail store keeps next to its messages
_JUNK = re.compile(
    r"^(?:dovecot[-.].*|maildirfolder|subscriptions|courierimap.*|\.ds_store|\.uidvalidity|"
    r"\.mh_sequences|.*\.msf|.*\.lock|(?:license|copying|readme)(?:\..*)?)$",
    re.IGNORECASE,
)
_EML_NAME = re.compile(r"^(?:\d+[._]?|.*\.(?:eml|msg)|[^.]+|.*[:!;]2,[A-Za-z]*)$", re.IGNORECASE)
_INFO = re.compile(r"[:!;]2,[^/]*$")
_MAIL_FIELD = re.compile(
    rb"(?im)^(?:from|date|subject|message-id|received|return-path|mime-version|delivered-to"
    rb"|x-gm-thrid|to|content-type)[ \t]*:"
)
_BLANK_LINES = re.compile(rb"(?:[ \t]*\r?\n)*")
_FIRST_FIELD = re.compile(rb"[!-9;-~]+[ \t]*:")
_ENVELOPE_LINE = re.compile(rb"From [^\r\n]*\d{1,2}:\d\d[^\r\n]*\d{4}[^\r\n]*\r?\n")
SNIFF_FILES = 200

Seen = Callable[[str], bool]


def maildir_key(locator: str) -> str:
    """The stable name of a Maildir message: its relative path without the ``cur``/``new``
    step and without the ``:2,<flags>`` suffix (a message keeps it when read or flagged)."""
    parts = [p for p in locator.split("/") if p not in ("cur", "new")]
    return _INFO.sub("", "/".join(parts))


def _folder(rel_dir: str, maildir: bool) -> str | None:
    """``.Work.Projects/cur`` -> ``Work/Projects``; ``foo/baz/new`` -> ``foo/baz``; root ->
    ``INBOX`` in a Maildir, None otherwise."""
    parts = [p for p in rel_dir.split("/") if p and p not in ("cur", "new")]
    if not parts:
        return "INBOX" if maildir else None
    names: list[str] = []
    for part in parts:
        if part.startswith(".") and len(part) > 1:
            names.extend(x for x in part[1:].split(".") if x)
        else:
            names.append(part)
    return "/".join(names)


def _list(directory: str, maildir: bool) -> tuple[list[str], list[str]]:
    """(message file names, sub-folder names) of one directory, each sorted. Only names are
    kept, so a folder of millions of messages stays small in memory."""
    files: list[str] = []
    subdirs: list[str] = []
    try:
        with os.scandir(directory) as it:
            for entry in it:
                name = entry.name
                try:
                    if entry.is_dir(follow_symlinks=False):
                        hidden = name.startswith(".") and not maildir
                        if name != "tmp" and not hidden and not _JUNK.match(name):
                            subdirs.append(name)
                    elif (
                        entry.is_file(follow_symlinks=False)
                        and not _JUNK.match(name)
                        and (maildir or _EML_NAME.match(name))
                    ):
                        files.append(name)
                except OSError:
                    continue
    except OSError:
        pass
    files.sort()
    subdirs.sort()
    return files, subdirs


def _walk(root: Path, maildir: bool) -> Iterator[tuple[str, str, str | None]]:
    """(absolute path, relative path, folder) of each candidate message file, depth first in
    sorted order (a run is deterministic)."""
    stack = [""]
    base = str(root)
    while stack:
        rel = stack.pop()
        directory = os.path.join(base, rel) if rel else base
        files, subdirs = _list(directory, maildir)
        folder = _folder(rel, maildir)
        prefix = f"{rel}/" if rel else ""
        for name in files:
            yield os.path.join(directory, name), prefix + name, folder
        stack.extend(prefix + d for d in reversed(subdirs))


def read_header_bytes(path: str) -> tuple[bytes, int]:
    """The header block of a one-message file (64 KB pieces until the blank line, at most
    :data:`MAX_HEADER`) and the file's size. Raises OSError."""
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.read(fd, PIECE)
        # a short read is the whole file: no fstat needed (a system call saved per message)
        size = len(data) if len(data) < PIECE else os.fstat(fd).st_size
        start = len(data) - len(data.lstrip(b"\r\n"))
        while True:
            end = _blank(data, start)
            if end >= 0:
                return data[start:end], size
            if len(data) >= MAX_HEADER:
                return data[start:MAX_HEADER], size
            more = os.read(fd, PIECE)
            if not more:
                return data[start:], size
            data += more
    finally:
        os.close(fd)


def _blank(data: bytes, start: int) -> int:
    """Index just after the header block's last line (before the blank line), or -1."""
    if data.startswith(b"\n", start) or data.startswith(b"\r\n", start):
        return start
    end = find_blank(data, start, len(data))
    return end + 1 if end >= 0 else -1


def _read_files(
    root: Path, maildir: bool, source: str, seen: Seen | None, now: datetime
) -> Iterator[MessageRecord | RecordError]:
    for path, rel, folder in _walk(root, maildir):
        if seen is not None and seen(maildir_key(rel)):
            continue
        try:
            header, size = read_header_bytes(path)
        except OSError as exc:
            yield RecordError(source, rel, f"cannot be read: {exc.strerror or exc}")
            continue
        yield parse_header_block(header, source, rel, folder, now=now, size=size)


def read_maildir(
    path: Path, *, seen: Seen | None = None, now: datetime | None = None
) -> Iterator[MessageRecord | RecordError]:
    """Every message file under a Maildir (``cur/`` and ``new/``, not ``tmp/``), its Maildir++
    ``.Folder.Sub/`` sub-folders and plain nested folders. ``locator`` is the relative path;
    files whose :func:`maildir_key` ``seen`` accepts are skipped without being opened."""
    root = Path(path)
    yield from _read_files(root, True, "maildir", seen, now or datetime.now(UTC))


def count_files(path: Path, *, maildir: bool, seen: Seen | None = None) -> int:
    """How many message files a read of ``path`` opens (:func:`read_maildir` when ``maildir``,
    else :func:`read_eml`): the files ``seen`` accepts are not counted. Only names are listed,
    so a sync can tell what share it has read."""
    root = Path(path)
    if not root.is_dir():
        return 1
    return sum(
        1 for _, rel, _ in _walk(root, maildir) if seen is None or not seen(maildir_key(rel))
    )


def read_eml(
    path: Path, *, seen: Seen | None = None, now: datetime | None = None
) -> Iterator[MessageRecord | RecordError]:
    """One ``.eml`` file, or every message file under a folder (``*.eml``, ``*.msg``, Enron's
    numbered ``1.`` / ``1_`` files, names without an extension), sub-folders included."""
    root = Path(path)
    now = now or datetime.now(UTC)
    if root.is_dir():
        yield from _read_files(root, False, "eml", seen, now)
        return
    try:
        header, size = read_header_bytes(str(root))
    except OSError as exc:
        yield RecordError("eml", root.name, f"cannot be read: {exc.strerror or exc}")
        return
    yield parse_header_block(header, "eml", root.name, None, now=now, size=size)


def _sniff_bytes(head: bytes) -> str | None:
    head = head.lstrip(b"\xef\xbb\xbf")
    head = head[_BLANK_LINES.match(head).end() :]  # type: ignore[union-attr]
    envelope = _ENVELOPE_LINE.match(head)
    if envelope:
        rest = head[envelope.end() :]
        return "mbox" if _FIRST_FIELD.match(rest) or rest[:2] in (b"\n", b"\r\n") else None
    if not _FIRST_FIELD.match(head):
        return None
    end = _blank(head, 0)
    return "eml" if _MAIL_FIELD.search(head[: end if end >= 0 else len(head)]) else None


def _sniff_file(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return _sniff_bytes(fh.read(PIECE))
    except OSError:
        return None


def sniff_mail(path: Path) -> str | None:
    """``"mbox"``, ``"maildir"``, ``"eml"`` or None, from what ``path`` holds (not its name)."""
    root = Path(path)
    if root.is_file():
        return _sniff_file(str(root))
    if not root.is_dir():
        return None
    budget = SNIFF_FILES
    for dirpath, dirnames, filenames in os.walk(root):
        if "cur" in dirnames or "new" in dirnames:
            return "maildir"
        dirnames[:] = sorted(d for d in dirnames if d != "tmp")
        for name in sorted(filenames):
            if _JUNK.match(name):
                continue
            kind = _sniff_file(os.path.join(dirpath, name))
            if kind is not None:
                return kind
            budget -= 1
            if budget <= 0:
                return None
    return None
