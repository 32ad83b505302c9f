"""The ranker learnt from the user's own history: features from the past only, training rows
at earlier moments, the fitted rankers, the plan's learnt part, and the cache in the store."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np

from rekindle.engine.plan import Candidate
from rekindle.engine.revival_features import FEATURES, Me, Timeline, describe
from rekindle.engine.revival_model import MOST_ODDS, RevivalModel, fit, rank01
from rekindle.engine.revival_pasts import Pasts
from rekindle.engine.revival_rank import rerank
from rekindle.engine.revival_rows import (
    Questions,
    dormant_at,
    first_contact,
    last_contact,
    me_at,
    moments,
    training_set,
)
from rekindle.engine.scoring import default_weights, score
from rekindle.history.tie_features import CIRCLE_LIMIT
from rekindle.history.ties import Contact
from rekindle.services import plan as plan_svc
from rekindle.services.demo import load_sample
from rekindle.services.myself import likely_me
from rekindle.services.ranker import (
    DESCRIBING,
    FITTING,
    RANKER_KEY,
    READING,
    history_rows,
    stored_model,
)
from rekindle.services.why import why
from rekindle.store import Store
from rekindle.store import engine as eq
from rekindle.store import ties as tq
from rekindle.store.settings import put_setting

NOW = datetime(2026, 6, 1, tzinfo=UTC)
SAMPLE_NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def days_ago(n: float, direction: str = "out", co: frozenset[str] = frozenset()) -> Contact:
    return Contact(NOW - timedelta(days=n), direction, "email", 1 + len(co), None, co)  # type: ignore[arg-type]


def test_features_see_only_the_past_and_count_past_silences() -> None:
    # in touch, silent 200 days twice before (both ended), now silent 150 days
    past = [700, 699, 490, 489, 480, 270, 269, 150]
    contacts = [days_ago(d, "in" if i % 2 else "out") for i, d in enumerate(past)]
    future = [days_ago(10, "in")]  # after the moment: must change nothing
    me = Me({"7": 3})
    row = describe(Timeline.of(contacts), NOW, me, 90)
    again = describe(Timeline.of(contacts + future), NOW - timedelta(days=11), me, 90)
    assert row.tie.silence_days is not None and round(row.tie.silence_days) == 150
    long, ended = row.long_gaps
    assert long == 2 and ended == 2  # 209- and 210-day silences: both >= 150, both < 240
    assert 0.0 < row.value("hazard") <= 1.0
    assert again.tie.last == row.tie.last  # the contact 10 days ago is invisible 11 days ago
    assert len(row.values) == len(FEATURES)


def test_initiative_direction_and_shared_people() -> None:
    contacts = [
        days_ago(400, "in"),  # they opened
        days_ago(399, "out"),
        days_ago(300, "in", frozenset({"7"})),  # they opened again, with person 7
        days_ago(299, "out"),
        days_ago(200, "out"),  # I opened
        days_ago(199, "in"),
    ]
    row = describe(Timeline.of(contacts), NOW, Me({"7": 2, "8": 1}), 90)
    assert abs(row.value("their_openings") - 2 / 3) < 1e-9
    assert row.value("they_wrote_last") == 1.0
    assert row.common == ("7",)  # person 7, whom I talk to now, was on their mail


def test_training_rows_label_what_followed_each_moment() -> None:
    came_back = [days_ago(d, "in" if d % 2 else "out") for d in (600, 599, 598, 300, 301)]
    stayed_away = [days_ago(d, "in" if d % 2 else "out") for d in (600, 599, 598, 597)]
    timelines = {"1": Timeline.of(came_back), "2": Timeline.of(stayed_away)}
    q = Questions(dormant_days=90, horizon_days=90, step_days=30)
    at = moments(NOW - timedelta(days=600), NOW, q)
    assert at and all(m + timedelta(days=90) <= NOW for m in at)  # answers known by now
    moment = NOW - timedelta(days=340)  # both dormant; tie 1 comes back 40 days later
    assert dormant_at(timelines["1"], moment.timestamp(), 90)
    assert dormant_at(timelines["2"], moment.timestamp(), 90)
    data = training_set(timelines, [moment], q)
    assert data.groups == [2] and list(data.y) == [1.0, 0.0]
    assert me_at(timelines, NOW - timedelta(days=299)).recent == {"1": 2}


def synthetic(seed: int = 3, rows: int = 600) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Rows whose 'history' feature decides the comeback (plus noise)."""
    rng = np.random.default_rng(seed)
    x = rng.random((rows, len(FEATURES)))
    logit = 6 * (x[:, FEATURES.index("history")] - 0.5)
    y = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(float)
    return x, y, [20] * (rows // 20)


def test_the_fit_learns_from_enough_history_and_round_trips() -> None:
    from rekindle.engine.revival_rows import TrainingSet

    x, y, groups = synthetic()
    model = fit(TrainingSet(x, y, groups), fitted_on="synthetic")
    assert model.logistic is not None and model.lambdamart is not None
    assert 0.9 < model.learnt_share < 1.0
    from rekindle.engine.revival_model import LOGISTIC

    coef = dict(zip(LOGISTIC, model.logistic.coef, strict=True))
    assert max(coef, key=lambda k: coef[k]) == "history"
    order = model.learnt_rank(x[:40])
    truth = x[:40, FEATURES.index("history")]
    assert np.corrcoef(order, truth)[0, 1] > 0.5
    back = RevivalModel.from_json(model.as_json())
    assert back is not None and np.allclose(back.learnt_rank(x[:40]), order)
    assert RevivalModel.from_json('{"version": 0}') is None


def test_little_history_leaves_the_shipped_model_alone() -> None:
    from rekindle.engine.revival_rows import TrainingSet

    x, y, groups = synthetic(rows=60)
    y[:] = 0.0
    y[:3] = 1.0  # three comebacks: too few to learn from
    model = fit(TrainingSet(x, y, groups))
    assert model.logistic is None and model.learnt_share == 0.0
    prior = np.array([3.0, 1.0, 2.0])
    assert list(model.rank(x[:3], prior)) == [3.0, 1.0, 2.0]


def test_rank01_shares_ranks_of_equal_scores() -> None:
    assert list(rank01(np.array([5.0, 1.0, 5.0, 3.0]))) == [5 / 6, 0.0, 5 / 6, 1 / 3]


def test_the_learnt_part_moves_people_and_says_why() -> None:
    from rekindle.engine.revival_rows import TrainingSet

    x, y, groups = synthetic()
    model = fit(TrainingSet(x, y, groups))
    rng = random.Random(1)
    rows = {}
    people = []
    for pid in (1, 2):
        contacts = [
            days_ago(400 + rng.randrange(300), rng.choice(["in", "out"])) for _ in range(30)
        ]
        row = describe(Timeline.of(contacts), NOW, Me({}), 90)
        rows[pid] = row
        people.append(Candidate(pid, f"P{pid}", score(row.tie, default_weights())))
    ranked = rerank(people, rows, model)
    for before, after in zip(people, ranked, strict=True):
        learnt = after.score.part("learnt")
        assert learnt is not None
        assert abs(after.value - (before.value + learnt.contribution)) < 1e-5
        assert 1 / MOST_ODDS - 1 - 1e-9 <= learnt.value <= MOST_ODDS - 1 + 1e-9
    up = [c for c in ranked if (p := c.score.part("learnt")) and p.value > 0.05]
    assert up and all("learnt from your history" in c.score.part("learnt").reason for c in up)  # type: ignore[union-attr]
    assert rerank(people, rows, None) == people


def test_the_plan_fits_once_per_history_and_keeps_its_promises(store: Store) -> None:
    load_sample(store, now=SAMPLE_NOW)  # the learnt ranker is the default
    calls: list[tuple[str, int, int]] = []
    plan = plan_svc.weekly_plan(
        store, SAMPLE_NOW, refresh=True, progress=lambda *step: calls.append(step)
    )
    steps = [s for s, _, _ in calls]
    assert steps[0] == READING and steps[-1] == FITTING  # told from the start to the end
    assert DESCRIBING in steps and calls[-1][1] == calls[-1][2]
    with store.read() as conn:
        model = stored_model(conn, store.owner_id)
    assert model is not None and model.logistic is not None and "comebacks" in model.fitted_on
    calls.clear()
    again = plan_svc.weekly_plan(
        store, SAMPLE_NOW, refresh=True, progress=lambda *step: calls.append(step)
    )
    assert not calls  # the history did not change: the stored fit serves
    assert [s.person_id for s in again.suggestions] == [s.person_id for s in plan.suggestions]
    rekindle = plan.of_list("rekindle")
    assert len(rekindle) == 3
    for s in rekindle:
        assert s.silent_days is not None and s.silent_days >= 180  # the list's own rule
        assert "learnt" in s.parts
    # why tells the plan's figures: the same learnt part, the same total
    top = rekindle[0]
    told = why(store, str(top.person_id), SAMPLE_NOW)
    learnt = next(p for p in told.parts if p["name"] == "learnt")
    assert abs(learnt["contribution"] - top.parts["learnt"]) < 1e-3
    assert abs(told.total - top.score) < 1e-3
    if learnt["contribution"] > 0:
        assert "odds of coming back" in learnt["reason"]
    # shipped is still there to choose: no learnt part, no fit
    with store.begin() as conn:
        put_setting(conn, store.owner_id, RANKER_KEY, "shipped")
    shipped = plan_svc.weekly_plan(store, SAMPLE_NOW, refresh=True)
    assert all("learnt" not in s.parts for s in shipped.suggestions)
    told = why(store, str(top.person_id), SAMPLE_NOW)
    assert all(p["name"] != "learnt" for p in told.parts)


def test_a_slight_learnt_difference_moves_the_worth_slightly() -> None:
    """Two ties the model tells nearly apart keep nearly the same odds (by rank within the
    list, the old way, one went a quarter up and the other a quarter down)."""
    from rekindle.engine.revival_rows import TrainingSet

    x, y, groups = synthetic()
    model = fit(TrainingSet(x, y, groups))
    a = x[0].copy()
    b = a.copy()
    b[FEATURES.index("history")] += 0.001
    odds = model.odds(np.vstack([a, b]))
    assert abs(odds[0] - odds[1]) < 0.01
    worth = np.array([5.0, 4.9])
    assert list(np.argsort(-model.rank(np.vstack([a, b]), worth))) == [0, 1]


def test_the_odds_are_against_ties_quiet_as_long() -> None:
    """Comebacks that only follow shorter silences, seen through a feature that leans on the
    silence (the hazard), give no tie better odds for its shorter silence alone."""
    from rekindle.engine.revival_rows import TrainingSet

    rng = np.random.default_rng(5)
    n = 1200
    x = rng.random((n, len(FEATURES)))
    silence = rng.uniform(np.log1p(180), np.log1p(1500), n)
    x[:, FEATURES.index("silence")] = silence
    x[:, FEATURES.index("hazard")] = 1.0 - (silence - 5.0) / 2.5  # shorter silence, higher
    y = (rng.random(n) < 1 / (1 + np.exp(4.0 * (silence - 6.0)))).astype(float)
    model = fit(TrainingSet(x, y, [40] * (n // 40)))
    assert model.logistic is not None
    spread = np.ptp(model.log_odds(x[:200]))
    lifts = model.lift(x[:200], quiet_as_long=True)
    assert spread > 1.0  # the learnt log-odds do follow the silence, through the hazard
    assert np.abs(lifts).mean() < 0.25 * spread  # the odds against ties quiet as long do not
    short, long = x[:1].copy(), x[:1].copy()
    short[0, FEATURES.index("silence")], long[0, FEATURES.index("silence")] = 5.3, 7.2
    short[0, FEATURES.index("hazard")] = 1.0 - (5.3 - 5.0) / 2.5
    long[0, FEATURES.index("hazard")] = 1.0 - (7.2 - 5.0) / 2.5
    o_short, o_long = model.odds(np.vstack([short, long]), quiet_as_long=True)
    assert abs(np.log(o_short) - np.log(o_long)) < 0.5
    # the plain odds, which the plan ranks by, do tell the likelier comeback
    p_short, p_long = model.odds(np.vstack([short, long]))
    assert np.log(p_short) - np.log(p_long) > 0.5


def test_moments_cover_an_old_history_evenly() -> None:
    q = Questions(dormant_days=180, horizon_days=90, step_days=14, max_moments=60)
    first, last = datetime(1999, 1, 1, tzinfo=UTC), datetime(2002, 1, 1, tzinfo=UTC)
    at = moments(first, NOW, q, last)  # a mailbox that ended 24 years ago
    assert len(at) == 60 and at[-1] == last and at[0] > first + timedelta(days=180)
    gaps = {round((b - a).total_seconds() / 86400) for a, b in zip(at, at[1:], strict=False)}
    assert len(gaps) == 1 and gaps.pop() > 14  # spread over the whole span, not its last weeks
    assert moments(last - timedelta(days=100), NOW, q, last) == []  # too short to ask anything


def test_the_history_read_as_columns_gives_the_rows_of_each_tie_read_alone(store: Store) -> None:
    """The fit reads everyone's contacts as columns and asks every moment of all ties at once:
    the same moments, rows and labels as each tie's contacts read alone and asked one by one
    (to float rounding: co-participants come as sets, summed in their own order)."""
    load_sample(store, now=SAMPLE_NOW)
    with store.read() as conn:
        data, at = history_rows(conn, store.owner_id, SAMPLE_NOW, lambda *step: None)
        people = eq.active_people(conn, store.owner_id)
        ids = sorted(people)
        selves = likely_me(conn, store.owner_id, people, ids)
        contacts = tq.contacts_by_person(conn, [p for p in ids if p not in selves], CIRCLE_LIMIT)
    timelines = {str(pid): Timeline.of(cs) for pid, cs in contacts.items() if cs}
    first = first_contact(timelines)
    assert first is not None
    q = Questions()
    assert at == moments(first, SAMPLE_NOW, q, last_contact(timelines)) and len(at) > 10
    alone = training_set(timelines, at, q)
    assert data.groups == alone.groups and len(data) > 50 and data.positives > 5
    assert np.array_equal(data.y, alone.y)
    assert np.allclose(data.x, alone.x, rtol=0, atol=1e-12)
    pasts = Pasts.of_timelines(timelines)
    for moment in at[::7]:  # each tie asked alone, as the backtest does
        ts = moment.timestamp()
        dormant = pasts.dormant(ts, q.dormant_days)
        back = pasts.resumed(ts, q.horizon_days)
        for i, k in enumerate(pasts.keys):
            assert dormant[i] == dormant_at(timelines[k], ts, q.dormant_days)
            assert back[i] == timelines[k].resumed(ts, q.horizon_days)
        assert pasts.recent(ts) == me_at(timelines, moment).recent
