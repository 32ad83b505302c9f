"""The weekly plan: selection rules (pure, with properties) and the service on both databases."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rekindle.cli.main import app
from rekindle.engine.plan import Candidate, held_reason, period_of, select
from rekindle.engine.scoring import Part, Score
from rekindle.errors import UserError
from rekindle.history.records import Address, MessageRecord
from rekindle.services import history, plan_compute
from rekindle.services import me as me_svc
from rekindle.services import plan as plan_svc
from rekindle.services import plan_actions as act
from rekindle.services import settings as settings_svc
from rekindle.services.importing import import_items
from rekindle.services.plan_rough import FirstPass
from rekindle.store import Store
from tests.test_importing import contact

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # a Wednesday, ISO week 47
ME = "me@example.com"


def cand(pid: int, value: float, org: str | None = None, held: str | None = None) -> Candidate:
    return Candidate(
        pid, f"P{pid}", Score(value, (Part("strength", 1.0, value, "x"),)), org, held=held
    )


# --- pure selection ------------------------------------------------------------------------


def test_select_diversifies_across_organisations() -> None:
    pool = [
        cand(1, 1.00, "Acme"),
        cand(2, 0.99, "Acme"),
        cand(3, 0.98, "Acme"),
        cand(4, 0.90, "Globex"),
    ]
    picked = [c.person_id for c in select(pool, 2)]
    assert picked == [1, 4]
    assert [c.person_id for c in select(pool, 2, diversity=0.0)] == [1, 2]


def test_select_skips_held_people() -> None:
    pool = [cand(1, 5.0, held="snoozed"), cand(2, 1.0)]
    assert [c.person_id for c in select(pool, 3)] == [2]


scores = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=10, allow_nan=False),
        st.sampled_from(["Acme", "Globex", "Initech", None]),
        st.booleans(),
    ),
    max_size=40,
)


@settings(max_examples=100, deadline=None)
@given(scores, st.integers(min_value=0, max_value=6))
def test_plan_properties(entries: list[tuple[float, str | None, bool]], quota: int) -> None:
    pool = [
        cand(i, v, org, "snoozed" if snoozed else None)
        for i, (v, org, snoozed) in enumerate(entries)
    ]
    picked = select(pool, quota)
    assert len(picked) <= quota  # never over the quota
    assert all(c.held is None for c in picked)  # a snoozed person never appears
    assert len({c.person_id for c in picked}) == len(picked)
    assert picked == select(list(reversed(pool)), quota)  # same inputs, same plan, any order
    free = [c for c in pool if c.held is None]
    assert len(picked) == min(quota, len(free))


def test_periods_and_holds() -> None:
    assert period_of(NOW) == "2026-W47"
    assert period_of(date(2027, 1, 1)) == "2026-W53"
    assert period_of(NOW, "month") == "2026-11"
    assert (
        held_reason(
            hold=None,
            awaiting_since=None,
            last_outreach=NOW - timedelta(days=3),
            now=NOW,
            lock_days=30,
        )
        == "contacted on 15 Nov 2026"
    )
    assert (
        held_reason(
            hold=None,
            awaiting_since=None,
            last_outreach=NOW - timedelta(days=31),
            now=NOW,
            lock_days=30,
        )
        is None
    )
    assert "awaiting a reply" in (
        held_reason(hold=None, awaiting_since=NOW, last_outreach=None, now=NOW, lock_days=30) or ""
    )


# --- the service, on a small real history ----------------------------------------------------


def mail(
    n: int, sender: str, to: list[str], when: datetime, subject: str = "hello"
) -> MessageRecord:
    return MessageRecord(
        source="test",
        locator=f"box@{n}",
        message_id=f"<p{n}@test>",
        date=when,
        sender=Address(sender),
        to=[Address(a) for a in to],
        cc=[],
        subject=subject,
    )


PEOPLE = [
    # (name, email, org, days ago of the exchanges)
    ("Ann Acme", "ann@acme.com", "Acme", [700, 690, 680, 670, 660, 650, 400]),
    ("Abe Acme", "abe@acme.com", "Acme", [710, 700, 690, 680, 670, 660, 410]),
    ("Gus Globex", "gus@globex.com", "Globex", [720, 700, 650, 600, 420]),
    ("Ina Initech", "ina@initech.com", "Initech", [500, 480, 450]),
    ("Rita Recent", "rita@recent.com", "Recent", [40, 30, 20, 10, 5]),
]


def network(store: Store) -> None:
    import_items(
        store,
        [contact(i, name, email, org=org) for i, (name, email, org, _) in enumerate(PEOPLE, 1)],
        "t",
        "test",
        now=NOW,
    )
    me_svc.add_address(store, ME)
    msgs = []
    n = 0
    for _, email, _, days in PEOPLE:
        for i, d in enumerate(days):
            n += 1
            when = NOW - timedelta(days=d)
            if i % 2 == 0:
                msgs.append(mail(n, ME, [email], when, f"plans with {email.split('@')[0]}"))
            else:
                msgs.append(mail(n, email, [ME], when, f"Re: plans with {email.split('@')[0]}"))
    history.ingest(store, "test", "box", lambda state: msgs, now=NOW)


def names(plan: plan_svc.Plan) -> list[str]:
    return [s.name for s in plan.suggestions]


def test_plan_is_short_diverse_explained_and_stable(store: Store) -> None:
    network(store)
    plan = plan_svc.weekly_plan(store, NOW)
    assert plan.period == "2026-W47"
    assert len(plan.suggestions) == 3
    assert "Rita Recent" not in names(plan)  # in touch lately: not due
    orgs = [s.organisation for s in plan.suggestions]
    assert len(set(orgs)) == 3  # not two from Acme
    for s in plan.suggestions:
        assert s.reasons and all(isinstance(r, str) and r for r in s.reasons)
        assert s.medium in ("email", "linkedin", "call", "sms")
        assert s.opener
    ann = next((s for s in plan.suggestions if s.organisation == "Acme"), None)
    assert ann is not None and any("last on" in r for r in ann.reasons)
    again = plan_svc.weekly_plan(store, NOW + timedelta(days=2))
    assert names(again) == names(plan) and again.stored
    # the stored plan tells the counts it was made with, and how it was ranked
    counts = ("considered", "due", "dormant", "held", "held_by", "held_examples", "ranked_by")
    assert plan.considered > 0 and plan.due > 0
    assert [getattr(again, k) for k in counts] == [getattr(plan, k) for k in counts]
    next_week = plan_svc.weekly_plan(store, NOW + timedelta(days=7))
    assert not next_week.stored


def test_actions_keep_people_out(store: Store) -> None:
    network(store)
    first = plan_svc.weekly_plan(store, NOW)
    top = first.suggestions[0]
    act.snooze(store, str(top.person_id), "3m", now=NOW)
    fresh = plan_svc.weekly_plan(store, NOW, refresh=True)
    assert top.person_id not in [s.person_id for s in fresh.suggestions]
    act.resume(store, str(top.person_id), now=NOW)
    assert top.person_id in [
        s.person_id for s in plan_svc.weekly_plan(store, NOW, refresh=True).suggestions
    ]

    act.never(store, "gus@globex.com", "asked me not to", now=NOW)
    act.mark_done(store, "ina@initech.com", "call", "caught up", now=NOW)
    later = plan_svc.weekly_plan(store, NOW, refresh=True)
    assert "Gus Globex" not in names(later) and "Ina Initech" not in names(later)
    with pytest.raises(UserError, match="last reached Ina Initech on 2026-11-18"):
        act.mark_done(store, "ina@initech.com", now=NOW + timedelta(days=3))
    act.mark_done(store, "ina@initech.com", now=NOW + timedelta(days=3), force=True)


def test_stored_plan_marks_what_was_done(store: Store) -> None:
    network(store)
    plan = plan_svc.weekly_plan(store, NOW)
    who = plan.suggestions[0]
    act.mark_done(store, str(who.person_id), "email", now=NOW + timedelta(hours=2))
    again = plan_svc.weekly_plan(store, NOW + timedelta(hours=3))
    assert again.suggestions[0].status.startswith("done")
    assert names(again) == names(plan)


def test_goal_lifts_matching_people(store: Store) -> None:
    network(store)
    base = plan_svc.weekly_plan(store, NOW, quota=1, goal="")
    act.set_goal(store, "a role at Initech", now=NOW)
    with_goal = plan_svc.weekly_plan(store, NOW, quota=1, refresh=True)
    assert with_goal.goal == "a role at Initech"
    assert names(with_goal) == ["Ina Initech"]
    assert any("fits your goal" in r for r in with_goal.suggestions[0].reasons)
    assert names(base) != ["Ina Initech"]


def test_quota_and_cadence_settings(store: Store) -> None:
    network(store)
    settings_svc.change(store, "plan.quota", "1")
    assert len([s for s in plan_svc.weekly_plan(store, NOW).suggestions if s.in_quota]) == 1
    settings_svc.change(store, "cadence.dormant", "5000")
    settings_svc.change(store, "cadence.occasional", "5000")
    settings_svc.change(store, "cadence.regular", "5000")
    settings_svc.change(store, "cadence.close", "5000")
    assert plan_svc.weekly_plan(store, NOW, refresh=True).suggestions == []
    with pytest.raises(UserError):
        settings_svc.change(store, "weight.luck", "1")
    with pytest.raises(UserError):
        settings_svc.change(store, "plan.frequency", "daily")


def test_snooze_spans() -> None:
    assert act.parse_span("2w", NOW) == NOW + timedelta(days=14)
    assert act.parse_span("3m", NOW) == NOW + timedelta(days=90)
    assert act.parse_span("2027-03-01", NOW).date() == date(2027, 3, 1)
    with pytest.raises(UserError, match="neither a length nor a date"):
        act.parse_span("soonish", NOW)
    with pytest.raises(UserError, match="not in the future"):
        act.parse_span("2020-01-01", NOW)


def test_cli_plan_and_actions(db_url: str) -> None:
    runner = CliRunner()
    store_url = ["--db", db_url]
    from rekindle.store import open_store

    s = open_store(db_url)
    try:
        network(s)
    finally:
        s.close()
    out = runner.invoke(app, [*store_url, "plan", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert len(data["suggestions"]) == 3
    first = data["suggestions"][0]
    text = runner.invoke(app, [*store_url, "plan", "--why"])
    assert text.exit_code == 0 and first["name"] in text.output and "opener:" in text.output
    snoozed = runner.invoke(app, [*store_url, "snooze", str(first["person_id"]), "2w"])
    assert snoozed.exit_code == 0 and "snoozed until" in snoozed.output
    shown = runner.invoke(app, [*store_url, "show", str(first["person_id"])])
    assert f"#{first['person_id']} · snoozed until" in shown.output
    held = json.loads(
        runner.invoke(app, [*store_url, "show", str(first["person_id"]), "--json"]).output
    )
    assert held["hold"].startswith("snoozed until")
    bad = runner.invoke(app, [*store_url, "snooze", str(first["person_id"]), "later"])
    assert bad.exit_code != 0 and "Traceback" not in bad.output
    refreshed = json.loads(runner.invoke(app, [*store_url, "plan", "--refresh", "--json"]).output)
    assert first["person_id"] not in [x["person_id"] for x in refreshed["suggestions"]]
    goal = runner.invoke(app, [*store_url, "goal", "set", "fintech product"])
    assert goal.exit_code == 0
    shown = runner.invoke(app, [*store_url, "goal"])
    assert "fintech product" in shown.output
    cfg = runner.invoke(app, [*store_url, "config", "set", "weight.goal", "2.5"])
    assert cfg.exit_code == 0 and "2.5" in cfg.output


def test_person_cadence_makes_a_recent_tie_due(store: Store) -> None:
    from rekindle.services import people as people_svc

    network(store)
    assert "Rita Recent" not in names(plan_svc.weekly_plan(store, NOW, quota=5))
    people_svc.edit(store, "rita@recent.com", {"cadence": "2", "tier": "close"}, [], [], now=NOW)
    # due by her cadence, but you wrote to her 5 days ago (mail found in Sent): the
    # duplicate-outreach lock holds her back, as it would a message logged here
    held = plan_svc.weekly_plan(store, NOW, quota=5, refresh=True)
    assert next(h["why"] for h in held.held_examples if h["name"] == "Rita Recent").startswith(
        "contacted on"
    )
    from rekindle.services import settings as settings_svc

    settings_svc.change(store, "plan.lock_days", "0")
    again = plan_svc.weekly_plan(store, NOW, quota=5, refresh=True)
    rita = next(s for s in again.suggestions if s.name == "Rita Recent")
    assert (rita.tier, rita.cadence_days) == ("close", 2)
    with pytest.raises(UserError, match="no tier"):
        people_svc.edit(store, "rita@recent.com", {"tier": "bestie"}, [], [], now=NOW)


def test_shortlist_keeps_the_best_and_every_context_match(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    network(store)
    full = plan_svc.weekly_plan(store, NOW, quota=1, goal="Initech")
    monkeypatch.setattr(plan_compute, "PRESELECT", 1)
    narrow = plan_svc.weekly_plan(store, NOW, quota=1, goal="Initech")
    assert names(narrow)[:1] == names(full)[:1] == ["Ina Initech"]  # Ina matches the goal
    top = plan_svc.weekly_plan(store, NOW, quota=1, goal="")
    monkeypatch.setattr(plan_compute, "PRESELECT", 1000)
    assert names(plan_svc.weekly_plan(store, NOW, quota=1, goal="")) == names(top)


def test_the_dormant_count_is_everyone_s_not_the_shortlist_s(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The footer's "N due (M of them dormant)" counts everyone the first pass found, not
    only the strongest few it reads in full."""
    network(store)
    full = plan_svc.weekly_plan(store, NOW, quota=1, refresh=True)
    monkeypatch.setattr(plan_compute, "PRESELECT", 1)
    narrow = plan_svc.weekly_plan(store, NOW, quota=1, refresh=True)
    assert full.dormant > 2
    assert (narrow.due, narrow.dormant) == (full.due, full.dormant)


def test_the_counts_take_the_full_pass_s_verdict_where_it_read() -> None:
    """The first pass's statistics count group mail as a two-way past; for those it read in
    full the plan counts the Rekindle list's rule instead (me among them: on neither)."""
    first = FirstPass(due=frozenset(range(1, 7)), dormant=frozenset({1, 2, 3}))
    assert first.counts([1, 2, 5], due=[1, 5], dormant=[5]) == (2 + 3, 1 + 1)
    assert first.counts([], due=[], dormant=[]) == (6, 3)


def test_a_draft_language_without_templates_is_refused(store: Store) -> None:
    """Only a language the shipped or your own templates have (every draft failed after 'fr')."""
    from rekindle.errors import UserError

    with pytest.raises(UserError, match="no draft templates in 'fr'"):
        settings_svc.change(store, "draft.language", "fr")
    assert settings_svc.current(store)["draft.language"] == "en"
    own = store.location.data_dir / "templates" / "fr"
    own.mkdir(parents=True)
    settings_svc.change(store, "draft.language", "fr")
    assert settings_svc.current(store)["draft.language"] == "fr"
