"""`rekindle intro PERSON|ORG`: who can introduce you, and how well each path holds."""

from __future__ import annotations

from typing import Annotated

import typer

from rekindle.cli.context import STATE, console, print_json, safe
from rekindle.cli.drafting import print_draft, print_findings


def intro_command(
    query: Annotated[
        str,
        typer.Argument(
            help='A person (id, address or name), or an organisation: "Acme", "someone at Acme".'
        ),
    ],
    org: Annotated[
        bool, typer.Option("--org", help="Read the query as an organisation, not a person.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many paths.")] = 10,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help="Draft a message to the best introducer: the ask, or a catch-up first when "
            "your tie to them is dormant.",
        ),
    ] = False,
    via: Annotated[
        str | None,
        typer.Option("--via", help="Draft to this introducer instead of the best one."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Warm introductions: paths to a person or into an organisation through people you know,
    ranked by the strength and recency of each tie, each explained."""
    from rekindle.services import intro as svc

    store = STATE.store()
    result = svc.find_paths(store, query, org=org, limit=limit, region=STATE.region())
    if draft or via:
        result = svc.with_draft(store, result, via, region=STATE.region())
    if as_json:
        print_json(result.as_json())
        return
    what = "into" if result.kind == "organisation" else "to"
    console.print(f"[bold]Paths {what} {safe(result.target)}[/bold]")
    for note in result.notes:
        console.print(safe(note))
    for n, path in enumerate(result.paths, 1):
        mark = "  [yellow](dormant: rekindle first)[/yellow]" if path.dormant else ""
        tail = ""
        if result.kind == "organisation" and path.introducer is not None:
            tail = f"  [dim]→ {safe(path.target)}[/dim]"
        console.print(f"{n:>2}. {safe(path.explanation)}{tail}{mark}")
    if result.draft_note:
        console.print()
        console.print(f"[dim]{safe(result.draft_note)}[/dim]")
    if result.draft is not None:
        print_draft(result.draft.person, result.draft.draft)
        print_findings(result.draft.findings)


def register(app: typer.Typer) -> None:
    app.command("intro")(intro_command)
