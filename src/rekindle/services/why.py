"""Why one person ranks where they do: the engine's reading of a single tie.

The same pieces as :mod:`rekindle.services.plan` (features, tier and cadence, the guards, the
scored parts with their reasons, the medium), for one person, without ranking anyone else. The
goal part needs the whole network's word weights, so it is scored when the plan is made; the
plan's own figures are shown when the person is in this period's plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from rekindle.engine.lists import REKINDLE, list_of, list_reasons, list_words, rekindle_weights
from rekindle.engine.medium import Reach, choose_medium
from rekindle.engine.occasions import Occasion
from rekindle.engine.person_learning import DECLINED, Learning
from rekindle.engine.plan import Candidate, held_reason, period_of
from rekindle.engine.reply_learning import Context, gap_of
from rekindle.engine.scoring import Score, score
from rekindle.engine.shared_context import shared_affiliations
from rekindle.engine.tiers import Cadence, cadence_for, is_due
from rekindle.history.tie_features import RECENT_DAYS, TieFeatures, last_written, tie_features
from rekindle.history.ties import GROUP_THRESHOLD, Contact
from rekindle.services.myself import is_likely_me
from rekindle.services.occasions import occasions_for
from rekindle.services.outcome_learning import learnt_for, with_outcomes
from rekindle.services.people import resolve_person
from rekindle.services.places import far_away
from rekindle.services.plan_options import ENGINE_EDITS, Options, options
from rekindle.services.reply_learning import learnt_medium, read_outcomes
from rekindle.services.suggestion_parts import (
    affiliation_period,
    best_occasion,
    hold_words,
    score_context,
)
from rekindle.store import Store
from rekindle.store import engine as eq
from rekindle.store import outreach as oq
from rekindle.store import people as pq
from rekindle.store import team as team_q
from rekindle.store import ties as tq
from rekindle.store.database import utcnow
from rekindle.store.ranker import history_fingerprint
from rekindle.store.recall import last_subject
from rekindle.store.settings import get_settings


@dataclass
class Why:
    person_id: int
    name: str
    tier: str
    cadence_days: int
    cadence_why: str
    silent_days: int | None
    due: bool
    held: str | None
    total: float
    parts: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    occasion: str | None = None
    medium: str = "email"
    medium_why: str = ""
    in_plan: str | None = None
    #: why this record looks like you (then no plan ever suggests it)
    looks_like_you: list[str] = field(default_factory=list)
    #: what their answers to your outreach changed (a rest, the rank), in words; the
    #: cadence's change is in ``cadence_why``
    learnt: list[str] = field(default_factory=list)
    #: the plan's list they belong on now: "rekindle", "keep-warm" or None
    list: str | None = None
    #: why that list, in words
    list_why: str = ""
    #: your newest outreach that reached them, and the last contact their history holds:
    #: the plan counts the outreach as contact too, so "silent" may start from it
    last_outreach: datetime | None = None
    history_last: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def why(store: Store, ref: str, now: datetime | None = None, region: str | None = None) -> Why:
    now = now or utcnow()
    owner = store.owner_id
    with store.read() as conn:
        pid = resolve_person(conn, owner, ref, region)
        opts = options(get_settings(conn, owner))
        name = eq.names_of(conn, owner, [pid]).get(pid, "")
        f, delivered, contacts, recent = _tie(conn, owner, pid, now)
        history = history_fingerprint(conn, owner)  # asked once: a count of every interaction
        snapped = _snapshot_of(conn, owner, pid, now, contacts, history)
        if snapped is not None:  # as the plan reads them this week
            f = snapped
        edits = pq.edits_for(conn, [pid], ENGINE_EDITS).get(pid, {})
        learning = learnt_for(conn, owner, pid, now, opts.outcomes)
        cadence = learning.adjust(_cadence(conn, pid, f, edits, opts))
        due = is_due(f, cadence)
        which = list_of(f, cadence.tier, due, opts.lists)
        s, occasion = _score(conn, owner, pid, f, now, opts, which)
        if which == REKINDLE:
            s = _learnt(conn, owner, pid, s, contacts, recent, now, history, snapped is not None)
        s = with_outcomes([Candidate(pid, name, s)], {pid: learning})[0].score
        medium = _medium(conn, owner, pid, f, cadence, edits, now)
        period = period_of(now, opts.frequency)
        planned = any(e.person_id == pid for e in eq.plan_entries(conn, owner, period))
        selves = is_likely_me(conn, owner, pid, name)
        w = Why(
            person_id=pid,
            name=name,
            tier=cadence.tier,
            cadence_days=cadence.days,
            cadence_why=cadence.why,
            silent_days=int(f.silence_days) if f.silence_days is not None else None,
            due=due,
            held=(held := _held(conn, owner, pid, delivered, now, opts, learning)),
            total=round(s.total, 4),
            parts=[
                {
                    "name": p.name,
                    "value": p.value,
                    "weight": p.weight,
                    "contribution": round(p.contribution, 4),
                    "reason": p.reason,
                }
                for p in s.parts
                if p.name != "goal"
            ],
            reasons=list_reasons(s, which),
            occasion=occasion.detail if occasion else None,
            medium=medium.medium,
            medium_why=medium.why,
            in_plan=period if planned else None,
            looks_like_you=selves,
            list=None if selves else which,
            list_why=(
                "on no list: a record of you"
                if selves
                else _list_line(list_words(f, cadence.tier, due, opts.lists), which, held)
            ),
            learnt=_learnt_lines(learning, held, now),
            last_outreach=delivered,
            history_last=getattr(tq.stats_of(conn, pid), "last_contact", None),
        )
    return w


def learnt_cadence(conn: Connection, owner: int, pid: int, now: datetime) -> str:
    """What the person's answers did to their check-in cadence, in words, as ``why`` says it
    ('' when nothing was learnt, or when you set their cadence yourself)."""
    opts = options(get_settings(conn, owner))
    learning = learnt_for(conn, owner, pid, now, opts.outcomes)
    if not learning.cadence_why:
        return ""
    f = _tie(conn, owner, pid, now)[0]
    edits = pq.edits_for(conn, [pid], ENGINE_EDITS).get(pid, {})
    base = _cadence(conn, pid, f, edits, opts)
    return "" if learning.adjust(base) is base else learning.cadence_line(base.days)


def learnt_cadence_of(
    store: Store, pid: int, now: datetime | None = None
) -> tuple[str, datetime | None]:
    """:func:`learnt_cadence` in its own read, and when your newest outreach reached them
    (the plan counts it as contact, beside their history)."""
    with store.read() as conn:
        return (
            learnt_cadence(conn, store.owner_id, pid, now or utcnow()),
            oq.last_delivered_to(conn, store.owner_id, pid),
        )


def _list_line(words: str, which: str | None, held: str | None) -> str:
    """The list the tie is on; when a hold keeps them back, the list they would be on and
    that they are held ("due" would promise a check-in the plan will not offer)."""
    if held is None or which is None:
        return words
    name, _, why = words.partition(": ")
    why = why.removeprefix("due a check-in, ")
    return f"would be on {name} ({why}), but held back"


def _learnt_lines(learning: Learning, held: str | None, now: datetime) -> list[str]:
    """What the answers taught beyond the held line: a decline's hold is said there once (a
    rest after no reply stays below a snooze or a wait, with its own end)."""
    said = held is not None and learning.ended and learning.ended[-1].kind == DECLINED
    return [
        line
        for line in learning.lines(now)
        if line != held and not (said and line == learning.held(now))
    ]


def _tie(
    conn: Connection, owner: int, pid: int, now: datetime
) -> tuple[TieFeatures, Any, list[Contact], dict[str, int]]:
    """The tie's features as the plan reads them (an answered outreach is contact too; one
    still unanswered holds the person back instead), its contacts, and whom I talk to lately."""
    contacts = tq.contacts_by_person(conn, [pid]).get(pid, [])
    # the last you reached them (logged here, or found in your Sent mail): holds them back
    reached = (oq.last_delivered_to(conn, owner, pid), last_written(contacts, now))
    delivered = max((at for at in reached if at is not None), default=None)
    answered = oq.last_answered(conn, owner, pid).get(pid)
    if answered is not None:
        contacts = [*contacts, Contact(answered, "both", "outreach")]
    recent = eq.recent_personal_counts(
        conn, owner, now - timedelta(days=RECENT_DAYS), now, GROUP_THRESHOLD
    )
    return tie_features(contacts, now, recent), delivered, contacts, recent


def _snapshot_of(
    conn: Connection,
    owner: int,
    pid: int,
    now: datetime,
    contacts: list[Contact],
    history: str,
) -> TieFeatures | None:
    """The tie's features as the week's snapshot holds them, which the plan reads (None: no
    fresh snapshot, or the tie moved since: an answered outreach, a contact that lay ahead).
    Read without numpy (:mod:`rekindle.services.snapshot_tie`)."""
    from rekindle.services.snapshot_tie import tie_at

    if any(c.channel == "outreach" for c in contacts):
        return None  # an answered outreach: the plan reads this tie afresh too
    found = tie_at(conn, owner, pid, now, history)
    if found is None or found[1]:
        return None
    return found[0]


def _snapshot_row(conn: Connection, owner: int, pid: int, now: datetime, history: str) -> Any:
    """The tie's learnt description as the week's snapshot holds it (None: not there)."""
    from rekindle.services import tie_snapshot

    snap = tie_snapshot.stored(conn, owner, now, history)
    return snap.rows.get(pid) if snap is not None else None


def _learnt(
    conn: Connection,
    owner: int,
    pid: int,
    s: Score,
    contacts: list[Contact],
    recent: dict[str, int],
    now: datetime,
    history: str,
    snapped: bool = False,
) -> Score:
    """The score with the learnt ranker's part, as the plan adds it (when the ranker is on
    and has been fitted on the history as it is; ``why`` never fits)."""
    from rekindle.services.ranker import stored_model, uses_learnt

    if not uses_learnt(get_settings(conn, owner)):
        return s
    model = stored_model(conn, owner, history)
    if model is None or model.logistic is None:
        return s
    from rekindle.engine.plan import Candidate
    from rekindle.engine.revival_features import Me, Timeline, describe
    from rekindle.engine.revival_rank import rerank
    from rekindle.engine.revival_rows import HORIZON_DAYS

    row = _snapshot_row(conn, owner, pid, now, history) if snapped else None
    if row is None:  # not in the week's snapshot: described as the plan would
        row = describe(Timeline.of(contacts), now, Me(recent), HORIZON_DAYS)
    names = eq.names_of(conn, owner, [int(k) for k in row.common if str(k).isdigit()])
    (ranked,) = rerank(
        [Candidate(pid, "", s)], {pid: row}, model, {str(k): v for k, v in names.items()}
    )
    return ranked.score


def _cadence(
    conn: Connection, pid: int, f: TieFeatures, edits: dict[str, str], opts: Options
) -> Cadence:
    return cadence_for(
        f,
        person_tier=edits.get("tier"),
        person_days=int(edits["cadence"]) if edits.get("cadence", "").isdigit() else None,
        tags=pq.tags_of(conn, pid),
        tag_days=opts.tag_days,
        tier_days=opts.tier_days,
    )


def _held(
    conn: Connection,
    owner: int,
    pid: int,
    delivered: Any,
    now: datetime,
    opts: Options,
    learning: Learning,
) -> str | None:
    mate = team_q.teammate_outreach(conn, owner, [pid], now - timedelta(days=opts.lock_days)).get(
        pid
    )
    awaiting = oq.awaiting_reply(conn, owner).get(pid)
    return held_reason(
        hold=hold_words(eq.holds_in_force(conn, owner, now).get(pid))
        or (learning.held(now) if awaiting is None else None),
        awaiting_since=awaiting,
        last_outreach=delivered,
        now=now,
        lock_days=opts.lock_days,
        teammate=(mate.teammate, mate.at) if mate else None,
    )


def _score(
    conn: Connection,
    owner: int,
    pid: int,
    f: TieFeatures,
    now: datetime,
    opts: Options,
    which: str | None,
) -> tuple[Score, Occasion | None]:
    """The parts with the weights of the person's list (the goal part is left to the plan)."""
    me_id = pq.find_me(conn, owner)
    mine = [affiliation_period(a) for a in pq.affiliations_of(conn, me_id)] if me_id else []
    shared = shared_affiliations(
        mine, [affiliation_period(a) for a in pq.affiliations_of(conn, pid)], now.date()
    )
    occasion = best_occasion(occasions_for(conn, owner, [pid], now.date()).get(pid, []), now)
    context = score_context(shared, occasion, now, None, pid, [], None)
    names = eq.names_of(conn, owner, [int(k) for k in f.circle_people if str(k).isdigit()])
    weights = rekindle_weights(opts.weights) if which == REKINDLE else opts.weights
    s = score(f, weights, context, {str(k): v for k, v in names.items()})
    return s, occasion


def _medium(
    conn: Connection,
    owner: int,
    pid: int,
    f: TieFeatures,
    cadence: Cadence,
    edits: dict[str, str],
    now: datetime,
) -> Any:
    """The plan's choice: the rule's medium, weighed against the user's replies."""
    found = eq.reach_by_person(conn, [pid]).get(pid, {})
    last = last_subject(conn, pid)
    reach = Reach(
        email="email" in found,
        linkedin="linkedin" in found,
        phone="phone" in found,
        far_away=bool(far_away(conn, owner, [pid])),
        preferred=edits.get("medium"),
        last_two_way_channel=last.channel if last else None,
    )
    return learnt_medium(
        read_outcomes(conn, owner, now),
        owner,
        now,
        pid,
        Context(cadence.tier, gap_of(int(f.silence_days) if f.silence_days is not None else None)),
        reach,
        choose_medium(f, cadence.tier, reach),
    )
