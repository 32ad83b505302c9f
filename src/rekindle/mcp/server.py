"""Your assistant's way in: Rekindle's services as Model Context Protocol tools over stdio.

Each tool calls the same service as the CLI's ``--json`` and returns that JSON as text.
Reading tools are always offered; the tools that write (marking an outreach done, recording
its outcome) are offered only when the server was started with ``--allow-writes``: otherwise
they are not listed at all. Nothing here sends a message. An error comes back as a tool error
carrying the one-line message (and the hint), never a traceback.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from sqlalchemy.exc import SQLAlchemyError

from rekindle import __version__
from rekindle.compose.draft_templates import INTENTS, MEDIA
from rekindle.errors import RekindleError, UserError
from rekindle.services import drafting, outcomes, plan_actions, settings, timeline
from rekindle.services import intro as intro_svc
from rekindle.services import people_filters as filters_svc
from rekindle.services import plan as plan_svc
from rekindle.services.why import why as why_of
from rekindle.store import Store
from rekindle.store.database import driver_message

INSTRUCTIONS = (
    "Rekindle keeps the user's contacts and the history of their contact with each person, "
    "and suggests whom to reconnect with. People are named by id, email address or name. "
    "Drafts are never sent: show them to the user."
)
READ = ToolAnnotations(read_only_hint=True, open_world_hint=False)
WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)


def _text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, RekindleError):
        return exc.message + (f" (hint: {exc.hint})" if exc.hint else "")
    if isinstance(exc, SQLAlchemyError):
        return f"database error: {driver_message(exc)}"
    return f"internal error: {type(exc).__name__}: {exc}".splitlines()[0]


def _guarded(fn: Callable[..., Any]) -> Callable[..., str]:
    """The tool's JSON as text; any failure as a tool error in one line."""

    @functools.wraps(fn)
    def tool(*args: Any, **kwargs: Any) -> str:
        try:
            return _text(fn(*args, **kwargs))
        except ToolError:
            raise
        except Exception as exc:  # noqa: BLE001 - the assistant hears one line, never a traceback
            raise ToolError(_one_line(exc)) from None

    return tool


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise UserError(f"unknown {what} {value!r}", hint=f"{what}s: " + ", ".join(allowed))
    return value


def build_server(store: Store, allow_writes: bool = False) -> MCPServer:
    """The server with its tools bound to ``store``."""
    region = settings.region(store)
    server: MCPServer = MCPServer(
        "rekindle", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING"
    )

    def plan(count: int | None = None) -> Any:
        """This week's few people worth reconnecting with: why each, the occasion, the medium
        and an opener (the same plan as `rekindle plan --json`, kept for the week)."""
        return plan_svc.weekly_plan(store, quota=count).as_json()

    def why(person: str) -> Any:
        """Why one person ranks where they do: tier, cadence, silence, holds and every scored
        part with its reason (`rekindle why PERSON --json`)."""
        return why_of(store, person, region=region).as_json()

    def search_people(
        query: str = "", tag: str = "", tier: str = "", organisation: str = "", limit: int = 20
    ) -> Any:
        """Find people by name, address, organisation, title or tag; optionally only one tier
        (close, regular, occasional, dormant) or current organisation (`rekindle people`)."""
        filters = filters_svc.PeopleFilters(query, tag, tier.lower(), organisation, "", "name")
        return filters_svc.find_people(store, filters, limit=max(1, min(limit, 200)))

    def history(person: str, limit: int = 30) -> Any:
        """A person's timeline of contact, newest first, with the tie statistics
        (`rekindle history PERSON --json`)."""
        return timeline.as_json(timeline.timeline(store, person, max(1, min(limit, 500)), region))

    def intro(query: str, organisation: bool = False, limit: int = 10) -> Any:
        """Warm introductions: paths to a person, or into an organisation, through people the
        user knows, ranked and explained (`rekindle intro QUERY --json`)."""
        found = intro_svc.find_paths(store, query, org=organisation, limit=limit, region=region)
        return found.as_json()

    def draft(
        person: str,
        intent: str = "catch-up",
        medium: str = "email",
        about: str | None = None,
        allow_ask: bool = False,
    ) -> Any:
        """Draft a message to one person and run every check on it; returns the draft and its
        findings. Never sends (`rekindle draft PERSON --json`). Intents: catch-up,
        congratulate, offer-help, share, invite, thank, ask. Media: email, linkedin, sms, call."""
        request = drafting.DraftRequest(
            _choice(intent, INTENTS, "intent"),
            _choice(medium, MEDIA, "medium"),
            topic=about,
            allow_ask=allow_ask,
        )
        return drafting.draft_for(store, person, request, region=region).as_json()

    def mark_done(person: str, medium: str = "other", note: str | None = None) -> Any:
        """Record that the user reached out to a person outside Rekindle: it resets their clock
        and keeps them out of plans for a while (`rekindle done PERSON --json`)."""
        return plan_actions.mark_done(store, person, medium, note)

    def log_outcome(outreach_id: int, outcome: str, note: str | None = None) -> Any:
        """Record what came of an outreach (its number from the log); anything but "declined"
        proposes a thank-you draft (`rekindle outreach outcome ID OUTCOME --json`)."""
        return outcomes.record_outcome(store, outreach_id, outcome, note).as_json()

    reading: tuple[Callable[..., Any], ...] = (plan, why, search_people, history, intro, draft)
    writing: tuple[Callable[..., Any], ...] = (mark_done, log_outcome)
    for fn in reading:
        server.add_tool(_guarded(fn), annotations=READ, structured_output=False)
    if allow_writes:
        for fn in writing:
            server.add_tool(_guarded(fn), annotations=WRITE, structured_output=False)
    return server


def serve(store: Store, allow_writes: bool = False) -> None:
    """Serve over stdin and stdout until the client closes them."""
    build_server(store, allow_writes).run("stdio")
