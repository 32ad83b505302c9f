"""`rekindle user`: the accounts of a team server (`rekindle serve --team`)."""

from __future__ import annotations

import getpass
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from rekindle.cli.context import STATE, console, print_json, safe
from rekindle.errors import UserError

if TYPE_CHECKING:
    pass

user_app = typer.Typer(
    help="Team accounts for `rekindle serve --team`: add, list, set passwords, remove.",
    no_args_is_help=True,
)

PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of standard input instead of a prompt.",
    ),
]


def _password(from_stdin: bool) -> str:
    from rekindle.services import accounts

    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise UserError("no password on standard input")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UserError(
            "no terminal to type the password into", hint="pipe it in with --password-stdin"
        )
    first = getpass.getpass("Password (10 characters or more): ")
    accounts.check_password(first)
    if getpass.getpass("Again: ") != first:
        raise UserError("the two passwords differ")
    return first


@user_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name: letters, digits, . _ @ -")],
    name: Annotated[str | None, typer.Option(help="Name shown to the team.")] = None,
    admin: Annotated[
        bool, typer.Option("--admin", help="May add accounts from the web page.")
    ] = False,
    password_stdin: PasswordStdin = False,
) -> None:
    """Create an account that can sign in to the team server."""
    from rekindle.services import accounts

    password = _password(password_stdin)
    account = accounts.add_user(STATE.store(), username, password, display_name=name, admin=admin)
    role = " (administrator)" if account.is_admin else ""
    console.print(f"account {safe(account.username)} created{role}; it can sign in now")


@user_app.command("passwd")
def passwd(
    username: Annotated[str, typer.Argument(help="The account.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set an account's password (every browser it was signed in on is signed out).

    `rekindle user passwd local` turns the data you kept before team mode into an account."""
    from rekindle.services import accounts

    account = accounts.set_password(STATE.store(), username, _password(password_stdin))
    console.print(f"password of {safe(account.username)} set; its sessions were ended")


@user_app.command("admin")
def admin(
    username: Annotated[str, typer.Argument(help="The account.")],
    revoke: Annotated[bool, typer.Option("--revoke", help="Take the role away.")] = False,
) -> None:
    """Make an account an administrator (or not, with --revoke)."""
    from rekindle.services import accounts

    account = accounts.set_admin(STATE.store(), username, not revoke)
    state = "is" if account.is_admin else "is no longer"
    console.print(f"{safe(account.username)} {state} an administrator")


@user_app.command("list")
def list_accounts(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the accounts, whether each can sign in, shares signals, and how many people it has."""
    from rekindle.services import accounts

    rows = accounts.list_users(STATE.store())
    if as_json:
        print_json(
            [
                {
                    "username": a.username,
                    "name": a.display_name,
                    "can_sign_in": a.can_sign_in,
                    "admin": a.is_admin,
                    "shares_signals": a.share_signals,
                    "people": people,
                }
                for a, people in rows
            ]
        )
        return
    for a, people in rows:
        flags = [
            "admin" if a.is_admin else "",
            "shares" if a.share_signals else "",
            "" if a.can_sign_in else "no password",
        ]
        shown = ", ".join(f for f in flags if f)
        console.print(f"  {safe(a.username):24} {people:>6} people  {safe(shown)}".rstrip())


@user_app.command("remove")
def remove(
    username: Annotated[str, typer.Argument(help="The account.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do it without asking.")] = False,
) -> None:
    """Delete an account and everything it keeps (people, history, outreach)."""
    from rekindle.services import accounts

    if not yes and not typer.confirm(
        f"delete {username} and all of its data? This cannot be undone", default=False
    ):
        raise typer.Exit(1)
    account = accounts.remove_user(STATE.store(), username)
    console.print(f"account {safe(account.username)} and its data deleted")


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
