"""The plan's speed work keeps the plan: the learnt part described only for the best of the
Rekindle list ranks them as if all were."""

from __future__ import annotations

from datetime import UTC, datetime

from rekindle.engine.lists import REKINDLE
from rekindle.engine.plan import Candidate
from rekindle.services import plan as plan_svc
from rekindle.services import plan_compute as pc
from rekindle.services.demo import load_sample
from rekindle.services.outcome_learning import learnt
from rekindle.services.plan_learnt import learnt_order
from rekindle.services.plan_options import options
from rekindle.services.ranker import stored_model
from rekindle.store import Store
from rekindle.store.settings import get_settings

SAMPLE_NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)

def test_the_learnt_part_described_for_the_best_ranks_them_as_for_all(store: Store) -> None:
    load_sample(store, now=SAMPLE_NOW)
    plan_svc.weekly_plan(store, SAMPLE_NOW, refresh=True)  # fits and stores the model
    owner = store.owner_id
    with store.read() as conn:
        model = stored_model(conn, owner)
        opts = options(get_settings(conn, owner))
        net = pc.read_network(conn, owner, None)
        net.learnt = learnt(conn, owner, SAMPLE_NOW, opts.outcomes)
        _, short, occasions = pc.shortlist(conn, owner, net, SAMPLE_NOW, opts)
        ties = pc.read_ties(conn, owner, net, short, occasions, SAMPLE_NOW, opts)
        listed = pc.candidates(conn, owner, net, ties, SAMPLE_NOW, opts).lists[REKINDLE]
    assert model is not None and model.logistic is not None and len(listed) > 10
    every = learnt_order(listed, ties, SAMPLE_NOW, model, net, exact=len(listed))
    few = learnt_order(listed, ties, SAMPLE_NOW, model, net, exact=3)
    assert all(c.score.part("learnt") is not None for c in every)

    def best(cs: list[Candidate], n: int) -> list[tuple[int, float]]:
        return sorted(((c.person_id, c.value) for c in cs), key=lambda p: (-p[1], p[0]))[:n]

    assert best(few, 3) == best(every, 3)
    assert [c.person_id for c in few] == [c.person_id for c in listed]  # same list, same order
    # the rest keep their worth: none of them above the three best
    plain = [c for c in few if c.score.part("learnt") is None]
    assert all(c.value < best(every, 3)[-1][1] for c in plain)
