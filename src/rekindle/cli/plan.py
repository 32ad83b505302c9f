"""`rekindle plan` and what you do with it: done, snooze, dismiss, never, resume; `goal`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from rekindle.cli.context import STATE, console, print_json, safe

if TYPE_CHECKING:
    from rekindle.services import plan as svc
from rekindle.errors import UserError
from rekindle.plural import counted

goal_app = typer.Typer(help="What you are working towards; it makes some people more relevant.")


def plan_command(
    count: Annotated[
        int | None,
        typer.Option(
            "--count",
            "-n",
            help="How many people to reach out to (default: plan.quota); the Keep warm section"
            " beside them lists up to plan.keep_warm more.",
        ),
    ] = None,
    goal: Annotated[
        str | None,
        typer.Option(
            "--goal", help="Recompute for this goal instead of your current one (not stored)."
        ),
    ] = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Recompute this week's plan instead of reusing it.")
    ] = False,
    why: Annotated[bool, typer.Option("--why", help="Show every score part.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """This week's few people worth reconnecting with: why, the occasion, how, and an opener.

    Two lists: Rekindle (ties that mattered and went quiet: silent at least 180 days and 3x
    their usual gap, with a two-way past) fills the quota first; Keep warm (active ties due a
    check-in) is a short second section (`plan.keep_warm`, default 2). The Rekindle list is
    ranked by each tie's worth times its odds of coming back, learnt from your own history
    (fitted when it changed, with a progress bar through its steps; `config set plan.ranker shipped` ranks by
    the worth alone; see docs/plan.md). The plan is kept for the week (or month, see `rekindle config`), so re-running it shows the
    same people; `--refresh` recomputes it. Act on it with `rekindle done/snooze/dismiss/never`.
    """
    plan = plan_with_progress(quota=count, goal=goal, refresh=refresh)
    if as_json:
        print_json(plan.as_json())
        return
    print_plan(plan, why)


def plan_with_progress(
    quota: int | None = None, goal: str | None = None, refresh: bool = False
) -> svc.Plan:
    """The week's plan, with a progress bar while the ranker learns from the history (the
    first plan after it changed) and while a goal is matched with many people's mail."""
    from rich.progress import BarColumn, Progress, TextColumn

    from rekindle.cli.context import err_console
    from rekindle.services import plan as svc
    from rekindle.services.plan_options import MATCHING_GOAL

    with Progress(
        TextColumn("{task.description}"), BarColumn(), console=err_console, transient=True
    ) as bar:
        task: list[object] = []

        def fitting(step: str, done: int, total: int) -> None:
            # each step of the fit (reading, describing each earlier moment, fitting) in turn
            what = step if step == MATCHING_GOAL else f"learning from your history: {step}"
            if not task:
                task.append(bar.add_task(what, total=total))
            bar.update(task[0], description=what, completed=done, total=total)  # type: ignore[arg-type]

        return svc.weekly_plan(
            STATE.store(), quota=quota, goal=goal, refresh=refresh, progress=fitting
        )


def print_plan(plan: svc.Plan, why: bool = False) -> None:
    """The plan in words: who, why, the occasion, how, an opener."""
    from rekindle.engine.lists import TITLES

    head = f"[bold]Plan for {plan.period}[/bold]"
    if plan.goal:
        head += f"  [dim]goal: {safe(plan.goal)}[/dim]"
    console.print(head)
    if not plan.suggestions:
        console.print(
            "nobody to suggest now: import contacts (`rekindle import`) and sync mail "
            "(`rekindle sync mail`), or lift holds with `rekindle resume PERSON`"
        )
    i = 0
    for which, title in TITLES:
        members = plan.of_list(which)
        if not members:
            continue
        console.print(f"\n[bold underline]{title}[/bold underline]")
        for s in members:
            i += 1
            _print_suggestion(i, s, why)
    if plan.ranked_by:
        console.print(f"\n[dim]{safe(plan.ranked_by)}[/dim]")
    if plan.diversified:
        console.print(f"\n[dim]{safe(plan.diversified)}[/dim]")
    if not plan.stored or plan.considered:  # a stored plan's counts, when it kept them
        when = " when this plan was made" if plan.stored else ""
        console.print(
            f"\n[dim]{plan.considered} people, {plan.due} due for a check-in "
            f"({plan.dormant} of them dormant with a two-way past), "
            f"{plan.held} held back{_held_by(plan.held_by)}{when}[/dim]"
        )
    console.print(
        "[dim]next: `rekindle done PERSON` after reaching out · `snooze PERSON 3m` · "
        "`dismiss PERSON --reason …` · `never PERSON`[/dim]"
    )


def _print_suggestion(i: int, s: svc.Suggestion, why: bool) -> None:
    status = "" if s.status == "open" else f"  [green]({safe(s.status)})[/green]"
    org = f" · {safe(s.organisation)}" if s.organisation else ""
    console.print(
        f"\n{i}. [bold]{safe(s.name)}[/bold]{org}  [dim]#{s.person_id} · {s.tier} tie · "
        f"score {s.score:.2f}[/dim]{status}"
    )
    for reason in s.reasons:
        console.print(f"   • {safe(reason)}")
    if s.occasion:
        console.print(f"   [yellow]occasion:[/yellow] {safe(s.occasion)}")
    console.print(f"   [cyan]how:[/cyan] {s.medium}: {safe(s.medium_why)}")
    console.print(f"   [cyan]opener:[/cyan] {safe(s.opener)}")
    if why:
        parts = ", ".join(f"{k} {v:.2f}" for k, v in s.parts.items() if v)
        console.print(f"   [dim]{parts}[/dim]")


def done_command(
    person: Annotated[str, typer.Argument(help="An id, an email address or a name.")],
    medium: Annotated[
        str,
        typer.Option("--medium", help="email, linkedin, call, video, sms, coffee, meeting, other."),
    ] = "other",
    note: Annotated[str | None, typer.Option("--note", help="What happened.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Record it even within the lock period.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Record that you reached out; it resets their clock and keeps them out of plans for a while."""
    from rekindle.services import plan_actions as act

    result = act.mark_done(STATE.store(), person, medium, note, force=force)
    if as_json:
        print_json(result)
        return
    console.print(f"noted: you reached out to {safe(result['name'])} ({safe(medium)})")


def snooze_command(
    person: Annotated[str, typer.Argument(help="An id, an email address or a name.")],
    span: Annotated[str, typer.Argument(help="How long: 2w, 3m, 1y, or a date (2027-03-01).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Keep someone out of the plan until later."""
    from rekindle.services import plan_actions as act

    result = act.snooze(STATE.store(), person, span)
    if as_json:
        print_json(result)
        return
    console.print(f"{safe(result['name'])} snoozed until {result['until'][:10]}")


def dismiss_command(
    person: Annotated[str, typer.Argument(help="An id, an email address or a name.")],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (kept with the person).")
    ] = None,
    declined: Annotated[
        bool,
        typer.Option(
            "--declined",
            help="They said no: keep the door open, revisit after outcomes.declined_days (270 by default).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Not now: out of the plan for 3 months (9 with --declined)."""
    from rekindle.services import plan_actions as act

    result = act.dismiss(STATE.store(), person, reason, declined)
    if as_json:
        print_json(result)
        return
    console.print(f"{safe(result['name'])} out of the plan until {result['until'][:10]}")


def never_command(
    person: Annotated[str, typer.Argument(help="An id, an email address or a name.")],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (kept with the person).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Do not contact: never suggest this person again (undo with `rekindle resume`)."""
    from rekindle.services import plan_actions as act

    result = act.never(STATE.store(), person, reason)
    if as_json:
        print_json(result)
        return
    console.print(f"{safe(result['name'])} will not be suggested again")


def resume_command(
    person: Annotated[str, typer.Argument(help="An id, an email address or a name.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Lift a snooze, dismissal, decline, a rest after silence, or do-not-contact."""
    from rekindle.services import plan_actions as act

    result = act.resume(STATE.store(), person)
    if as_json:
        print_json(result)
        return
    if result["lifted"]:
        console.print(f"{safe(result['name'])} may be suggested again")
    else:
        console.print(f"{safe(result['name'])} was not held back")


@goal_app.callback(invoke_without_command=True)
def goal_show(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Show your current goal and earlier ones."""
    if ctx.invoked_subcommand:
        return
    from rekindle.services import plan_actions as act

    found = act.goals(STATE.store())
    if as_json:
        print_json(found)
        return
    if not found:
        console.print('no goal yet: `rekindle goal set "find a product role in fintech"`')
    for g in found:
        mark = "[bold]now[/bold]  " if g["active"] else "[dim]was[/dim]  "
        console.print(f"{mark}{safe(g['text'])}  [dim]since {g['since'][:10]}[/dim]")


@goal_app.command("set")
def goal_set(text: Annotated[str, typer.Argument(help="What you are working towards.")]) -> None:
    """Set your goal; plans rank people whose work, tags and notes fit it higher."""
    from rekindle.services import plan_actions as act

    if not text.strip():
        raise UserError("the goal is empty", hint="`rekindle goal clear` forgets your goal")
    kept = act.set_goal(STATE.store(), text)
    console.print(f"goal: {safe(kept)}  [dim](`rekindle plan --refresh` to re-rank now)[/dim]")


@goal_app.command("clear")
def goal_clear() -> None:
    """Drop the current goal."""
    from rekindle.services import plan_actions as act

    act.set_goal(STATE.store(), None)
    console.print("no goal now")


def _held_by(counts: dict[str, int]) -> str:
    """' (3 declined, 2 resting after no reply, 1 awaiting a reply)': the reasons, most first."""
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return " (" + ", ".join(f"{n:,} {kind}" for kind, n in ranked) + ")"


def why_command(
    person: Annotated[str, typer.Argument(help="An id, an email address or a name.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Why a person ranks where they do: tier, cadence, guards, every scored part, the medium."""
    from rekindle.services.why import why

    w = why(STATE.store(), person, region=STATE.region())
    if as_json:
        print_json(w.as_json())
        return
    silent = f"silent {counted(w.silent_days, 'day')}, " if w.silent_days is not None else ""
    if w.last_outreach is not None and (
        w.history_last is None or w.last_outreach > w.history_last
    ):  # the plan's clock restarts at your outreach; their history ends before it
        ends = f"{w.history_last:%d %b %Y}" if w.history_last else "nothing yet"
        silent = (
            f"silent {counted(w.silent_days or 0, 'day')} since your outreach of "
            f"{w.last_outreach:%d %b %Y} (their history: {ends}), "
        )
    console.print(f"[bold]{safe(w.name)}[/bold]  #{w.person_id}")
    console.print(
        f"  {w.tier} tie, check in every {w.cadence_days} days ({safe(w.cadence_why)}); "
        f"{silent}{('due, but held back' if w.held else 'due') if w.due else 'not due yet'}"
    )
    if w.looks_like_you:
        console.print(
            f"  looks like you, never planned: {safe('; '.join(w.looks_like_you))} "
            "(`rekindle me --suggest`)"
        )
    if w.list_why:
        console.print(f"  {safe(w.list_why)}")
    if w.held:
        console.print(f"  held back: {safe(w.held)}")
    for line in w.learnt:
        console.print(f"  learnt from their answers: {safe(line)}")
    if w.in_plan:
        console.print(f"  in the plan for {w.in_plan}")
    console.print(f"  score {w.total:.3f} =")
    for p in w.parts:
        reason = f"  {safe(p['reason'])}" if p["reason"] else ""
        console.print(
            f"    {p['name']:12} {p['value']:.2f} × {p['weight']:.2f} = {p['contribution']:.3f}{reason}"
        )
    if w.occasion:
        console.print(f"  occasion: {safe(w.occasion)}")
    console.print(f"  medium: {w.medium} ({safe(w.medium_why)})")


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_command)
    app.command("why")(why_command)
    app.command("done")(done_command)
    app.command("snooze")(snooze_command)
    app.command("dismiss")(dismiss_command)
    app.command("never")(never_command)
    app.command("resume")(resume_command)
    app.add_typer(goal_app, name="goal")
