"""`rekindle mcp`: serve the Model Context Protocol over stdio for your AI assistant."""

from __future__ import annotations

from typing import Annotated

import typer

from rekindle.cli.context import STATE
from rekindle.errors import UserError

INSTALL_HINT = "pip install 'rekindle[mcp]' (the official Model Context Protocol SDK)"


def mcp_command(
    allow_writes: Annotated[
        bool,
        typer.Option(
            "--allow-writes",
            help="Also offer the tools that write: mark an outreach done, record its outcome. "
            "Without it the assistant can only read (and draft, which never sends).",
        ),
    ] = False,
) -> None:
    """Let your AI assistant ask Rekindle: this week's plan, why someone ranks, search, a
    person's history, warm introductions and drafts, over MCP on stdin/stdout (docs/mcp.md)."""
    try:
        # optional: the SDK is an extra, imported only when the server is asked for
        from rekindle.mcp.server import serve
    except ImportError as exc:
        if (exc.name or "").split(".")[0] == "mcp":
            raise UserError("the MCP server needs the mcp package", hint=INSTALL_HINT) from None
        raise
    serve(STATE.store(), allow_writes)


def register(app: typer.Typer) -> None:
    app.command("mcp")(mcp_command)
