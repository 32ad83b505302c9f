"""`intro` to someone I already know says so; the ask guard leaves an active tie alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rekindle.compose.draft_checks import check_ask_too_soon
from rekindle.compose.draft_facts import DraftFacts, is_active_tie
from rekindle.services import intro as svc
from rekindle.services.demo import load_sample
from rekindle.services.drafting import DraftRequest, draft_for
from rekindle.services.people import resolve_person
from rekindle.store import Store
from rekindle.store import intro as iq

NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def test_intro_to_someone_i_know_well_says_write_directly(store: Store) -> None:
    load_sample(store, now=NOW)
    result = svc.with_draft(
        store, svc.find_paths(store, "Meera Gupta", now=NOW), "Fraser Lloyd", now=NOW
    )
    with store.read() as conn:
        pid = resolve_person(conn, store.owner_id, "Meera Gupta")
        seen = iq.two_way_history(conn, store.owner_id, pid)
    assert seen is not None and min(seen.messages_in, seen.messages_out) >= svc.KNOWN_EACH_WAY
    total = seen.messages_in + seen.messages_out
    assert result.draft is None
    assert result.draft_note is not None
    assert result.draft_note.startswith(f"you already know Meera Gupta: {total} messages, last on")
    assert '`rekindle draft "Meera Gupta"`' in result.draft_note


def test_an_ask_to_an_active_tie_is_not_held_for_a_reconnection(store: Store) -> None:
    load_sample(store, now=NOW)
    ask = DraftRequest(intent="ask", topic="an introduction to a friend of yours")
    fraser = draft_for(store, "Fraser Lloyd", ask, now=NOW)  # last in touch in August 2026
    assert "ask-too-soon" not in [f.code for f in fraser.findings]
    meera = draft_for(store, "Meera Gupta", ask, now=NOW)  # silent over a year: reconnect first
    assert "ask-too-soon" in [f.code for f in meera.findings]


def test_what_makes_a_tie_active() -> None:
    recent = NOW - timedelta(days=100)
    assert is_active_tie(40, 43, recent, [], NOW)
    assert not is_active_tie(40, 0, recent, [], NOW)  # one way only
    assert not is_active_tie(40, 43, NOW - timedelta(days=400), [], NOW)  # dormant
    # a catch-up sent last week: a reconnection is under way, its count applies
    assert not is_active_tie(40, 43, recent, [(NOW - timedelta(days=7), "catch-up")], NOW)
    facts = DraftFacts(full_name="Fraser Lloyd", now=NOW, active_tie=True)
    assert check_ask_too_soon("Could you introduce me to Meera?", facts, "ask") == []
    cold = DraftFacts(full_name="Fraser Lloyd", now=NOW)
    assert [f.code for f in check_ask_too_soon("Could you?", cold, "ask")] == ["ask-too-soon"]
