"""`rekindle insights` and the Insights page: what your outreach did, and how your network sits.

Every figure is counted in SQL (:mod:`rekindle.store.insights`); this module picks the time
spans, names the buckets and turns counts into rates. An outreach is a first message or a
logged call or coffee that reached the person; a follow-up counts with its message. A message
drew a reply when they wrote back (a logged call or meeting, once you record its outcome); a
decline is an answer but no reply, shown beside the rate. A message counts in a rate once
replied, closed or past its reply window (the follow-up days): one sent a minute ago is not
unanswered. The silence before a message is the time since they last wrote to you, or you met
or called, before it went.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from rekindle.engine.reply_learning import GAPS
from rekindle.engine.reply_learning import NO_CONTACT as GAP_NO_CONTACT
from rekindle.engine.tiers import PEAK_FOR, TIERS
from rekindle.plural import counted
from rekindle.services.follow_up_rules import follow_up_days
from rekindle.services.reply_learning import Learnt, read_outcomes, what_was_learnt
from rekindle.store import Store
from rekindle.store import insights as iq
from rekindle.store.database import utcnow

#: how many weeks the outreach-per-week figure covers (this week and the ones before)
WEEKS = 26
#: buckets of time, newest first: (label, at least this many days, else the next); the
#: reply learning buckets the silence before a message alike
SPANS = GAPS
NO_CONTACT = GAP_NO_CONTACT
NEVER = "never in touch"
#: the unit of every reply rate: the share of messages they wrote back to (a decline is no reply)
REPLIED_UNIT = "% replied"


@dataclass(frozen=True)
class Figure:
    """One bar: its label, its value (a count, or a percentage for rates) and that in words."""

    label: str
    value: float
    text: str


@dataclass(frozen=True)
class Series:
    key: str
    title: str
    unit: str
    figures: list[Figure]
    rate: bool = False
    note: str = ""

    @property
    def empty(self) -> bool:
        """Nothing to chart: no bars, or only zero counts (a 0% reply rate is a finding)."""
        if not self.figures:
            return True
        return not self.rate and not any(f.value for f in self.figures)


@dataclass
class Insights:
    now: datetime
    series: list[Series] = field(default_factory=list)
    #: what was learnt from the replies, per medium, intent and silence before
    learnt: list[Learnt] = field(default_factory=list)

    def get(self, key: str) -> Series:
        return next(s for s in self.series if s.key == key)

    def as_json(self) -> dict[str, Any]:
        return {
            "now": self.now.astimezone(UTC).isoformat(),
            "series": [asdict(s) for s in self.series],
            "learnt": [
                {**asdict(x), "preference": x.preference, "note": LEARNT_NOTE} for x in self.learnt
            ],
        }


#: how to read the learnt figures
LEARNT_NOTE = (
    "replies of sent (a decline is no reply); the estimated reply rate (a reply in three "
    "assumed before any message) and its 90% interval; ★ marks the current preference of "
    "medium and intent (the silence before a message is not yours to choose: no star)"
)


def week_bounds(now: datetime, weeks: int = WEEKS) -> list[datetime]:
    """Monday 00:00 UTC of each of the last ``weeks`` weeks (this one last), and the next."""
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    return [first + timedelta(weeks=i) for i in range(weeks + 1)]


def span_of(days: float) -> str:
    """The :data:`SPANS` label of a silence of ``days``."""
    label = SPANS[0][0]
    for name, at_least in SPANS:
        if days >= at_least:
            label = name
    return label


def rate(label: str, sent: int, replied: int, declined: int = 0) -> Figure:
    """A reply rate: replies of sent; declines (an answer, not a reply) said beside it."""
    share = 100.0 * replied / sent if sent else 0.0
    more = f", {declined} declined" if declined else ""
    return Figure(label, round(share, 1), f"{share:.0f}% ({replied} of {sent}{more})")


def count(label: str, n: int) -> Figure:
    return Figure(label, float(n), str(n))


def insights(store: Store, now: datetime | None = None) -> Insights:
    """Every figure of the Insights page and `rekindle insights`, as of ``now``."""
    now = now or utcnow()
    bounds = week_bounds(now)
    cutoffs = [(SPANS[i][0], now - timedelta(days=SPANS[i + 1][1])) for i in range(len(SPANS) - 1)]
    with store.read() as conn:
        # a message counts once its reply window (the follow-up days) has passed or it was
        # answered: one sent a minute ago is not "unanswered"
        since = now - timedelta(days=follow_up_days(conn, store.owner_id))
        weekly = iq.outreach_per_week(conn, store.owner_id, bounds)
        by_medium = iq.replies_by(conn, store.owner_id, "medium", since)
        by_intent = iq.replies_by(conn, store.owner_id, "intent", since)
        silences = iq.messages_with_silence(conn, store.owner_id, since)
        pending = iq.waiting(conn, store.owner_id, since)
        dormancy = iq.people_by_last_contact(conn, store.owner_id, cutoffs, SPANS[-1][0])
        tiers = iq.people_by_tier(conn, store.owner_id, PEAK_FOR, TIERS[-1])
        outcomes = read_outcomes(conn, store.owner_id, now)
    result = Insights(now, learnt=what_was_learnt(outcomes))
    result.series.append(
        Series(
            "per_week",
            f"Outreach per week, last {WEEKS} weeks",
            "outreach",
            [count(f"{start:%d %b %Y}", n) for start, n in zip(bounds, weekly, strict=False)],
            note="weeks start on Monday; the last one is this week",
        )
    )
    for key, title, rows in (
        ("by_medium", "Reply rate by medium", by_medium),
        ("by_intent", "Reply rate by intent", by_intent),
    ):
        figures = [rate(*row) for row in rows]
        result.series.append(
            Series(key, title, REPLIED_UNIT, figures, rate=True, note=_waiting_note(pending))
        )
    result.series.append(
        Series(
            "by_silence",
            "Reply rate by silence before the message",
            REPLIED_UNIT,
            _by_silence(silences),
            rate=True,
            note="silence: since they last wrote to you, or you met or called",
        )
    )
    labels = [label for label, _ in SPANS]
    result.series.append(
        Series(
            "dormancy",
            "Your network by time since last contact",
            "people",
            [count(label, dormancy.get(label, 0)) for label in labels]
            + [count(NEVER, dormancy.get(iq.NEVER, 0))],
        )
    )
    sizes = {t: 0 for t in TIERS}
    for tier, n in tiers.items():
        name = tier.strip().lower()
        sizes[name if name in sizes else TIERS[-1]] += n
    result.series.append(
        Series("tiers", "Tier sizes", "people", [count(t, n) for t, n in sizes.items()])
    )
    return result


def _waiting_note(pending: int) -> str:
    """What the reply rates leave out: messages still within their reply window."""
    if not pending:
        return ""
    return (
        f"{counted(pending, 'message')} still within {'its' if pending == 1 else 'their'} "
        "reply window, not counted yet"
    )


def _by_silence(rows: list[tuple[datetime, datetime | None, bool]]) -> list[Figure]:
    """Messages bucketed by the silence before them (a handful of rows per week sent, at most)."""
    sent: dict[str, int] = {}
    replied: dict[str, int] = {}
    for at, before, ok in rows:
        label = NO_CONTACT if before is None else span_of((at - before).total_seconds() / 86400)
        sent[label] = sent.get(label, 0) + 1
        replied[label] = replied.get(label, 0) + ok
    order = [*(label for label, _ in SPANS), NO_CONTACT]
    return [rate(label, sent[label], replied[label]) for label in order if label in sent]
