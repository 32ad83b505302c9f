"""`rekindle mcp` end to end: the SDK's own stdio client against a real server process on a
demo database."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rekindle.cli.main import app
from tests.conftest import REPO

mcp = pytest.importorskip("mcp")

READ_TOOLS = {"plan", "why", "search_people", "history", "intro", "draft"}
WRITE_TOOLS = {"mark_done", "log_outcome"}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("mcp") / "demo.db")
    out = CliRunner().invoke(app, ["--db", db, "demo"])
    assert out.exit_code == 0, out.output
    return db


def _session(db: str, *extra: str) -> Any:
    env = {"PYTHONPATH": str(REPO / "src"), "REKINDLE_HOME": str(Path(db).parent / "home")}
    params = mcp.StdioServerParameters(
        command=sys.executable,
        args=["-m", "rekindle", "--db", db, "mcp", *extra],
        env={**{k: v for k, v in os.environ.items() if k == "PATH"}, **env},
    )
    return mcp.Client(params, read_timeout_seconds=120)


def _json(result: Any) -> Any:
    assert not result.is_error, result.content[0].text
    return json.loads(result.content[0].text)


async def _read_only(db: str) -> dict[str, Any]:
    async with _session(db) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        plan = _json(await client.call_tool("plan", {}))
        found = _json(await client.call_tool("search_people", {"query": "a", "limit": 3}))
        why = _json(await client.call_tool("why", {"person": str(found[0]["id"])}))
        draft = _json(await client.call_tool("draft", {"person": str(found[0]["id"])}))
        missing = await client.call_tool("why", {"person": "Nobody Nowhere Zzz"})
        bad_intent = await client.call_tool("draft", {"person": "1", "intent": "spam"})
        refused = await client.call_tool("mark_done", {"person": str(found[0]["id"])})
        return locals()


def test_read_only_tools_answer_with_the_cli_json(demo_db: str) -> None:
    got = asyncio.run(_read_only(demo_db))
    assert set(got["tools"]) == READ_TOOLS  # the write tools are not even offered
    assert got["tools"]["plan"].annotations.read_only_hint is True
    assert got["plan"]["suggestions"], "the demo's plan suggests people"
    assert len(got["found"]) == 3 and all("id" in p and "name" in p for p in got["found"])
    assert got["why"]["person_id"] == got["found"][0]["id"]
    assert got["why"]["parts"], "why lists the scored parts"
    assert got["draft"]["body"] and "findings" in got["draft"]
    missing = got["missing"]
    assert missing.is_error and "nobody matches" in missing.content[0].text
    assert "Traceback" not in missing.content[0].text
    assert len(missing.content[0].text.splitlines()) == 1
    assert (
        got["bad_intent"].is_error and "unknown intent 'spam'" in got["bad_intent"].content[0].text
    )
    assert got["refused"].is_error and "mark_done" in got["refused"].content[0].text


async def _with_writes(db: str) -> dict[str, Any]:
    async with _session(db, "--allow-writes") as client:
        tools = {t.name for t in (await client.list_tools()).tools}
        found = _json(await client.call_tool("search_people", {"query": "e", "limit": 1}))
        done = _json(await client.call_tool("mark_done", {"person": str(found[0]["id"])}))
        again = await client.call_tool("mark_done", {"person": str(found[0]["id"])})
        history = _json(await client.call_tool("history", {"person": str(found[0]["id"])}))
        return locals()


def test_write_tools_are_offered_and_work_with_allow_writes(demo_db: str) -> None:
    got = asyncio.run(_with_writes(demo_db))
    assert got["tools"] == READ_TOOLS | WRITE_TOOLS
    assert got["done"]["person_id"] == got["found"][0]["id"] and got["done"]["outreach_id"]
    # a second outreach within the lock period is refused, in one line
    assert got["again"].is_error and "Traceback" not in got["again"].content[0].text
    assert got["history"]["person_id"] == got["found"][0]["id"]


def test_without_the_sdk_it_says_how_to_install_it(tmp_path: Path) -> None:
    import subprocess

    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "mcp.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'mcp'\", name='mcp')\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{blocked}{os.pathsep}{REPO / 'src'}"}
    done = subprocess.run(
        [sys.executable, "-m", "rekindle", "--db", str(tmp_path / "x.db"), "mcp"],
        env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 1
    assert "the MCP server needs the mcp package" in done.stderr
    assert "pip install 'rekindle[mcp]'" in done.stderr
    assert "Traceback" not in done.stderr
