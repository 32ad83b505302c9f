"""The sample network's interactions, streamed in time order.

History is produced one quarter at a time, from a random stream of its own, sorted and
yielded; a thread that runs past the quarter's end waits for the next. Memory stays bounded
however many people and years there are.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from random import Random
from typing import Literal

from rekindle.identity.records import InteractionRecord, RawIdentity
from rekindle.sample.names import MEETINGS, SUBJECTS
from rekindle.sample.people import DAY, SOURCE, Person
from rekindle.sample.ties import MAX_THREAD, MIX, Circle, Phase, pick_members

WINDOW = 91 * DAY
_GAP = 1 / (9 * 3600)  # replies come after nine hours on average
_Entry = tuple[float, int, InteractionRecord]


class _Writer:
    """Turns episodes into records for one window, appending ``(time, seq, record)``."""

    def __init__(self, rng: Random, now: float, buf: list[_Entry], seq: int) -> None:
        self.rng, self.now, self.buf, self.seq = rng, now, buf, seq

    def episode(
        self,
        t: float,
        who: list[Person],
        topic: str,
        mix: tuple[float, float],
        reply: float,
        initiative: float,
    ) -> None:
        rand, bits, buf = self.rng.random, self.rng.getrandbits, self.buf
        t = t - t % DAY + 28_800 + rand() * 43_200  # between 08:00 and 20:00 UTC that day
        if t > self.now:
            return
        addresses = [p.address_at(t) for p in who]
        size = len(addresses)
        r = rand()
        direction: Literal["in", "out"] = "out" if rand() < initiative else "in"
        if r < mix[0]:
            subject = self.rng.choice(SUBJECTS[topic])
            thread = f"{bits(64):016x}"
            for n in range(MAX_THREAD):
                self.seq += 1
                host = "mail.gmail.com" if direction == "out" else addresses[0].split("@")[1]
                mid = f"<{bits(40):010x}.{self.seq:x}@{host}>"
                buf.append((t, self.seq, InteractionRecord(
                    SOURCE, "sample:" + mid, datetime.fromtimestamp(int(t), UTC), "email",
                    direction, [RawIdentity("email", a) for a in addresses],
                    subject if n == 0 else "Re: " + subject, thread, mid, size,
                )))  # fmt: skip
                if rand() >= reply:
                    return
                t += 600 + self.rng.expovariate(_GAP)
                if t > self.now:
                    return
                if rand() < 0.85:
                    direction = "in" if direction == "out" else "out"
            return
        self.seq += 1
        participants = [RawIdentity("email", a) for a in addresses]
        when = datetime.fromtimestamp(int(t), UTC)
        if r < mix[1]:
            uid = f"{bits(64):016x}{self.seq:x}@google.com"
            title = self.rng.choice(MEETINGS.get(topic.removeprefix("group-"), MEETINGS["work"]))
            record = InteractionRecord(
                SOURCE, "sample:" + uid, when, "meeting", "both", participants, title, None,
                uid, size,
            )  # fmt: skip
        else:
            uid = f"call-{bits(48):012x}{self.seq:x}"
            record = InteractionRecord(
                SOURCE, "sample:" + uid, when, "call", direction, participants, None, None,
                uid, size,
            )  # fmt: skip
        buf.append((t, self.seq, record))


def _times(rng: Random, phases: list[Phase], lo: float, hi: float, scale: float) -> Iterator[float]:
    """Episode start times in ``[lo, hi)``: a Poisson process per live phase."""
    for a, b, rate in phases:
        if b <= lo or a >= hi:
            continue
        per_second = rate * scale / DAY
        if per_second <= 0:
            continue
        end = min(b, hi)
        t = max(a, lo) + rng.expovariate(per_second)
        while t < end:
            yield t
            t += rng.expovariate(per_second)


def stream(
    seed: int, people: list[Person], circles: list[Circle], t0: float, now: float, scale: float
) -> Iterator[InteractionRecord]:
    """Every interaction from ``t0`` to ``now``, in time order."""
    active = [p for p in people if p.phases or p.fixed]
    pending: list[_Entry] = []
    seq, window = 0, 0
    w_start = t0 - t0 % DAY  # whole days per window: moving a time within its day keeps order
    while w_start < now:
        w_end = min(now, w_start + WINDOW)
        rng = Random(f"{seed}/history/{window}")
        out = _Writer(rng, now, pending, seq)
        for p in active:
            mix = MIX[p.topic]
            for t in _times(rng, p.phases, w_start, w_end, scale):
                out.episode(t, [p], p.topic, mix, p.reply, p.initiative)
            for t in p.fixed:
                if w_start <= t < w_end:
                    out.episode(t, [p], p.topic, mix, p.reply, p.initiative)
        for circle in circles:
            topic = "group-" + circle.topic
            for t in _times(rng, circle.phases, w_start, w_end, scale):
                who = pick_members(rng, circle.members, t)
                if len(who) >= 2:
                    out.episode(t, who, topic, circle.mix, 0.5, 0.4)
        buf, seq = out.buf, out.seq
        buf.sort()  # by time, then by order of making (unique), never by record
        cut = len(buf)
        while cut and buf[cut - 1][0] >= w_end:
            cut -= 1
        pending = buf[cut:]
        for entry in buf[:cut]:
            yield entry[2]
        w_start, window = w_end, window + 1
    for entry in pending:
        yield entry[2]
