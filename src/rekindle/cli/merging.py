"""`rekindle merge` and `rekindle unmerge`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from rekindle.cli.context import STATE, console, print_json, safe
from rekindle.errors import UserError


def _describe(p: dict[str, object]) -> str:
    bits = [str(p.get(k)) for k in ("email", "phone", "organisation") if p.get(k)]
    return f"#{p['id']} {safe(p['name'])}" + (
        f" [dim]({safe(', '.join(bits))})[/dim]" if bits else ""
    )


def merge_command(
    people: Annotated[
        list[str] | None, typer.Argument(help="Two people to merge: the first keeps its id.")
    ] = None,
    review: Annotated[
        bool, typer.Option("--review", help="Go through the suggested duplicates.")
    ] = False,
    accept: Annotated[
        list[int] | None, typer.Option("--accept", help="Accept suggestion N (repeatable).")
    ] = None,
    reject: Annotated[
        list[int] | None, typer.Option("--reject", help="Reject suggestion N (repeatable).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --review: print the suggestions as JSON.")
    ] = False,
) -> None:
    """Merge two people, or review the suggested duplicates (interactive, or --json, --accept/--reject)."""
    from rekindle.services import merging as svc

    store = STATE.store()
    for sid in accept or []:
        event = svc.accept(store, sid)
        console.print(f"merged (suggestion {sid}, merge {event})")
    for sid in reject or []:
        svc.reject(store, sid)
        console.print(f"kept apart (suggestion {sid})")
    if accept or reject:
        return
    if people:
        if len(people) != 2:
            raise UserError("merge takes two people", hint="rekindle merge KEEP OTHER, or --review")
        event = svc.merge(store, people[0], people[1], STATE.region())
        console.print(
            f"merged {safe(people[1])} into {safe(people[0])} (merge {event}; undo with `rekindle unmerge`)"
        )
        return
    if not review:
        raise UserError("nothing to do", hint="rekindle merge A B, or rekindle merge --review")
    suggestions = svc.review(store)
    if as_json:
        print_json([asdict(s) for s in suggestions])
        return
    if not suggestions:
        console.print("no duplicates to review")
        return
    interactive = console.is_terminal
    for s in suggestions:
        console.print(f"\n[bold]suggestion {s.id}[/bold] (score {s.score:.2f})")
        console.print("  " + _describe(s.a))
        console.print("  " + _describe(s.b))
        for reason in s.reasons:
            console.print(f"  · {safe(reason)}")
        if not interactive:
            continue
        answer = (
            typer.prompt("  same person? [y]es / [n]o / [s]kip / [q]uit", default="s")
            .strip()
            .lower()
        )
        if answer.startswith("y"):
            svc.accept(store, s.id)
            console.print("  merged")
        elif answer.startswith("n"):
            svc.reject(store, s.id)
            console.print("  kept apart")
        elif answer.startswith("q"):
            break
    if not interactive:
        console.print(
            "\n[dim]accept with `rekindle merge --accept N`, reject with `--reject N`[/dim]"
        )


def unmerge_command(
    person: Annotated[str, typer.Argument(help="The person to split (id, email or name).")],
    event: Annotated[
        int | None, typer.Option("--event", help="Undo this merge (see `rekindle show`).")
    ] = None,
    record: Annotated[
        int | None,
        typer.Option("--record", help="Split this source record off into a person of its own."),
    ] = None,
) -> None:
    """Undo a merge, or split one record off. The pair is never merged or suggested again."""
    from rekindle.services import merging as svc

    kept, split = svc.unmerge(
        STATE.store(), person, event_id=event, record_id=record, region=STATE.region()
    )
    console.print(f"split: #{kept} and #{split} are separate people now")


def register(app: typer.Typer) -> None:
    app.command("merge")(merge_command)
    app.command("unmerge")(unmerge_command)
