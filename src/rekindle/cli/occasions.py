"""`rekindle occasions`: birthdays, anniversaries, holidays and life events around today."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from rekindle.cli.context import STATE, console, print_json, safe
from rekindle.errors import UserError

occasions_app = typer.Typer(
    help="Reasons to reach out now: birthdays, anniversaries, work and 'since we met' "
    "anniversaries, holiday greetings and life events (new job, new role, a move, a new email domain).",
    no_args_is_help=False,
)


def _day(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"--on {text!r} is not a date", hint="use YYYY-MM-DD") from None


def _when(on: str, today: date) -> str:
    days = (date.fromisoformat(on) - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


@occasions_app.callback(invoke_without_command=True)
def occasions_list(
    ctx: typer.Context,
    days: Annotated[
        int,
        typer.Option("--days", min=0, max=366, help="Look this many days back and ahead."),
    ] = 14,
    holidays: Annotated[
        bool,
        typer.Option(
            "--holidays", help="List holiday greetings per person too (else one line each)."
        ),
    ] = False,
    on: Annotated[
        str | None, typer.Option("--on", help="Look around this day (YYYY-MM-DD) instead of today.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the occasions of everyone from DAYS back to DAYS ahead, soonest first.

    Each has a key; mark one handled with `rekindle occasions done PERSON KEY`.
    """
    if ctx.invoked_subcommand:
        return
    from rekindle.services import occasions as svc

    today = _day(on)
    rows = svc.upcoming(STATE.store(), today, days, holidays=holidays)
    if as_json:
        print_json(rows)
        return
    if rows:
        table = Table(show_edge=False, header_style="bold")
        for col in ("when", "who", "what", "source", "key", "done"):
            table.add_column(col, overflow="fold")
        for r in rows:
            table.add_row(
                f"{r['date']} ({_when(r['date'], today)})",
                f"#{r['person_id']} {safe(r['name'])}",
                safe(r["detail"]),
                safe(r["source"]),
                safe(r["key"]),
                "✓" if r["handled"] else "",
            )
        console.print(table)
    else:
        console.print(f"no occasions within {days} days of {today.isoformat()}")
    if not holidays:
        for h in svc.holiday_summary(STATE.store(), today, days):
            console.print(
                f"holiday: {safe(h['detail'])} [dim](everyone; --holidays lists them)[/dim]"
            )
    if rows:
        console.print("[dim]mark one handled: `rekindle occasions done PERSON KEY`[/dim]")
    elif not STATE.region():
        console.print(
            "[dim]holiday greetings need your country: `rekindle config set region GB`[/dim]"
        )


@occasions_app.command("done")
def occasions_done(
    person: Annotated[str, typer.Argument(help="An id, an email address or a name.")],
    key: Annotated[
        str,
        typer.Argument(
            help="The occasion's key (see `rekindle occasions`), or its kind when the person "
            "has only one, e.g. birthday."
        ),
    ],
    undo: Annotated[bool, typer.Option("--undo", help="Mark it not handled again.")] = False,
    on: Annotated[
        str | None, typer.Option("--on", help="Find the occasion around this day (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Mark one occasion of a person handled (it stops raising their timing), or --undo."""
    from rekindle.services import occasions as svc

    pid, occ = svc.mark_handled(
        STATE.store(), person, key, handled=not undo, today=_day(on), region=STATE.region()
    )
    state = "handled" if occ.handled else "not handled"
    console.print(f"#{pid}: {safe(occ.detail)} [dim]({safe(occ.key)})[/dim] is {state}")


def register(app: typer.Typer) -> None:
    app.add_typer(occasions_app, name="occasions")
