"""`rekindle demo`: the sample network, for a first look."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from rekindle.cli.context import STATE, console, err_console, safe
from rekindle.services import demo as svc
from rekindle.store.database import utcnow


def _years(days: int) -> str:
    if days >= 365:
        return f"{days / 365:.1f} years"
    return f"{days // 30} months"


def demo_command(
    remove: Annotated[
        bool, typer.Option("--remove", help="Remove the sample network (and nothing else).")
    ] = False,
) -> None:
    """Load the bundled sample network (once) and show the ties that have gone quiet."""
    store = STATE.store()
    if remove:
        n = svc.unload_sample(store)
        console.print(f"removed the sample network ({n} people)")
        return
    console.print(f"[dim]database: {safe(store.location.describe())}[/dim]")
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), console=err_console, transient=True
    ) as bar:
        task = bar.add_task("loading the sample network…", total=None)
        report = svc.load_sample(
            store,
            progress=lambda n: bar.update(
                task, description=f"loading the sample network… {n} records"
            ),
        )
    if report is not None:
        console.print(f"Loaded the sample network: {safe(report.summary())}")
    people, interactions = svc.counts(store)
    console.print(f"[bold]{people}[/bold] people, [bold]{interactions}[/bold] interactions")
    now = utcnow()
    ties = svc.quiet_ties(store, now)
    if ties:
        table = Table(
            title="Gone quiet: your strongest ties with no contact for 6 months or more",
            show_edge=False,
            header_style="bold",
            title_justify="left",
        )
        for col in ("id", "name", "interactions", "known since", "last contact", "silent for"):
            table.add_column(col)
        for t in ties:
            table.add_row(
                str(t.person_id),
                safe(t.name),
                str(t.interactions),
                f"{t.first:%Y-%m}",
                f"{t.last:%Y-%m-%d}",
                _years((now - t.last).days),
            )
        console.print(table)
    console.print(
        "\nNext: `rekindle show ID` for one person, `rekindle people QUERY` to search, "
        "`rekindle import FILE` for your own contacts, `rekindle demo --remove` to drop the sample."
    )


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
