"""`rekindle draft`, `rekindle check` and `rekindle templates`: messages and their checks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rekindle.cli.context import STATE, console, print_json, safe
from rekindle.compose.vocabulary import INTENTS, MEDIA

if TYPE_CHECKING:
    from rekindle.compose.draft_checks import Finding
    from rekindle.compose.drafting import Draft
from rekindle.errors import UserError

INTENT_HELP = "What the message is for: " + ", ".join(INTENTS) + "."
MEDIUM_HELP = (
    "email (with a subject), linkedin (≤300 characters), sms (short), call or video (a brief)."
)


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise UserError(f"unknown {what} {value!r}", hint=f"{what}s: " + ", ".join(allowed))
    return value


def print_findings(findings: list[Finding]) -> None:
    if not findings:
        console.print("[green]✓ passes every check[/green]")
        return
    console.print(f"[yellow]{len(findings)} finding{'s' if len(findings) > 1 else ''}:[/yellow]")
    for f in findings:
        console.print(f"  • {safe(f.what)}  [dim]({f.code})[/dim]")
        console.print(f"    [dim]fix:[/dim] {safe(f.fix)}")


def print_draft(person: str, d: Draft) -> None:
    """Who a draft is to, how, and its text (subject first)."""
    console.print(f"[dim]to {safe(person)} · {d.intent} · {d.medium}[/dim]")
    console.print()
    if d.subject:
        console.print(f"Subject: {safe(d.subject)}")
        console.print()
    console.print(safe(d.body))
    console.print()


def draft_command(
    person: Annotated[str, typer.Argument(help="An id, an email address or a name.")],
    intent: Annotated[
        str | None,
        typer.Option(
            "--intent",
            "-i",
            help=INTENT_HELP
            + " Default: catch-up, or the intent your replies favour (`rekindle insights`).",
        ),
    ] = None,
    medium: Annotated[str, typer.Option("--medium", "-m", help=MEDIUM_HELP)] = "email",
    variant: Annotated[
        int | None,
        typer.Option(
            "--variant",
            "-v",
            help="Which template variant (default: 1, or the one your replies favour).",
        ),
    ] = None,
    occasion: Annotated[
        list[str] | None,
        typer.Option(
            "--occasion", help='Their news, in words: "started as CTO at Acme". Repeatable.'
        ),
    ] = None,
    about: Annotated[
        str | None,
        typer.Option("--about", help="What you share, invite to, ask or offer, in your words."),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Template language (default: draft.language).")
    ] = None,
    allow_ask: Annotated[
        bool,
        typer.Option("--allow-ask", help="Skip the 'drop the agenda' guard on asks."),
    ] = False,
    model: Annotated[
        bool | None,
        typer.Option(
            "--model/--no-model",
            help="Draft with the configured language model (default: llm.enabled).",
        ),
    ] = None,
    save: Annotated[
        bool, typer.Option("--save", help="Keep the draft in the outreach log (status draft).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Write a message to one person that recalls something real, owns the gap, and is checked."""
    from rekindle.compose.draft_templates import PACKAGE_ROOT
    from rekindle.services import drafting as svc
    from rekindle.services import outreach as log_svc

    if intent is not None:
        _choice(intent, INTENTS, "intent")
    _choice(medium, MEDIA, "medium")
    store = STATE.store()
    request = svc.DraftRequest(
        intent or "catch-up",
        medium,
        variant,
        occasions=tuple(occasion or ()),
        topic=about,
        lang=lang,
        allow_ask=allow_ask,
        learn_intent=intent is None,
    )
    request, intent_why = svc.learnt_request(store, person, request, region=STATE.region())
    if svc.use_model(store, model):
        from rekindle.services import llm_drafting

        result = llm_drafting.draft_with_model(store, person, request, region=STATE.region())
    else:
        result = svc.draft_for(store, person, request, region=STATE.region())
    saved = log_svc.save_draft(store, result.person_id, result.draft) if save else None
    if as_json:
        print_json({**result.as_json(), "intent_why": intent_why, "saved_id": saved})
        return
    d = result.draft
    print_draft(result.person, d)
    if intent_why:
        console.print(f"[dim]{safe(intent_why)}[/dim]")
    if result.source == "template":
        others = [n for n in result.variants if n != d.variant]
        more = f" · `--variant {others[0]}` for another" if others else ""
        where = d.template
        if where.startswith(str(PACKAGE_ROOT)):
            where = "shipped " + where.removeprefix(str(PACKAGE_ROOT)).lstrip("/\\")
        console.print(
            f"[dim]variant {d.variant} of {len(result.variants)} · {safe(where)}{more}[/dim]"
        )
    else:
        console.print(
            f"[dim]written by {safe(result.source)}; grounded in the facts on record[/dim]"
        )
    print_findings(result.findings)
    for tip in result.tips:
        console.print(f"[dim]tip: {safe(tip)}[/dim]")
    if saved is not None:
        console.print(
            f"saved as draft #{saved}: `rekindle send {saved}` delivers it (a dry run first), "
            f"or once you have sent it yourself: `rekindle outreach sent {saved}`"
        )


def check_command(
    file: Annotated[str, typer.Argument(help="A text file with your message, or - for stdin.")],
    person: Annotated[
        str | None,
        typer.Option(
            "--person", "-p", help="Who it is for: adds the name, gap and reference checks."
        ),
    ] = None,
    medium: Annotated[str, typer.Option("--medium", "-m", help=MEDIUM_HELP)] = "email",
    intent: Annotated[str | None, typer.Option("--intent", "-i", help=INTENT_HELP)] = None,
    allow_ask: Annotated[
        bool, typer.Option("--allow-ask", help="Skip the 'drop the agenda' guard on asks.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Run the draft checks on a message you wrote. Exits 1 when there are findings.

    For email, a first line "Subject: …" is the subject.
    """
    from rekindle.services import drafting as svc

    _choice(medium, MEDIA, "medium")
    if intent is not None:
        _choice(intent, INTENTS, "intent")
    text = _read(file)
    store = STATE.store() if person else None
    name, findings = svc.check_text(
        store,
        text,
        medium,
        intent,
        person,
        allow_ask=allow_ask,
        region=STATE.region() if person else None,
    )
    if as_json:
        print_json({"person": name, "findings": [f.as_json() for f in findings]})
    else:
        if name is None:
            console.print(
                "[dim]no --person: the name, gap and personal-reference checks are off[/dim]"
            )
        print_findings(findings)
    if findings:
        raise typer.Exit(1)


def _read(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    path = Path(file).expanduser()
    if path.is_dir():
        raise UserError(
            f"{file} is a folder", hint="give the file with your message, or - for stdin"
        )
    if not path.is_file():
        raise UserError(f"no such file: {file}")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{file} is not UTF-8 text") from None


templates_app = typer.Typer(
    help="The draft templates: copy them to your data folder to edit them.",
    no_args_is_help=True,
)


@templates_app.command("copy")
def templates_copy(
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite your edited copies with the shipped ones.")
    ] = False,
) -> None:
    """Copy the shipped templates into <data dir>/templates, where your edits win."""
    from rekindle.services import drafting as svc

    root, copied, kept = svc.copy_templates(STATE.store(), force)
    console.print(f"{len(copied)} templates copied to {safe(root)}")
    if kept:
        console.print(f"{len(kept)} of yours kept as they are (--force overwrites them)")
    console.print("[dim]edit them there; docs/outreach.md lists the variables[/dim]")


@templates_app.command("list")
def templates_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the templates and where each comes from (yours or shipped)."""
    from rekindle.compose.draft_templates import shipped_names
    from rekindle.services import drafting as svc

    templates = svc.template_set(STATE.store())
    rows = []
    for name in shipped_names():
        path = templates.path_of(name)
        rows.append({"name": name, "path": str(path) if path else None})
    user_root = svc.templates_root(STATE.store())
    if user_root.is_dir():
        known = {r["name"] for r in rows}
        for p in sorted(user_root.rglob("*.j2")):
            name = p.relative_to(user_root).as_posix()
            if name not in known:
                rows.append({"name": name, "path": str(p)})
    if as_json:
        print_json(rows)
        return
    for r in rows:
        mine = r["path"] and str(r["path"]).startswith(str(user_root))
        console.print(
            f"  {safe(r['name']):40} {'[green]yours[/green]' if mine else '[dim]shipped[/dim]'}"
        )


def register(app: typer.Typer) -> None:
    app.command("draft")(draft_command)
    app.command("check")(check_command)
    app.add_typer(templates_app, name="templates")
