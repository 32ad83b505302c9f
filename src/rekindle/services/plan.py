"""`rekindle plan`: this week's few people worth reconnecting with, each with reasons.

Reads everyone's history, holds, outreach and facts in a handful of batched queries, scores
each due person with :mod:`rekindle.scoring`, keeps out whoever is held back, picks a short
diverse list with :mod:`rekindle.plan`, and stores it for the period so that re-running the
plan within the week shows the same people (``refresh`` recomputes it).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from rekindle.errors import UserError
from rekindle.goal_match import GoalIndex, goal_terms
from rekindle.medium import Reach, choose_medium
from rekindle.occasions import Occasion, timing_strength
from rekindle.plan import FREQUENCIES, Candidate, held_reason, period_of, select
from rekindle.scoring import PARTS, Context, Weights, default_weights, rank_value, score
from rekindle.services.occasions import occasions_for
from rekindle.shared_context import Period, SharedAffiliation, shared_affiliations
from rekindle.store import Store
from rekindle.store import engine as eq
from rekindle.store import outreach as oq
from rekindle.store import people as pq
from rekindle.store import ties as tq
from rekindle.store.database import utcnow
from rekindle.store.recall import last_subject
from rekindle.store.settings import get_settings
from rekindle.tie_features import RECENT_DAYS, TieFeatures, tie_features
from rekindle.tiers import DEFAULT_CADENCE_DAYS, TIERS, Cadence, cadence_for, is_due
from rekindle.ties import GROUP_THRESHOLD, SECONDS_PER_DAY, Contact

DEFAULT_QUOTA = 3
#: how many of the strongest due ties get their full features read (plus every person with
#: an occasion, a goal match or a shared affiliation)
PRESELECT = 400
DEFAULT_LOCK_DAYS = 30
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
    my_periods = [_period(a) for a in affiliations.get(me_id or -1, [])]
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
    for pid in shortlist:
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
    for pid in due_ids:
        f = features[pid]
        held = held_reason(
            hold=_hold_words(holds.get(pid)),
            awaiting_since=awaiting.get(pid),
            last_outreach=delivered.get(pid),
            now=now,
            lock_days=opts.lock_days,
        )
        if held:
            held_count += 1
            if len(held_examples) < 20:
                held_examples.append({"person_id": pid, "name": people[pid], "why": held})
            continue
        shared = shared_of[pid] = shared_affiliations(
            my_periods, [_period(a) for a in affiliations.get(pid, [])], now.date()
        )
        occasion = occasion_of[pid] = _best_occasion(occasions.get(pid, []), now)
        context = _context(shared, occasion, now, index, pid, terms, goal_text)
        s = score(f, opts.weights, context, names)
        org = _organisation(edits.get(pid, {}), affiliations.get(pid, []))
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
    suggestions = []
    for entry in stored:
        data = json.loads(entry.detail)
        s = Suggestion(**data)
        when = delivered.get(entry.person_id)
        if when is not None and when >= entry.created_at:
            s.status = f"done {when:%d %b}"
        elif entry.person_id in holds:
            s.status = _hold_words(holds[entry.person_id]) or "held"
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
        peak=stats.peak_decayed,
        peak_at=None,
        silence_days=silence,
        usual_gap_days=None,
        reciprocity=0.0,
        reply_hours=None,
        group_recent=0,
        circles=0.0,
        circle_people=(),
    )


def _hold_words(hold: Any | None) -> str | None:
    if hold is None:
        return None
    until = f" until {hold.until:%d %b %Y}" if hold.until else ""
    words = {
        "snoozed": f"snoozed{until}",
        "dismissed": f"dismissed{until}",
        "declined": f"declined; door kept open{until}",
        "never": "marked do-not-contact",
    }
    return words.get(hold.kind, f"{hold.kind}{until}")


def _period(a: Any) -> Period:
    return Period(a.organisation, a.title, a.kind, a.start_date, a.end_date)


def _organisation(edits: dict[str, str], affiliations: list[Any]) -> str | None:
    if edits.get("organisation"):
        return edits["organisation"]
    current = [a for a in affiliations if a.kind == "work"]
    return current[0].organisation if current else None


def _best_occasion(found: list[Occasion], now: datetime) -> Occasion | None:
    live = [(timing_strength(o, now.date()), o) for o in found if not o.handled]
    live = [(s, o) for s, o in live if s > 0]
    if not live:
        return None
    return max(live, key=lambda so: (so[0], so[1].is_life_event, so[1].key))[1]


def _context(
    shared: list[SharedAffiliation],
    occasion: Occasion | None,
    now: datetime,
    index: GoalIndex | None,
    pid: int,
    terms: list[str],
    goal_text: str | None,
) -> Context:
    shared_value = 0.0
    shared_reason = ""
    if shared:
        first = shared[0]
        shared_value = 1.0 if first.start_year else 0.6
        years = f" {first.years}" if first.years else ""
        shared_reason = f"you were both at {first.organisation}{years}"
    goal_value = 0.0
    goal_reason = ""
    if index is not None and terms:
        m = index.match(pid, terms)
        goal_value = m.value
        if m.matched:
            goal_reason = f"fits your goal \u201c{goal_text}\u201d ({', '.join(m.matched)})"
    timing = timing_strength(occasion, now.date()) if occasion else 0.0
    return Context(
        shared=shared_value,
        shared_reason=shared_reason,
        goal=goal_value,
        goal_reason=goal_reason,
        timing=timing,
        timing_reason=occasion.detail if occasion else "",
    )


def opener(
    name: str,
    occasion: Occasion | None,
    shared: list[SharedAffiliation],
    last: Any | None,
    f: TieFeatures,
) -> str:
    """A one-line idea to open with: their news first, then what you shared, then the thread."""
    first = name.split()[0] if name.strip() else "them"
    news = _without_source(occasion.detail) if occasion is not None else ""
    if occasion is not None and occasion.kind == "moved":
        return f"Ask {first} how the move is going ({news})."
    if occasion is not None and occasion.kind == "new-email-domain":
        return f"Ask {first} about what looks like a new place of work ({news})."
    if occasion is not None and occasion.is_life_event:
        return f"Congratulate {first}: {news}."
    if occasion is not None and occasion.kind == "birthday":
        return f"Wish {first} a happy birthday, and ask what the year has brought."
    if occasion is not None:
        return f"Use the moment ({news}) for a warm note to {first}."
    if shared:
        years = f" ({shared[0].years})" if shared[0].years else ""
        return (
            f"Recall your time together at {shared[0].organisation}{years} and ask how {first} is."
        )
    if last is not None and last.subject.strip():
        subject = last.subject.strip()[:80]
        return f"Pick up from \u201c{subject}\u201d ({last.occurred_at:%b %Y}) and ask how it turned out."
    if f.personal:
        return f"Say it has been a while, and ask {first} what they are working on now."
    return f"Introduce yourself again, say where you met, and ask what {first} is up to."


def _without_source(detail: str) -> str:
    """'started at Acme (LinkedIn export, 2 Nov 2026)' -> 'started at Acme'."""
    if detail.endswith(")") and " (" in detail:
        return detail[: detail.rindex(" (")]
    return detail
