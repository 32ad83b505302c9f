"""The `rekindle` Typer app: the global options and the lazily loaded commands of
:data:`rekindle.cli.commands.COMMANDS`."""

from __future__ import annotations

from typing import Annotated

import typer

from rekindle import __version__
from rekindle.cli.commands import COMMANDS
from rekindle.cli.context import STATE
from rekindle.cli.lazy import LazyGroup


class RekindleGroup(LazyGroup):
    table = COMMANDS


app = typer.Typer(
    name="rekindle",
    help="Reconnect with the people you have lost touch with. Local-first: your data stays on this machine.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    cls=RekindleGroup,
)


def _version(value: bool) -> None:
    if value:
        print(f"rekindle {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database file or URL (postgresql://…). Default: REKINDLE_DATABASE_URL, else rekindle.db in REKINDLE_HOME or the user data directory.",
            envvar=None,
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            envvar="REKINDLE_USER",
            help="Work on this team account's data (a shared database of `rekindle serve --team`). Default: your own, local data.",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    STATE.close()  # a store left open by an earlier command run in this process is not this one's
    STATE.db = db
    STATE.user = user
    STATE.debug = debug
