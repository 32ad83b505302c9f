"""Receiving an uploaded file: streamed into the data directory, size-limited, nowhere else.

The multipart body is parsed as it arrives; the file part goes straight to
``<data dir>/uploads/<random name><suffix>`` (the client's file name is never used as a path),
small form fields are kept in memory, and an upload over the limit is cut off and deleted.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from fastapi import HTTPException, Request
from python_multipart.multipart import MultipartParser, parse_options_header

from rekindle.web.auth import CSRF_FIELD, check_csrf

#: small form fields (the kind of import, a CSRF-free checkbox) are at most this long
MAX_FIELD = 4096
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}$")


@dataclass
class Upload:
    """The stored file (None when none was sent), its name as the client gave it, the fields."""

    path: Path | None = None
    filename: str = ""
    size: int = 0
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def upload_dir(data_dir: Path) -> Path:
    folder = data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def safe_suffix(filename: str) -> str:
    """The client's extension if it is plain (``.vcf``, ``.mbox``), else none."""
    found = _SUFFIX.search(filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    return found.group(0).lower() if found else ""


async def receive_upload(request: Request, data_dir: Path, limit: int) -> Upload:
    """Parse a ``multipart/form-data`` request with one file field."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or b"boundary" not in params:
        raise HTTPException(400, "send the file as a form upload (multipart/form-data)")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise HTTPException(413, f"the file is larger than the limit of {_size(limit)}")
    folder = upload_dir(data_dir)
    upload = Upload()
    state: dict[str, Any] = {"headers": {}, "name": b"", "value": b"", "out": None}
    too_big: list[bool] = []

    def on_part_begin() -> None:
        state.update(headers={}, header_field=b"", header_value=b"", out=None, chunks=[])

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["header_field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["header_value"] += data[start:end]

    def on_header_end() -> None:
        state["headers"][state["header_field"].lower()] = state["header_value"]
        state["header_field"], state["header_value"] = b"", b""

    def on_headers_finished() -> None:
        _, options = parse_options_header(state["headers"].get(b"content-disposition", b""))
        state["name"] = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options and upload.path is None:
            _check_token(request, upload)
            upload.filename = options[b"filename"].decode("utf-8", "replace")
            upload.path = folder / (secrets.token_hex(12) + safe_suffix(upload.filename))
            state["out"] = open(upload.path, "xb")  # noqa: SIM115 - closed in on_part_end

    def on_part_data(data: bytes, start: int, end: int) -> None:
        out: IO[bytes] | None = state["out"]
        if out is not None:
            upload.size += end - start
            if upload.size > limit:
                too_big.append(True)
                return
            out.write(data[start:end])
        elif state["name"]:
            state["chunks"].append(data[start:end])
            if sum(map(len, state["chunks"])) > MAX_FIELD:
                raise HTTPException(400, f"the field {state['name']!r} is too long")

    def on_part_end() -> None:
        out: IO[bytes] | None = state["out"]
        if out is not None:
            out.close()
            state["out"] = None
        elif state["name"]:
            text = b"".join(state["chunks"]).decode("utf-8", "replace")
            upload.fields[state["name"]] = text

    parser = MultipartParser(
        params[b"boundary"],
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if too_big:
                break
        if not too_big:
            parser.finalize()
    except HTTPException:
        _close(state)
        upload.discard()
        raise
    except Exception as exc:  # a malformed body: say so, keep nothing
        _close(state)
        upload.discard()
        raise HTTPException(400, f"the upload could not be read: {exc}") from None
    _close(state)
    if too_big:
        upload.discard()
        raise HTTPException(413, f"the file is larger than the limit of {_size(limit)}")
    try:
        _check_token(request, upload)
    except HTTPException:
        upload.discard()
        raise
    return upload


def _check_token(request: Request, upload: Upload) -> None:
    """Team mode: the form's CSRF token must come before the file, and match the session."""
    expected = getattr(request.state, "csrf_pending", None)
    if expected is not None:
        check_csrf(upload.fields.get(CSRF_FIELD), expected)


def _close(state: dict[str, Any]) -> None:
    out = state.get("out")
    if out is not None:
        out.close()
        state["out"] = None


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n / 1024:g} kB"
