"""The sample network loads through the real import path, once, and can be removed."""

from __future__ import annotations

from datetime import UTC, datetime

from rekindle.services import demo
from rekindle.services import me as me_svc
from rekindle.services import people as people_svc
from rekindle.store import Store

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_sample_loads_once_shows_quiet_ties_and_is_removable(store: Store) -> None:
    report = demo.load_sample(store, now=NOW)
    assert report is not None and report.skipped == 0
    assert report.new == demo.SAMPLE_PEOPLE
    assert report.merged >= 1  # life-event updates join the people they describe
    assert report.interactions > 1000
    assert demo.load_sample(store, now=NOW) is None  # already there: nothing added
    people, interactions = demo.counts(store)
    assert (people, interactions) == (demo.SAMPLE_PEOPLE, report.interactions)
    quiet = demo.quiet_ties(store, NOW)
    assert 5 <= len(quiet) <= 10
    assert all((NOW - t.last).days >= 180 for t in quiet)
    assert [t.interactions for t in quiet] == sorted((t.interactions for t in quiet), reverse=True)
    view = people_svc.show(store, str(quiet[0].person_id))
    assert view.interactions == quiet[0].interactions and view.last_contact == quiet[0].last
    # the sample's "me" signs the demo's drafts, and goes with the sample
    assert me_svc.view(store)["name"] == "Sam Rivera"
    assert demo.unload_sample(store) == demo.SAMPLE_PEOPLE
    assert demo.counts(store) == (0, 0)
    assert me_svc.view(store)["name"] is None
