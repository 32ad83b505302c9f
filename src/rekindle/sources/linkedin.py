"""LinkedIn data export: a ``Connections.csv`` alone, or the whole export as a folder or a
``.zip`` (``Basic_``/``Complete_LinkedInDataExport_MM-DD-YYYY.zip``, files possibly one
folder deep, names in any case). Unknown files in an export are ignored.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from rekindle.identity.records import Item, RecordError
from rekindle.sources.base import Importer, ImportOptions
from rekindle.sources.bounded_zip import BoundedZip
from rekindle.sources.csv_table import sniff_header_keys
from rekindle.sources.linkedin_files import (
    FILE_NAMES,
    SOURCE,
    parse_export_file,
    parse_kind_from_header,
)

_ORDER = list(FILE_NAMES)
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, EOFError, OSError)
_ZIP_ERRORS_ALL = (*_ZIP_ERRORS, NotImplementedError)


def parse_export_members(names: list[str]) -> list[tuple[str, str]]:
    """(member path, kind) of the export files among ``names`` (posix paths), read order.

    The export root is the shallowest folder (depth 0 or 1) holding a known file; when
    several folders one deep qualify (two unpacked zips), each is read.
    """
    by_dir: dict[str, list[tuple[str, str]]] = {}
    for name in names:
        p = PurePosixPath(name)
        kind = FILE_NAMES.get(p.name.lower())
        if kind and len(p.parts) <= 2:
            by_dir.setdefault(str(p.parent), []).append((name, kind))
    dirs = ["."] if "." in by_dir else sorted(by_dir)
    found = []
    for d in dirs:
        found += sorted(
            by_dir[d], key=lambda t: (_ORDER.index(t[0].rsplit("/", 1)[-1].lower()), t[0])
        )
    return found


def _folder_names(folder: Path) -> list[str]:
    names = []
    for child in sorted(folder.iterdir()):
        if child.is_file():
            names.append(child.name)
        elif child.is_dir():
            names += [f"{child.name}/{c.name}" for c in sorted(child.iterdir()) if c.is_file()]
    return names


def _parse_folder(folder: Path, options: ImportOptions) -> Iterator[Item]:
    members = parse_export_members(_folder_names(folder))
    if members:
        for member, kind in members:
            yield from parse_export_file(kind, folder / member, member, options)
        return
    for archive in sorted(folder.glob("*.zip")):  # a folder holding the export zip(s)
        if _zip_members(archive):
            yield from _parse_zip(archive, options, label=archive.name)


def _zip_members(path: Path) -> list[tuple[str, str]]:
    try:
        with zipfile.ZipFile(path) as zf:
            return parse_export_members([i.filename for i in zf.infolist() if not i.is_dir()])
    except _ZIP_ERRORS:
        return []


def _parse_zip(path: Path, options: ImportOptions, label: str) -> Iterator[Item]:
    try:
        zf = zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        yield RecordError(SOURCE, label, f"not a readable zip file: {exc}")
        return
    with zf:
        bounded = BoundedZip(zf)
        members = parse_export_members([i.filename for i in zf.infolist() if not i.is_dir()])
        if not members:
            yield RecordError(SOURCE, label, "no LinkedIn export files (Connections.csv …) inside")
        for member, kind in members:
            name = f"{label}/{member}"
            try:
                yield from parse_export_file(
                    kind, path, name, options, opener=bounded.opener(member)
                )
            except _ZIP_ERRORS_ALL as exc:
                yield RecordError(SOURCE, name, f"cannot read this file in the zip: {exc}")


def _is_zip(path: Path, head: bytes | None = None) -> bool:
    if head is None:
        with path.open("rb") as fh:
            head = fh.read(4)
    return head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06")


def parse(path: Path, options: ImportOptions) -> Iterator[Item]:
    if path.is_dir():
        yield from _parse_folder(path, options)
        return
    if _is_zip(path):
        yield from _parse_zip(path, options, label=path.name)
        return
    kind = FILE_NAMES.get(path.name.lower())
    if kind is None:
        with path.open("rb") as fh:
            head = fh.read(64 * 1024)
        kinds = [parse_kind_from_header(keys) for keys in sniff_header_keys(head)]
        kind = next((k for k in kinds if k), "connections")
    yield from parse_export_file(kind, path, path.name, options)


def sniff(path: Path, head: bytes) -> float:
    if path.is_dir():
        names = _folder_names(path)
        members = parse_export_members(names)
        if any(kind == "connections" for _, kind in members):
            return 0.95
        if members:
            return 0.8
        return 0.9 if any(_zip_members(z) for z in sorted(path.glob("*.zip"))) else 0.0
    if _is_zip(path, head):
        members = _zip_members(path)
        if any(kind == "connections" for _, kind in members):
            return 0.95
        return 0.85 if members else 0.0
    scores = {"connections": 0.95, "invitations": 0.8}
    for keys in sniff_header_keys(head):
        kind = parse_kind_from_header(keys)
        if kind:
            return scores.get(kind, 0.7)
    return 0.0


IMPORTER = Importer(
    name="linkedin",
    title="LinkedIn data export (Connections.csv, or the whole export as .zip or folder)",
    sniff=sniff,
    parse=parse,
    extensions=(".csv", ".zip"),
    folders=True,
)
