"""`rekindle plan`: this week's few people worth reconnecting with, each with reasons.

Two lists (:mod:`rekindle.engine.lists`): Rekindle, the ties that mattered and went quiet,
fill the quota first; Keep warm, active ties due a check-in, is a short second section. The
computation is :mod:`rekindle.services.plan_compute`; this module stores the plan for the
period, so that re-running it within the week shows the same people (``refresh`` and a
``goal`` other than the stored one recompute it).
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from rekindle.engine.lists import REKINDLE
from rekindle.engine.plan import period_of, silence_span
from rekindle.errors import UserError
from rekindle.services.plan_options import (
    DEFAULT_QUOTA,
    ENGINE_EDITS,
    Options,
    Plan,
    Suggestion,
    options,
)
from rekindle.services.suggestion_parts import hold_words
from rekindle.store import Store
from rekindle.store import engine as eq
from rekindle.store import outreach as oq
from rekindle.store import team as team_q
from rekindle.store.database import utcnow
from rekindle.store.settings import get_settings, put_setting

if TYPE_CHECKING:  # the ranker (numpy) is imported by the plan that computes, below
    from rekindle.services.ranker import Progress

#: one plan computation at a time in this process
_PLANNING = threading.Lock()

__all__ = [
    "DEFAULT_QUOTA",
    "ENGINE_EDITS",
    "Options",
    "Plan",
    "Suggestion",
    "options",
    "weekly_plan",
]


def weekly_plan(
    store: Store,
    now: datetime | None = None,
    *,
    quota: int | None = None,
    goal: str | None = None,
    refresh: bool = False,
    progress: Progress | None = None,
) -> Plan:
    """The period's plan: the stored one if there is one (and no other goal), else a new one."""
    now = now or utcnow()
    if quota is not None and quota < 0:
        raise UserError("--count must be 0 or more")
    if not refresh and goal is None:
        with store.read() as conn:
            found = _stored_plan(conn, store.owner_id, now, quota)
        if found is not None:
            return found
    # the week's first visit computes the plan (seconds on a large network): the visits that
    # come meanwhile wait for it and read it, instead of computing it again alongside
    with _PLANNING:
        return _plan(store, now, quota, goal, refresh, progress)


def _stored_plan(conn: Connection, owner_id: int, now: datetime, quota: int | None) -> Plan | None:
    """The period's stored plan for the active goal, if there is one."""
    opts = options(get_settings(conn, owner_id), quota)
    period = period_of(now, opts.frequency)
    active = eq.active_goal(conn, owner_id)
    goal_id = active.id if active is not None else None
    stored = eq.plan_entries(conn, owner_id, period)
    if not stored or any(e.goal_id != goal_id for e in stored):
        return None
    if quota is not None and quota != _quota_of(stored):
        return None
    goal_text = active.text if active is not None else None
    return _from_stored(conn, owner_id, period, goal_text, stored, now, opts)


def _plan(
    store: Store,
    now: datetime,
    quota: int | None,
    goal: str | None,
    refresh: bool,
    progress: Progress | None = None,
) -> Plan:
    with store.begin() as conn:
        opts = options(get_settings(conn, store.owner_id), quota)
        period = period_of(now, opts.frequency)
        active = eq.active_goal(conn, store.owner_id)
        goal_text = goal if goal is not None else (active.text if active else None)
        goal_id = active.id if active is not None and goal is None else None
        stored = eq.plan_entries(conn, store.owner_id, period)
        same_goal = all(e.goal_id == goal_id for e in stored)
        same_quota = quota is None or quota == _quota_of(stored)
        if stored and goal is None and not refresh and same_goal and same_quota:
            return _from_stored(conn, store.owner_id, period, goal_text, stored, now, opts)
        # the scoring and its data only now: the week's stored plan is read without them
        from rekindle.services import tie_snapshot
        from rekindle.services.plan_compute import compute_plan
        from rekindle.services.ranker import learnt_model, uses_learnt
        from rekindle.store.ranker import history_fingerprint

        learn = uses_learnt(get_settings(conn, store.owner_id))
        history = history_fingerprint(conn, store.owner_id)  # asked once: a scan of it all
        model = learnt_model(conn, store.owner_id, now, progress, history) if learn else None
        # every tie as the week's fit described it (taken now if the fit was earlier)
        snapshot = tie_snapshot.weekly(conn, store.owner_id, now, progress, history, model)
        plan = compute_plan(
            conn, store.owner_id, now, opts, goal_text, model, snapshot, progress, keep_goal=True
        )
        if goal is None:
            eq.save_plan(
                conn,
                store.owner_id,
                period,
                goal_id,
                [(s.person_id, s.score, json.dumps(asdict(s))) for s in plan.suggestions],
                now,
            )
            put_setting(conn, store.owner_id, SUMMARY_KEY, json.dumps(_summary(plan)))
        return plan


#: the stored plan's counts and how it was ranked (its entries hold the people)
SUMMARY_KEY = "stored_plan.summary"
_SUMMARY_FIELDS = ("considered", "due", "held", "held_examples", "held_by", "dormant", "ranked_by")


def _summary(plan: Plan) -> dict[str, Any]:
    return {"period": plan.period, **{k: getattr(plan, k) for k in _SUMMARY_FIELDS}}


def _stored_summary(settings: dict[str, Any], period: str) -> dict[str, Any]:
    """The counts stored with the period's plan (none for another period's, or before they
    were kept)."""
    try:
        found = json.loads(settings.get(SUMMARY_KEY) or "{}")
    except ValueError:
        return {}
    if not isinstance(found, dict) or found.get("period") != period:
        return {}
    return {k: found[k] for k in _SUMMARY_FIELDS if k in found}


def _quota_of(stored: list[Any]) -> int:
    """How many of a stored plan's people count in its quota (not the Keep warm extras)."""
    return sum(1 for e in stored if json.loads(e.detail).get("in_quota", True))


def _from_stored(
    conn: Connection,
    owner_id: int,
    period: str,
    goal_text: str | None,
    stored: list[Any],
    now: datetime,
    opts: Options,
) -> Plan:
    holds = eq.holds_in_force(conn, owner_id, now)
    delivered = oq.last_delivered(conn, owner_id)
    by_team = team_q.teammate_outreach(
        conn, owner_id, [e.person_id for e in stored], now - timedelta(days=opts.lock_days)
    )
    suggestions = []
    for entry in stored:
        data = json.loads(entry.detail)
        s = Suggestion(**data)
        when = delivered.get(entry.person_id)
        mate = by_team.get(entry.person_id)
        if when is not None and when >= entry.created_at:
            s.status = f"done {when:%d %b}"
        elif entry.person_id in holds:
            s.status = hold_words(holds[entry.person_id]) or "held"
        elif mate is not None:
            s.status = f"{mate.teammate} (your team) reached out on {mate.at:%d %b}"
        suggestions.append(s)
    counts: dict[str, Any] = {"considered": 0, "due": 0, "held": 0}
    counts.update(_stored_summary(get_settings(conn, owner_id), period))
    return Plan(
        period=period,
        goal=goal_text,
        suggestions=suggestions,
        stored=True,
        **counts,
        weights_from=str(opts.weights.provenance.get("fitted_on", "")),
        # the stored plan says it was diversified, as the fresh one did
        fields=list(dict.fromkeys(s.field for s in suggestions if s.field)),
        spans=list(
            dict.fromkeys(
                span
                for s in suggestions
                if s.list == REKINDLE and (span := silence_span(s.silent_days)) is not None
            )
        ),
    )
