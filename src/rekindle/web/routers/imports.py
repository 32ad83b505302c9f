"""Import & sync: upload a file, sync an archive by its path or the IMAP account, in the
background with live progress (htmx polls the job every second), then the report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from rekindle.errors import RekindleError, UserError
from rekindle.services import mail_accounts as accounts
from rekindle.services import settings
from rekindle.services.history import Progress
from rekindle.services.importing import import_path
from rekindle.services.sync_calendar import sync_calendar_path
from rekindle.services.sync_files import sync_mail_path
from rekindle.services.sync_imap import sync_imap
from rekindle.sources import check_readable
from rekindle.sources.imap_account import PASSWORD_ENV as IMAP_PASSWORD_ENV
from rekindle.store import Store
from rekindle.web.deps import NowDep, StoreDep, is_htmx, render, shared_server
from rekindle.web.jobs import Job, jobs_of
from rekindle.web.uploads import receive_upload

router = APIRouter(tags=["import"])

KINDS = {
    "contacts": "Contacts: vCard, Google or Outlook CSV, LinkedIn export (.zip or Connections.csv)",
    "mail": "Mail: an mbox archive (Gmail Takeout, Thunderbird), an .eml file, LinkedIn messages",
    "calendar": "Calendar: an .ics export",
}
PATH_KINDS = {
    "mail": "Mail archive (an mbox file, a Maildir, a folder of .eml files, a LinkedIn export)",
    "calendar": "Calendar (an .ics file or a folder of them)",
}
UNITS = {"contacts": "contacts", "mail": "messages", "calendar": "events", "imap": "messages"}
#: seconds a request waits for its job before answering with the progress bar instead
GRACE_SECONDS = 1.0
Work = Callable[[Progress], dict[str, Any]]


def _limit(request: Request) -> int:
    return int(request.app.state.max_upload_bytes)


def _team(request: Request) -> bool:
    """Team mode (a server shared by several people): its files are not the user's."""
    return bool(getattr(request.app.state, "team", False))


def _grace(request: Request) -> float:
    return float(getattr(request.app.state, "job_grace", GRACE_SECONDS))


@router.get("/import")
def page(request: Request, store: StoreDep) -> Response:
    return render(request, "import.html", _page_context(request, store))


def _page_context(request: Request, store: Store) -> dict[str, Any]:
    imap = accounts.imap_form(store) if settings.current(store).get("sync.imap") else None
    label = f"{imap.user}@{imap.host}" if imap else ""
    return {
        "kinds": KINDS,
        "path_kinds": PATH_KINDS,
        "limit": _limit(request),
        "team": _team(request),
        "imap": imap,
        "imap_needs_password": bool(imap)
        and not accounts.has_secret(IMAP_PASSWORD_ENV, label, shared_server(request)),
        "job": jobs_of(request).running(store.owner_id),
    }


@router.post("/import")
async def upload(request: Request, store: StoreDep, now: NowDep) -> Response:
    received = await receive_upload(request, store.location.data_dir, _limit(request))
    try:
        kind = received.fields.get("kind", "contacts")
        if kind not in KINDS:
            raise UserError(f"unknown kind of import {kind!r}", hint=", ".join(KINDS))
        if received.path is None or received.size == 0:
            raise UserError("no file was sent, or it is empty", hint="choose a file first")
    except UserError:
        received.discard()
        raise
    path, name = received.path, received.filename

    def shown(text: str) -> str:
        """Messages name the file as the user knows it, never the stored upload's path."""
        return text.replace(str(path), name).replace(path.name, name)

    def work(progress: Progress) -> dict[str, Any]:
        try:
            return _report(_run(store, kind, path, progress, now), shown)
        except RekindleError as exc:
            exc.message = shown(exc.message)
            raise

    # waiting for the job (the grace time) must not hold up the event loop
    return await run_in_threadpool(
        _start, request, store, name, kind, work, cleanup=received.discard
    )


@router.post("/import/path")
def sync_path(
    request: Request,
    store: StoreDep,
    now: NowDep,
    path: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "mail",
) -> Response:
    """Sync an archive on this machine by its path (not in team mode: the server's files are
    not the user's)."""
    if _team(request):
        raise UserError(
            "syncing a path on the server is turned off in team mode",
            hint="upload the file, or sync your IMAP account",
        )
    if kind not in PATH_KINDS:
        raise UserError(f"unknown kind of sync {kind!r}", hint=", ".join(PATH_KINDS))
    if not path.strip():
        raise UserError("no path given", hint="type the full path, e.g. ~/Mail/archive.mbox")
    target = Path(path.strip()).expanduser()
    try:
        check_readable(target)
    except RekindleError as exc:
        exc.hint = exc.hint or "give the full path of a file or folder this machine can read"
        raise

    def work(progress: Progress) -> dict[str, Any]:
        return _report(_run(store, kind, target, progress, now), str)

    return _start(request, store, str(target), kind, work)


@router.post("/import/imap")
def sync_account(
    request: Request,
    store: StoreDep,
    now: NowDep,
    password: Annotated[str, Form()] = "",
) -> Response:
    """Sync the IMAP account from Settings; a typed password serves this sync only."""
    url = accounts.sync_url(store)
    account = accounts.imap_account(store)
    shared = shared_server(request)
    if not password and not accounts.has_secret(IMAP_PASSWORD_ENV, account.label, shared):
        raise UserError(
            f"no IMAP password for {account.label}",
            hint=f"type it in the password field (it is not kept), set {IMAP_PASSWORD_ENV}, "
            "or store it in the system keyring",
        )
    env = accounts.secret_env(IMAP_PASSWORD_ENV, password, shared)

    def work(progress: Progress) -> dict[str, Any]:
        return _report(sync_imap(store, url, progress=progress, env=env, now=now), str)

    return _start(request, store, f"{account.label} (IMAP)", "imap", work)


@router.get("/import/jobs/{job_id}")
def job_page(request: Request, store: StoreDep, job_id: str) -> Response:
    job = jobs_of(request).get(job_id, store.owner_id)
    if job is None:
        raise HTTPException(404, "no such import (they are forgotten when the server restarts)")
    context = _job_context(job)
    if is_htmx(request):
        return render(request, "_job.html", context)
    return render(request, "import.html", {**_page_context(request, store), **context})


def _run(store: Store, kind: str, path: Path, progress: Progress, now: datetime) -> Any:
    if kind == "contacts":
        return import_path(store, path, region=settings.region(store), progress=progress, now=now)
    if kind == "mail":
        return sync_mail_path(store, path, progress=progress, now=now)
    return sync_calendar_path(store, path, progress=progress, now=now)


def _report(report: Any, shown: Callable[[str], str]) -> dict[str, Any]:
    return {
        "summary": shown(report.summary()),
        "errors": [shown(str(e)) for e in report.errors],
        "notices": [shown(f"{n.locator}: {n.message}") for n in report.notices],
    }


def _start(
    request: Request,
    store: Store,
    title: str,
    kind: str,
    work: Work,
    cleanup: Callable[[], None] | None = None,
) -> Response:
    """Start the job; its report if it ends within the grace time, else its progress."""
    job = jobs_of(request).start(store.owner_id, title, UNITS[kind], work, cleanup)
    grace = _grace(request)
    if not (grace > 0 and job.finished.wait(grace)):
        # still running (as far as this answer knows): the progress bar, polling
        if not is_htmx(request):
            return RedirectResponse(f"/import/jobs/{job.id}", status_code=303)
        return render(request, "_job.html", _job_context(job, running=True))
    if job.state == "failed":
        raise UserError(job.error or "the import failed", hint=job.hint)
    if is_htmx(request):
        return render(request, "_job.html", _job_context(job))
    return render(request, "import.html", {**_page_context(request, store), **_job_context(job)})


def _job_context(job: Job, running: bool = False) -> dict[str, Any]:
    """What the page shows of the job now (a copy: the thread goes on changing the job);
    ``running``: as it was when it started."""
    state = "running" if running else job.state
    view = {
        "id": job.id,
        "title": job.title,
        "unit": job.unit,
        "running": state == "running",
        "state": state,
        "read": 0 if running else job.read,
        "share": None if running else job.share,
        "stage": None if running else job.stage,
        "error": job.error,
        "hint": job.hint,
    }
    report = job.report if state == "done" else None
    return {"job": view, "filename": job.title, **(report or {})}
