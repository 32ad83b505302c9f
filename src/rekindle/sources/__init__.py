"""The registry of contact importers and format detection.

Each source module exposes ``IMPORTER``; :func:`detect` picks the one that recognises a
file's content best (not only its extension) and says why.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from rekindle.errors import ImportFileError
from rekindle.sources.base import Importer, ImportOptions, looks_binary, read_head

__all__ = ["Importer", "ImportOptions", "detect", "get_importer", "importers"]

_MODULES = ("vcard", "linkedin", "google_csv", "outlook_csv", "generic_csv")
_REGISTRY: dict[str, Importer] | None = None


def importers() -> dict[str, Importer]:
    global _REGISTRY
    if _REGISTRY is None:
        found: dict[str, Importer] = {}
        for name in _MODULES:
            importer: Importer = import_module(f"rekindle.sources.{name}").IMPORTER
            found[importer.name] = importer
        _REGISTRY = found
    return _REGISTRY


def supported_formats() -> str:
    return ", ".join(f"{imp.name} ({imp.title})" for imp in importers().values())


def get_importer(name: str) -> Importer:
    try:
        return importers()[name]
    except KeyError:
        raise ImportFileError(
            f"unknown format {name!r}", hint=f"supported formats: {supported_formats()}"
        ) from None


def check_readable(path: Path) -> None:
    """Raise a clear :class:`ImportFileError` for a path that cannot be imported at all."""
    if not path.exists():
        raise ImportFileError(f"{path}: no such file or folder")
    if path.is_dir():
        return
    if not path.is_file():
        raise ImportFileError(f"{path}: not a regular file")
    try:
        with path.open("rb") as fh:
            fh.read(1)
    except PermissionError:
        raise ImportFileError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def detect(path: Path) -> Importer:
    """The importer that recognises ``path`` best, or a clear error listing the formats."""
    check_readable(path)
    head = b"" if path.is_dir() else read_head(path)
    if path.is_file():
        if not head:
            raise ImportFileError(f"{path}: the file is empty")
        if looks_binary(head):
            raise ImportFileError(
                f"{path}: binary data, not a contact format",
                hint=f"supported formats: {supported_formats()}",
            )
    scored = []
    for importer in importers().values():
        if path.is_dir() and not importer.folders:
            continue
        scored.append((importer.sniff(path, head), importer.name, importer))
    scored.sort(key=lambda t: (-t[0], t[1]))
    if not scored or scored[0][0] <= 0.0:
        what = "folder" if path.is_dir() else "file"
        raise ImportFileError(
            f"{path}: this {what} is in no contact format Rekindle reads",
            hint=f"supported formats: {supported_formats()}; force one with --as FORMAT",
        )
    return scored[0][2]
