"""Import & sync: upload contacts, a mail archive or a calendar; the report at the end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from rekindle.errors import UserError
from rekindle.services import settings
from rekindle.services.importing import import_path
from rekindle.services.sync_files import sync_calendar_path, sync_mail_path
from rekindle.web.deps import NowDep, StoreDep, render
from rekindle.web.uploads import receive_upload

router = APIRouter(tags=["import"])

KINDS = {
    "contacts": "Contacts: vCard, Google or Outlook CSV, LinkedIn export (.zip or Connections.csv)",
    "mail": "Mail: an mbox archive (Gmail Takeout, Thunderbird), an .eml file, LinkedIn messages",
    "calendar": "Calendar: an .ics export",
}


@router.get("/import")
def page(request: Request, store: StoreDep) -> Response:
    return render(request, "import.html", {"kinds": KINDS, "limit": _limit(request)})


def _limit(request: Request) -> int:
    return int(request.app.state.max_upload_bytes)


@router.post("/import")
async def upload(request: Request, store: StoreDep, now: NowDep) -> Response:
    received = await receive_upload(request, store.location.data_dir, _limit(request))
    try:
        kind = received.fields.get("kind", "contacts")
        if kind not in KINDS:
            raise UserError(f"unknown kind of import {kind!r}", hint=", ".join(KINDS))
        if received.path is None or received.size == 0:
            raise UserError("no file was sent, or it is empty", hint="choose a file first")
        path = received.path
        if kind == "contacts":
            region = settings.region(store)
            report: Any = await run_in_threadpool(
                lambda: import_path(store, path, region=region, now=now)
            )
        elif kind == "mail":
            report = await run_in_threadpool(lambda: sync_mail_path(store, path, now=now))
        else:
            report = await run_in_threadpool(lambda: sync_calendar_path(store, path, now=now))
    except UserError as exc:
        exc.message = _shown(exc.message, received.path, received.filename)
        raise
    finally:
        received.discard()
    context = {
        "kinds": KINDS,
        "limit": _limit(request),
        "kind": kind,
        "filename": received.filename,
        "summary": _shown(report.summary(), path, received.filename),
        "errors": [_shown(str(e), path, received.filename) for e in report.errors],
        "notices": [
            _shown(f"{n.locator}: {n.message}", path, received.filename) for n in report.notices
        ],
    }
    fragment = request.headers.get("HX-Request") == "true"
    return render(request, "_import_report.html" if fragment else "import.html", context)


def _shown(text: str, stored: Path | None, filename: str) -> str:
    """Messages name the file as the user knows it, never the stored upload's path."""
    if stored is None:
        return text
    return text.replace(str(stored), filename).replace(stored.name, filename)
