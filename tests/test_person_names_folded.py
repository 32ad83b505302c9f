"""Naming a person folds case and accents: "Garcia" is García, "Lucia Garcia" is Lucía García."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from rekindle.errors import AmbiguousError, NotFoundError
from rekindle.identity.near_names import near_names
from rekindle.services import api_tokens
from rekindle.services.demo import load_sample
from rekindle.services.why import why
from rekindle.store import Store
from rekindle.web.app import create_app

NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def test_a_name_without_accents_matches_every_accented_one(store: Store) -> None:
    load_sample(store, now=NOW)
    with pytest.raises(AmbiguousError) as several:
        why(store, "Garcia", NOW)
    assert sorted(name for _id, name in several.value.candidates) == [
        "Lucía García",
        "Álvaro García",
    ]
    assert why(store, "Lucia Garcia", NOW).name == "Lucía García"
    assert why(store, "LUCÍA garcía", NOW).name == "Lucía García"
    with pytest.raises(NotFoundError, match="Lucía García"):  # a typo still gets its suggestion
        why(store, "Lucia Garsia", NOW)


def test_the_api_lists_both_garcias_as_ambiguous(store: Store) -> None:
    load_sample(store, now=NOW)
    token = api_tokens.create_token(store, "laptop", now=NOW)
    with TestClient(create_app(store, now_fn=lambda: NOW)) as client:
        got = client.get("/api/v1/people/Garcia/why", headers={"Authorization": f"Bearer {token}"})
    assert got.status_code == 409, got.text
    assert "2 people" in got.json()["error"]
    assert "Álvaro García" in got.json()["hint"] and "Lucía García" in got.json()["hint"]


def test_did_you_mean_ignores_accents() -> None:
    names = [(1, "Zoë Müller"), (2, "Jane Smith")]
    assert near_names("Zoe Muler", names) == [(1, "Zoë Müller")]
