"""`rekindle import`: read contacts from a file or an export folder."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from rekindle.cli.context import STATE, console, err_console, print_json, safe
from rekindle.errors import UserError

if TYPE_CHECKING:
    from rekindle.services.importing import ImportReport
    from rekindle.store import Store


def _column_map(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise UserError(
                f"--map {pair!r} is not FIELD=Column", hint="e.g. --map email='E-mail Address'"
            )
        out[field.strip()] = column.strip()
    return out


def _print_report(report: ImportReport, verbose: bool) -> None:
    for notice in report.notices:
        console.print(f"[cyan]note:[/cyan] {safe(notice.locator)}: {safe(notice.message)}")
    shown = report.errors if verbose else report.errors[:5]
    for error in shown:
        err_console.print(f"[yellow]skipped[/yellow] {safe(error.locator)}: {safe(error.message)}")
    if len(report.errors) > len(shown):
        err_console.print(f"[dim]… and {len(report.errors) - len(shown)} more[/dim]")
    if verbose:
        for line in report.merge_details:
            console.print(f"[green]merged[/green] {safe(line)}")
    line = report.summary()
    if (report.errors and not verbose) or (report.merge_details and not verbose):
        line += " — `--verbose` lists them"
    console.print(safe(line))


def _restored(store: Store, path: Path, as_format: str | None, as_json: bool) -> bool:
    """A backup from `rekindle export json` is restored (into an empty database only)."""
    from rekindle.services.backup import looks_like_backup, restore_backup

    if as_format not in (None, "backup") or not (as_format or looks_like_backup(path)):
        return False
    report = restore_backup(store, path)
    if as_json:
        print_json({"path": report.path, "format": "backup", "people": report.people, **report.rows})
    else:
        console.print(safe(report.summary()))
    return True


def import_command(
    path: Annotated[
        Path,
        typer.Argument(
            help="A contact file (vCard, CSV), an export folder/zip (LinkedIn), or a backup "
            "from `rekindle export json` (restored into an empty database).",
            show_default=False,
        ),
    ],
    as_format: Annotated[
        str | None, typer.Option("--as", help="Force the format instead of detecting it.")
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Stop at the first malformed record (nothing is stored)."),
    ] = False,
    column_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Generic CSV: FIELD=Column, repeatable (fields: name, given_name, family_name, email, phone, organisation, title, url, linkedin, birthday, note, tags).",
        ),
    ] = None,
    keep_photos: Annotated[
        bool | None,
        typer.Option(
            "--keep-photos/--drop-photos",
            help="Keep vCard photos (default: the keep_photos setting).",
        ),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Force the text encoding (default: sniffed).")
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every skipped record and merge.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import contacts; the format is detected from the content. Re-importing changes nothing."""
    from rekindle.services import settings
    from rekindle.services.importing import import_path
    from rekindle.sources import ImportOptions, detect, get_importer

    store = STATE.store()
    if _restored(store, path, as_format, as_json):
        return
    importer = get_importer(as_format) if as_format else detect(path)
    if not as_json:
        console.print(f"Detected [bold]{safe(importer.title)}[/bold] in {safe(path)}")
    current = settings.current(store)
    keep = keep_photos if keep_photos is not None else current["keep_photos"] == "yes"
    options = ImportOptions(
        keep_photos=keep, column_map=_column_map(column_map or []), encoding=encoding
    )
    started = time.monotonic()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=as_json,
    ) as bar:
        task = bar.add_task("importing", total=None, visible=False)

        def progress(n: int) -> None:
            if time.monotonic() - started > 1.0:
                bar.update(task, description=f"importing: {n} records read", visible=True)

        report = import_path(
            store,
            path,
            importer.name,
            options,
            strict=strict,
            region=current["region"],
            progress=progress,
        )
    if as_json:
        print_json(
            {
                **report.counts(),
                "path": report.path,
                "format": report.format,
                "errors": [{"locator": e.locator, "message": e.message} for e in report.errors],
                "notices": [{"locator": n.locator, "message": n.message} for n in report.notices],
            }
        )
    else:
        _print_report(report, verbose)
    if report.errors and not (report.contacts or report.me or report.interactions):
        raise typer.Exit(1)  # nothing in the file could be read


def formats_command() -> None:
    """List the formats `rekindle import` reads."""
    from rekindle.sources import importers

    for imp in importers().values():
        console.print(f"[bold]{imp.name:12}[/bold] {safe(imp.title)}")


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("formats")(formats_command)
