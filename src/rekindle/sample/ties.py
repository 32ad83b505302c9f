"""The hidden ties of the sample network: how often we talk, when it stopped, group circles.

A tie is a list of live *phases* (start, end, episodes a day) plus a few episodes *fixed* in
advance: the conference encounter of a one-off acquaintance, the last exchange before a
formerly strong tie went quiet. An episode is an email thread, a meeting or a call.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from rekindle.sample.people import DAY, YEAR, Career, Person

Phase = tuple[float, float, float]  # start, end, episodes a day

# Cumulative chance of (email thread, meeting) by topic; the rest are calls.
MIX: dict[str, tuple[float, float]] = {
    "work": (0.65, 0.95),
    "friend": (0.35, 0.70),
    "classmate": (0.5, 0.75),
    "community": (0.7, 0.9),
    "client": (0.6, 0.9),
}
MAX_THREAD = 6  # emails in one thread at most
_RATE = {"close": 1 / 4, "regular": 1 / 18, "occasional": 1 / 75, "strong": 1 / 6, "fade": 1 / 60}
_REPLY = {"close": 0.6, "regular": 0.5, "occasional": 0.45, "dormant": 0.55, "one-off": 0.45}
LIVE = ("close", "regular", "occasional", "dormant")


@dataclass(slots=True)
class Circle:
    """People I write to or meet as a group: a team at one of my jobs, classmates, friends."""

    topic: str
    members: list[Person]
    phases: list[Phase]
    mix: tuple[float, float]


def draw_tie(rng: Random, p: Person, t0: float, now: float) -> None:
    """Give ``p`` the phases, fixed episodes and manners that its tier calls for."""
    span = (now - t0) / YEAR
    if p.tier == "dormant" and span * 0.75 <= 0.6:
        p.tier = "occasional"  # a history too short to hold a tie that went quiet
    p.reply = _REPLY.get(p.tier, 0.5) + rng.uniform(-0.1, 0.1)
    p.initiative = rng.uniform(0.3, 0.7)
    start = min(max(t0, p.met), now - 30 * DAY)
    if p.tier in ("close", "regular", "occasional"):
        p.phases.append((start, now, _RATE[p.tier] * rng.uniform(0.6, 1.4)))
        p.until = now
    elif p.tier == "dormant":
        last = now - rng.uniform(0.55, min(4.0, span * 0.75)) * YEAR
        if p.overlap is not None and p.overlap[1] > t0 + 0.3 * YEAR:  # we worked together
            end = min(p.overlap[1], last)
            begin = max(t0, p.overlap[0], end - 3 * YEAR)
        else:
            end = last - rng.uniform(0, 0.6) * YEAR
            begin = end - rng.uniform(1, 3) * YEAR
        begin = max(t0, min(begin, end - 90 * DAY))
        p.phases.append((begin, end, _RATE["strong"] * rng.uniform(0.7, 1.3)))
        if last > end:
            p.phases.append((end, last, _RATE["fade"] * rng.uniform(0.5, 1.5)))
        p.fixed.append(last)
        p.until = last
    elif p.tier == "one-off":
        when = rng.uniform(start, now - 20 * DAY)
        p.fixed.append(when)
        if rng.random() < 0.5:
            p.fixed.append(when + rng.uniform(1, 5) * DAY)


def make_circles(people: list[Person], career: Career, t0: float, now: float) -> list[Circle]:
    """A team circle per job of mine, and one each for classmates and friends still in touch."""
    circles: list[Circle] = []
    for j, job in enumerate(career.jobs):
        team = [p for p in people if p.job == j and p.tier in LIVE]
        start, end = max(t0, job.start), now if job.end is None else job.end
        if len(team) >= 2 and end > start:
            rate = min(1.0, len(team) / 8) / 12
            circles.append(Circle("work", team, [(start, end, rate)], (0.8, 1.0)))
    for topic, every, full, mix in (
        ("classmate", 150, 4, (0.9, 1.0)),
        ("friend", 25, 6, (0.6, 1.0)),
    ):
        group = [p for p in people if p.context == topic and p.tier in LIVE]
        if len(group) >= 2:
            rate = min(1.0, len(group) / full) / every
            circles.append(Circle(topic, group, [(t0, now, rate)], mix))
    return circles


def episode_size(mix: tuple[float, float], reply: float) -> float:
    """Expected interactions in one episode: a thread's emails, or one meeting or call."""
    thread = sum(reply**k for k in range(MAX_THREAD))
    return mix[0] * thread + (1 - mix[0])


def live_episodes(phases: list[Phase], t0: float, now: float) -> float:
    """Expected episodes in the live phases, clipped to the history's span."""
    return sum(rate * max(0.0, min(b, now) - max(a, t0)) / DAY for a, b, rate in phases)


def scale_for(
    per_person: float, people: list[Person], circles: list[Circle], t0: float, now: float
) -> float:
    """The factor on every live rate that makes the expected total ``per_person`` each."""
    fixed = sum(len(p.fixed) * episode_size(MIX[p.topic], p.reply) for p in people)
    live = sum(
        live_episodes(p.phases, t0, now) * episode_size(MIX[p.topic], p.reply) for p in people
    )
    live += sum(live_episodes(c.phases, t0, now) * episode_size(c.mix, 0.5) for c in circles)
    wanted = per_person * len(people) - fixed
    return max(0.0, wanted) / live if live else 0.0


def pick_members(rng: Random, members: list[Person], t: float) -> list[Person]:
    """Two to five circle members still in touch (and, for a team, still there) at ``t``."""
    want = rng.randint(2, 5)
    chosen: dict[int, Person] = {}
    for _ in range(want * 3):
        p = members[int(rng.random() * len(members))]
        lo, hi = p.overlap if p.overlap is not None else (0.0, p.until)
        if lo <= t <= min(hi, p.until):
            chosen[p.index] = p
            if len(chosen) == want:
                break
    return sorted(chosen.values(), key=lambda p: p.index)
