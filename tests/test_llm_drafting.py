"""Drafting with a language model, against a real local HTTP server implementing the
OpenAI-compatible chat completions endpoint."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from rekindle.compose.llm_client import completions_url, fetch_completion
from rekindle.compose.llm_prompt import build_messages, clean_reply
from rekindle.errors import UserError
from rekindle.services import drafting, settings
from rekindle.services.llm_drafting import draft_with_model
from rekindle.store import Store
from tests.test_drafting import RICH
from tests.test_outreach import add_people

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)

GOOD_EMAIL = """```
Subject: Our Acme days

Hi Ana,

It's been over eight years since we last wrote, and I was thinking about our time at Acme \
the other day. How are you?

Would you be up for a 15-minute call? No pressure.

Best,
Robin
```"""


class ModelServer(ThreadingHTTPServer):
    """Answers POST /v1/chat/completions with ``reply`` (or ``status``), recording requests."""

    reply = GOOD_EMAIL
    status = 200
    requests: list[dict[str, Any]]


class Handler(BaseHTTPRequestHandler):
    server: ModelServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence the log
        pass

    def do_POST(self) -> None:  # noqa: N802 - the http.server name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
        )
        if self.path.startswith("/v2/"):
            self._send(200, {"object": "list", "data": []})
        elif self.path != "/v1/chat/completions":
            self._send(404, {"error": {"message": "not found"}})
        elif self.server.status != 200:
            self._send(self.server.status, {"error": {"message": "model overloaded"}})
        else:
            self._send(
                200,
                {
                    "id": "chatcmpl-1",
                    "object": "chat.completion",
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": self.server.reply},
                            "finish_reason": "stop",
                        }
                    ],
                },
            )

    def _send(self, status: int, data: dict[str, Any]) -> None:
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


@pytest.fixture
def people(sqlite_store: Store, tmp_path: Path) -> Store:
    return add_people(sqlite_store, tmp_path)


@pytest.fixture
def model_server() -> Iterator[ModelServer]:
    server = ModelServer(("127.0.0.1", 0), Handler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def base_url(server: ModelServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/v1"


def configure(store: Store, server: ModelServer, key_env: str | None = None) -> None:
    settings.change(store, "llm.endpoint", base_url(server))
    settings.change(store, "llm.model", "local-test-model")
    if key_env:
        settings.change(store, "llm.api_key_env", key_env)


def test_the_prompt_holds_only_the_facts() -> None:
    system, user = build_messages(RICH, "catch-up", "linkedin")
    assert system["role"] == "system" and "never invent" in system["content"]
    text = user["content"]
    for fact in (
        "Ana Costa",
        "Acme Corp (2015–2018)",
        "Lunch next week?",
        "Met at PyCon 2019",
        "Head of Product at Initech",
        "almost three years",
        "15-minute call",
        "CTO at Globex",
    ):
        assert fact in text, fact
    assert "Re: Lunch" not in text and "280 characters" in text


def test_clean_reply_and_url() -> None:
    assert clean_reply("```text\nHi Ana\n```") == "Hi Ana"
    assert clean_reply('"Hi Ana"') == "Hi Ana"
    assert completions_url("http://h:1/v1/") == "http://h:1/v1/chat/completions"
    assert completions_url("http://h:1/v1/chat/completions") == "http://h:1/v1/chat/completions"


def test_fetch_completion_from_a_local_server(model_server: ModelServer) -> None:
    text = fetch_completion(base_url(model_server), "m", [{"role": "user", "content": "hi"}], "k-1")
    assert text == GOOD_EMAIL
    [req] = model_server.requests
    assert req["path"] == "/v1/chat/completions" and req["auth"] == "Bearer k-1"
    assert req["body"]["model"] == "m" and req["body"]["messages"][0]["content"] == "hi"


def test_server_errors_become_user_errors(model_server: ModelServer) -> None:
    model_server.status = 503
    with pytest.raises(UserError, match="answered 503.*model overloaded"):
        fetch_completion(base_url(model_server), "m", [])
    with pytest.raises(UserError, match="cannot reach the language model"):
        fetch_completion("http://127.0.0.1:9/v1", "m", [], timeout=2)
    model_server.status = 200
    with pytest.raises(UserError, match="not a chat completion"):
        fetch_completion(f"http://127.0.0.1:{model_server.server_address[1]}/v2", "m", [])


def test_a_model_draft_is_grounded_and_checked(
    people: Store,
    model_server: ModelServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEST_LLM_KEY", "secret-123")
    configure(people, model_server, "TEST_LLM_KEY")
    assert "secret-123" not in json.dumps(settings.current(people))
    result = draft_with_model(people, "Ana", drafting.DraftRequest("catch-up", "email"), now=NOW)
    assert result.source == "model local-test-model"
    assert result.draft.subject == "Our Acme days" and result.draft.body.startswith("Hi Ana,")
    assert result.findings == []
    [req] = model_server.requests
    assert req["auth"] == "Bearer secret-123"
    prompt = req["body"]["messages"][1]["content"]
    assert "Ana Costa" in prompt and "Acme Corp" in prompt and "Bob" not in prompt
    # the model's output passes the same checks as a template's
    model_server.reply = "Hi Maria, I hope this email finds you well. [Company]"
    bad = draft_with_model(people, "Ana", drafting.DraftRequest("catch-up", "linkedin"), now=NOW)
    codes = {f.code for f in bad.findings}
    assert {
        "wrong-name",
        "generic-filler",
        "unfilled-placeholder",
        "no-personal-reference",
    } <= codes


def test_missing_key_and_config_are_user_errors(
    people: Store,
    model_server: ModelServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(UserError, match="no language model is configured"):
        draft_with_model(people, "Ana", drafting.DraftRequest())
    configure(people, model_server, "TEST_LLM_MISSING")
    monkeypatch.delenv("TEST_LLM_MISSING", raising=False)
    with pytest.raises(UserError, match="TEST_LLM_MISSING"):
        draft_with_model(people, "Ana", drafting.DraftRequest())
    assert model_server.requests == []


def test_llm_enabled_makes_the_cli_use_the_model(
    people: Store,
    model_server: ModelServer,
    tmp_path: Path,
) -> None:
    configure(people, model_server)
    assert not drafting.use_model(people, None)
    settings.change(people, "llm.enabled", "yes")
    assert drafting.use_model(people, None) and not drafting.use_model(people, False)


def test_draft_model_through_the_cli(
    people: Store,
    model_server: ModelServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.test_cli_outreach import Cli

    configure(people, model_server)
    cli = Cli(people.location.url.removeprefix("sqlite:///"), capsys, monkeypatch)
    shown = cli("draft", "Ana", "--model").stdout
    assert "Subject: Our Acme days" in shown and "written by model local-test-model" in shown
    assert "template" not in shown
    settings.change(people, "llm.enabled", "yes")
    assert "Thinking of our Acme" in cli("draft", "Ana", "--no-model").stdout
    assert len(model_server.requests) == 1
