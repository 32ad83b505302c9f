"""`rekindle serve`: the web page on localhost."""

from __future__ import annotations

import gc
import sys
import threading
import webbrowser
from typing import Annotated

import typer

from rekindle.cli.context import STATE, console, safe
from rekindle.errors import UserError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


#: how many requests a server handles at once (see --threads)
SQLITE_THREADS = 2
SERVER_THREADS = 20
SWITCH_INTERVAL_S = 0.001
GC_THRESHOLDS = (20_000, 50, 100)


def serve_command(
    host: Annotated[
        str,
        typer.Option(help="Address to listen on. Loopback by default: only this machine."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in your browser.")
    ] = False,
    team: Annotated[
        bool,
        typer.Option(
            "--team",
            help="Serve a team: every page needs a login (`rekindle user add`), and each account sees only its own data. Use with --db postgresql://….",
        ),
    ] = False,
    certfile: Annotated[
        str | None, typer.Option(help="TLS certificate (PEM), to serve https directly.")
    ] = None,
    keyfile: Annotated[
        str | None, typer.Option(help="TLS private key (PEM) for --certfile.")
    ] = None,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            metavar="ADDRESS",
            help="Address of an https proxy in front (repeatable). Only its X-Forwarded-For and X-Forwarded-Proto are believed (the client address the login throttle counts, https); by default no one's are.",
        ),
    ] = None,
    threads: Annotated[
        int | None,
        typer.Option(
            help=f"Requests handled at once. Default: {SQLITE_THREADS} on SQLite (pages are CPU work there, and a few threads serve more of them than many), {SERVER_THREADS} on PostgreSQL.",
            min=1,
        ),
    ] = None,
) -> None:
    """Serve this week's plan, people, drafting and import as a web page on localhost.

    With --team, a small multi-user server: sign-in with argon2-hashed passwords, session
    cookies, CSRF tokens on every form, and a login throttle."""
    from rekindle.services import accounts

    try:
        import uvicorn

        from rekindle.web.app import create_app
    except ImportError as exc:
        raise UserError(
            f"the web app needs {exc.name}", hint="pip install 'rekindle' with its dependencies"
        ) from None
    if not 0 < port < 65536:
        raise UserError(f"port {port} is not a port number")
    if bool(certfile) != bool(keyfile):
        raise UserError("--certfile and --keyfile go together")
    store = STATE.store()
    store.update_statistics()
    extra = () if host in LOOPBACK else (host, "*")
    if team:
        users = [a for a, _ in accounts.list_users(store) if a.can_sign_in]
        if not users:
            raise UserError(
                "no account can sign in yet",
                hint="create one first: rekindle --db … user add NAME --admin",
            )
        if host not in LOOPBACK and not certfile:
            console.print(
                f"[yellow]warning:[/yellow] listening on {safe(host)} over plain http: "
                "passwords and session cookies cross the network in clear unless an https "
                "proxy is in front (or use --certfile/--keyfile)"
            )
    elif host not in LOOPBACK:
        console.print(
            f"[yellow]warning:[/yellow] listening on {safe(host)}: anyone who can reach this "
            "machine can read your contacts; there is no login (--team adds one)"
        )
    if threads is None:
        threads = SQLITE_THREADS if store.engine.dialect.name == "sqlite" else SERVER_THREADS
    # a thread back from SQLite waits for the GIL at most this long (the default is 5 ms)
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    app = create_app(store, allowed_hosts=extra, team=team, threads=threads)
    # What start-up built lives as long as the server: the cycle collector need not walk it
    # again and again. And a page makes thousands of short-lived objects: collecting every
    # 20,000 allocations instead of 700, and the oldest generation more rarely, keeps the
    # collector's pauses out of the slowest requests (p95 and p99 under load: benchmarks.md).
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    shown = f"[{host}]" if ":" in host else host
    url = f"{'https' if certfile else 'http'}://{shown}:{port}/"
    mode = "team server" if team else "Rekindle"
    console.print(f"{mode} on {url} ({safe(store.location.describe())}); Ctrl-C stops it")
    if open_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
        ssl_certfile=certfile,
        ssl_keyfile=keyfile,
        # the client address and scheme a request says it was forwarded for are believed
        # from the configured proxies only (uvicorn would believe any client on loopback)
        proxy_headers=bool(trusted_proxy),
        forwarded_allow_ips=",".join(trusted_proxy or []) or "",
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
