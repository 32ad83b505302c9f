"""`rekindle export vcard|csv|json`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from rekindle.cli.context import STATE, err_console, safe
from rekindle.errors import UserError
from rekindle.plural import counted


def export_command(
    fmt: Annotated[
        str, typer.Argument(help="vcard, csv or json (json holds everything, records included).")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
    version: Annotated[
        str,
        typer.Option(
            "--version",
            "--vcard-version",
            help="vCard version to write: 4.0 (RFC 6350) or 3.0 (RFC 2426, for older readers).",
        ),
    ] = "4.0",
) -> None:
    """Export every person, so nothing is locked in."""
    from rekindle.services.exporting import FORMATS, export

    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of: {', '.join(FORMATS)}", param_hint="FORMAT")
    if output is None:
        count = export(STATE.store(), fmt, sys.stdout, vcard_version=version)
    else:
        if output.is_dir():
            raise UserError(f"{output} is a folder", hint="name the file to write, e.g. people.csv")
        if not output.parent.is_dir():
            raise UserError(f"{output.parent} does not exist", hint="create the folder first")
        tmp = output.with_name(output.name + ".part")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            count = export(STATE.store(), fmt, fh, vcard_version=version)
        tmp.replace(output)
    err_console.print(
        f"[dim]exported {counted(count, 'person', 'people')}"
        f"{' to ' + safe(output) if output else ''}[/dim]"
    )


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)
