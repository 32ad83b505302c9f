"""What one person's answers to your outreach teach the plan (pure).

Each outreach that reached a person ends one way: they replied (after some days), a call or a
meeting followed, they helped (an introduction, a referral, a collaboration), they declined, or
nothing came back even after the one follow-up. From that history, per person:

- **a cadence multiplier**: each attempt left unanswered (or declined) lengthens their check-in
  cadence by :data:`SILENCE_FACTOR` (capped at :data:`MOST`); a quick reply shortens it by
  :data:`QUICK_FACTOR`, a call, a meeting or help by :data:`TALK_FACTOR` (floored at
  :data:`LEAST`); a slow reply undoes what came before. The newest outcomes count, in order: a
  reply after silences resets the lengthening, a silence after warm replies the shortening.
  Outcomes older than :data:`MEMORY_DAYS` are forgotten.
- **a hold**: a decline keeps the person out of plans for ``declined_days`` after it; an
  attempt left unanswered rests the tie ``rest_days`` from the send (times the number of
  unanswered attempts in a row, up to :data:`REST_STREAK_MOST`): never nag. A resume
  (``rekindle resume``) after the outcome lifts its hold.
- **a rank adjustment**: a warm answer within :data:`WARM_RANK_DAYS` lifts the person's score
  a little, unanswered attempts lower it.

Every effect comes with its words and dates, for ``why`` and the plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rekindle.engine.tiers import SET_BY_YOU, Cadence
from rekindle.plural import counted

#: how an attempt ended
REPLIED = "replied"
TALKED = "talked"  # a call or a meeting followed
HELPED = "helped"  # an introduction, a referral, a collaboration
DECLINED = "declined"
UNANSWERED = "unanswered"
KINDS = (REPLIED, TALKED, HELPED, DECLINED, UNANSWERED)
WARM = (REPLIED, TALKED, HELPED)

#: recorded outcomes that are a conversation, and help received
TALK_OUTCOMES = ("call", "meeting")
HELP_OUTCOMES = ("collaboration", "introduction", "referral")
#: intents that are no attempt to reconnect (a thank-you answers their reply; a follow-up is
#: part of its message)
NOT_ATTEMPTS = ("thank", "follow-up")

#: each unanswered (or declined) attempt multiplies the cadence by this
SILENCE_FACTOR = 1.5
#: a reply within QUICK_DAYS multiplies it by this
QUICK_FACTOR = 0.75
QUICK_DAYS = 7
#: a call, a meeting or help that followed
TALK_FACTOR = 0.6
#: the multiplier stays within these
LEAST = 0.5
MOST = 3.0
#: outcomes older than this are forgotten
MEMORY_DAYS = 730
#: a warm answer this recent ranks the person up
WARM_RANK_DAYS = 365
#: rank adjustments (a share of the person's score)
WARM_RANK = 0.15
TALK_RANK = 0.2
SILENT_RANK = 0.15
SILENT_RANK_MOST = 0.3
#: the rest after an unanswered attempt grows with the attempts in a row, up to this many
REST_STREAK_MOST = 3
DEFAULT_DECLINED_DAYS = 270
DEFAULT_REST_DAYS = 180


@dataclass(frozen=True, slots=True)
class Rules:
    """The hold lengths (settings ``outcomes.declined_days`` and ``outcomes.rest_days``)."""

    declined_days: int = DEFAULT_DECLINED_DAYS
    rest_days: int = DEFAULT_REST_DAYS


@dataclass(frozen=True, slots=True)
class Attempt:
    """One outreach that reached the person, as the log holds it."""

    sent_at: datetime
    medium: str
    intent: str
    #: draft, sending, sent, replied, no-reply, declined, logged
    status: str
    outcome: str | None = None
    replied_at: datetime | None = None
    closed_at: datetime | None = None
    followed_up_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Ended:
    """An attempt with its end: what came of it, and when."""

    kind: str
    sent_at: datetime
    at: datetime
    followed_up_at: datetime | None = None
    #: days from the send to the reply (replies only)
    delay_days: int | None = None
    #: the outcome recorded (call, meeting, introduction ...)
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class Learning:
    """What the person's outcomes change, each with its words."""

    multiplier: float = 1.0
    #: what changed the cadence, in words ('' when nothing did)
    cadence_why: str = ""
    hold_until: datetime | None = None
    hold_why: str = ""
    #: a share of the score, added (-0.3 .. +0.2)
    rank: float = 0.0
    rank_why: str = ""
    ended: tuple[Ended, ...] = field(default_factory=tuple)

    def held(self, now: datetime) -> str | None:
        """Why the person is held out of plans now, or None."""
        if self.hold_until is not None and self.hold_until > now:
            return self.hold_why
        return None

    def cadence_days(self, days: int) -> int:
        return max(1, round(days * self.multiplier))

    def cadence_line(self, days: int) -> str:
        """'replied within 2 days in May 2026: checking in every 68 days instead of 90'."""
        if not self.cadence_why:
            return ""
        if self.multiplier == 1.0:
            return f"{self.cadence_why}: every {counted(days, 'day')} as usual"
        return (
            f"{self.cadence_why}: checking in every {counted(self.cadence_days(days), 'day')} "
            f"instead of {days}"
        )

    def adjust(self, cadence: Cadence) -> Cadence:
        """The cadence with what was learnt (one you set for the person yourself stands)."""
        if not self.cadence_why or cadence.why == SET_BY_YOU:
            return cadence
        return Cadence(
            cadence.tier,
            self.cadence_days(cadence.days),
            f"{cadence.why}; {self.cadence_line(cadence.days)}",
        )

    def lines(self, now: datetime) -> list[str]:
        """The hold and the rank adjustment in force, in words (the cadence's are in its why)."""
        return [w for w in (self.held(now), self.rank_why) if w]


def ended(a: Attempt) -> Ended | None:
    """How an attempt ended, or None (still waiting, a draft, or no attempt to reconnect)."""
    if a.intent in NOT_ATTEMPTS:
        return None
    outcome = (a.outcome or "").strip().lower()
    end = a.replied_at or a.closed_at
    if a.status == "declined" or outcome == "declined":
        return Ended(DECLINED, a.sent_at, a.closed_at or end or a.sent_at, outcome="declined")
    if a.status == "no-reply":  # the status is the truth: a reply or outcome marked before
        return Ended(UNANSWERED, a.sent_at, a.closed_at or a.sent_at, a.followed_up_at)
    if outcome in TALK_OUTCOMES or outcome in HELP_OUTCOMES:
        kind = TALKED if outcome in TALK_OUTCOMES else HELPED
        return Ended(kind, a.sent_at, end or a.sent_at, outcome=outcome)
    if a.status == "replied" or a.replied_at is not None:
        at = a.replied_at or a.closed_at or a.sent_at
        return Ended(REPLIED, a.sent_at, at, delay_days=max(0, (at - a.sent_at).days))
    return None  # sent and waiting, or a call or coffee logged as it happened


def learn(
    attempts: Iterable[Attempt],
    now: datetime,
    rules: Rules = Rules(),
    resumed_at: datetime | None = None,
) -> Learning:
    """What the person's outcomes teach, at ``now``; ``resumed_at`` is when you last lifted
    their holds (outcomes before it hold them no more)."""
    forget = now - timedelta(days=MEMORY_DAYS)
    ends = sorted(
        (e for a in attempts if (e := ended(a)) is not None and forget <= e.at <= now),
        key=lambda e: (e.at, e.sent_at, e.kind),
    )
    if not ends:
        return Learning()
    multiplier, cadence_why = _cadence(ends)
    hold_until, hold_why = _hold(ends, rules, resumed_at)
    rank, rank_why = _rank(ends, now)
    return Learning(multiplier, cadence_why, hold_until, hold_why, rank, rank_why, tuple(ends))


def _cadence(ends: list[Ended]) -> tuple[float, str]:
    m = 1.0
    for e in ends:
        if e.kind in (UNANSWERED, DECLINED):
            m = max(m, 1.0) * SILENCE_FACTOR
        elif e.kind in (TALKED, HELPED):
            m = min(m, 1.0) * TALK_FACTOR
        elif e.delay_days is not None and e.delay_days <= QUICK_DAYS:
            m = min(m, 1.0) * QUICK_FACTOR
        else:
            m = 1.0  # a slow reply: back to their usual cadence
        m = min(MOST, max(LEAST, m))
    m = round(m, 4)
    if m == 1.0:
        last = ends[-1]
        if last.kind == REPLIED:
            return m, f"replied after {_days(last.delay_days)} in {last.at:%b %Y}"
        return m, ""
    return m, _cadence_words(ends, m)


def _cadence_words(ends: list[Ended], m: float) -> str:
    last = ends[-1]
    if m > 1.0:
        silent = _streak(ends)
        what = (
            f"{_count(len(silent), 'attempt')} unanswered or declined"
            if len(silent) > 1
            else ("declined" if last.kind == DECLINED else "no reply")
            + f" to your message of {last.sent_at:%d %b %Y}"
        )
        return what
    if last.kind == REPLIED:
        return f"replied within {_days(last.delay_days)} in {last.at:%b %Y}"
    return f"{_outcome_words(last)} in {last.at:%b %Y}"


def _hold(
    ends: list[Ended], rules: Rules, resumed_at: datetime | None
) -> tuple[datetime | None, str]:
    last = ends[-1]
    if resumed_at is not None and last.at <= resumed_at:
        return None, ""  # you lifted it
    if last.kind == DECLINED:
        until = last.at + timedelta(days=rules.declined_days)
        return (
            until,
            f"declined on {last.at:%d %b %Y}: door kept open, resting until {until:%d %b %Y}",
        )
    if last.kind != UNANSWERED or rules.rest_days <= 0:
        return None, ""
    silent = _streak(ends)
    until = last.sent_at + timedelta(days=rules.rest_days * min(len(silent), REST_STREAK_MOST))
    return until, f"{_wrote(silent)} with no reply: resting until {until:%d %b %Y}"


def _rank(ends: list[Ended], now: datetime) -> tuple[float, str]:
    last = ends[-1]
    if last.kind in WARM:
        if (now - last.at).days > WARM_RANK_DAYS:
            return 0.0, ""
        if last.kind == REPLIED and (last.delay_days or 0) > QUICK_DAYS:
            return 0.0, ""
        lift = WARM_RANK if last.kind == REPLIED else TALK_RANK
        what = (
            f"replied within {_days(last.delay_days)}"
            if last.kind == REPLIED
            else _outcome_words(last)
        )
        return lift, f"{what} on {last.at:%d %b %Y}: ranked up"
    silent = [e for e in _streak(ends) if e.kind == UNANSWERED]
    if not silent:
        return 0.0, ""
    drop = min(SILENT_RANK_MOST, SILENT_RANK * len(silent))
    return -drop, f"{_count(len(silent), 'attempt')} left unanswered: ranked down"


def _streak(ends: list[Ended]) -> list[Ended]:
    """The unanswered or declined attempts since the last warm answer."""
    out: list[Ended] = []
    for e in reversed(ends):
        if e.kind in WARM:
            break
        out.append(e)
    return out[::-1]


def _wrote(silent: list[Ended]) -> str:
    """'you wrote on 3 Mar 2026 and 13 Mar 2026' (each send and follow-up)."""
    dates: list[datetime] = []
    for e in silent[-REST_STREAK_MOST:]:
        dates.append(e.sent_at)
        if e.followed_up_at is not None:
            dates.append(e.followed_up_at)
    said = [f"{d:%d %b %Y}" for d in dates]
    joined = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    return f"you wrote on {joined}"


def _outcome_words(e: Ended) -> str:
    return {
        "call": "a call followed",
        "meeting": "a meeting followed",
        "collaboration": "you worked together",
        "introduction": "they made an introduction",
        "referral": "they referred you",
    }.get(e.outcome or "", "they answered")


def _days(n: int | None) -> str:
    return _count(n or 0, "day") if n else "the day"


def _count(n: int, what: str) -> str:
    return counted(n, what)
