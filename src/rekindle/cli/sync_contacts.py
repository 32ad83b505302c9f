"""`rekindle sync contacts URL`: keep a CardDAV address book and Rekindle in step, both ways."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn

from rekindle.cli.context import STATE, console, err_console, print_json, safe


class _Cards:
    """A progress line, started with the first card (after any password prompt)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, n: int) -> None:
        if self.quiet:
            return
        if self.bar is None:
            self.bar = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), console=err_console,
                transient=True,
            )  # fmt: skip
            self.bar.start()
            self.task = self.bar.add_task("", total=None)
        assert self.task is not None
        self.bar.update(self.task, description=f"syncing contacts: {n:,} cards")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _prompt(text: str) -> str:
    if not sys.stdin.isatty():
        return ""
    return getpass.getpass(text)


def sync_contacts_command(
    url: Annotated[
        str,
        typer.Argument(
            help="The CardDAV server, your principal or one address book, with your user "
            "name: https://USER@host/dav/ (iCloud, Nextcloud, Fastmail, Radicale, …)."
        ),
    ],
    user: Annotated[
        str | None, typer.Option("--user", help="The user name, if it is not in the URL.")
    ] = None,
    resolve: Annotated[
        str | None,
        typer.Option(
            "--resolve",
            help="Settle the conflicts (a field changed both on the server and in Rekindle, "
            "or a card deleted on the server whose person you changed): keep-mine writes "
            "Rekindle's value to the card (or the deleted card again), keep-theirs takes the "
            "server's and drops your edit (or lets the delete happen). Without it conflicts "
            "are listed and nothing is lost.",
        ),
    ] = None,
    push_new: Annotated[
        bool,
        typer.Option(
            "--push-new", help="Also create a card for each person Rekindle learnt from mail."
        ),
    ] = False,
    push_merged: Annotated[
        bool,
        typer.Option(
            "--push-merged",
            help="Write a person Rekindle merged from several cards as one card and delete "
            "the others on the server (by default the server keeps its cards).",
        ),
    ] = False,
    delete: Annotated[
        list[str] | None,
        typer.Option(
            "--delete",
            help="Delete this person's cards on the server and in Rekindle (an id, an email "
            "address or a name; repeatable). A card changed on the server meanwhile is kept.",
        ),
    ] = None,
    book: Annotated[
        str | None,
        typer.Option("--book", help="Sync only the address book with this name or path."),
    ] = None,
    no_sync_token: Annotated[
        bool,
        typer.Option(
            "--no-sync-token",
            help="Compare every card's ETag instead of asking for changes since the last sync "
            "(for servers whose RFC 6578 sync misbehaves).",
        ),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every unreadable card.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Sync contacts with a CardDAV address book, both ways, without losing an edit.

    Pulls what changed on the server (sync-token, or ETags), pushes Rekindle's edits with
    If-Match so a change made on the phone meanwhile is never overwritten, and keeps a field
    changed on both sides, or a card deleted on the server whose person you changed, as a
    conflict for --resolve. Name, organisation, title, birthday, addresses, numbers, web
    addresses and tags (CATEGORIES) sync both ways; a card's NOTE is read, never written.
    The password comes from REKINDLE_CARDDAV_PASSWORD, the system keyring (service
    "rekindle", user "user@host") or a prompt, and is never stored by Rekindle.
    See docs/carddav.md.
    """
    from rekindle.services.sync_contacts import SyncOptions, sync_contacts

    options = SyncOptions(
        resolve=resolve,
        push_new=push_new,
        push_merged=push_merged,
        delete=tuple(delete or ()),
        book=book,
        use_sync_token=not no_sync_token,
    )
    cards = _Cards(as_json)
    try:
        report = sync_contacts(
            STATE.store(), url, user=user, options=options, prompt=_prompt,
            region=STATE.region(), progress=cards,
        )  # fmt: skip
    finally:
        cards.close()
    if as_json:
        print_json(report.as_json())
        return
    for notice in report.notices:
        console.print(f"[cyan]note:[/cyan] {safe(notice)}")
    shown = report.errors if verbose else report.errors[:5]
    for err in shown:
        err_console.print(f"[yellow]skipped[/yellow] {safe(err.locator)}: {safe(err.message)}")
    if len(report.errors) > len(shown):
        err_console.print(f"[dim]… and {len(report.errors) - len(shown)} more (--verbose)[/dim]")
    for c in report.conflicts:
        if c.deleted:
            console.print(
                f"[red]conflict[/red] {safe(c.person)} ({safe(c.path)}): deleted on the server, "
                "changed in Rekindle since the last sync (keep-mine writes the card again, "
                "keep-theirs lets the delete happen):"
            )
            for name, (mine, _) in c.fields.items():
                console.print(f"  {name}: Rekindle {safe(str(mine))!r}")
            continue
        console.print(f"[red]conflict[/red] {safe(c.person)} ({safe(c.path)}):")
        for name, (mine, theirs) in c.fields.items():
            console.print(f"  {name}: Rekindle {safe(str(mine))!r}, server {safe(str(theirs))!r}")
    console.print(safe(report.summary()))
