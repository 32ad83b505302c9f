"""`rekindle insights`: the Insights page's figures as tables (or JSON)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from rekindle.cli.context import STATE, console, print_json, safe


def insights_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Outreach per week, reply rates, your network by last contact, and tier sizes.

    Outreach per week covers the last 26 weeks. Reply rates are by medium,
    by intent and by the silence before the message. A message counts as
    answered when they replied or declined, and as unanswered only once its
    reply window (followup.days, default 10) passed without a reply; a
    follow-up counts with the message it follows. The Insights page of
    `rekindle serve` charts the same.
    """
    from rekindle.services import insights as svc

    found = svc.insights(STATE.store())
    if as_json:
        print_json(found.as_json())
        return
    for series in found.series:
        console.print(f"[bold]{safe(series.title)}[/bold]")
        table = Table(show_edge=False, header_style="bold")
        table.add_column("")
        table.add_column(safe(series.unit), justify="right")
        for f in series.figures:
            table.add_row(safe(f.label), safe(f.text))
        if not series.figures:
            table.add_row("[dim]nothing yet[/dim]", "")
        console.print(table)
        if series.note:
            console.print(f"[dim]{safe(series.note)}[/dim]")
        console.print()


def register(app: typer.Typer) -> None:
    app.command("insights")(insights_command)
