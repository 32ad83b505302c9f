"""Plain answers to a meetup invitation, read from a reply's own words (pure).

"Count me in!", "I'll be there", "can't make it, sorry", "maybe, depends on work": the reply's
new text (quoted lines and the quoted message after "On … wrote:" are left out) is matched
against short phrases. A "no" is looked for first, since "can't make it" contains "make it";
then a "maybe"; then a "yes". Anything else is no answer: the guest stays "not answered".
Calendar apps' own subjects ("Accepted: …", "Declined: …") answer without the body.
"""

from __future__ import annotations

import re

#: only the start of a reply is read
MAX_TEXT = 4000

_NO = re.compile(
    r"\b(?:can(?:no|')?t|cannot|won'?t|will not|unable to|not able to|couldn'?t|"
    r"can ?not)\s+(?:make it|make the|come|join|attend|be there|do (?:it|that date))"
    r"|\b(?:won'?t|will not|wouldn'?t|may not|might not) be able\b"
    r"|\bcount me out\b|\bhave to (?:pass|miss|decline|skip)\b|\bsend(?:ing)? (?:my )?regrets\b"
    r"|\bi'?ll (?:have to )?miss\b|\bwon'?t make\b|\bno,? sorry\b|\bsadly,? no\b"
    r"|\bnot (?:going to|gonna) make\b|\bi'?m out\b|\bdecline\b",
    re.IGNORECASE,
)
_MAYBE = re.compile(
    r"\bmaybe\b|\bnot sure (?:yet|if|whether)\b|\bmight (?:make|come|join|be able)\b"
    r"|\btentative(?:ly)?\b|\bi'?ll try\b|\bwill try to\b|\bpossibly\b|\bprobably\b"
    r"|\bdepends on\b|\bpencil(?:l?ed)? (?:me|it) in\b",
    re.IGNORECASE,
)
_YES = re.compile(
    r"\bcount me in\b|\bi'?m in\b|\bi'?ll be there\b|\bi will be there\b|\bsee you there\b"
    r"|\bwouldn'?t miss it\b|\bcan make it\b|\bi'?ll come\b|\bi will come\b"
    r"|\b(?:i'?d|i would) love to (?:come|join|be there)\b|\bhappy to (?:come|join)\b"
    r"|\bsign me up\b|\bi'?m coming\b|\bwe'?ll be there\b|\bcount us in\b|\bi accept\b"
    r"|^\s*(?:yes|yes!+|yes please|absolutely|definitely|sure)\b",
    re.IGNORECASE | re.MULTILINE,
)
_WROTE = re.compile(r"^(?:on .{0,200} wrote:|-{2,} ?original message ?-{2,}|from: .+)$",
                    re.IGNORECASE | re.MULTILINE)  # fmt: skip
_SUBJECT = re.compile(
    r"^\s*(?:(accepted|declined|tentative(?:ly accepted)?|tentative)\s*:)", re.IGNORECASE
)


def own_text(body: str) -> str:
    """The reply's new words: up to the quoted message, without ``>`` lines."""
    text = body[:MAX_TEXT]
    cut = _WROTE.search(text)
    if cut is not None:
        text = text[: cut.start()]
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(lines)


def answer_in_text(body: str) -> str | None:
    """``accepted``, ``declined``, ``tentative``, or None when the words give no answer."""
    text = own_text(body)
    if _NO.search(text):
        return "declined"
    if _MAYBE.search(text):
        return "tentative"
    if _YES.search(text):
        return "accepted"
    return None


def answer_in_subject(subject: str | None) -> str | None:
    """A calendar app's reply subject: "Accepted: …", "Declined: …", "Tentative: …"."""
    found = _SUBJECT.match(subject or "")
    if found is None:
        return None
    word = found.group(1).lower()
    return "tentative" if word.startswith("tentative") else word
