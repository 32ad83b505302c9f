"""`rekindle me`: your own addresses and affiliations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from rekindle.cli.context import STATE, console, err_console, print_json, safe
from rekindle.errors import UserError
from rekindle.plural import counted

me_app = typer.Typer(
    help="Your own addresses and affiliations (they find shared context).", no_args_is_help=False
)


@me_app.callback(invoke_without_command=True)
def me_show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    suggest: Annotated[
        bool,
        typer.Option(
            "--suggest",
            help="Propose your addresses: the senders of your sent mail, and records that look"
            " like you (your name, an address built like yours).",
        ),
    ] = False,
) -> None:
    """Show your addresses and affiliations."""
    if ctx.invoked_subcommand:
        return
    from rekindle.services import me as svc
    from rekindle.services import timeline

    if suggest:
        found = timeline.suggest_me(STATE.store())
        if as_json:
            print_json(found)
            return
        if not found:
            console.print("no sent mail synced yet: `rekindle sync mail PATH` first")
        for f in found:
            mark = (
                " (already yours)"
                if f["already_yours"]
                else f"  → `rekindle me add-address {safe(f['address'])}`"
            )
            if "in_sent_folders" in f:
                why = f"{counted(f['in_sent_folders'], 'message')} from it in sent folders, "
                why += f"{f['messages_from_it']:,} in all"
                if "other_name" in f:  # someone else sending from your mailbox
                    why += f", under the name {safe(repr(f['other_name']))}, not yours"
                    mark = " (someone sending for you? not proposed)"
            else:
                why = f"looks like you (#{f['person_id']} {safe(f['name'])}): " + "; ".join(
                    safe(e) for e in f["evidence"]
                )
            console.print(f"  {safe(f['address'])}: {why}{mark}")
        return
    data = svc.view(STATE.store())
    if as_json:
        print_json(data)
        return
    if not data["name"] and not data["identities"] and not data["affiliations"]:
        console.print(
            'nothing about you yet: `rekindle me set-name "Your Name"`, '
            "`rekindle me add-address you@example.com`, "
            "`rekindle me add-affiliation Acme --start 2015 --end 2018`, or import your LinkedIn export"
        )
        return
    if data["name"]:
        console.print(f"  {'name':8} {safe(data['name'])}")
    for i in data["identities"]:
        console.print(f"  {i['kind']:8} {safe(i['value'])}")
    for a in data["affiliations"]:
        span = f" ({a['start'] or '?'} – {a['end'] or 'now'})"
        console.print(
            f"  {a['kind']:8} {safe(a['organisation'])}{', ' + safe(a['title']) if a['title'] else ''}{span}"
        )


@me_app.command("set-name")
def set_name(
    name: Annotated[str, typer.Argument(help='Your name as drafts sign it, e.g. "Robin Example".')],
) -> None:
    """Set your own name (drafts greet with theirs and sign with yours)."""
    from rekindle.services import me as svc

    if not name.strip():
        raise UserError("the name is empty", hint='write it in quotes: "Robin Example"')
    svc.set_name(STATE.store(), name)
    console.print(f"your name: {safe(' '.join(name.split()))}")


@me_app.command("add-address")
def add_address(
    values: Annotated[
        list[str], typer.Argument(help="Email addresses or phone numbers of yours (one or more).")
    ],
) -> None:
    """Add your own addresses (mail from them is mail from you)."""
    from rekindle.services import me as svc

    added = _each(values, lambda value: svc.add_address(STATE.store(), value, STATE.region()))
    for key in added:
        console.print(f"added {safe(key)}")
    if added:
        _rebuild()
    if len(added) < len(values):
        raise typer.Exit(1)


@me_app.command("remove-address")
def remove_address(
    values: Annotated[
        list[str], typer.Argument(help="Addresses of yours to remove (one or more).")
    ],
) -> None:
    """Remove some of your addresses."""
    from rekindle.services import me as svc

    removed = 0
    for value in values:
        n = svc.remove_address(STATE.store(), value, STATE.region())
        console.print(
            f"removed {safe(value)}" if n else f"{safe(value)}: not one of your addresses"
        )
        removed += n
    if removed:
        _rebuild()


def _each(values: list[str], add: Callable[[str], str]) -> list[str]:
    """``add`` each value; a bad one is told in one line and the others still go in."""
    done = []
    for value in values:
        try:
            done.append(add(value))
        except UserError as exc:
            err_console.print(f"[red]error:[/red] {safe(exc.message)}")
    return done


def _rebuild() -> None:
    """Your addresses decide what is an interaction: derive them again when mail is stored."""
    from rekindle.services import history

    if history.has_messages(STATE.store()):
        report = history.rebuild(STATE.store())
        console.print(
            f"history re-derived: {counted(report.counts.interactions, 'interaction')}, "
            f"{counted(report.counts.new_people, 'new person', 'new people')}"
        )


@me_app.command("add-affiliation")
def add_affiliation(
    organisation: Annotated[str, typer.Argument(help="Employer or school.")],
    title: Annotated[str | None, typer.Option("--title", help="Your role or degree there.")] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", help="YYYY, YYYY-MM or YYYY-MM-DD; omit if current")
    ] = None,
    school: Annotated[
        bool, typer.Option("--school", help="A school rather than an employer.")
    ] = False,
) -> None:
    """Add an employer or school of yours, with dates."""
    from rekindle.services import me as svc

    svc.add_affiliation(STATE.store(), organisation, title, start, end, school)
    console.print(f"added {safe(organisation)}")


def register(app: typer.Typer) -> None:
    app.add_typer(me_app, name="me")
