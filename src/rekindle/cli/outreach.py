"""`rekindle log` and `rekindle outreach`: the outreach log and the duplicate-outreach lock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from rekindle.cli.context import STATE, console, print_json, safe
from rekindle.compose.vocabulary import LOG_INTENTS, LOG_MEDIA
from rekindle.engine.value_ledger import OUTCOMES
from rekindle.errors import UserError

STATUSES = ("draft", "sending", "sent", "replied", "no-reply", "declined", "logged")


def parse_when(text: str | None) -> datetime | None:
    """YYYY-MM-DD or YYYY-MM-DD HH:MM in local time (or with an offset), as UTC."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"{text!r} is not a date", hint="use YYYY-MM-DD or 'YYYY-MM-DD HH:MM'"
        ) from None
    if value.tzinfo is None:
        value = value.astimezone()  # the user's local time
    return value.astimezone(UTC)


def _print_log(rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print(
            "the log is empty: `rekindle draft PERSON --save` or "
            '`rekindle log PERSON --medium call --note "…"`'
        )
        return
    table = Table(show_edge=False, header_style="bold")
    for col in ("#", "when", "person", "medium", "intent", "status", "note / subject"):
        table.add_column(col, overflow="fold")
    for r in rows:
        when = r["sent_at"] or r["created_at"]
        table.add_row(
            str(r["id"]),
            when[:10] if when else "",
            safe(r["person"]),
            r["medium"],
            r["intent"],
            r["status"] + (f" ({safe(r['outcome'])})" if r["outcome"] else ""),
            safe(r["note"] or r["subject"] or (r["body"] or "")[:60]),
        )
    console.print(table)


def log_command(
    person: Annotated[
        str | None,
        typer.Argument(help="Who you reached (id, email or name). Without one: list the log."),
    ] = None,
    medium: Annotated[
        str | None,
        typer.Option("--medium", "-m", help="How: " + ", ".join(LOG_MEDIA) + "."),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", "-n", help="What happened, in a few words.")
    ] = None,
    intent: Annotated[
        str,
        typer.Option(
            "--intent",
            "-i",
            help="What it was for: " + ", ".join(LOG_INTENTS) + " (introduce: one you made).",
        ),
    ] = "catch-up",
    at: Annotated[
        str | None,
        typer.Option("--at", help="When: YYYY-MM-DD or 'YYYY-MM-DD HH:MM' (default: now)."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Record it even within the duplicate-outreach window."),
    ] = False,
    status: Annotated[
        list[str] | None, typer.Option("--status", help="List only these statuses.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="List at most this many (0: all).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Record an outreach that happened outside Rekindle (a call, a coffee, a message), or list
    the log. A message (email, linkedin, sms) then waits for its reply as a sent one does: one
    follow-up is offered if none comes, and the reply is found by the next sync.

    A second outreach to the same person within plan.lock_days (default 30) is refused with the
    date of the last one, unless --force.
    """
    from rekindle.services import outreach as svc

    store = STATE.store()
    if person is None or (medium is None and note is None):
        for s in status or []:
            if s not in STATUSES:
                raise UserError(f"unknown status {s!r}", hint="statuses: " + ", ".join(STATUSES))
        rows = svc.list_log(store, person, status or None, limit or None, STATE.region())
        if as_json:
            print_json(rows)
        else:
            _print_log(rows)
        return
    if medium is None:
        raise UserError("say how you reached them", hint="--medium " + "|".join(LOG_MEDIA))
    done = svc.log_outreach(
        store, person, medium, note, intent, parse_when(at), force, STATE.region()
    )
    if as_json:
        dates = {
            k: v.isoformat() if v else None
            for k, v in done.__dict__.items()
            if k in ("at", "follow_up_due", "window_passed")
        }
        print_json({**done.__dict__, **dates})
        return
    console.print(
        f"logged #{done.id}: {done.medium} with {safe(done.person)} on {done.at:%Y-%m-%d} "
        f"({done.intent})"
    )
    if done.status == "sent" and done.window_passed is not None:
        console.print(
            f"its follow-up date passed on {done.window_passed:%d %b %Y} with no reply "
            "found: its one follow-up is due now in `rekindle followups` "
            f"(`rekindle followups skip {done.id}` closes it as no reply)"
        )
        return
    if done.status == "sent":
        console.print(
            "[dim]waiting for the reply like a message sent from here: the next mail sync "
            "looks for it, and `rekindle followups` offers one follow-up if none comes[/dim]"
        )


outreach_app = typer.Typer(
    help="The outreach log: list, show, mark drafts sent, record replies and outcomes.",
    no_args_is_help=False,
)


@outreach_app.callback(invoke_without_command=True)
def outreach_list(
    ctx: typer.Context,
    person: Annotated[str | None, typer.Option("--person", "-p", help="Only this person.")] = None,
    status: Annotated[
        list[str] | None, typer.Option("--status", help="Only these statuses.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="List at most this many (0: all).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the outreach log, newest first."""
    if ctx.invoked_subcommand:
        return
    from rekindle.services import outreach as svc

    rows = svc.list_log(STATE.store(), person, status or None, limit or None, STATE.region())
    if as_json:
        print_json(rows)
    else:
        _print_log(rows)


@outreach_app.command("show")
def outreach_show(
    outreach_id: Annotated[int, typer.Argument(help="The number from the log.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one outreach with its full text."""
    from rekindle.services import outreach as svc

    row = svc.show(STATE.store(), outreach_id)
    if as_json:
        print_json(row)
        return
    console.print(
        f"[bold]#{row['id']}[/bold] {row['medium']} to {safe(row['person'])} · {row['intent']}"
        f" · {row['status']}"
    )
    for key in ("created_at", "sent_at", "follow_up_due", "replied_at", "closed_at", "outcome"):
        if row[key]:
            console.print(f"  {key.replace('_', ' '):14} {safe(str(row[key])[:16])}")
    if row["note"]:
        console.print(f"  note           {safe(row['note'])}")
    if row["subject"]:
        console.print(f"\nSubject: {safe(row['subject'])}")
    if row["body"]:
        console.print("\n" + safe(row["body"]))


@outreach_app.command("sent")
def outreach_sent(
    outreach_id: Annotated[int, typer.Argument(help="The draft's number.")],
    at: Annotated[str | None, typer.Option("--at", help="When it went (default: now).")] = None,
    message_id: Annotated[
        str | None,
        typer.Option("--message-id", help="The sent mail's Message-ID, to match the reply."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Even within the duplicate-outreach window.")
    ] = False,
) -> None:
    """Mark a saved draft as sent (you sent it yourself); a reply is then looked for on sync."""
    from rekindle.services import outreach as svc

    done = svc.mark_sent(STATE.store(), outreach_id, parse_when(at), message_id, force)
    console.print(
        f"#{done.id} sent to {safe(done.person)} on {done.at:%Y-%m-%d}; "
        "the next mail sync looks for the reply"
    )


@outreach_app.command("mark")
def outreach_mark(
    outreach_id: Annotated[int, typer.Argument(help="The number from the log.")],
    status: Annotated[str, typer.Argument(help="replied, no-reply or declined.")],
    outcome: Annotated[
        str | None,
        typer.Option("--outcome", help="What came of it: a call, a meeting, an intro…"),
    ] = None,
    at: Annotated[str | None, typer.Option("--at", help="When (default: now).")] = None,
) -> None:
    """Record how an outreach ended. The last mark wins: no-reply or declined
    on a message marked replied drops its reply time and earlier outcome (a
    decline is an answer, not a reply), and the next sync counts only a reply
    after a no-reply you marked."""
    from rekindle.services import outreach as svc

    pid = svc.mark(STATE.store(), outreach_id, status, outcome, parse_when(at))
    console.print(f"#{outreach_id} marked {status}")
    print_hold(pid)


def print_hold(person_id: int) -> None:
    """The hold an outcome put on the person, with its end, and how to lift it."""
    from rekindle.services.plan_actions import hold_in_force

    held = hold_in_force(STATE.store(), person_id)
    if held:
        console.print(f"[dim]held back: {safe(held)}; `rekindle resume {person_id}` lifts it[/dim]")


@outreach_app.command("outcome")
def outreach_outcome(
    outreach_id: Annotated[int, typer.Argument(help="The number from the log.")],
    outcome: Annotated[str, typer.Argument(help=", ".join(OUTCOMES) + ".")],
    note: Annotated[
        str | None, typer.Option("--note", "-n", help="A few words: who, what, when.")
    ] = None,
    at: Annotated[str | None, typer.Option("--at", help="When (default: now).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Record what came of an outreach. Anything but "declined" proposes a thank-you draft;
    "declined" keeps the door open: out of plans for outcomes.declined_days (270 by default),
    nothing deleted. Every outcome tunes the person's cadence and rank (docs/plan.md)."""
    from rekindle.cli.drafting import print_findings
    from rekindle.services import outcomes

    done = outcomes.record_outcome(STATE.store(), outreach_id, outcome, note, parse_when(at))
    if as_json:
        print_json(done.as_json())
        return
    console.print(f"#{outreach_id} with {safe(done.person)}: {outcome} ({done.status})")
    if done.thanks is None:
        print_hold(done.person_id)
        return
    d = done.thanks.draft
    console.print("\n[bold]A thank-you, ready to edit:[/bold]")
    if d.subject:
        console.print(f"Subject: {safe(d.subject)}\n")
    console.print(safe(d.body))
    print_findings(done.thanks.findings)
    topic = outcomes.THANKS_FOR[outcome]
    console.print(
        f"[dim]save it: `rekindle draft {done.person_id} --intent thank --medium {d.medium} "
        f'--about "{safe(topic)}" --save`[/dim]'
    )


@outreach_app.command("discard")
def outreach_discard(
    outreach_id: Annotated[int, typer.Argument(help="The draft's number from the log.")],
) -> None:
    """Delete a saved draft that will not be sent."""
    from rekindle.services import outreach as svc

    svc.discard(STATE.store(), outreach_id)
    console.print(f"draft #{outreach_id} discarded")


def register(app: typer.Typer) -> None:
    app.command("log")(log_command)
    app.add_typer(outreach_app, name="outreach")
