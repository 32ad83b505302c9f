"""Computing a plan, step by step.

1. :func:`read_network`: everyone's names, edits, tags, affiliations, holds and outreach, and
   the goal's word index, in a handful of batched queries.
2. :func:`shortlist`: a cheap first pass on the stored tie statistics: who is due or dormant,
   and the strongest few hundred of each list worth a closer look (plus anyone with an
   occasion in its window, a goal match or an organisation we were both at, at the same
   time: whoever the context parts of the score lift).
3. :func:`read_ties`: the shortlist's full features and cadences; records that look like me
   are dropped here.
4. :func:`candidates`: each tie scored, held back if it must be, and sorted into its list
   (Rekindle or Keep warm).
5. :func:`pick`: the quota from the Rekindle list first, a short Keep warm section beside it,
   each list diversified by maximal marginal relevance across organisations, fields
   (:mod:`rekindle.engine.fields`) and circles.
6. :func:`suggestion`: each pick with its reasons, medium and opener.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from rekindle.engine.fields import infer_field
from rekindle.engine.lists import (
    KEEP_WARM,
    REKINDLE,
    list_of,
    list_reasons,
    mattered,
    rekindle_weights,
    split_quota,
)
from rekindle.engine.medium import Reach, choose_medium
from rekindle.engine.occasions import Occasion
from rekindle.engine.plan import (
    Candidate,
    fields_of,
    held_kind,
    held_reason,
    period_of,
    select,
    spans_of,
)
from rekindle.engine.revival_features import Me
from rekindle.engine.revival_model import RevivalModel
from rekindle.engine.scoring import rank_value, score, worded
from rekindle.engine.shared_context import SharedAffiliation
from rekindle.engine.tiers import is_due
from rekindle.history.tie_features import RECENT_DAYS, last_written, tie_features
from rekindle.history.ties import GROUP_THRESHOLD
from rekindle.services.goal_kept import GoalKeeper
from rekindle.services.myself import likely_me
from rekindle.services.occasions import occasions_for
from rekindle.services.outcome_learning import learnt, with_outcomes
from rekindle.services.places import far_away
from rekindle.services.plan_learnt import learnt_order, ranked_by
from rekindle.services.plan_network import (
    Network,
    Ties,
    contacts_of,
    latest,
    read_network,
    shared_with_me,
)
from rekindle.services.plan_options import Options, Plan, Suggestion
from rekindle.services.plan_rough import FirstPass, rough_features
from rekindle.services.plan_snapshot import snapshot_pass
from rekindle.services.reply_learning import relearn_media
from rekindle.services.suggestion_parts import (
    best_occasion,
    hold_words,
    opener,
    organisation_of,
    score_context,
)
from rekindle.services.tie_snapshot import TieSnapshot
from rekindle.store import engine as eq
from rekindle.store import team as team_q
from rekindle.store.recall import last_subject

#: how many of the strongest ties of each list get their full features read (without the
#: week's snapshot; plus every person with an occasion, a goal match or a shared affiliation)
PRESELECT = 400
#: held-back people named in the plan's summary
HELD_EXAMPLES = 20


@dataclass
class Pools:
    """Scored candidates of each list, and who was held back."""

    lists: dict[str, list[Candidate]] = field(default_factory=lambda: defaultdict(list))
    shared: dict[int, list[SharedAffiliation]] = field(default_factory=dict)
    occasion: dict[int, Occasion | None] = field(default_factory=dict)
    held: int = 0
    held_examples: list[dict[str, Any]] = field(default_factory=list)
    held_by: dict[str, int] = field(default_factory=dict)
    #: each tie's list, held back or not
    listed: dict[int, str] = field(default_factory=dict)
    #: person keys in the circles reason → names
    names: dict[str, str] = field(default_factory=dict)

    def on(self, which: str) -> list[int]:
        return [pid for pid, w in self.listed.items() if w == which]


def compute_plan(
    conn: Connection,
    owner_id: int,
    now: datetime,
    opts: Options,
    goal_text: str | None,
    model: RevivalModel | None = None,
    snapshot: TieSnapshot | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    keep_goal: bool = False,
) -> Plan:
    """The plan; ``model`` (fitted on the owner's history) ranks the Rekindle list; the week's
    ``snapshot`` of every tie (:mod:`rekindle.services.tie_snapshot`) spares reading their
    contacts; ``progress`` is told of a long step (a goal matched with thousands of people's
    mail). With the snapshot, the goal's match kept by an earlier plan is read back while
    nothing it was made from changed (:mod:`rekindle.services.goal_kept`); ``keep_goal``: one
    made now is kept (``conn`` writes)."""
    net = read_network(conn, owner_id, goal_text)
    net.progress = progress
    net.learnt = learnt(conn, owner_id, now, opts.outcomes)
    if snapshot is not None and snapshot.fresh_for(now):
        subjects = snapshot.subjects
        if subjects is not None:
            net.subjects = lambda: subjects
            net.keeper = GoalKeeper(
                conn, owner_id, goal_text or "", net.terms, subjects, write=keep_goal
            )
        first, short, ties = snapshot_pass(conn, owner_id, net, snapshot, now, opts, model)
    else:
        first, short, occasions = shortlist(conn, owner_id, net, now, opts)
        ties = read_ties(conn, owner_id, net, short, occasions, now, opts)
    pools = candidates(conn, owner_id, net, ties, now, opts)
    due_now = [p for p, f in ties.features.items() if is_due(f, ties.cadences[p])]
    due, dormant = first.counts(short, due_now, pools.on(REKINDLE))
    pools.lists[REKINDLE] = learnt_order(pools.lists[REKINDLE], ties, now, model, net)
    for which in (REKINDLE, KEEP_WARM):
        pools.lists[which] = with_outcomes(pools.lists[which], net.learnt)
    chosen = pick(pools, opts, frozenset(net.goal_fields))
    reach = eq.reach_by_person(conn, [c.person_id for _, _, c in chosen])
    for pid in far_away(conn, owner_id, [c.person_id for _, _, c in chosen]):
        reach.setdefault(pid, {})["far"] = True
    return Plan(
        period=period_of(now, opts.frequency),
        goal=goal_text,
        suggestions=relearn_media(  # the medium in the light of the user's replies
            conn,
            owner_id,
            now,
            [
                replace(suggestion(conn, net, ties, pools, c, which, reach), in_quota=counted)
                for which, counted, c in chosen
            ],
            reach,
            net.edits,
        ),
        considered=len(net.people),
        due=due,
        held=pools.held,
        stored=False,
        weights_from=str(opts.weights.provenance.get("fitted_on", "")),
        held_examples=pools.held_examples,
        held_by=pools.held_by,
        dormant=dormant,
        ranked_by=ranked_by(model),
        fields=fields_of(c for _, _, c in chosen),
        spans=spans_of(c for which, _, c in chosen if which == REKINDLE),
    )


def shortlist(
    conn: Connection, owner_id: int, net: Network, now: datetime, opts: Options
) -> tuple[FirstPass, list[int], dict[int, list[Occasion]]]:
    """(who is due and who dormant, the shortlist, their occasions), from the stored
    statistics."""
    stats = eq.tie_summaries(conn, owner_id)
    net.affiliations.ensure(net.ids)  # everyone's shared employers are asked below
    rough = {pid: rough_features(stats.get(pid), net.answered.get(pid), now) for pid in net.ids}
    due: list[int] = []
    dormant: list[int] = []
    for pid in net.ids:
        f = rough[pid]
        cadence = net.cadence_of(pid, f, opts)
        if not is_due(f, cadence):
            continue
        silent = f.silence_days is not None and f.silence_days >= opts.lists.rekindle_days
        (dormant if silent and mattered(f, cadence.tier) else due).append(pid)
    occasions = occasions_for(conn, owner_id, [*dormant, *due], now.date())
    context = {
        pid
        for pid in [*dormant, *due]
        if best_occasion(occasions.get(pid, []), now)
        or (net.index is not None and net.index.match(pid, net.terms).value > 0)
        or net.goal_field(pid)
        or shared_with_me(net, pid, now)
    }
    top = set()
    for pool in (dormant, due):
        by_value = sorted(pool, key=lambda p: (-rank_value(rough[p], opts.weights), p))
        top |= set(by_value[:PRESELECT])
    return FirstPass(frozenset(due + dormant), frozenset(dormant)), sorted(top | context), occasions


def read_ties(
    conn: Connection,
    owner_id: int,
    net: Network,
    short: list[int],
    occasions: dict[int, list[Occasion]],
    now: datetime,
    opts: Options,
) -> Ties:
    """Full features of the shortlist; whoever looks like me is left out here."""
    contacts = contacts_of(conn, net, short)
    recent = eq.recent_personal_counts(
        conn, owner_id, now - timedelta(days=RECENT_DAYS), now, GROUP_THRESHOLD
    )
    selves = likely_me(conn, owner_id, net.people, short)
    ties = Ties(occasions=occasions, goal_index=net.index, me=Me(recent))
    for pid in short:
        if pid in selves:
            continue  # another address of mine is nobody to reconnect with
        ties.contacts[pid] = contacts.get(pid, [])
        ties.written[pid] = last_written(ties.contacts[pid], now)
        f = tie_features(contacts.get(pid, ()), now, recent)
        ties.features[pid] = f
        ties.cadences[pid] = net.cadence_of(pid, f, opts)
    return ties


def candidates(
    conn: Connection, owner_id: int, net: Network, ties: Ties, now: datetime, opts: Options
) -> Pools:
    """Each tie on a list scored; those held back counted and named."""
    listed = {
        pid: which
        for pid, f in ties.features.items()
        if (which := list_of(f, ties.cadences[pid].tier, is_due(f, ties.cadences[pid]), opts.lists))
    }
    holds = eq.holds_in_force(conn, owner_id, now)
    by_team = team_q.teammate_outreach(
        conn, owner_id, sorted(listed), now - timedelta(days=opts.lock_days)
    )
    names = {str(k): v for k, v in net.people.items()}
    reach = eq.reach_by_person(conn, sorted(listed))
    net.affiliations.ensure(listed)
    weights = {REKINDLE: rekindle_weights(opts.weights), KEEP_WARM: opts.weights}
    pools = Pools(listed=listed, names=names)
    for pid, which in sorted(listed.items()):
        mate = by_team.get(pid)
        held = held_reason(
            hold=hold_words(holds.get(pid)) or _learnt_hold(net, pid, now),
            awaiting_since=net.awaiting.get(pid),
            last_outreach=latest(net.delivered.get(pid), ties.written.get(pid)),
            now=now,
            lock_days=opts.lock_days,
            teammate=(mate.teammate, mate.at) if mate else None,
        )
        if held:
            pools.held += 1
            kind = held_kind(held)
            pools.held_by[kind] = pools.held_by.get(kind, 0) + 1
            if len(pools.held_examples) < HELD_EXAMPLES:
                pools.held_examples.append({"person_id": pid, "name": net.people[pid], "why": held})
            continue
        f = ties.features[pid]
        shared = pools.shared[pid] = shared_with_me(net, pid, now)
        occasion = pools.occasion[pid] = best_occasion(ties.occasions.get(pid, []), now)
        context = score_context(
            shared,
            occasion,
            now,
            ties.goal_index,
            pid,
            net.terms,
            net.goal_text,
            net.goal_field(pid),
        )
        org = organisation_of(net.edits.get(pid, {}), net.affiliations.get(pid))
        circles = frozenset(
            [*(f"tag:{t}" for t in net.tags.get(pid, ())), *(f"with:{p}" for p in f.circle_people)]
        )
        pools.lists[which].append(
            Candidate(
                pid,
                net.people[pid],
                # the tie's reasons in words only for the picks (suggestion)
                score(f, weights[which], context, names, worded=False),
                org,
                circles,
                field=net.field_of(pid) or infer_field(address=reach.get(pid, {}).get("email")),
                silent_days=f.silence_days,
            )
        )
    return pools


def _learnt_hold(net: Network, pid: int, now: datetime) -> str | None:
    """The rest their outcomes earned (a message awaiting its reply says more, then)."""
    found = net.learnt.get(pid)
    return found.held(now) if found is not None and pid not in net.awaiting else None


def pick(
    pools: Pools, opts: Options, wanted: frozenset[str] = frozenset()
) -> list[tuple[str, bool, Candidate]]:
    """(list, in the quota, candidate): the quota from the Rekindle list first (topped up from
    Keep warm when it runs short), then the Keep warm section beside it; the goal's fields
    (``wanted``) are not spread across."""
    rekindle, warm = pools.lists[REKINDLE], pools.lists[KEEP_WARM]
    n_rekindle, n_warm = split_quota(len(rekindle), len(warm), opts.quota, opts.lists.keep_warm)
    in_quota = opts.quota - n_rekindle
    return [
        *((REKINDLE, True, c) for c in select(rekindle, n_rekindle, wanted=wanted)),
        *((KEEP_WARM, i < in_quota, c) for i, c in enumerate(select(warm, n_warm, wanted=wanted))),
    ]


def suggestion(
    conn: Connection,
    net: Network,
    ties: Ties,
    pools: Pools,
    c: Candidate,
    which: str,
    reach: dict[int, dict[str, Any]],
) -> Suggestion:
    pid = c.person_id
    f = ties.features[pid]
    cadence = ties.cadences[pid]
    r = reach.get(pid, {})
    last = last_subject(conn, pid)
    medium = choose_medium(
        f,
        cadence.tier,
        Reach(
            email="email" in r,
            linkedin="linkedin" in r,
            phone="phone" in r,
            far_away="far" in r,
            preferred=net.edits.get(pid, {}).get("medium"),
            last_two_way_channel=last.channel if last else None,
        ),
    )
    occasion = pools.occasion[pid]
    said = worded(c.score, f, pools.names)
    return Suggestion(
        person_id=pid,
        name=c.name,
        score=round(c.value, 4),
        reasons=list_reasons(said, which),
        parts={p.name: round(p.contribution, 4) for p in c.score.parts},
        tier=cadence.tier,
        cadence_days=cadence.days,
        silent_days=int(f.silence_days) if f.silence_days is not None else None,
        occasion=occasion.detail if occasion else None,
        medium=medium.medium,
        medium_why=medium.why,
        opener=opener(c.name, occasion, pools.shared[pid], last, f),
        organisation=c.organisation,
        list=which,
        field=c.field,
    )
