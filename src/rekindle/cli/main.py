"""`rekindle`: the entry point and the one error boundary.

A start imports only what it runs: ``--version`` answers before Typer is imported, and so
does ``--help`` when printed without colour (:mod:`rekindle.cli.static_help`); else it lists :data:`rekindle.cli.commands.COMMANDS` without importing a command module, and a
command imports its own module alone (:mod:`rekindle.cli.lazy`).
"""

from __future__ import annotations

import sys
import traceback
from typing import Any

from rekindle import __version__


def __getattr__(name: str) -> Any:
    """``app``, the Typer app, imported on first use (``--version`` goes without Typer)."""
    if name == "app":
        from rekindle.cli.app import app

        return app
    raise AttributeError(name)


def run() -> None:
    """Run the CLI; errors meant for the user are printed in one line, never as a traceback."""
    if sys.argv[1:] == ["--version"]:
        print(f"rekindle {__version__}")
        return
    from rekindle.cli import static_help

    if static_help.answers(sys.argv[1:]):  # the list of commands, without Typer
        code = static_help.print_help(sys.argv[1:])
        if code:
            sys.exit(code)
        return
    import typer

    from rekindle.cli.app import app
    from rekindle.cli.context import STATE, err_console, safe
    from rekindle.errors import AmbiguousError, RekindleError

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
    from rekindle.cli.context import err_console, safe

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
