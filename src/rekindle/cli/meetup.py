"""`rekindle meetup …`: bring old contacts together: plan a group, invite, follow the answers,
remind once, and after the event log it and thank the people who came."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from rekindle.cli.context import STATE, console, print_json, safe

meetup_app = typer.Typer(
    help="Meetups: bring several old contacts together (plan, create, send, rsvp, done).",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
MeetupId = Annotated[int, typer.Argument(help="The meetup's number (`rekindle meetup list`).")]
_MARKS = {"accepted": "✓ coming", "tentative": "? maybe", "declined": "✗ not coming",
          "needs-action": "… no answer yet"}  # fmt: skip


@meetup_app.command("plan")
def plan_command(
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            "-k",
            help="Only groups of this kind: organisation, city, tag, thread (repeat for several).",
        ),
    ] = None,  # fmt: skip
    min_size: Annotated[int, typer.Option("--min", help="The fewest people in a group.")] = 3,
    max_size: Annotated[int, typer.Option("--max", help="The most people in a group.")] = 12,
    limit: Annotated[int, typer.Option("--limit", help="At most this many groups.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Groups worth bringing together: people of one former employer or school with
    overlapping years, a city, a tag, or a thread you were all on; each with why, its size
    and who in it is a dormant tie. You are never in a group."""
    from rekindle.services.meetup_plan import plan_meetups

    result = plan_meetups(STATE.store(), kinds=kind, min_size=min_size, max_size=max_size,
                          limit=limit)  # fmt: skip
    if as_json:
        print_json(result.as_json())
        return
    for note in result.notes:
        console.print(safe(note))
    for n, g in enumerate(result.groups, 1):
        dormant = f", [yellow]{len(g.dormant)} dormant[/yellow]" if g.dormant else ""
        more = f" (+{g.more} more)" if g.more else ""
        console.print(f"[bold]{n}. {safe(g.label)}[/bold]  {g.size} people{more}{dormant}")
        for why in g.why:
            console.print(f"   {safe(why)}")
        sleeping = set(g.dormant)
        names = [
            f"{safe(name)}{' [yellow](dormant)[/yellow]' if pid in sleeping else ''}"
            for pid, name in g.people
        ]
        console.print("   " + ", ".join(names))
        console.print(
            f"   [dim]rekindle meetup create --group '{safe(g.key)}' --title … --start …[/dim]"
        )


@meetup_app.command("create")
def create_command(
    title: Annotated[str, typer.Option("--title", "-t", help="What it is: \"Old Acme team reunion\".")],
    start: Annotated[str, typer.Option("--start", "-s", help='When it starts: "2027-01-15 18:00" (in --tz) or ISO with an offset.')],
    end: Annotated[str | None, typer.Option("--end", "-e", help='When it ends: "21:00", "3h", or a date and time. Default: two hours.')] = None,
    place: Annotated[str | None, typer.Option("--place", "-p", help="Where: an address or a venue.")] = None,
    link: Annotated[str | None, typer.Option("--link", "-l", help="A video-call link (instead of, or as well as, a place).")] = None,
    people: Annotated[list[str] | None, typer.Option("--with", "-w", help="A guest (id, address or name); repeat for each.")] = None,
    group: Annotated[str | None, typer.Option("--group", "-g", help="Invite a group from `meetup plan` by its key.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A line added to every invitation.")] = None,
    tz: Annotated[str | None, typer.Option("--tz", help="The time zone of --start/--end (e.g. Europe/Paris). Default: this machine's.")] = None,
    as_json: JsonOpt = False,
) -> None:  # fmt: skip
    """Create a meetup and a personal invitation draft for each guest (checked like any
    draft). `rekindle meetup send ID` sends them with a calendar invitation."""
    from rekindle.services import meetup_times as times
    from rekindle.services.meetups import create_meetup

    zone = times.zone(tz)
    begins = times.parse_start(start, zone)
    ends = times.parse_end(end, begins, zone)
    created = create_meetup(
        STATE.store(), title=title, start=begins, end=ends, place=place, link=link, note=note,
        people=people, group=group, timezone=tz, region=STATE.region(),
    )  # fmt: skip
    if as_json:
        print_json(created.as_json())
        return
    console.print(f"meetup #{created.meetup_id} created; {len(created.invited)} invitation drafts:")
    for inv in created.invited:
        checks = "[green]✓ passes every check[/green]" if not inv.findings else (
            f"[yellow]{len(inv.findings)} finding(s): "
            + safe("; ".join(f.code for f in inv.findings)) + "[/yellow]")  # fmt: skip
        console.print(f"  #{inv.outreach_id} to {safe(inv.person)}  {checks}")
    for skip in created.skipped:
        console.print(f"[dim]left out: {safe(skip)}[/dim]")
    console.print(
        f"[dim]next: `rekindle outreach show ID` to read one, `rekindle meetup send "
        f"{created.meetup_id}` to send them[/dim]"
    )


@meetup_app.command("list")
def list_command(as_json: JsonOpt = False) -> None:
    """Your meetups, the latest first, with how many are coming and waiting."""
    from rekindle.services.meetup_view import list_meetups

    rows = list_meetups(STATE.store())
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("no meetups yet: `rekindle meetup plan` proposes groups")
    for r in rows:
        console.print(
            f"#{r['id']}  [bold]{safe(r['title'])}[/bold]  {safe(r['when'])}  {safe('[' + r['phase'] + ']')}  "
            f"{r['coming']} of {r['guests']} coming, {r['waiting']} not answered"
        )


def _print_view(view: Any) -> None:
    console.print(f"[bold]#{view.id} {safe(view.title)}[/bold]  {safe('[' + view.phase + ']')}")
    console.print(f"When: {safe(view.when)}")
    if view.place:
        console.print(f"Where: {safe(view.place)}")
    if view.link:
        console.print(f"Link: {safe(view.link)}")
    if view.basis:
        console.print(f"[dim]Why this group: {safe(view.basis)}[/dim]")
    for answer in ("accepted", "tentative", "declined", "needs-action"):
        for g in view.by_answer(answer):
            how = f" [dim]({g.answer_source})[/dim]" if g.answer_source else ""
            extra = ""
            if g.invite_status in ("draft", "sending"):
                extra = " [dim]invitation not sent[/dim]"
            elif g.reminder_due:
                extra = " [yellow]reminder due[/yellow]"
            elif g.reminder_id:
                extra = " [dim]reminded[/dim]"
            console.print(f"  {_MARKS[answer]:<16} {safe(g.name)}{how}{extra}")
    if view.unsent:
        console.print(
            f"[dim]{len(view.unsent)} invitation(s) not sent: `rekindle meetup send {view.id}`[/dim]"
        )
    if view.reminders_due:
        console.print(f"[dim]a reminder is due: `rekindle meetup remind {view.id}`[/dim]")
    if view.phase == "past":
        console.print(f"[dim]after the event: `rekindle meetup done {view.id} --thank`[/dim]")


@meetup_app.command("show")
def show_command(meetup_id: MeetupId, as_json: JsonOpt = False) -> None:
    """One meetup: who is coming, who said no or maybe, who has not answered."""
    from rekindle.services.meetup_view import show_meetup

    view = show_meetup(STATE.store(), meetup_id)
    if as_json:
        print_json(view.as_json())
        return
    _print_view(view)


@meetup_app.command("send")
def send_command(
    meetup_id: MeetupId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Send them; without this, a dry run.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Also to people reached within the duplicate-outreach window.")] = False,
    as_json: JsonOpt = False,
) -> None:  # fmt: skip
    """Send every unsent invitation (and reminder) through SMTP, each with the calendar
    invitation (iTIP REQUEST) its guest can accept in any calendar app. SMTP settings and the
    password as for `rekindle send`."""
    from rekindle.cli.delivery import _prompt
    from rekindle.services.meetup_send import send_invitations

    results = send_invitations(STATE.store(), meetup_id, confirm=yes, force=force, prompt=_prompt)
    if as_json:
        print_json([r.as_json() for r in results])
        return
    if not results:
        console.print("nothing to send: every invitation has gone")
    for r in results:
        what = {"sent": "[green]sent[/green]", "ready": "ready", "refused": "[red]not sent[/red]"}[
            r.status
        ]
        console.print(
            f"  #{r.outreach_id} to {safe(r.person)}: {what}{(': ' + safe(r.problem)) if r.problem else ''}"
        )
    if results and not yes:
        console.print(f"[dim]a dry run: `rekindle meetup send {meetup_id} --yes` sends them[/dim]")


@meetup_app.command("rsvp")
def rsvp_command(
    meetup_id: MeetupId,
    person: Annotated[str, typer.Argument(help="The guest (id, address or name).")],
    answer: Annotated[str, typer.Argument(help="yes, no, maybe, or none to clear it.")],
    note: Annotated[str | None, typer.Option("--note", help="What they said.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark a guest's answer by hand (answers in synced mail are found by themselves)."""
    from rekindle.services.meetups import set_answer

    done = set_answer(STATE.store(), meetup_id, person, answer, note=note, region=STATE.region())
    if as_json:
        print_json(done)
        return
    console.print(f"{safe(done['person'])}: {_MARKS[done['answer']]}")


@meetup_app.command("remind")
def remind_command(meetup_id: MeetupId, as_json: JsonOpt = False) -> None:
    """Draft the one reminder for guests who have not answered (then never again)."""
    from rekindle.services.meetups import remind

    made = remind(STATE.store(), meetup_id)
    if as_json:
        print_json(made)
        return
    if not made:
        console.print("no reminder due (each guest gets one, some days after the invitation)")
    for m in made:
        console.print(f"  #{m['outreach_id']} reminder to {safe(m['person'])}")
    if made:
        console.print(f"[dim]`rekindle meetup send {meetup_id}` sends them[/dim]")


@meetup_app.command("done")
def done_command(
    meetup_id: MeetupId,
    thank: Annotated[bool, typer.Option("--thank", help="Also draft a thank-you note to each who came.")] = False,
    as_json: JsonOpt = False,
) -> None:  # fmt: skip
    """After the event: log it as a meeting with everyone who came (their clocks restart)."""
    from rekindle.services.meetups import log_meetup

    done = log_meetup(STATE.store(), meetup_id, thank=thank, region=STATE.region())
    if as_json:
        print_json(done)
        return
    names = ", ".join(safe(a["person"]) for a in done["attendees"])
    word = "already logged with" if done["already_logged"] else "logged with"
    console.print(f"meetup #{meetup_id} {word} {names}")
    for t in done["thanks"]:
        console.print(f"  #{t['outreach_id']} thank-you draft to {safe(t['person'])}")


@meetup_app.command("ics")
def ics_command(
    meetup_id: MeetupId,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file; default: print it.")] = None,
) -> None:  # fmt: skip
    """The calendar invitation (METHOD:REQUEST) with every guest, for your own calendar."""
    from rekindle.services.meetup_send import meetup_ics

    data = meetup_ics(STATE.store(), meetup_id)
    if output is None:
        print(data.decode("utf-8"), end="")
        return
    output.write_bytes(data)
    console.print(f"written to {safe(output)}")


@meetup_app.command("cancel")
def cancel_command(meetup_id: MeetupId, as_json: JsonOpt = False) -> None:
    """Call a meetup off (it stays listed, as cancelled; nothing more is sent for it)."""
    from rekindle.services.meetups import cancel_meetup

    cancel_meetup(STATE.store(), meetup_id)
    if as_json:
        print_json({"meetup_id": meetup_id, "status": "cancelled"})
        return
    console.print(f"meetup #{meetup_id} cancelled")


@meetup_app.command("delete")
def delete_command(meetup_id: MeetupId, as_json: JsonOpt = False) -> None:
    """Forget a meetup (its drafts and a logged meeting stay in your history)."""
    from rekindle.services.meetups import delete_meetup

    delete_meetup(STATE.store(), meetup_id)
    if as_json:
        print_json({"meetup_id": meetup_id, "status": "deleted"})
        return
    console.print(f"meetup #{meetup_id} deleted")


def register(app: typer.Typer) -> None:
    app.add_typer(meetup_app, name="meetup")
