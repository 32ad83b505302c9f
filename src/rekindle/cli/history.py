"""`rekindle history PERSON`: the timeline and tie statistics of one person."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from rekindle.cli.context import STATE, console, print_json, safe

LABELS = {
    "first_contact": "first contact",
    "last_contact": "last contact",
    "last_two_way": "last two-way",
    "messages_in": "messages in",
    "messages_out": "messages out",
    "meetings": "meetings",
    "reciprocity": "reciprocity",
    "one_to_one_share": "share 1:1",
    "reply_latency_in_h": "their reply (h, median)",
    "reply_latency_out_h": "your reply (h, median)",
    "median_gap_days": "usual gap (days)",
    "embeddedness": "people in common",
    "decayed_sum": "strength now",
    "peak_decayed": "peak strength",
    "peak_personal": "peak, personal contact",
}


def _fmt(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def history_command(
    person: Annotated[str, typer.Argument(help="An id, an email address or a name.")],
    limit: Annotated[int, typer.Option("--limit", help="At most this many events (0: all).")] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the timeline of your contacts with one person, newest first, and the tie statistics."""
    from rekindle.services import timeline as svc

    t = svc.timeline(STATE.store(), person, limit or None, STATE.region())
    if as_json:
        print_json(svc.as_json(t))
        return
    console.print(f"[bold]{safe(t.name)}[/bold]  [dim]#{t.person_id}[/dim]")
    if t.stats:
        for key, label in LABELS.items():
            console.print(f"  {label:24} {_fmt(t.stats[key])}")
    if not t.events:
        console.print(
            "no interactions yet: `rekindle sync mail PATH` or `rekindle sync calendar PATH`"
        )
        return
    table = Table(show_edge=False, header_style="bold")
    for col in ("when", "what", "", "subject"):
        table.add_column(col, overflow="fold")
    arrows = {"in": "←", "out": "→", "both": "↔"}
    for e in t.events:
        group = f" (+{e['group_size'] - 1})" if e["group_size"] > 1 else ""
        table.add_row(
            f"{e['when']:%Y-%m-%d %H:%M}",
            e["channel"] + group,
            arrows.get(e["direction"], ""),
            safe(e["subject"] or ""),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("history")(history_command)
