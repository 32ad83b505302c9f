"""The plan's first pass on the week's snapshot (:mod:`rekindle.services.tie_snapshot`).

With every tie's features and learnt description at hand, the first pass knows each list
exactly: who is due, who is dormant with a two-way past, each tie's worth and its learnt
odds. It keeps the best few hundred of each list (:func:`kept`) by worth (times the odds, on the
Rekindle list), and of the people the context lifts (an occasion, a shared employer, the
goal) those whose worth with the most the context can add could reach them; only ties whose
history changed since the snapshot (an answered outreach, a meeting that came to pass) have
their contacts read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Connection

from rekindle.engine.lists import REKINDLE, list_of, rekindle_weights
from rekindle.engine.occasions import MOST_TIMING, Occasion, timing_strength
from rekindle.engine.revival_features import Me
from rekindle.engine.revival_model import RevivalModel
from rekindle.engine.scoring import Weights, rank_value
from rekindle.engine.tiers import is_due
from rekindle.history.tie_features import RECENT_DAYS, TieFeatures, last_written, tie_features
from rekindle.history.ties import GROUP_THRESHOLD
from rekindle.services.myself import likely_me
from rekindle.services.occasions import occasions_for
from rekindle.services.plan_network import (
    Network,
    Ties,
    contacts_of,
    goal_index,
    shared_with_me,
)
from rekindle.services.plan_options import Options
from rekindle.services.plan_rough import FirstPass
from rekindle.services.suggestion_parts import FIELD_GOAL, best_occasion, shared_strength
from rekindle.services.tie_snapshot import TieSnapshot
from rekindle.store import engine as eq


def snapshot_pass(
    conn: Connection,
    owner_id: int,
    net: Network,
    snap: TieSnapshot,
    now: datetime,
    opts: Options,
    model: RevivalModel | None,
) -> tuple[FirstPass, list[int], Ties]:
    """(who is due and who dormant, the shortlist, the shortlist's ties) from the snapshot."""
    recent = eq.recent_personal_counts(
        conn, owner_id, now - timedelta(days=RECENT_DAYS), now, GROUP_THRESHOLD
    )
    me = Me(recent)
    changed = [p for p in net.ids if p in net.answered or snap.stale(p, now)]
    contacts = contacts_of(conn, net, changed)
    empty = tie_features((), now)
    features: dict[int, TieFeatures] = {}
    for pid in net.ids:
        if pid in contacts:
            features[pid] = tie_features(contacts[pid], now, recent)
        else:
            features[pid] = snap.features_at(pid, now) or empty
    cadences = {pid: net.cadence_of(pid, f, opts) for pid, f in features.items()}
    due = [p for p in net.ids if is_due(features[p], cadences[p])]
    listed = {
        p: which
        for p in due
        if (which := list_of(features[p], cadences[p].tier, True, opts.lists)) is not None
    }
    dormant = [p for p, w in listed.items() if w == REKINDLE]
    described = [p for p in dormant if p in snap.rows and p not in contacts]
    odds = _odds(model, snap, described)
    short, occasions = _best(
        net,
        listed,
        features,
        odds,
        now,
        opts,
        lambda people: occasions_for(conn, owner_id, people, now.date()),
    )
    selves = likely_me(conn, owner_id, net.people, short)
    ties = Ties(occasions=occasions, goal_index=goal_index(conn, net, short), me=me)
    for pid in short:
        if pid in selves:
            continue  # another address of mine is nobody to reconnect with
        ties.features[pid] = features[pid]
        ties.cadences[pid] = cadences[pid]
        if pid in contacts:
            ties.contacts[pid] = contacts[pid]
            ties.written[pid] = last_written(contacts[pid], now)
        else:
            ties.written[pid] = snap.written.get(pid)
            if pid in snap.rows:
                ties.rows[pid] = snap.rows[pid]
                if pid in odds:
                    ties.odds[pid] = odds[pid]
    return FirstPass(frozenset(due), frozenset(dormant)), short, ties


def _odds(model: RevivalModel | None, snap: TieSnapshot, people: list[int]) -> dict[int, float]:
    """Each described dormant tie's learnt odds (none without a learnt model)."""
    if model is None or model.logistic is None:
        return {}
    return snap.rows.odds_under(model, people)


#: the fewest of each list's best the exact first pass scores in full
KEEP_AT_LEAST = 150
#: beyond the window the plan's diversity looks at, room for those held back
HELD_ROOM = 100


def kept(quota: int) -> int:
    """How many of each list's best the first pass keeps: the plan's diversity looks at the
    best max(50, 20 x quota) of a list (:func:`rekindle.engine.plan.select`), and some of
    them may be held back (a snooze, a message awaiting its reply)."""
    return max(KEEP_AT_LEAST, 20 * quota + HELD_ROOM)


def _best(
    net: Network,
    listed: dict[int, str],
    features: dict[int, TieFeatures],
    odds: dict[int, float],
    now: datetime,
    opts: Options,
    occasions_of: Callable[[list[int]], dict[int, list[Occasion]]],
) -> tuple[list[int], dict[int, list[Occasion]]]:
    """(the best :func:`kept` of each list by worth (times the odds), and whoever the context
    could lift to them; their occasions). Occasions are read only for the best and for those
    an occasion at its strongest could lift, then the latter are weighed with their own."""
    weights = {REKINDLE: rekindle_weights(opts.weights)}
    keep = kept(opts.quota)
    lists = []
    for which in sorted({*listed.values()}):
        w: Weights = weights.get(which, opts.weights)
        pool = [p for p, x in listed.items() if x == which]
        worth = {p: rank_value(features[p], w) * odds.get(p, 1.0) for p in pool}
        # best first, ties by id (a stable sort of the ids, by worth)
        ranked = sorted(sorted(pool), key=worth.__getitem__, reverse=True)
        bar = worth[ranked[keep - 1]] if len(ranked) > keep else 0.0
        most = _most_any(net, w) * max(odds.values(), default=1.0)
        maybe = []
        for p in ranked[keep:]:
            if worth[p] + most < bar:
                break  # nobody further down can reach the bar, whatever their context
            if worth[p] + _most_context(net, p, None, now, w) * odds.get(p, 1.0) >= bar:
                maybe.append(p)
        lists.append((w, ranked[:keep], maybe, worth, bar))
    occasions = occasions_of(sorted({p for _, top, maybe, _, _ in lists for p in (*top, *maybe)}))
    # whose outcomes move them after (a warm reply ranks them up) are always weighed
    short: set[int] = {p for p in net.learnt if p in listed}
    for w, top, maybe, worth, bar in lists:
        short |= set(top)
        for p in maybe:
            lift = _most_context(net, p, occasions, now, w)
            if lift and worth[p] + lift * odds.get(p, 1.0) >= bar:
                short.add(p)
    return sorted(short), occasions


def _most_any(net: Network, w: Weights) -> float:
    """The most the context parts can add to anyone's worth (before the odds)."""
    goal = 1.0 if net.index is not None and net.terms else (FIELD_GOAL if net.goal_fields else 0.0)
    return w["shared"] * 1.0 + w["timing"] * MOST_TIMING + w["goal"] * goal


def _most_context(
    net: Network,
    pid: int,
    occasions: dict[int, list[Occasion]] | None,
    now: datetime,
    w: Weights,
) -> float:
    """The most the context parts can add to a tie's worth: its shared employer as it is, its
    occasion as it is (without ``occasions``: at the strongest any pulls), the goal at its
    fullest (the goal's index over mail subjects is read only for the shortlist)."""
    shared = shared_with_me(net, pid, now)
    if occasions is None:
        timing = MOST_TIMING
    else:
        occasion = best_occasion(occasions.get(pid, []), now)
        timing = timing_strength(occasion, now.date()) if occasion else 0.0
    goal = 1.0 if net.index is not None and net.terms else 0.0
    if net.goal_field(pid):
        goal = max(goal, FIELD_GOAL)
    return w["shared"] * shared_strength(shared) + w["timing"] * timing + w["goal"] * goal
