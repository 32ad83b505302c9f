"""The prompt for drafting with a language model, grounded only in the draft facts (pure).

The model sees the facts a template would see and nothing else: no other person's data, no
raw mail. Its answer goes through the same checks as a template's.
"""

from __future__ import annotations

import re

from rekindle.compose.draft_checks import CHAR_LIMITS, WORD_LIMITS
from rekindle.compose.draft_facts import DraftFacts, clean_subject
from rekindle.compose.drafting import month_year

INTENT_WORDS = {
    "catch-up": "catch up, with no agenda",
    "congratulate": "congratulate them on their news",
    "offer-help": "offer help, asking nothing in return",
    "share": "share something that made me think of them",
    "invite": "invite them to meet or to an event",
    "thank": "thank them",
    "ask": "ask for their advice or a small favour, making it easy to say no",
}

SYSTEM = """You help someone write a short, warm, personal message to reconnect with a person \
they have lost touch with. Use ONLY the facts listed; never invent events, dates, news, \
places or details. Write in plain words. Do not use filler such as "I hope this email finds \
you well", "just checking in" or "touching base". Do not use placeholders like [Name]. \
Answer with the message only."""


def medium_rules(medium: str) -> str:
    if medium == "email":
        return (
            "An email: the first line is 'Subject: ' and a short, specific subject; then a blank "
            f"line and the body, at most {WORD_LIMITS['email'] - 60} words, signed with my first "
            "name if known."
        )
    if medium == "linkedin":
        return (
            f"A LinkedIn connection note: one paragraph, at most {CHAR_LIMITS['linkedin'] - 20} "
            "characters in all, no subject."
        )
    if medium == "sms":
        return f"A text message: at most {CHAR_LIMITS['sms'] - 40} characters, no subject."
    return (
        "A call brief for me, not a script: short sections 'Shared history', 'Their news', "
        "'Ask about', 'What you can offer' and 'Next step', each with '- ' bullet points."
    )


def facts_lines(facts: DraftFacts) -> list[str]:
    lines = [f"Their name: {facts.full_name}"]
    if facts.first_name:
        lines.append(f"Greet them as: {facts.first_name}")
    if facts.my_name:
        lines.append(f"My name: {facts.my_name}")
    if facts.my_role:
        lines.append(f"What I do now: {facts.my_role}")
    for s in facts.shared:
        years = f" ({s.years})" if s.years else ""
        lines.append(f"We were both at: {s.organisation}{years}")
    if facts.last_thread is not None:
        t = facts.last_thread
        lines.append(f"Our last thread: “{clean_subject(t.subject)}” ({month_year(t.when)})")
    for n in facts.notes[:3]:
        lines.append(f"My note about them: {n}")
    if facts.opening is not None:
        lines.append(f"Open with this week's occasion: {facts.opening.words}")
    for o in facts.occasions[:3]:
        if facts.opening is None or o != facts.opening.words:
            lines.append(f"Their news: {o}")
    if facts.topic:
        lines.append(f"What this message is about: {facts.topic}")
    if facts.gap:
        acknowledge = "; say so plainly" if facts.long_gap else ""
        lines.append(f"Time since we were last in touch: {facts.gap}{acknowledge}")
    if facts.once_warm:
        lines.append("We were once close: propose a 15-minute call as a low-pressure next step")
    else:
        lines.append("Close with a low-pressure next step; no demands")
    return lines


def build_messages(facts: DraftFacts, intent: str, medium: str) -> list[dict[str, str]]:
    """The chat messages for an OpenAI-compatible ``/chat/completions`` request."""
    user = "\n".join(
        [
            f"Purpose: {INTENT_WORDS.get(intent, intent)}.",
            medium_rules(medium),
            "Facts (the only ones you may use):",
            *(f"- {line}" for line in facts_lines(facts)),
        ]
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


_FENCE = re.compile(r"^```[a-z]*\n|\n?```$")


def clean_reply(text: str) -> str:
    """The model's message without code fences or surrounding quotes."""
    s = _FENCE.sub("", text.strip()).strip()
    if len(s) > 1 and s[0] == s[-1] and s[0] in "\"'":
        s = s[1:-1].strip()
    return s
