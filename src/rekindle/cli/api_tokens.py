"""`rekindle api-token`: the keys of the JSON API that `rekindle serve` offers at /api/v1."""

from __future__ import annotations

from typing import Annotated

import typer

from rekindle.cli.context import STATE, console, print_json, safe

token_app = typer.Typer(
    help="Tokens for the JSON API of `rekindle serve` (/api/v1): create, list, revoke.",
    no_args_is_help=True,
)


@token_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="A name to know it by, e.g. the script's.")],
    write: Annotated[
        bool,
        typer.Option(
            "--write", help="Let it record outreach and outcomes too (otherwise read-only)."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Make a token and print it (shown this once: only its hash is kept).

    It sees your data alone (with the global --user, that team account's)."""
    from rekindle.services import api_tokens

    token = api_tokens.create_token(STATE.store(), name, write)
    if as_json:
        print_json({"name": name.strip(), "write": write, "token": token})
        return
    kind = "read and write" if write else "read-only"
    console.print(f"token {safe(name.strip())} ({kind}), shown once; keep it secret:")
    print(token)
    console.print("Send it as `Authorization: Bearer <token>` to /api/v1 (docs/api.md).")


@token_app.command("list")
def list_tokens(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List your tokens: name, read-only or not, made and last used (never the secret)."""
    from rekindle.services import api_tokens

    tokens = api_tokens.list_tokens(STATE.store())
    if as_json:
        print_json([t.as_json() for t in tokens])
        return
    if not tokens:
        console.print("No API tokens. `rekindle api-token create NAME` makes one.")
        return
    for t in tokens:
        used = f"last used {t.last_used_at:%d %b %Y %H:%M}" if t.last_used_at else "never used"
        kind = "read and write" if t.can_write else "read-only"
        console.print(f"  {safe(t.name):24} {kind:15} made {t.created_at:%d %b %Y}, {used}")


@token_app.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="The token's name.")]) -> None:
    """Revoke a token: calls carrying it are refused from now on."""
    from rekindle.services import api_tokens

    api_tokens.revoke_token(STATE.store(), name)
    console.print(f"token {safe(name.strip())} revoked")


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="api-token")
