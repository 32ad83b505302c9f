"""Drafting with a language model: off by default, grounded in the facts, checked like any draft.

Configured with `rekindle config set llm.endpoint URL`, `llm.model NAME` and, for hosted APIs,
`llm.api_key_env VARIABLE` (the name of an environment variable; the key itself is never
stored). `rekindle draft --model` uses it once; `llm.enabled yes` makes it the default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

from rekindle.compose.draft_checks import check_draft
from rekindle.compose.draft_templates import INTENTS, MEDIA
from rekindle.compose.drafting import Draft, split_subject
from rekindle.compose.llm_client import fetch_completion
from rekindle.compose.llm_prompt import build_messages, clean_reply
from rekindle.errors import UserError
from rekindle.services import settings
from rekindle.services.drafting import DraftRequest, DraftResult, facts_for, ignored
from rekindle.store import Store


@dataclass(frozen=True)
class ModelConfig:
    endpoint: str
    model: str
    api_key: str | None


def model_config(store: Store) -> ModelConfig:
    """The configured endpoint, model and key, or a user error saying what to set."""
    current = settings.current(store)
    endpoint, model = current.get("llm.endpoint"), current.get("llm.model")
    if not endpoint or not model:
        raise UserError(
            "no language model is configured",
            hint="`rekindle config set llm.endpoint http://127.0.0.1:8080/v1` and "
            "`rekindle config set llm.model NAME`; or draft from templates with --no-model",
        )
    key_env = current.get("llm.api_key_env")
    api_key = None
    if key_env:
        api_key = os.environ.get(key_env)
        if not api_key:
            raise UserError(
                f"the environment variable {key_env} (llm.api_key_env) is not set",
                hint=f"export {key_env}=… before running, or `rekindle config unset llm.api_key_env`",
            )
    return ModelConfig(endpoint, model, api_key)


def draft_with_model(
    store: Store,
    ref: str,
    request: DraftRequest,
    *,
    region: str | None = None,
    now: datetime | None = None,
) -> DraftResult:
    """Ask the model for a draft from the facts only, then run the same checks as templates."""
    r = request
    if r.intent not in INTENTS:
        raise UserError(f"unknown intent {r.intent!r}", hint="intents: " + ", ".join(INTENTS))
    if r.medium not in MEDIA:
        raise UserError(f"unknown medium {r.medium!r}", hint="media: " + ", ".join(MEDIA))
    config = model_config(store)
    pid, facts = facts_for(store, ref, occasions=r.occasions, topic=r.topic, region=region, now=now)
    text = clean_reply(
        fetch_completion(
            config.endpoint, config.model, build_messages(facts, r.intent, r.medium), config.api_key
        )
    )
    subject, body = split_subject(text)
    if r.medium != "email" and subject:
        body = f"{subject}\n\n{body}".strip()
        subject = None
    draft = Draft(r.intent, r.medium, 0, body, subject, r.lang or "en", config.endpoint)
    return DraftResult(
        pid,
        facts.full_name,
        draft,
        check_draft(body, facts, r.medium, r.intent, subject, ignored(r.allow_ask)),
        [],
        facts,
        [],
        source=f"model {config.model}",
    )
