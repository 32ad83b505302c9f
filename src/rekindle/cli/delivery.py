"""`rekindle send`, `rekindle followups` and `rekindle calendar`: delivery and what comes after."""

from __future__ import annotations

import getpass
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rekindle.cli.context import STATE, console, print_json, safe
from rekindle.plural import counted

if TYPE_CHECKING:
    from rekindle.services.delivery import Outgoing
from rekindle.errors import UserError


def _prompt(label: str) -> str:
    if not sys.stdin.isatty():
        return ""
    return getpass.getpass(label)


def _print_message(out: Outgoing) -> None:
    if out.message is not None:
        for key in ("From", "To", "Subject", "Date", "Message-ID", "In-Reply-To"):
            if out.message[key]:
                console.print(f"[dim]{key}:[/dim] {safe(out.message[key])}")
        console.print()
    console.print(safe(out.body))
    console.print()


def _links(out: Outgoing) -> dict[str, str]:
    from rekindle.compose.mail_compose import mailto_link, profile_link, sms_link, tel_link

    found: dict[str, str] = {}
    if out.email:
        found["mailto"] = mailto_link(out.email, out.subject, out.body)
    if out.phone:
        found["sms"] = sms_link(out.phone, out.body)
        found["tel"] = tel_link(out.phone)
    profile = profile_link(out.linkedin) if out.linkedin else None
    if profile:
        found["linkedin"] = profile
    return found


def _by_hand(out: Outgoing, as_json: bool) -> None:
    """Links to send it yourself, the text on the clipboard, and how to record it."""
    from rekindle.transport.clipboard import copy_text

    links = _links(out)
    copied = copy_text(out.body)
    if as_json:
        print_json({**out.as_json(), "links": links, "clipboard": copied})
        return
    _print_message(out)
    order = {
        "linkedin": ("linkedin", "mailto"),
        "sms": ("sms", "tel"),
        "call": ("tel",),
        "video": ("mailto", "tel"),
    }.get(out.medium, ("mailto", "sms", "tel", "linkedin"))
    shown = [k for k in order if k in links] or list(links)
    for key in shown:
        console.print(f"  {key:8} {safe(links[key])}", soft_wrap=True)
    if not shown:
        console.print(f"[yellow]no address, phone or profile on record for {safe(out.person)}")
    console.print(
        f"[dim]text copied to the clipboard ({copied})[/dim]"
        if copied
        else "[dim]no clipboard here: copy the text above[/dim]"
    )
    console.print(f"once sent: `rekindle outreach sent {out.outreach_id}`")


def send_command(
    outreach_id: Annotated[int, typer.Argument(help="The draft's number (`rekindle outreach`).")],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Send it; without this, a dry run.")
    ] = False,
    drafts: Annotated[
        bool,
        typer.Option(
            "--drafts", help="Save it into your IMAP Drafts folder (drafts.imap) instead."
        ),
    ] = False,
    imap: Annotated[
        str | None, typer.Option("--imap", help="The IMAP account for --drafts: imaps://user@host")
    ] = None,
    eml: Annotated[
        Path | None, typer.Option("--eml", help="Write it as an .eml file your mail app opens.")
    ] = None,
    links: Annotated[
        bool, typer.Option("--links", help="Show mailto:/sms:/tel: links and copy the text.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Within the duplicate-outreach window, or again after a dropped connection.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Deliver a saved draft: email through SMTP (a dry run unless --yes), into your IMAP
    Drafts folder (--drafts), as an .eml file (--eml); other media get links and the clipboard.

    SMTP settings: `rekindle config set smtp.host|smtp.port|smtp.security|smtp.username`. The
    password comes from REKINDLE_SMTP_PASSWORD, the system keyring (service "rekindle", user
    "username@host") or a prompt, and is never stored.
    """
    from rekindle.services import delivery

    store = STATE.store()
    if sum(bool(x) for x in (drafts or imap, eml, links)) > 1:
        raise UserError("choose one of --drafts, --eml and --links")
    if eml is not None:
        out = delivery.write_eml(store, outreach_id, eml, force=force)
        if as_json:
            print_json({**out.as_json(), "file": str(eml)})
            return
        console.print(f"#{outreach_id} written to {safe(eml)}; open it, send it, then:")
        console.print(f"  rekindle outreach sent {outreach_id}")
        return
    if drafts or imap:
        out, folder = delivery.save_to_drafts(store, outreach_id, imap, prompt=_prompt)
        if as_json:
            print_json({**out.as_json(), "folder": folder})
            return
        console.print(
            f"#{outreach_id} saved to {safe(folder)}; send it from your mail app, then "
            f"`rekindle outreach sent {outreach_id}`"
        )
        return
    out = delivery.prepare(store, outreach_id)
    if links or out.medium != "email":
        _by_hand(out, as_json)
        return
    if not yes and sys.stdin.isatty() and not as_json:
        out = delivery.send(store, outreach_id, confirm=False, force=force)
        _print_message(out)
        yes = typer.confirm(f"Send this to {out.email}?", default=False)
        if not yes:
            console.print("not sent")
            return
    out = delivery.send(store, outreach_id, confirm=yes, force=force, prompt=_prompt)
    if as_json:
        print_json({**out.as_json(), "sent": yes})
        return
    if not yes:
        _print_message(out)
        account = delivery.smtp_account(store)
        console.print(
            f"[yellow]dry run:[/yellow] nothing sent. `rekindle send {outreach_id} --yes` sends "
            f"it through {safe(account.where)} ({account.security})"
        )
        return
    console.print(
        f"#{outreach_id} sent to {safe(out.person)} <{safe(out.email)}>; "
        "the next mail sync looks for the reply"
    )


followups_app = typer.Typer(
    help="Follow-ups due (one per message, then stop) and thank-yous to write.",
    no_args_is_help=False,
)


@followups_app.callback(invoke_without_command=True)
def followups_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the follow-ups due, each with a draft ready in the log; and thank-yous to write.

    A message gets one friendly follow-up followup.days (default 10) after it went without
    reply; after that, it closes as no-reply. Never a third message.
    """
    if ctx.invoked_subcommand:
        return
    from rekindle.services import followups

    store = STATE.store()
    due, closed = followups.due_follow_ups(store)
    thanks = followups.thanks_due(store)
    upcoming = None if due else followups.next_due(store)
    if as_json:
        print_json(
            {
                "due": [d.as_json() for d in due],
                "closed_no_reply": closed,
                "thanks": [t.__dict__ for t in thanks],
                "next_due": None
                if upcoming is None
                else {"at": upcoming[0].isoformat(), "person": upcoming[1]},
            }
        )
        return
    # the same words as the web's Follow-ups page
    if closed:
        console.print(
            f"[dim]{counted(closed, 'message')} closed as no reply: the follow-up window "
            "passed.[/dim]"
        )
    if not due:
        console.print(_nothing_due(upcoming))
    for d in due:
        console.print(
            f"[bold]{safe(d.person)}[/bold]: your {d.medium} #{d.outreach_id} of "
            f"{d.sent_at:%d %b %Y} has no reply; follow-up due {d.due:%d %b %Y}, closes as no "
            f"reply on {d.closes:%d %b %Y}."
        )
        if d.subject:
            console.print(f"  Subject: {safe(d.subject)}")
        for line in d.body.splitlines():
            console.print(f"  {safe(line)}")
        console.print(
            f"  → `rekindle send {d.draft_id}`, or `rekindle followups skip {d.outreach_id}`"
        )
    for t in thanks:
        console.print(f"[bold]{safe(t.person)}[/bold]: {safe(t.why)}; say thank you: `{t.command}`")


def _nothing_due(upcoming: tuple[datetime, str] | None) -> str:
    if upcoming is None:
        return (
            "Nothing due. No message is waiting for a reply. A follow-up shows here when a "
            "message you sent goes unanswered."
        )
    return (
        f"Nothing due. The next follow-up is due on {upcoming[0]:%d %b %Y} "
        f"({safe(upcoming[1])})."
    )


@followups_app.command("skip")
def followups_skip(
    outreach_id: Annotated[int, typer.Argument(help="The sent message's number.")],
) -> None:
    """No follow-up for this message: close it as no-reply now."""
    from rekindle.services import followups

    followups.skip(STATE.store(), outreach_id)
    console.print(f"#{outreach_id} closed as no-reply; no follow-up will be proposed")


calendar_app = typer.Typer(help="Reminders in your calendar app.", no_args_is_help=True)


@calendar_app.command("export")
def calendar_export_command(
    file: Annotated[
        Path, typer.Argument(help="Where to write the .ics file (- for standard output).")
    ],
) -> None:
    """Write due follow-ups and this period's check-ins as an ICS file. UIDs are stable: import
    it again and your calendar updates the events instead of adding copies."""
    from rekindle.services import calendar_export

    data, count = calendar_export.export_calendar(STATE.store())
    if str(file) == "-":
        sys.stdout.write(data.decode("utf-8"))
        return
    file.write_bytes(data)
    console.print(f"{count} reminders written to {safe(file)}")


def register(app: typer.Typer) -> None:
    app.command("send")(send_command)
    app.add_typer(followups_app, name="followups")
    app.add_typer(calendar_app, name="calendar")
