"""`rekindle`: the entry point, global options and the one error boundary."""

from __future__ import annotations

import sys
import traceback
from typing import Annotated

import typer

from rekindle import __version__
from rekindle.cli import (
    delivery,
    demo,
    doctor,
    drafting,
    exporting,
    history,
    importing,
    insights,
    intro,
    mcp,
    me,
    meetup,
    merging,
    occasions,
    outreach,
    people,
    plan,
    serve,
    sync,
    users,
)
from rekindle.cli.context import STATE, err_console, safe
from rekindle.errors import AmbiguousError, RekindleError

app = typer.Typer(
    name="rekindle",
    help="Reconnect with the people you have lost touch with. Local-first: your data stays on this machine.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
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


for module in (
    demo,
    plan,
    importing,
    sync,
    people,
    history,
    intro,
    meetup,
    occasions,
    drafting,
    outreach,
    delivery,
    merging,
    exporting,
    insights,
    me,
    doctor,
    serve,
    users,
    mcp,
):
    module.register(app)


def run() -> None:
    """Run the CLI; errors meant for the user are printed in one line, never as a traceback."""
    debug = "--debug" in sys.argv
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            STATE.close()
            sys.exit(code)
    except typer.Exit as exc:
        code = exc.exit_code
        STATE.close()
        sys.exit(code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted; nothing was half-written (each import is one transaction)")
        sys.exit(130)
    except AmbiguousError as exc:
        if debug:
            traceback.print_exc()
        err_console.print(f"[red]error:[/red] {safe(exc.message)}")
        for pid, name in exc.candidates[:20]:
            err_console.print(f"  {pid}  {safe(name)}")
        err_console.print("[dim]hint: name one by its id[/dim]")
        sys.exit(1)
    except RekindleError as exc:
        if debug:
            traceback.print_exc()
        err_console.print(f"[red]error:[/red] {safe(exc.message)}")
        if exc.hint:
            err_console.print(f"[dim]hint: {safe(exc.hint)}[/dim]")
        sys.exit(1)
    except OverflowError:  # an id, a page or a duration beyond what a database or a date holds
        if debug:
            traceback.print_exc()
        err_console.print("[red]error:[/red] a number given is out of range")
        sys.exit(1)
    except OSError as exc:
        if debug:
            traceback.print_exc()
        err_console.print(
            f"[red]error:[/red] {safe(exc.strerror or exc)}{': ' + safe(exc.filename) if exc.filename else ''}"
        )
        sys.exit(1)
    except Exception as exc:  # the last line of defence: no traceback reaches a user
        if _database_error(exc, debug):
            sys.exit(1)
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # a usage error from the parser
            exc.show()
            sys.exit(exc.exit_code)
        if debug:
            traceback.print_exc()
        err_console.print(f"[red]internal error:[/red] {safe(type(exc).__name__)}: {safe(exc)}")
        err_console.print("[dim]hint: run again with --debug and report the traceback[/dim]")
        sys.exit(70)
    finally:
        STATE.close()


def _database_error(exc: Exception, debug: bool) -> bool:
    """Print a database's error in one line; False when ``exc`` is not one.

    SQLAlchemy is looked up, not imported: `--help` and `--version` start without it, and an
    error can only come from it once a command has loaded it.
    """
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is None or not isinstance(exc, sa_exc.SQLAlchemyError):
        return False
    from rekindle.store.database import driver_message

    if debug:
        traceback.print_exc()
    if isinstance(
        exc, sa_exc.DataError
    ):  # PostgreSQL: a value it cannot hold, like an id beyond its integers
        err_console.print(
            f"[red]error:[/red] the database refused a value: {safe(driver_message(exc))}"
        )
        return True
    err_console.print(f"[red]database error:[/red] {safe(driver_message(exc))}")
    err_console.print(
        "[dim]hint: `rekindle doctor` checks the database; --debug shows details[/dim]"
    )
    return True
