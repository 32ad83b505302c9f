"""`rekindle doctor` and `rekindle config`."""

from __future__ import annotations

from typing import Annotated

import typer

from rekindle.cli.context import STATE, console, print_json, safe


def doctor_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Tell the data directory, database, schema version, settings and optional parts.
    Exits 1 when the database cannot be opened."""
    from rekindle.services import doctor

    report = doctor.diagnose(STATE.db)
    if as_json:
        print_json(report)
        if not report["database_ok"]:
            raise typer.Exit(1)
        return
    for key in (
        "version",
        "python",
        "data_dir",
        "database",
        "backend",
        "schema",
        "schema_head",
        "people",
        "records",
        "interactions",
    ):
        if key in report:
            console.print(f"{key:13} {safe(report[key])}")
    for key, value in report.get("settings", {}).items():
        console.print(
            f"{'setting':13} {safe(key)} = {safe(value if value is not None else '(unset)')}"
        )
    console.print(f"{'formats':13} {', '.join(report['formats'])}")
    for name, present in report["optional"].items():
        console.print(
            f"{'optional':13} {name}: {'installed' if present else 'missing — ' + doctor.OPTIONAL[name]}"
        )
    for problem in report["problems"]:
        console.print(f"[yellow]problem[/yellow]       {safe(problem)}")
    if not report["problems"]:
        console.print("[green]all good[/green]")
    if not report["database_ok"]:
        raise typer.Exit(1)


config_app = typer.Typer(help="Read and change settings.", no_args_is_help=False)


@config_app.callback(invoke_without_command=True)
def config_show(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Show every setting. Also settable: cadence.tag.TAG (days) and weight.PART (a score
    part's weight)."""
    if ctx.invoked_subcommand:
        return
    from rekindle.services import settings

    current = settings.current(STATE.store())
    if as_json:
        print_json(current)
        return
    for key, value in current.items():
        console.print(
            f"{key:18} {safe(value if value is not None else '(unset)'):10} "
            f"[dim]{safe(settings.help_for(key))}[/dim]"
        )


@config_app.command("set", context_settings={"ignore_unknown_options": True})
def config_set(
    key: Annotated[
        str, typer.Argument(help="The setting, e.g. plan.quota (`rekindle config` lists them).")
    ],
    value: Annotated[str, typer.Argument(help="Its new value.")],
) -> None:
    """Change a setting."""
    from rekindle.services import settings

    settings.change(STATE.store(), key, value)
    console.print(f"{safe(key)} = {safe(settings.current(STATE.store()).get(key))}")


@config_app.command("unset")
def config_unset(
    key: Annotated[str, typer.Argument(help="The setting, e.g. plan.quota.")],
) -> None:
    """Return a setting to its default."""
    from rekindle.services import settings

    settings.change(STATE.store(), key, None)
    console.print(f"{safe(key)} reset")


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor_command)
    app.add_typer(config_app, name="config")
