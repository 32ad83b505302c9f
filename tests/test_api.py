"""The JSON API at /api/v1 through the real app: tokens, every call, isolation between accounts.

The fuzzing of its OpenAPI schema is in tests/test_api_fuzz.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from rekindle.errors import NotFoundError, UserError
from rekindle.services import accounts, api_tokens
from rekindle.services import people as people_svc
from rekindle.services.demo import load_sample
from rekindle.services.importing import import_path
from rekindle.store import Store
from rekindle.web.app import create_app
from tests.conftest import FIXTURES

NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def sample(store: Store) -> Store:
    load_sample(store, now=NOW)
    return store


@pytest.fixture
def client(sample: Store) -> Iterator[TestClient]:
    with TestClient(create_app(sample, now_fn=lambda: NOW)) as c:
        yield c


def test_tokens_are_named_shown_once_and_revocable(store: Store) -> None:
    token = api_tokens.create_token(store, "laptop", now=NOW)
    assert token.startswith(api_tokens.PREFIX) and len(token) > 40
    with pytest.raises(UserError, match="already a token named 'laptop'"):
        api_tokens.create_token(store, "laptop")
    with pytest.raises(UserError, match="a token's name"):
        api_tokens.create_token(store, "bad/name")
    listed = api_tokens.list_tokens(store)
    assert [(t.name, t.can_write, t.last_used_at) for t in listed] == [("laptop", False, None)]
    held = api_tokens.holder(store, token, NOW)
    assert held is not None and held.owner_id == store.owner_id and not held.can_write
    assert api_tokens.list_tokens(store)[0].last_used_at == NOW
    assert api_tokens.holder(store, token[:-1] + "x", NOW) is None
    assert api_tokens.holder(store, "not a token", NOW) is None
    api_tokens.revoke_token(store, "laptop")
    assert api_tokens.holder(store, token, NOW) is None
    with pytest.raises(NotFoundError):
        api_tokens.revoke_token(store, "laptop")


def test_every_call_needs_a_live_token(client: TestClient, sample: Store) -> None:
    bare = client.get("/api/v1/plan")
    assert bare.status_code == 401 and bare.json()["error"] == "this call needs a token"
    assert bare.headers["WWW-Authenticate"] == "Bearer"
    wrong = client.get("/api/v1/plan", headers=bearer("rk_nothing"))
    assert wrong.status_code == 401 and "unknown or revoked" in wrong.json()["error"]
    basic = client.get("/api/v1/plan", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert basic.status_code == 401
    token = api_tokens.create_token(sample, "script", now=NOW)
    assert client.get("/api/v1/me", headers=bearer(token)).json() == {
        "token": "script",
        "write": False,
    }
    api_tokens.revoke_token(sample, "script")
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    schema = client.get("/api/v1/openapi.json").json()  # the schema itself is public
    assert schema["info"]["title"] == "Rekindle API"
    assert {"/plan", "/people", "/drafts", "/people/{person}/why"} <= set(schema["paths"])


def test_reading_the_plan_people_why_history_and_a_draft(client: TestClient, sample: Store) -> None:
    auth = bearer(api_tokens.create_token(sample, "reader", now=NOW))
    plan = client.get("/api/v1/plan", params={"count": 2}, headers=auth)
    assert plan.status_code == 200, plan.text
    picks = plan.json()["suggestions"]
    assert picks and all(p["reasons"] for p in picks)
    first = picks[0]
    found = client.get("/api/v1/people", params={"query": first["name"]}, headers=auth).json()
    assert first["person_id"] in [p["id"] for p in found]
    why = client.get(f"/api/v1/people/{first['person_id']}/why", headers=auth).json()
    assert why["name"] == first["name"] and why["parts"]
    history = client.get(
        f"/api/v1/people/{first['person_id']}/history", params={"limit": 5}, headers=auth
    )
    assert history.status_code == 200 and len(history.json()["events"]) <= 5
    draft = client.post(
        "/api/v1/drafts", json={"person": str(first["person_id"])}, headers=auth
    ).json()
    assert draft["person_id"] == first["person_id"] and draft["body"]
    missing = client.get("/api/v1/people/Nobody%20Such/why", headers=auth)
    assert missing.status_code == 404 and missing.json()["error"].startswith("nobody matches")
    pigeon = {"person": str(first["person_id"]), "medium": "pigeon"}
    bad = client.post("/api/v1/drafts", json=pigeon, headers=auth)
    assert bad.status_code == 422 and bad.json()["error"].startswith("medium:")  # schema lists them
    invalid = client.get("/api/v1/people", params={"limit": 0}, headers=auth)
    assert invalid.status_code == 422 and invalid.json()["error"].startswith("limit:")
    typo = client.get("/api/v1/people", params={"limt": 5}, headers=auth)
    assert typo.status_code == 422 and typo.json()["error"] == "unknown parameter 'limt'"
    assert "limit" in typo.json()["hint"]
    several = client.get("/api/v1/people/Ma/why", headers=auth)
    assert several.status_code == 409 and "matches" in several.json()["error"]


def test_only_a_writing_token_records(client: TestClient, sample: Store) -> None:
    reader = bearer(api_tokens.create_token(sample, "reader", now=NOW))
    writer = bearer(api_tokens.create_token(sample, "writer", write=True, now=NOW))
    pid = client.get("/api/v1/plan", headers=reader).json()["suggestions"][0]["person_id"]
    refused = client.post(f"/api/v1/people/{pid}/done", json={"medium": "call"}, headers=reader)
    assert refused.status_code == 403 and "read-only" in refused.json()["error"]
    done = client.post(
        f"/api/v1/people/{pid}/done", json={"medium": "call", "note": "coffee"}, headers=writer
    )
    assert done.status_code == 200, done.text
    outreach_id = done.json()["outreach_id"]
    after = client.get(f"/api/v1/people/{pid}/why", headers=reader).json()
    assert after["held"], after  # reached out: out of the plans for a while
    outcome = client.post(
        f"/api/v1/outreach/{outreach_id}/outcome", json={"outcome": "replied"}, headers=writer
    )
    assert outcome.status_code == 200, outcome.text
    unknown = client.post(
        "/api/v1/outreach/999999/outcome", json={"outcome": "replied"}, headers=writer
    )
    assert unknown.status_code == 404
    not_an_outcome = client.post(
        f"/api/v1/outreach/{outreach_id}/outcome", json={"outcome": "won"}, headers=writer
    )
    assert not_an_outcome.status_code == 422


def test_a_token_sees_its_own_account_alone(store: Store) -> None:
    alice = accounts.add_user(store, "alice", "correct horse battery")
    bob = accounts.add_user(store, "bob", "correct horse battery")
    alice_store = replace(store, owner_id=alice.owner_id)
    bob_store = replace(store, owner_id=bob.owner_id)
    load_sample(alice_store, now=NOW)
    import_path(bob_store, FIXTURES / "vcard" / "apple-item-labels.vcf", now=NOW)
    mine = people_svc.show(bob_store, "johnny@example.com")
    alice_token = api_tokens.create_token(alice_store, "a", write=True, now=NOW)
    with TestClient(create_app(store, now_fn=lambda: NOW, team=True)) as client:
        auth = bearer(alice_token)
        assert client.get(f"/api/v1/people/{mine.id}/why", headers=auth).status_code == 404
        found = client.get("/api/v1/people", params={"query": "johnny"}, headers=auth).json()
        assert all(p["id"] != mine.id for p in found)
        assert client.get("/api/v1/plan", headers=auth).json()["suggestions"]
        done = client.post(f"/api/v1/people/{mine.id}/done", json={}, headers=auth)
        assert done.status_code == 404
        # the pages still need a session: a token opens the API alone
        page = client.get("/people", headers=auth, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
