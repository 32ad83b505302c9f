"""`rekindle insights`: the Insights page's figures as tables (or JSON)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from rekindle.cli.context import STATE, console, print_json, safe

if TYPE_CHECKING:
    from rekindle.services.reply_learning import Learnt


def insights_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Outreach per week, reply rates, your network by last contact, tier sizes, and what
    was learnt from your replies.

    Outreach per week covers the last 26 weeks. Reply rates are by medium,
    by intent and by the silence before the message. A message counts as
    replied when they wrote back; a decline is an answer but not a reply
    (shown beside the rate). It counts as unanswered only once its reply
    window (followup.days, default 10) passed without a reply; a follow-up
    counts with the message it follows. The Insights page of `rekindle
    serve` charts the same.

    What was learnt: per medium, intent and silence before the message,
    replies of sent, the estimated reply rate (a reply in three assumed
    before any message) with its 90% interval, and the current preference
    of medium and intent (★; the silence before is context, not a choice).
    The plan's medium and a draft's default intent and template variant
    weigh these (Thompson sampling, stable within a week); with no replies
    yet the usual rules choose. A logged call or coffee counts once you
    record how it went (`rekindle outreach outcome ID call`, `mark ID
    replied` or `no-reply`).
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
    print_learnt(found.learnt)


def print_learnt(learnt: list[Learnt]) -> None:
    """The "what was learnt" section: per arm, replies of sent, the estimate and interval."""
    from rekindle.services.insights import LEARNT_NOTE

    console.print("[bold]What was learnt[/bold]")
    if not any(x.rows for x in learnt):
        console.print(
            "[dim]nothing yet: the plan and drafts choose by the usual rules until your "
            "messages have had their answer or their reply window[/dim]"
        )
        return
    for x in learnt:
        table = Table(title=safe(x.title), title_justify="left", show_edge=False)
        table.add_column("")
        for name in ("replies", "rate", "90% interval"):
            table.add_column(name, justify="right")
        for r in x.rows:
            star = " ★" if r.preferred else ""
            table.add_row(
                safe(r.name) + star,
                f"{r.replies} of {r.sent}",
                f"{r.mean:.0f}%",
                f"{r.low:.0f}–{r.high:.0f}%",
            )
        if not x.rows:
            table.add_row("[dim]nothing yet[/dim]", "", "", "")
        console.print(table)
        console.print()
    console.print(f"[dim]{safe(LEARNT_NOTE)}[/dim]")


def register(app: typer.Typer) -> None:
    app.command("insights")(insights_command)
