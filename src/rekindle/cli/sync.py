"""`rekindle sync mail|calendar|status|rebuild`: learn the history from mail and calendars."""

from __future__ import annotations

import getpass
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from rekindle.cli.context import STATE, console, err_console, print_json, safe
from rekindle.cli.sync_contacts import sync_contacts_command
from rekindle.plural import counted

if TYPE_CHECKING:
    from rekindle.services.history import SyncReport

sync_app = typer.Typer(
    help="Learn who you talked to, and when, from mail archives, IMAP and calendars; "
    "keep a CardDAV address book in step both ways.",
    no_args_is_help=True,
)


class _Bar:
    """A progress line that appears only when the work takes more than a second."""

    def __init__(self, what: str, quiet: bool) -> None:
        self.what = what
        self.started = time.monotonic()
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
            disable=quiet or not err_console.is_terminal,  # no blank line when piped
        )
        self.task = self.progress.add_task(what, total=None, visible=False)

    def __enter__(self) -> _Bar:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)

    def __call__(self, n: int, share: float | None = None, stage: str | None = None) -> None:
        if time.monotonic() - self.started > 1.0:
            text = f"{self.what}: {n:,} read"
            if stage:
                text += f"; {stage}…"
            elif share is not None:
                text += f" ({share:.0%})"
            self.progress.update(self.task, description=text, visible=True)


def _print(report: SyncReport, verbose: bool, as_json: bool) -> None:
    if as_json:
        c = report.counts
        print_json(
            {
                "kind": report.kind,
                "source": report.locator,
                "read": c.read,
                "new": c.new,
                "duplicates": c.duplicates,
                "not_interactions": dict(c.skipped),
                "interactions": c.interactions,
                "with_nobody_known": report.unexplained(),
                "new_people": c.new_people,
                "new_addresses": [
                    {"address": n.address, "person": n.person, "reasons": n.reasons}
                    for n in report.new_addresses
                ],
                "resumed": report.resumed,
                "errors": [{"locator": e.locator, "message": e.message} for e in report.errors],
                "notices": [{"locator": n.locator, "message": n.message} for n in report.notices],
            }
        )
        return
    for notice in report.notices:
        console.print(f"[cyan]note:[/cyan] {safe(notice.locator)}: {safe(notice.message)}")
    shown = report.errors if verbose else report.errors[:5]
    for err in shown:
        err_console.print(f"[yellow]skipped[/yellow] {safe(err.locator)}: {safe(err.message)}")
    if len(report.errors) > len(shown):
        err_console.print(
            f"[dim]… and {len(report.errors) - len(shown)} more (--verbose lists them)[/dim]"
        )
    if verbose:
        for why, n in report.counts.skipped.most_common():
            console.print(f"  not an interaction: {n} × {safe(why)}")
    if report.resumed and report.counts.read:
        console.print("[dim]resumed after the previous sync: only what is new was read[/dim]")
    console.print(safe(report.summary()))
    from rekindle.history.mail_rules import UNKNOWN_ME

    if report.counts.skipped.get(UNKNOWN_ME):
        console.print(
            "[cyan]hint:[/cyan] `rekindle me --suggest` proposes your own addresses from your"
            " sent mail; `rekindle me add-address ADDRESS` adds one and derives the history again"
        )


def _prompt(label: str) -> str:
    if not sys.stdin.isatty():
        return ""
    return getpass.getpass(f"IMAP password for {label}: ")


@sync_app.command("mail")
def sync_mail(
    source: Annotated[
        str,
        typer.Argument(
            help="An mbox file, a Maildir or folder of .eml files, a LinkedIn export "
            "or messages.csv, or imap(s)://user@host/FOLDER,FOLDER[?starttls]."
        ),
    ],
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every unreadable message.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Read mail headers (never bodies) and learn the interactions; re-running reads only what is new.

    IMAP is read-only; the password comes from REKINDLE_IMAP_PASSWORD, the system keyring
    (service "rekindle", user "user@host") or a prompt, and is never stored by Rekindle.
    """
    store = STATE.store()
    with _Bar("syncing", as_json) as bar:
        if source.startswith(("imap://", "imaps://")):
            from rekindle.services.sync_imap import sync_imap

            report = sync_imap(store, source, prompt=_prompt, progress=bar)
        else:
            from rekindle.services.sync_files import sync_mail_path

            report = sync_mail_path(store, Path(source), progress=bar)
    _print(report, verbose, as_json)


@sync_app.command("calendar")
def sync_calendar(
    path: Annotated[Path, typer.Argument(help="An .ics file or a folder of them.")],
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every event that could not be read.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Learn meetings from a calendar export: small meetings weigh more, declined ones do not count."""
    from rekindle.services.sync_calendar import sync_calendar_path

    with _Bar("reading the calendar", as_json) as bar:
        report = sync_calendar_path(STATE.store(), path, progress=bar)
    _print(report, verbose, as_json)


@sync_app.command("status")
def sync_status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the mail and calendar sources and the CardDAV address books synced so far."""
    from rekindle.services import history
    from rekindle.services.sync_contacts import address_books

    store = STATE.store()
    rows = history.sources(store)
    books = address_books(store)
    if as_json:
        print_json(rows + books)
        return
    if not rows and not books:
        console.print(
            "nothing synced yet: `rekindle sync mail PATH`, `rekindle sync calendar PATH` "
            "or `rekindle sync contacts URL`"
        )
    for r in rows:
        when = f"{r['last_sync_at']:%Y-%m-%d %H:%M}" if r["last_sync_at"] else "never"
        said = {"duplicates": "already known", "errors": "unreadable"}
        counts = ", ".join(
            f"{r['counts'][key]:,} {said.get(key, key)}"
            for key in ("read", "new", "duplicates", "errors")
            if r["counts"].get(key)
        )
        console.print(
            f"  {r['kind']:8} {safe(r['locator'])}  "
            f"[dim]last run {when}: {safe(counts or 'nothing new')}[/dim]"
        )
    for b in books:
        console.print(f"  {'carddav':8} {safe(b['locator'])}  [dim]{safe(_book_line(b))}[/dim]")


def _book_line(book: dict[str, Any]) -> str:
    when = f"{book['last_sync_at']:%Y-%m-%d %H:%M}" if book["last_sync_at"] else "never"
    line = f"{book['name']}, last sync {when}: {counted(book['counts']['cards'], 'card')}"
    if waiting := book["counts"]["conflicts"]:
        line += f", {counted(waiting, 'conflict')} waiting (sync contacts URL --resolve)"
    return line


@sync_app.command("rebuild")
def sync_rebuild() -> None:
    """Derive every interaction again from the stored messages (after your addresses changed)."""
    from rekindle.services import history

    report = history.rebuild(STATE.store())
    console.print(
        f"{counted(report.counts.interactions, 'interaction')}, "
        f"{counted(report.counts.new_people, 'new person', 'new people')}"
    )


sync_app.command("contacts")(sync_contacts_command)


def register(app: typer.Typer) -> None:
    app.add_typer(sync_app, name="sync")
