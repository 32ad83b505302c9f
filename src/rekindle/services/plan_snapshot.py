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

from rekindle.engine.list_columns import LIST_NAMES, ON_REKINDLE
from rekindle.engine.lists import KEEP_WARM, REKINDLE, list_of, rekindle_weights
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
    shared_with_me,
)
from rekindle.services.plan_options import Options
from rekindle.services.plan_rough import FirstPass
from rekindle.services.suggestion_parts import best_occasion, shared_strength
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
    read = {pid: tie_features(found, now, recent) for pid, found in contacts.items()}
    empty = tie_features((), now)

    def features(pid: int) -> TieFeatures:
        return read.get(pid) or snap.features_at(pid, now) or empty

    due, listed, base = _lists(net, snap, set(read), features, now, opts)
    dormant = [p for p, w in listed.items() if w == REKINDLE]
    described = [p for p in dormant if p in snap.rows and p not in contacts]
    odds = _odds(model, snap, described)
    short, occasions = _best(
        net,
        listed,
        base,
        odds,
        now,
        opts,
        lambda people: occasions_for(conn, owner_id, people, now.date()),
    )
    selves = likely_me(conn, owner_id, net.people, short)
    ties = Ties(occasions=occasions, goal_index=net.index, me=me)
    for pid in short:
        if pid in selves:
            continue  # another address of mine is nobody to reconnect with
        ties.features[pid] = features(pid)
        ties.cadences[pid] = net.cadence_of(pid, ties.features[pid], opts)
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


def _lists(
    net: Network,
    snap: TieSnapshot,
    read: set[int],
    features: Callable[[int], TieFeatures],
    now: datetime,
    opts: Options,
) -> tuple[list[int], dict[int, str], dict[int, float]]:
    """(who is due, the list of each tie on one, its worth before the odds): on the
    snapshot's columns at once, except one at a time for a tie read afresh (``read``), one
    the snapshot lacks, and one with a cadence of its own (:func:`_own_cadence`)."""
    weights = {REKINDLE: rekindle_weights(opts.weights), KEEP_WARM: opts.weights}
    due: list[int] = []
    listed: dict[int, str] = {}
    worth: dict[int, float] = {}
    weighed: set[int] = set()
    if snap.at == now:  # the columns describe the ties today
        ids, cols = snap.table()
        alone = read | _own_cadence(net, opts)
        is_due_now = cols.due(cols.cadence_days(opts.tier_days))
        which = cols.lists(is_due_now, opts.lists)
        rekindle, warm = cols.worth(weights[REKINDLE]), cols.worth(weights[KEEP_WARM])
        for pid, d, code, r, w in zip(
            ids.tolist(), is_due_now.tolist(), which.tolist(), rekindle.tolist(), warm.tolist(),
            strict=True,
        ):  # fmt: skip
            if pid not in net.people or pid in alone:
                continue
            weighed.add(pid)
            if d:
                due.append(pid)
            if code:
                listed[pid] = LIST_NAMES[code]
                worth[pid] = r if code == ON_REKINDLE else w
    for pid in net.ids:
        if pid in weighed:
            continue
        f = features(pid)
        cadence = net.cadence_of(pid, f, opts)
        if not is_due(f, cadence):
            continue
        due.append(pid)
        found = list_of(f, cadence.tier, True, opts.lists)
        if found is not None:
            listed[pid] = found
            worth[pid] = rank_value(f, weights[found])
    return sorted(due), listed, worth


def _own_cadence(net: Network, opts: Options) -> set[int]:
    """Whose cadence is not their tier's alone: one you set (a tier or days), a tag's, or
    one their outcomes taught (:meth:`Network.cadence_of` decides theirs)."""
    own = {p for p, e in net.edits.items() if e.get("tier") or e.get("cadence")}
    if opts.tag_days:
        own |= {p for p, tags in net.tags.items() if any(t in opts.tag_days for t in tags)}
    return own | set(net.learnt)


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
    base: dict[int, float],
    odds: dict[int, float],
    now: datetime,
    opts: Options,
    occasions_of: Callable[[list[int]], dict[int, list[Occasion]]],
) -> tuple[list[int], dict[int, list[Occasion]]]:
    """(the best :func:`kept` of each list by worth (times the odds), and whoever the context
    could lift among them; their occasions).

    The best are read first (their occasions, their shared employers): the least each of
    them scores in full sets the bar, since at least :func:`kept` score that much. Further
    down, occasions are read only for those an occasion at its strongest could lift to the
    bar, and they are weighed with their own. A holiday that lifts everyone alike lifts the
    bar too, so it no longer draws in thousands of ties to read."""
    weights = {REKINDLE: rekindle_weights(opts.weights)}
    keep = kept(opts.quota)
    lists = []
    for which in sorted({*listed.values()}):
        w: Weights = weights.get(which, opts.weights)
        pool = [p for p, x in listed.items() if x == which]
        worth = {p: base[p] * odds.get(p, 1.0) for p in pool}
        # best first, ties by id (a stable sort of the ids, by worth)
        ranked = sorted(sorted(pool), key=worth.__getitem__, reverse=True)
        lists.append((w, ranked, worth))
    best = sorted({p for _, ranked, _ in lists for p in ranked[:keep]})
    net.affiliations.ensure(best)
    occasions = occasions_of(best)
    # whose outcomes move them after (a warm reply ranks them up) are always weighed
    short: set[int] = {*best, *(p for p in net.learnt if p in listed)}
    staged = []
    for w, ranked, worth in lists:
        if len(ranked) <= keep:
            continue
        least = sorted(
            (worth[p] + _context(net, p, _timing(occasions, p, now), net.goal_value(p), now, w)
             * odds.get(p, 1.0) for p in ranked[:keep]),
            reverse=True,
        )  # fmt: skip
        bar = least[keep - 1]
        # whom the most their context could add (any employer, the strongest occasion, their
        # goal match), with their own odds, could lift to the bar; their employers are read
        # at once, the rest's never
        near = [
            p for p in ranked[keep:]
            if worth[p] + _most_for(net, p, w) * odds.get(p, 1.0) >= bar
        ]  # fmt: skip
        net.affiliations.ensure(near)
        maybe = [
            p for p in near
            if worth[p] + _context(net, p, MOST_TIMING, net.goal_value(p), now, w)
            * odds.get(p, 1.0) >= bar
        ]  # fmt: skip
        staged.append((w, maybe, worth, bar))
    further = sorted({p for _, maybe, _, _ in staged for p in maybe})
    if further:
        occasions.update(occasions_of(further))
    for w, maybe, worth, bar in staged:
        for p in maybe:
            lift = _context(net, p, _timing(occasions, p, now), net.goal_value(p), now, w)
            if lift and worth[p] + lift * odds.get(p, 1.0) >= bar:
                short.add(p)
    return sorted(short), occasions


def _most_for(net: Network, pid: int, w: Weights) -> float:
    """The most the context parts can add to this tie's worth (before the odds): any shared
    employer, the strongest occasion, and their goal match as it is."""
    return w["shared"] * 1.0 + w["timing"] * MOST_TIMING + w["goal"] * net.goal_value(pid)


def _context(
    net: Network, pid: int, timing: float, goal: float, now: datetime, w: Weights
) -> float:
    """What the context parts add to a tie's worth (before the odds): its shared employer as
    it is, with this timing and goal strength."""
    shared = shared_strength(shared_with_me(net, pid, now))
    return w["shared"] * shared + w["timing"] * timing + w["goal"] * goal


def _timing(occasions: dict[int, list[Occasion]], pid: int, now: datetime) -> float:
    """How much the tie's best occasion pulls today (as the full score weighs it)."""
    occasion = best_occasion(occasions.get(pid, []), now)
    return timing_strength(occasion, now.date()) if occasion else 0.0
