"""A small client for an OpenAI-compatible ``/chat/completions`` endpoint (network only).

Works with hosted APIs and local model servers alike. The API key is passed in, read by the
caller from an environment variable; it is never stored.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from rekindle.errors import UserError

TIMEOUT_SECONDS = 60.0


def completions_url(endpoint: str) -> str:
    """``…/v1`` → ``…/v1/chat/completions``; a full URL is kept as given."""
    base = endpoint.rstrip("/")
    return base if base.endswith("/chat/completions") else base + "/chat/completions"


def fetch_completion(
    endpoint: str,
    model: str,
    messages: list[dict[str, str]],
    api_key: str | None = None,
    temperature: float = 0.7,
    timeout: float = TIMEOUT_SECONDS,
) -> str:
    """POST a chat completion and return the first choice's text."""
    url = completions_url(endpoint)
    payload = json.dumps({"model": model, "messages": messages, "temperature": temperature}).encode(
        "utf-8"
    )
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    request = urllib.request.Request(url, data=payload, headers=headers, method="POST")
    hint = "check `rekindle config` (llm.endpoint, llm.model), or draft from templates: --no-model"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace").strip()
        raise UserError(
            f"the language model at {url} answered {exc.code} {exc.reason}: {detail}", hint=hint
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UserError(f"cannot reach the language model at {url}: {reason}", hint=hint) from None
    return _first_choice(body, url)


def _first_choice(body: bytes, url: str) -> str:
    try:
        data: Any = json.loads(body)
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise UserError(
            f"the answer from {url} is not a chat completion",
            hint="llm.endpoint must be an OpenAI-compatible API (…/v1)",
        ) from None
    if not isinstance(content, str) or not content.strip():
        raise UserError(f"the language model at {url} returned an empty message")
    return content
