"""`rekindle plan`: this week's few people worth reconnecting with, each with reasons.

Reads everyone's history, holds, outreach and facts in a handful of batched queries, scores
each due person with :mod:`rekindle.engine.scoring`, keeps out whoever is held back, picks a short
diverse list with :mod:`rekindle.engine.plan`, and stores it for the period so that re-running the
plan within the week shows the same people (``refresh`` recomputes it).
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from rekindle.engine.goal_match import GoalIndex, goal_terms
from rekindle.engine.medium import Reach, choose_medium
from rekindle.engine.occasions import Occasion
from rekindle.engine.plan import FREQUENCIES, Candidate, held_reason, period_of, select
from rekindle.engine.scoring import PARTS, Weights, default_weights, rank_value, score
from rekindle.engine.shared_context import SharedAffiliation, shared_affiliations
from rekindle.engine.tiers import DEFAULT_CADENCE_DAYS, TIERS, Cadence, cadence_for, is_due
from rekindle.errors import UserError
from rekindle.history.tie_features import RECENT_DAYS, TieFeatures, tie_features
from rekindle.history.ties import GROUP_THRESHOLD, SECONDS_PER_DAY, Contact
from rekindle.services.myself import likely_me
from rekindle.services.occasions import occasions_for
from rekindle.services.suggestion_parts import (
    affiliation_period,
    best_occasion,
    hold_words,
    opener,
    organisation_of,
    score_context,
)
from rekindle.store import Store
from rekindle.store import engine as eq
from rekindle.store import outreach as oq
from rekindle.store import people as pq
from rekindle.store import team as team_q
from rekindle.store import ties as tq
from rekindle.store.database import utcnow
from rekindle.store.recall import last_subject
from rekindle.store.settings import get_settings

DEFAULT_QUOTA = 3
#: how many of the strongest due ties get their full features read (plus every person with
#: an occasion, a goal match or a shared affiliation)
PRESELECT = 400
DEFAULT_LOCK_DAYS = 30
#: one plan computation at a time in this process
_PLANNING = threading.Lock()
#: person edits the engine reads
ENGINE_EDITS = ("tier", "cadence", "medium", "organisation", "title")


@dataclass
class Suggestion:
    person_id: int
    name: str
    score: float
    reasons: list[str]
    parts: dict[str, float]
    tier: str
    cadence_days: int
    silent_days: int | None
    occasion: str | None
    medium: str
    medium_why: str
    opener: str
    organisation: str | None = None
    status: str = "open"


@dataclass
class Plan:
    period: str
    goal: str | None
    suggestions: list[Suggestion]
    considered: int
    due: int
    held: int
    stored: bool
    weights_from: str = ""
    held_examples: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Options:
    quota: int
    frequency: str
    lock_days: int
    weights: Weights
    tier_days: dict[str, int]
    tag_days: dict[str, int]


def options(settings: dict[str, str], quota: int | None = None) -> Options:
    """The engine's settings, with their defaults."""
    tier_days = {t: _int(settings, f"cadence.{t}", DEFAULT_CADENCE_DAYS[t]) for t in TIERS}
    tag_days = {
        k.removeprefix("cadence.tag."): int(v)
        for k, v in settings.items()
        if k.startswith("cadence.tag.") and v.isdigit()
    }
    overrides = {
        k.removeprefix("weight."): float(v)
        for k, v in settings.items()
        if k.startswith("weight.") and k.removeprefix("weight.") in PARTS
    }
    frequency = settings.get("plan.frequency", "week")
    return Options(
        quota=quota if quota is not None else _int(settings, "plan.quota", DEFAULT_QUOTA),
        frequency=frequency if frequency in FREQUENCIES else "week",
        lock_days=_int(settings, "plan.lock_days", DEFAULT_LOCK_DAYS),
        weights=default_weights().with_overrides(overrides),
        tier_days=tier_days,
        tag_days=tag_days,
    )


def _int(settings: dict[str, str], key: str, default: int) -> int:
    value = settings.get(key, "")
    return int(value) if value.isdigit() else default


def weekly_plan(
    store: Store,
    now: datetime | None = None,
    *,
    quota: int | None = None,
    goal: str | None = None,
    refresh: bool = False,
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
        return _plan(store, now, quota, goal, refresh)


def _stored_plan(conn: Connection, owner_id: int, now: datetime, quota: int | None) -> Plan | None:
    """The period's stored plan for the active goal, if there is one."""
    opts = options(get_settings(conn, owner_id), quota)
    period = period_of(now, opts.frequency)
    active = eq.active_goal(conn, owner_id)
    goal_id = active.id if active is not None else None
    stored = eq.plan_entries(conn, owner_id, period)
    if not stored or any(e.goal_id != goal_id for e in stored):
        return None
    if quota is not None and quota != len(stored):
        return None
    goal_text = active.text if active is not None else None
    return _from_stored(conn, owner_id, period, goal_text, stored, now, opts)


def _plan(store: Store, now: datetime, quota: int | None, goal: str | None, refresh: bool) -> Plan:
    with store.begin() as conn:
        opts = options(get_settings(conn, store.owner_id), quota)
        period = period_of(now, opts.frequency)
        active = eq.active_goal(conn, store.owner_id)
        goal_text = goal if goal is not None else (active.text if active else None)
        goal_id = active.id if active is not None and goal is None else None
        stored = eq.plan_entries(conn, store.owner_id, period)
        same_goal = all(e.goal_id == goal_id for e in stored)
        if stored and not refresh and same_goal and (quota is None or quota == len(stored)):
            return _from_stored(conn, store.owner_id, period, goal_text, stored, now, opts)
        plan = compute_plan(conn, store.owner_id, now, opts, goal_text)
        if goal is None:
            eq.save_plan(
                conn,
                store.owner_id,
                period,
                goal_id,
                [(s.person_id, s.score, json.dumps(asdict(s))) for s in plan.suggestions],
                now,
            )
        return plan


def compute_plan(
    conn: Connection, owner_id: int, now: datetime, opts: Options, goal_text: str | None
) -> Plan:
    people = eq.active_people(conn, owner_id)
    ids = sorted(people)
    delivered = oq.last_delivered(conn, owner_id)
    holds = eq.holds_in_force(conn, owner_id, now)
    awaiting = oq.awaiting_reply(conn, owner_id)
    edits = pq.edits_for(conn, ids, ENGINE_EDITS)
    tags = eq.tags_by_person(conn, owner_id)
    affiliations = eq.affiliations_by_person(conn, owner_id)
    me_id = pq.find_me(conn, owner_id)
    my_periods = [affiliation_period(a) for a in affiliations.get(me_id or -1, [])]
    terms = goal_terms(goal_text or "")
    index = None
    if terms:
        notes = eq.notes_by_person(conn, owner_id)
        index = GoalIndex(
            {
                pid: [
                    *(
                        f"{a.organisation} {a.title or ''} {a.department or ''}"
                        for a in affiliations.get(pid, [])
                    ),
                    *tags.get(pid, ()),
                    *notes.get(pid, ()),
                    edits.get(pid, {}).get("organisation", ""),
                    edits.get(pid, {}).get("title", ""),
                ]
                for pid in ids
            }
        )

    def cadence_of(pid: int, f: TieFeatures) -> Cadence:
        e = edits.get(pid, {})
        return cadence_for(
            f,
            person_tier=e.get("tier"),
            person_days=int(e["cadence"]) if e.get("cadence", "").isdigit() else None,
            tags=tags.get(pid, ()),
            tag_days=opts.tag_days,
            tier_days=opts.tier_days,
        )

    # first pass, on the stored statistics: who is due, and who is worth a closer look
    stats = eq.tie_summaries(conn, owner_id)
    rough = {pid: _rough_features(stats.get(pid), delivered.get(pid), now) for pid in ids}
    roughly_due = [pid for pid in ids if is_due(rough[pid], cadence_of(pid, rough[pid]))]
    occasions = occasions_for(conn, owner_id, roughly_due, now.date())
    context_ids = {
        pid
        for pid in roughly_due
        if occasions.get(pid)
        or (index is not None and index.match(pid, terms).value > 0)
        or (affiliations.get(pid) and my_periods)
    }
    by_strength = sorted(roughly_due, key=lambda p: (-rank_value(rough[p], opts.weights), p))
    shortlist = sorted(set(by_strength[:PRESELECT]) | context_ids)

    # second pass: the full features of the shortlist
    contacts = tq.contacts_by_person(conn, shortlist)
    for pid in shortlist:
        if pid in delivered:
            # a logged or sent outreach is contact too: it resets the person's clock
            contacts[pid].append(Contact(delivered[pid], "out", "outreach"))
    recent = eq.recent_personal_counts(
        conn, owner_id, now - timedelta(days=RECENT_DAYS), now, GROUP_THRESHOLD
    )
    features: dict[int, TieFeatures] = {}
    due_ids = []
    cadences = {}
    selves = likely_me(conn, owner_id, people, shortlist)
    for pid in shortlist:
        if pid in selves:
            continue  # another address of mine is nobody to reconnect with
        f = tie_features(contacts.get(pid, ()), now, recent)
        features[pid] = f
        cadences[pid] = cadence_of(pid, f)
        if is_due(f, cadences[pid]):
            due_ids.append(pid)
    names = {str(k): v for k, v in people.items()}

    candidates: list[Candidate] = []
    shared_of: dict[int, list[SharedAffiliation]] = {}
    occasion_of: dict[int, Occasion | None] = {}
    held_examples: list[dict[str, Any]] = []
    held_count = 0
    by_team = team_q.teammate_outreach(
        conn, owner_id, due_ids, now - timedelta(days=opts.lock_days)
    )
    for pid in due_ids:
        f = features[pid]
        mate = by_team.get(pid)
        held = held_reason(
            hold=hold_words(holds.get(pid)),
            awaiting_since=awaiting.get(pid),
            last_outreach=delivered.get(pid),
            now=now,
            lock_days=opts.lock_days,
            teammate=(mate.teammate, mate.at) if mate else None,
        )
        if held:
            held_count += 1
            if len(held_examples) < 20:
                held_examples.append({"person_id": pid, "name": people[pid], "why": held})
            continue
        shared = shared_of[pid] = shared_affiliations(
            my_periods, [affiliation_period(a) for a in affiliations.get(pid, [])], now.date()
        )
        occasion = occasion_of[pid] = best_occasion(occasions.get(pid, []), now)
        context = score_context(shared, occasion, now, index, pid, terms, goal_text)
        s = score(f, opts.weights, context, names)
        org = organisation_of(edits.get(pid, {}), affiliations.get(pid, []))
        circles = frozenset(
            [*(f"tag:{t}" for t in tags.get(pid, ())), *(f"with:{p}" for p in f.circle_people)]
        )
        candidates.append(Candidate(pid, people[pid], s, org, circles))

    chosen = select(candidates, opts.quota)
    reach = eq.reach_by_person(conn, [c.person_id for c in chosen])
    suggestions = []
    for c in chosen:
        pid = c.person_id
        f = features[pid]
        e = edits.get(pid, {})
        r = reach.get(pid, {})
        last = last_subject(conn, pid)
        medium = choose_medium(
            f,
            cadences[pid].tier,
            Reach(
                email="email" in r,
                linkedin="linkedin" in r,
                phone="phone" in r,
                preferred=e.get("medium"),
                last_two_way_channel=last.channel if last else None,
            ),
        )
        occasion = occasion_of[pid]
        shared = shared_of[pid]
        suggestions.append(
            Suggestion(
                person_id=pid,
                name=c.name,
                score=round(c.value, 4),
                reasons=c.score.reasons(3),
                parts={p.name: round(p.contribution, 4) for p in c.score.parts},
                tier=cadences[pid].tier,
                cadence_days=cadences[pid].days,
                silent_days=int(f.silence_days) if f.silence_days is not None else None,
                occasion=occasion.detail if occasion else None,
                medium=medium.medium,
                medium_why=medium.why,
                opener=opener(c.name, occasion, shared, last, f),
                organisation=c.organisation,
            )
        )
    return Plan(
        period=period_of(now, opts.frequency),
        goal=goal_text,
        suggestions=suggestions,
        considered=len(ids),
        due=len(roughly_due),
        held=held_count,
        stored=False,
        weights_from=str(opts.weights.provenance.get("fitted_on", "")),
        held_examples=held_examples,
    )


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
    return Plan(
        period=period,
        goal=goal_text,
        suggestions=suggestions,
        considered=0,
        due=0,
        held=0,
        stored=True,
        weights_from=str(opts.weights.provenance.get("fitted_on", "")),
    )


def _rough_features(stats: Any | None, delivered: datetime | None, now: datetime) -> TieFeatures:
    """What the stored statistics say, enough for the first pass (due or not, how strong)."""
    last = stats.last_contact if stats is not None else None
    if delivered is not None and (last is None or delivered > last):
        last = delivered
    silence = (now - last).total_seconds() / SECONDS_PER_DAY if last is not None else None
    if stats is None:
        return replace(tie_features((), now), last=last, silence_days=silence)
    return TieFeatures(
        personal=stats.messages_in + stats.messages_out + stats.meetings,
        messages_in=stats.messages_in,
        messages_out=stats.messages_out,
        meetings=stats.meetings,
        first=None,
        last=last,
        active_days=0,
        decayed=stats.decayed_sum,
        peak=stats.peak_personal if stats.peak_personal is not None else stats.peak_decayed,
        peak_at=None,
        silence_days=silence,
        usual_gap_days=None,
        reciprocity=0.0,
        reply_hours=None,
        group_recent=0,
        circles=0.0,
        circle_people=(),
    )
