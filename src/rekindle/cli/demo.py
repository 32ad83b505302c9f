"""`rekindle demo`: the sample network, for a first look."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

from rekindle.cli.context import STATE, console, err_console, safe
from rekindle.cli.plan import plan_with_progress, print_plan


def demo_command(
    remove: Annotated[
        bool, typer.Option("--remove", help="Remove the sample network (and nothing else).")
    ] = False,
) -> None:
    """Load the bundled sample network (once) and show this week's plan for it."""
    from rekindle.services import demo as svc

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
    console.print()
    print_plan(plan_with_progress())
    console.print(
        "\nNext: `rekindle show ID` for one person, `rekindle people --sort dormant` for quiet "
        "ties, `rekindle people QUERY` to search, `rekindle import FILE` for your own contacts, "
        "`rekindle demo --remove` to drop the sample."
    )


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
