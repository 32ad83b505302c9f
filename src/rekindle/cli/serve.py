"""`rekindle serve`: the web page on localhost."""

from __future__ import annotations

import threading
import webbrowser
from typing import Annotated

import typer

from rekindle.cli.context import STATE, console, safe
from rekindle.errors import UserError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve_command(
    host: Annotated[
        str,
        typer.Option(help="Address to listen on. Loopback by default: only this machine."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in your browser.")
    ] = False,
) -> None:
    """Serve this week's plan, people, drafting and import as a web page on localhost."""
    try:
        import uvicorn

        from rekindle.web.app import create_app
    except ImportError as exc:
        raise UserError(
            f"the web app needs {exc.name}", hint="pip install 'rekindle' with its dependencies"
        ) from None
    if not 0 < port < 65536:
        raise UserError(f"port {port} is not a port number")
    store = STATE.store()
    extra = () if host in LOOPBACK else (host, "*")
    if host not in LOOPBACK:
        console.print(
            f"[yellow]warning:[/yellow] listening on {safe(host)}: anyone who can reach this "
            "machine can read your contacts; there is no login"
        )
    app = create_app(store, allowed_hosts=extra)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    console.print(f"Rekindle on {url} ({safe(store.location.describe())}); Ctrl-C stops it")
    if open_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
