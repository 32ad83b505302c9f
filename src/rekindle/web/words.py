"""What the pages say in human words: initials avatars, spans of time, a tie's facts.

Pure helpers for the templates (registered as Jinja filters in ``deps``); nothing here reads
the store. Internal names (``decayed_sum``, ``reply_latency_in_h``) never reach a page: each
becomes a sentence a person would say.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from rekindle.engine.scoring import span_words, span_words_hours
from rekindle.plural import counted
from rekindle.services.calendar_export import period_span

#: how many avatar colours the stylesheet has (.av-0 … .av-7)
AVATAR_COLOURS = 8


def initials(name: object) -> str:
    """Up to two letters for an avatar: the first of the first and of the last word."""
    words = [w for w in str(name or "").replace(".", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar_colour(key: object) -> str:
    """The avatar's colour class, the same for the same person on every page and every run
    (a checksum, not Python's salted ``hash``)."""
    return f"av-{zlib.crc32(str(key).encode()) % AVATAR_COLOURS}"


def quiet_for(days: float | None) -> str:
    """ "25 years", "3 months", "a day": the span the CLI says too."""
    if days is None:
        return ""
    return span_words(max(float(days), 0.0))


def in_days(days: float | None) -> str:
    """ "45 days", "1 day": a cadence, in the unit its learnt note uses."""
    return counted(max(1, round(float(days or 0))), "day")


def _days_between(first: datetime | None, last: datetime | None) -> float:
    if first is None or last is None:
        return 0.0
    return max((last - first).total_seconds() / 86400, 0.0)


def tie_facts(stats: Mapping[str, Any] | None, now: datetime) -> list[tuple[str, str]]:
    """The tie statistics as (headline, detail) pairs in plain words, most telling first."""
    if not stats:
        return []
    out: list[tuple[str, str]] = []
    first, last = stats.get("first_contact"), stats.get("last_contact")
    if last is not None:
        ago = _days_between(last, now)
        head = "in touch this week" if ago < 7 else f"quiet for {span_words(ago)}"
        out.append((head.capitalize(), f"last contact {last:%d %b %Y}"))
    days = stats.get("active_days")
    if first is not None and last is not None:
        span = span_words(_days_between(first, last)) if last > first else "one day"
        head = f"In touch over {span}"
        if days:
            head = f"In touch on {counted(int(days), 'day')} over {span}"
        out.append((head, f"since {first:%b %Y}"))
    inbound, outbound = int(stats.get("messages_in") or 0), int(stats.get("messages_out") or 0)
    meetings = int(stats.get("meetings") or 0)
    if inbound or outbound or meetings:
        talk = counted(inbound + outbound, "message")
        if meetings:
            talk += f", {counted(meetings, 'meeting')}"
        out.append((talk.capitalize(), f"{inbound:,} from them, {outbound:,} from you"))
    last_dir = stats.get("last_direction")
    if last_dir in ("in", "out"):
        out.append(
            ("They wrote last" if last_dir == "in" else "You wrote last", "the latest message")
        )
    reply_in = stats.get("reply_latency_in_h")
    if reply_in is not None:
        out.append(
            (
                f"Usually replies within {span_words_hours(float(reply_in))}",
                "when you write to them",
            )
        )
    reply_out = stats.get("reply_latency_out_h")
    if reply_out is not None:
        out.append(
            (f"You reply within {span_words_hours(float(reply_out))}", "when they write to you")
        )
    gap = stats.get("median_gap_days")
    if gap:
        out.append((f"Usually every {span_words(float(gap))}", "the typical gap between contacts"))
    share = stats.get("one_to_one_share")
    if share is not None and (inbound or outbound):
        if share >= 0.75:
            out.append(("Mostly one to one", "few group threads"))
        elif share <= 0.25:
            out.append(("Mostly in groups", "you rarely wrote one to one"))
    circle = int(stats.get("embeddedness") or 0)
    if circle:
        out.append((f"Knows {counted(circle, 'person', 'people')} you know", "from shared threads"))
    return out


#: a tie's strength at which closeness reads 50 of 100: about six one-to-one exchanges in a
#: year (the strength the engine counts as a real tie)
HALF_CLOSE = 6.0


def closeness(strength: float | None) -> int:
    """A tie's strength (recency-weighted contacts, unbounded) on a 0–100 scale that reads
    the same for now and for the tie at its best: 50 is a real tie, 90 a close one."""
    if not strength or strength <= 0:
        return 0
    return min(round(100 * strength / (strength + HALF_CLOSE)), 100)


def closeness_words(strength_now: float | None, peak: float | None) -> str:
    """Closeness now in a word, and whether it was much closer once."""
    now, best = closeness(strength_now), closeness(peak)
    word = "close" if now >= 70 else "warm" if now >= 40 else "cool" if now >= 10 else "quiet"
    if best - now >= 30:
        word += f", was {best}"
    return word


def birthday(iso: object) -> str:
    """ "3 Mar 1990" for ``1990-03-03``, "3 Mar" for ``--03-03`` (no year known)."""
    text = str(iso or "")
    try:
        if text.startswith("--"):
            return datetime.strptime("2000" + text[1:], "%Y-%m-%d").strftime("%-d %b")
        return datetime.strptime(text, "%Y-%m-%d").strftime("%-d %b %Y")
    except ValueError:
        return text


def period(text: object) -> str:
    """A plan period in words: "30 Nov – 6 Dec 2026" for ``2026-W49``, "December 2026" for
    ``2026-12``; anything else as it is."""
    raw = str(text or "")
    try:
        start, end = period_span(raw)
    except ValueError:
        return raw
    if "-W" not in raw:
        return start.strftime("%B %Y")
    last = end - timedelta(days=1)
    first = f"{start:%-d %b}" + (f" {start:%Y}" if start.year != last.year else "")
    return f"{first} – {last:%-d %b %Y}"
