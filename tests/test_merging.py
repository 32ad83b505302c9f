"""Merges are explainable and reversible; unmerged pairs stay apart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rekindle.errors import UserError
from rekindle.services import merging
from rekindle.services import people as people_svc
from rekindle.services.importing import import_items
from rekindle.store import Store
from tests.test_importing import contact, people_count, snapshot

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_manual_merge_then_unmerge_restores_everything(store: Store) -> None:
    import_items(
        store,
        [
            contact(1, "Robert Smith", "rob@acme.com", org="Acme"),
            contact(2, "Bob Smith", "bob.smith@gmail.com"),
        ],
        "t",
        "test",
        now=NOW,
    )
    people_svc.tag(store, ["bob.smith@gmail.com"], ["climbing"], [])
    people_svc.add_note(store, "bob.smith@gmail.com", "coffee in May")
    before = snapshot(store)
    event = merging.merge(store, "rob@acme.com", "bob.smith@gmail.com")
    assert people_count(store) == 1
    view = people_svc.show(store, "bob.smith@gmail.com")
    assert view.name == "Robert Smith" or view.name == "Bob Smith"
    assert len(view.records) == 2 and "climbing" in view.tags
    assert view.merges[0]["event"] == event and view.merges[0]["rule"] == "manual"
    kept, split = merging.unmerge(store, "rob@acme.com")
    assert people_count(store) == 2
    bob = people_svc.show(store, "bob.smith@gmail.com")
    assert bob.id == split and bob.tags == ["climbing"] and bob.notes[0]["text"] == "coffee in May"
    rob = people_svc.show(store, "rob@acme.com")
    assert rob.id == kept and len(rob.records) == 1
    after = snapshot(store)
    # the only differences: the merge event (now undone) and the block on the pair
    changed = {name for name in before if before[name] != after[name]}
    assert changed <= {"merge_event", "merge_suggestion", "person"}


def test_split_one_record_off(store: Store) -> None:
    import_items(
        store,
        [
            contact(1, "Alice Smith", "alice@example.com", source="a"),
            contact(2, "Alice Smith", "alice@example.com", source="b", phone="+442079460018"),
        ],
        "t",
        "test",
        now=NOW,
    )
    view = people_svc.show(store, "alice@example.com")
    assert len(view.records) == 2
    second = [r for r in view.records if r["source"] == "b"][0]["id"]
    kept, new = merging.unmerge(store, str(view.id), record_id=second)
    assert people_count(store) == 2
    split = people_svc.show(store, str(new))
    assert [r["id"] for r in split.records] == [second]
    assert split.records[0]["rule"] == "unmerged"
    with pytest.raises(UserError):
        merging.unmerge(store, str(new), record_id=second)  # its only record


def test_suggestion_review_accept_and_reject(store: Store) -> None:
    report = import_items(
        store,
        [
            contact(1, "Katherine Johnson", "kjohnson@nasa.gov", org="NASA"),
            contact(2, "Kate Johnson", "katej@gmail.com", org="NASA"),
            contact(3, "Maria Garcia", "maria@acme.com", org="Acme"),
            contact(4, "Mariah Garcia", "mg1985@yahoo.com", org="Acme"),
        ],
        "t",
        "test",
        now=NOW,
    )
    assert report.suggestions >= 2
    pending = merging.review(store)
    names = [{s.a["name"], s.b["name"]} for s in pending]
    assert {"Katherine Johnson", "Kate Johnson"} in names
    kate = next(
        s for s in pending if {s.a["name"], s.b["name"]} == {"Katherine Johnson", "Kate Johnson"}
    )
    assert kate.reasons
    merging.accept(store, kate.id)
    maria = next(s for s in merging.review(store) if "Garcia" in s.a["name"])
    merging.reject(store, maria.id)
    assert merging.review(store) == []
    assert people_count(store) == 3
    # a re-import does not suggest the rejected pair again
    again = import_items(
        store,
        [contact(5, "Maria Garcia", "maria@acme.com", org="Acme", phone="+12125550123")],
        "t",
        "test",
        now=NOW,
    )
    assert again.suggestions == 0


def test_a_suggestion_is_decided_once_and_an_unmerged_pair_stays_apart(store: Store) -> None:
    """Accepting again, or after an unmerge kept the pair apart, changes nothing and says why."""
    import_items(
        store,
        [
            contact(1, "Katherine Johnson", "kjohnson@nasa.gov", org="NASA"),
            contact(2, "Kate Johnson", "katej@gmail.com", org="NASA"),
        ],
        "t",
        "test",
        now=NOW,
    )
    [kate] = merging.review(store)
    merging.accept(store, kate.id)
    with pytest.raises(UserError, match="was accepted already"):
        merging.accept(store, kate.id)
    kept = people_svc.show(store, "kjohnson@nasa.gov").id
    merging.unmerge(store, str(kept))
    assert people_count(store) == 2
    before = snapshot(store)
    for decide in (merging.accept, merging.reject):
        with pytest.raises(UserError, match="kept apart"):
            decide(store, kate.id)
    assert snapshot(store) == before and people_count(store) == 2
