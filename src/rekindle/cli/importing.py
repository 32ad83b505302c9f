"""`rekindle import`: read contacts from a file or an export folder."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Contact files (vCard, CSV), export folders or zips (LinkedIn), or folders of "
            "contact files: one or more, each imported in turn. Or one backup from "
            "`rekindle export json` (restored into an empty database).",
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
    """Import contacts; the format is detected from the content. Re-importing changes nothing.

    Several files import one after the other, each in its own transaction: a file that
    cannot be read is told and the others still go in. A folder that is no export of a
    known kind imports the contact files in it (not in its subfolders).
    """
    from rekindle.services import settings
    from rekindle.sources import ImportOptions

    store = STATE.store()
    if len(paths) == 1 and _restored(store, paths[0], as_format, as_json):
        return
    current = settings.current(store)
    keep = keep_photos if keep_photos is not None else current["keep_photos"] == "yes"
    options = ImportOptions(
        keep_photos=keep, column_map=_column_map(column_map or []), encoding=encoding
    )
    files = _expand(paths, as_format)
    reports: list[dict[str, Any]] = []
    failed = 0
    for path in files:
        try:
            report = _import_one(path, as_format, options, strict, current["region"], as_json)
        except UserError as exc:
            if len(files) == 1 or strict:
                raise
            failed += 1
            err_console.print(f"[red]error:[/red] {safe(exc.message)}")
            continue
        if as_json:
            reports.append(_report_json(report))
        else:
            _print_report(report, verbose)
        if report.errors and not (report.contacts or report.me or report.interactions):
            failed += 1  # nothing in the file could be read
    if as_json:
        print_json(reports[0] if len(paths) == 1 and len(reports) == 1 else reports)
    if failed:
        if len(files) > 1:
            err_console.print(f"{failed} of {len(files)} files could not be imported")
        raise typer.Exit(1)


def _expand(paths: list[Path], as_format: str | None) -> list[Path]:
    """The paths to import: a folder no importer recognises stands for its contact files."""
    from rekindle.sources import detect

    files: list[Path] = []
    for path in paths:
        if as_format is None and path.is_dir():
            try:
                detect(path)
            except UserError:
                inside = sorted(
                    p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
                )
                if inside:
                    files.extend(inside)
                    continue
        files.append(path)
    return files


def _import_one(
    path: Path,
    as_format: str | None,
    options: Any,
    strict: bool,
    region: str | None,
    quiet: bool,
) -> ImportReport:
    """Import one file or export folder, with a spinner when it takes more than a second."""
    from rekindle.services.importing import import_path
    from rekindle.sources import detect, get_importer

    importer = get_importer(as_format) if as_format else detect(path)
    if not quiet:
        console.print(f"Detected [bold]{safe(importer.title)}[/bold] in {safe(path)}")
    started = time.monotonic()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=quiet,
    ) as bar:
        task = bar.add_task("importing", total=None, visible=False)

        def progress(n: int) -> None:
            if time.monotonic() - started > 1.0:
                bar.update(task, description=f"importing: {n} records read", visible=True)

        return import_path(
            STATE.store(),
            path,
            importer.name,
            options,
            strict=strict,
            region=region,
            progress=progress,
        )


def _report_json(report: ImportReport) -> dict[str, Any]:
    return {
        **report.counts(),
        "path": report.path,
        "format": report.format,
        "errors": [{"locator": e.locator, "message": e.message} for e in report.errors],
        "notices": [{"locator": n.locator, "message": n.message} for n in report.notices],
    }


def formats_command() -> None:
    """List the formats `rekindle import` reads."""
    from rekindle.sources import importers

    for imp in importers().values():
        console.print(f"[bold]{imp.name:12}[/bold] {safe(imp.title)}")


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("formats")(formats_command)
