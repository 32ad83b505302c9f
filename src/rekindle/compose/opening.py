"""The first line of a draft from the occasion the plan picked for a person (pure).

The weekly plan names one occasion per person (their move, a new job, a round anniversary, a
birthday, a holiday) and an opener built on it; a catch-up draft opens with the same moment in
the writer's voice: "I heard you moved to Paris, France. How are you settling in?". Each kind
has a long form for an email or a call and a short one for a LinkedIn note or a text.
"""

from __future__ import annotations

import re
from datetime import date

from rekindle.compose.draft_facts import Opening, news_words
from rekindle.engine.occasions import Occasion

#: "in Oct 2026": the date a short form leaves out
_MONTH_YEAR = re.compile(r" in [A-Z][a-z]{2} \d{4}")

#: intents whose drafts open with the plan's occasion (the others have their own first line:
#: a congratulation names the news itself, a share what is shared, a thank-you the thanks)
OPENING_INTENTS = frozenset({"catch-up", "offer-help", "invite", "ask"})


def opening_of(occasion: Occasion, today: date) -> Opening:
    """How a draft opens with ``occasion`` seen on ``today``."""
    words = news_words(occasion.detail)
    line, short = _lines(occasion.kind, words, occasion.on_date, today)
    return Opening(
        occasion.kind, words, line, _MONTH_YEAR.sub("", short), _subject(occasion.kind, words)
    )


def _subject(kind: str, words: str) -> str:
    if kind == "moved" and " to " in words:
        return f"How is {words.rsplit(' to ', 1)[1]}?"
    if kind in ("new-job", "new-company", "new-role"):
        return "Congratulations on the news"
    if kind == "met-anniversary":
        return f"{words.split(' since ')[0]} since we met"
    if kind == "work-anniversary":
        return f"Congratulations on {words.split(' (')[0]}"
    if kind == "birthday":
        return "Happy birthday!"
    if kind == "holiday":
        return f"Happy {words.split(' on ')[0]}"
    return "Thinking of you"


def _lines(kind: str, words: str, on: date, today: date) -> tuple[str, str]:
    if kind == "moved":
        place = words.rsplit(" to ", 1)[1] if " to " in words else ""
        where = f" to {place}" if place else ""
        return (
            f"I heard you moved{where}. How are you settling in?",
            f"Heard you moved{where}: how are you settling in?",
        )
    if kind in ("new-job", "new-company"):
        return f"I saw that you {words}. Congratulations!", f"Saw that you {words}. Congrats!"
    if kind == "new-role":
        role = words[4:] if words.startswith("now ") else words
        return (
            f"I saw that you're now {role}. Congratulations!",
            f"Saw you're now {role}. Congrats!",
        )
    if kind == "new-email-domain":
        domain = words.split()[2] if words.startswith("writes from ") else ""
        there = f" from {domain}" if domain else " from a new address"
        return (
            f"I noticed you're writing{there} now. Is that a new place of work?",
            f"Noticed you write{there} now: new place?",
        )
    if kind == "birthday":
        early = "an early " if on > today else "a "
        return f"Wishing you {early}happy birthday!", f"Wishing you {early}happy birthday!"
    if kind == "work-anniversary":
        return (
            f"I noticed it's {words.split(' (')[0]} for you. Congratulations!",
            f"{words.split(' (')[0]}: congrats!",
        )
    if kind == "met-anniversary":
        span = words.split(" since ")[0]
        return (
            f"It's {span} since we first met, and it made me think of you.",
            f"{span} since we first met!",
        )
    if kind == "holiday":
        name = words.split(" on ")[0]
        if on >= today:
            return f"With {name} coming up, I wanted to send my best.", f"Happy {name}!"
        return f"I hope you had a good {name}.", f"Hope you had a good {name}!"
    return f"{words[:1].upper()}{words[1:]} made me think of you.", f"{words}: thought of you."
