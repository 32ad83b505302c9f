"""`rekindle people`, `show`, `edit`, `tag` and `note`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from rekindle.cli.context import STATE, console, print_json, safe
from rekindle.plural import counted

if TYPE_CHECKING:
    from datetime import datetime

    from rekindle.services.people import PersonView


def people_command(
    query: Annotated[
        str | None,
        typer.Argument(
            help="Search names, addresses, organisations, titles and tags (any part, any case; "
            "on SQLite one or two characters search names only)."
        ),
    ] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only people with this tag.")] = None,
    tier: Annotated[
        str | None,
        typer.Option(
            "--tier",
            help="Only this tier: close, regular, occasional or dormant (your edit, else the "
            "strongest the tie ever was, as the plan decides it).",
        ),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option("--org", help="Only people whose current organisation contains this."),
    ] = None,
    silent_for: Annotated[
        str | None,
        typer.Option(
            "--silent-for",
            help="Only people whose last contact is longer ago than this: 6m, 1y, 2y, 5y, 90d.",
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows (0: all).")] = 50,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many rows.")] = 0,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="name; last (last contact, latest first); strength (strongest now first); "
            "or dormant: formerly strong ties gone quiet, longest silent first.",
        ),
    ] = "name",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List or search people; the filters combine."""
    from rekindle.services import people_filters as filters_svc

    if sort not in filters_svc.SORTS:
        raise typer.BadParameter("choose " + ", ".join(filters_svc.SORTS), param_hint="--sort")
    filters = filters_svc.PeopleFilters(
        query or "", tag or "", (tier or "").lower(), org or "", silent_for or "", sort
    )
    rows = filters_svc.find_people(STATE.store(), filters, limit=limit or None, offset=offset)
    if as_json:
        print_json(rows)
        return
    if sort == "dormant":
        _print_dormant(rows)
        return
    table = Table(show_edge=False, header_style="bold")
    for col in ("id", "name", "tier", "organisation", "title", "email", "phone", "last contact"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["id"]),
            safe(r["name"]),
            r["tier"],
            safe(r["organisation"] or ""),
            safe(r["title"] or ""),
            safe(r["email"] or ""),
            safe(r["phone"] or ""),
            f"{r['last_contact']:%Y-%m-%d}" if r["last_contact"] else "",
        )
    console.print(table)
    console.print(
        f"[dim]{len(rows)} shown{' (more with --offset)' if limit and len(rows) == limit else ''}[/dim]"
    )


def _print_dormant(rows: list[dict[str, Any]]) -> None:
    table = Table(
        show_edge=False,
        header_style="bold",
        title="Formerly strong ties gone quiet",
        title_justify="left",
    )
    for col in ("id", "name", "silent", "last contact", "peak", "now", "messages", "meetings"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r["id"]),
            safe(r["name"]),
            f"{r['silent_days'] / 365:.1f} y"
            if r["silent_days"] >= 365
            else f"{r['silent_days']} d",
            f"{r['last_contact']:%Y-%m-%d}",
            f"{r['peak_strength']:.1f}",
            f"{r['strength_now']:.1f}",
            str(r["messages"]),
            str(r["meetings"]),
        )
    console.print(table)
    if not rows:
        console.print(
            "[dim]no dormant ties yet: sync some mail first (`rekindle sync mail PATH`)[/dim]"
        )


def print_person(
    view: PersonView,
    hold: str | None = None,
    learnt: str = "",
    reached: datetime | None = None,
) -> None:
    """``hold``: what keeps them out of the plan now, shown instead of their status;
    ``learnt``: what their answers did to the cadence; ``reached``: your newest outreach to
    them (the plan counts it as contact, so `why` may say "silent" from it)."""
    from rekindle.services.people import address_text

    status = hold or view.status
    console.print(f"[bold]{safe(view.name)}[/bold]  [dim]#{view.id} · {safe(status)}[/dim]")
    if view.edits:
        console.print(
            "  [dim]your edits:[/dim] "
            + ", ".join(f"{safe(k)}={safe(v)}" for k, v in sorted(view.edits.items()))
        )
    for ident in view.identities:
        label = f" ({safe(ident['label'])})" if ident["label"] else ""
        service = (
            f" [{safe(ident['service'])}]" if ident["service"] and ident["kind"] != "phone" else ""
        )
        console.print(f"  {ident['kind']:8} {safe(ident['value'])}{label}{service}")
    for aff in view.affiliations:
        span = ""
        if aff["start"] or aff["end"]:
            span = f" ({aff['start'] or '?'} – {aff['end'] or 'now'})"
        title = f", {safe(aff['title'])}" if aff["title"] else ""
        console.print(f"  {aff['kind']:8} {safe(aff['organisation'])}{title}{span}")
    if view.birthday:
        console.print(f"  birthday {safe(view.birthday)}")
    if view.anniversary:
        console.print(f"  anniversary {safe(view.anniversary)}")
    for address in view.addresses:
        label = f" ({safe(address['label'])})" if address.get("label") else ""
        console.print(f"  address  {safe(address_text(address))}{label}")
    if view.tags:
        console.print("  tags     " + ", ".join(safe(t) for t in view.tags))
    for rel in view.related:
        console.print(f"  related  {safe(rel[0])}: {safe(rel[1])}")
    for note in view.notes:
        console.print(f"  note     {safe(note['text'])} [dim]({safe(note['source'])})[/dim]")
    if view.interactions:
        console.print(
            f"  history  {counted(view.interactions, 'interaction')}, "
            f"{view.first_contact:%Y-%m-%d} – {view.last_contact:%Y-%m-%d}"
        )
    if reached is not None and (view.last_contact is None or reached > view.last_contact):
        console.print(
            f"  reached  your outreach of {reached:%Y-%m-%d} "
            "[dim](the plan counts it as contact)[/dim]"
        )
    if learnt:
        console.print(f"  learnt   {safe(learnt)}")
    console.print("[bold]Records[/bold] [dim](why each one belongs here)[/dim]")
    for rec in view.records:
        console.print(
            f"  #{rec['id']} {safe(rec['source'])} {safe(rec['locator'])} — {safe(rec['rule'])}: {safe(rec['evidence'])}"
        )
    for ev in view.merges:
        state = f"undone {ev['undone_at'][:10]}" if ev["undone_at"] else "live"
        console.print(
            f"  merge {ev['event']}: #{ev['absorbed']} into #{ev['into']} — {safe(ev['rule'])}: "
            f"{safe(ev['evidence'])} [dim]({state}; `rekindle unmerge {view.id} --event {ev['event']}`)[/dim]"
        )


def show_command(
    person: Annotated[
        str, typer.Argument(help="An id, an email address, a phone number or a name.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one person: identities, affiliations, tags, notes, and which records and rules made them."""
    from rekindle.services import people as svc
    from rekindle.services.outcomes import ledger
    from rekindle.services.plan_actions import hold_in_force
    from rekindle.services.team import signals_for
    from rekindle.services.why import learnt_cadence_of

    view = svc.show(STATE.store(), person, STATE.region())
    given = ledger(STATE.store(), str(view.id))
    team = signals_for(STATE.store(), view.id)
    held = hold_in_force(STATE.store(), view.id)
    cadence, reached = learnt_cadence_of(STATE.store(), view.id)
    if as_json:
        data = {**view.as_json(), "ledger": given.as_json(), "team": team.as_json()}
        print_json({**data, "hold": held, "learnt_cadence": cadence})
        return
    print_person(view, held, cadence, reached)
    for line in given.lines():
        console.print(f"  ledger   {safe(line)}")
    for line in team.lines():
        console.print(f"  team     {safe(line)}")


def edit_command(
    person: Annotated[str, typer.Argument(help="An id, an email address or a name.")],
    name: Annotated[str | None, typer.Option("--name", help="The name to show.")] = None,
    organisation: Annotated[
        str | None, typer.Option("--org", "--organisation", help="Their current organisation.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Their current role.")] = None,
    birthday: Annotated[
        str | None, typer.Option("--birthday", help="YYYY-MM-DD or --MM-DD")
    ] = None,
    medium: Annotated[
        str | None,
        typer.Option("--medium", help="Preferred medium: email, linkedin, sms, call, video."),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option("--country", help="Where they live: a country name or ISO code (holidays)."),
    ] = None,
    tier: Annotated[
        str | None,
        typer.Option(
            "--tier",
            help="How close the tie is meant to be: close, regular, "
            "occasional, dormant (sets the check-in cadence).",
        ),
    ] = None,
    cadence: Annotated[
        str | None, typer.Option("--cadence", help="Check in every this many days.")
    ] = None,
    email: Annotated[
        list[str] | None, typer.Option("--email", help="Add an email address (repeatable).")
    ] = None,
    phone: Annotated[
        list[str] | None, typer.Option("--phone", help="Add a phone number (repeatable).")
    ] = None,
    unset: Annotated[
        list[str] | None, typer.Option("--unset", help="Drop your edit of this field (repeatable).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Edit a person. Your edits are kept apart from imported data and win over every re-import."""
    from rekindle.services import people as svc

    changes: dict[str, str | None] = {
        k: v
        for k, v in {
            "name": name,
            "organisation": organisation,
            "title": title,
            "birthday": birthday,
            "medium": medium,
            "country": country,
            "tier": tier,
            "cadence": cadence,
        }.items()
        if v is not None
    }
    for field in unset or []:
        changes[field] = None
    view = svc.edit(STATE.store(), person, changes, email or [], phone or [], STATE.region())
    if as_json:
        print_json(view.as_json())
    else:
        print_person(view)


def tag_command(
    people: Annotated[list[str], typer.Argument(help="One or more people (id, email or name).")],
    add: Annotated[
        list[str] | None, typer.Option("--add", "-a", help="Tag to add (repeatable).")
    ] = None,
    remove: Annotated[
        list[str] | None, typer.Option("--remove", "-r", help="Tag to remove (repeatable).")
    ] = None,
) -> None:
    """Add or remove tags."""
    from rekindle.services import people as svc

    if not add and not remove:
        raise typer.BadParameter("give --add TAG or --remove TAG")
    ids = svc.tag(STATE.store(), people, add or [], remove or [], STATE.region())
    console.print(f"tagged {len(ids)} {'person' if len(ids) == 1 else 'people'}")


def note_command(
    person: Annotated[str, typer.Argument(help="An id, an email address or a name.")],
    text: Annotated[str, typer.Argument(help="The note.")],
) -> None:
    """Add a note to a person (dated; shown on `rekindle show`)."""
    from rekindle.services import people as svc

    pid = svc.add_note(STATE.store(), person, text, STATE.region())
    console.print(f"noted on #{pid}")


def register(app: typer.Typer) -> None:
    app.command("people")(people_command)
    app.command("show")(show_command)
    app.command("edit")(edit_command)
    app.command("tag")(tag_command)
    app.command("note")(note_command)
