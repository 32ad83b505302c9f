"""The checks every draft passes through, also text the user wrote (pure).

Each check is a small function that returns findings; a finding says what is wrong and how to
fix it. :func:`check_draft` runs them all. Checks that need to know the person (a personal
reference, the gap, the name, the "drop the agenda" guard) are skipped without facts.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from importlib import resources

from rekindle.compose.draft_facts import DraftFacts, clean_subject
from rekindle.engine.shared_context import organisation_key
from rekindle.identity.names import canonical_given, fold, formal_names, make_name

#: the most a medium holds: characters for LinkedIn notes and texts, words for the rest
CHAR_LIMITS = {"linkedin": 300, "sms": 320}
WORD_LIMITS = {"email": 200, "call": 250, "video": 250}
#: value-first exchanges wanted before an ask ("drop the agenda for the first few")
VALUE_FIRST_BEFORE_ASK = 2


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in a draft: a stable code, what is wrong, and how to fix it."""

    code: str
    what: str
    fix: str

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "what": self.what, "fix": self.fix}


def _load_common_words() -> frozenset[str]:
    text = resources.files("rekindle").joinpath("data/common_words.txt").read_text("utf-8")
    return frozenset(
        w for line in text.splitlines() if not line.startswith("#") for w in line.split()
    )


#: words too common to tell one subject or note from another
_STOPWORDS = _load_common_words()
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


def _significant(text: str) -> list[str]:
    """Words of a phrase that identify it: four letters or more, not common words."""
    return [w for w in _WORD.findall(fold(text)) if len(w) >= 4 and w not in _STOPWORDS]


def _mentions_phrase(text: str, phrase: str) -> bool:
    key = fold(phrase)
    return bool(key) and re.search(rf"\b{re.escape(key)}\b", fold(text)) is not None


def _recalls(text: str, facts: DraftFacts) -> bool:
    words = _words(text)
    for s in facts.shared:
        if _mentions_phrase(text, organisation_key(s.organisation)) or _mentions_phrase(
            text, s.organisation
        ):
            return True
    if facts.last_thread is not None:
        sig = _significant(clean_subject(facts.last_thread.subject))
        if sig and sum(w in words for w in sig) * 2 >= len(sig):
            return True
    for text_fact in (*facts.notes, *facts.occasions):
        if any(w in words for w in _significant(text_fact)):
            return True
    return False


def check_personal_reference(text: str, facts: DraftFacts | None) -> list[Finding]:
    """A message should recall something real and shared."""
    if facts is None:
        return []
    if not facts.has_reference:
        return [
            Finding(
                "no-personal-reference",
                f"nothing shared with {facts.full_name} is on record, so the message recalls nothing personal",
                "mention something you remember together, or record it first: "
                '`rekindle note PERSON "…"` or `rekindle me add-affiliation ORG --start … --end …`',
            )
        ]
    if _recalls(text, facts):
        return []
    hints = []
    if facts.shared:
        s = facts.shared[0]
        hints.append(
            f"your time together at {s.organisation}" + (f" ({s.years})" if s.years else "")
        )
    if facts.last_thread is not None:
        hints.append(f"your last thread, “{clean_subject(facts.last_thread.subject)}”")
    if facts.notes:
        hints.append(f"your note: “{facts.notes[0][:60]}”")
    if facts.occasions:
        hints.append(f"their news: {facts.occasions[0]}")
    return [
        Finding(
            "no-personal-reference",
            "the message recalls nothing you share",
            "mention " + " or ".join(hints[:2]),
        )
    ]


_GAP_PHRASES = re.compile(
    r"\bit'?s been\b|\bit has been\b|\bbeen (a|so|far too|too|quite a) (while|long)\b"
    r"|\bsince we\b|\blong time\b|\bages\b|\b(lost|out of) touch\b|\ba while\b"
    r"|\b(years?|months)\b|\blast (spoke|talked|saw|wrote|met|caught up)\b",
    re.I,
)


def check_gap_acknowledged(text: str, facts: DraftFacts | None) -> list[Finding]:
    """After a long silence, say so rather than pretend none passed."""
    if facts is None or not facts.long_gap or _GAP_PHRASES.search(text.replace("’", "'")):
        return []
    return [
        Finding(
            "gap-not-acknowledged",
            f"it has been {facts.gap} since your last contact and the message does not say so",
            f"own the gap in one plain sentence, e.g. “It's been {facts.gap} since we last spoke.”",
        )
    ]


FILLER = (
    r"i hope (this|my) (e-?mail|message|note) finds you well",
    r"hope (this|my) (e-?mail|message|note) finds you well",
    r"just checking in",
    r"just (wanted to )?touch(ing)? base",
    r"touching base",
    r"just wanted to reach out",
    r"i('m| am) reaching out (to you )?because",
    r"circling back",
    r"per my last (e-?mail|message)",
    r"hope all is well",
    r"hope you('re| are) (doing )?well",
    r"pick your brain",
    r"quick question",
    r"long time no (see|speak|talk)",
)
_FILLER = [(p, re.compile(rf"\b{p}\b", re.I)) for p in FILLER]


def check_filler(text: str) -> list[Finding]:
    """Stock phrases that say nothing and read as a mass mailing."""
    flat = text.replace("’", "'")  # same length: spans point into ``text``
    spans: list[tuple[int, int]] = []
    for _pattern, regex in _FILLER:
        found = regex.search(flat)
        if found and not any(a <= found.start() and found.end() <= b for a, b in spans):
            spans = [(a, b) for a, b in spans if not (found.start() <= a and b <= found.end())]
            spans.append(found.span())
    return [
        Finding(
            "generic-filler",
            f"“{text[a:b]}” is stock filler",
            "cut it and open with the shared memory or their news instead",
        )
        for a, b in sorted(spans)
    ]


_ASK = re.compile(
    r"\b(could|would|can|will) you (please )?(introduce|intro|refer|recommend|connect me|put me"
    r"|help me|take a look|review|send me|forward|vouch)\b"
    r"|\bpick your brain\b|\bany (open )?(roles|openings|positions|vacancies)\b"
    r"|\bintroduc(e me|tion) to\b|\bput in a (good )?word\b|\b(a|one) favou?r\b"
    r"|\bwould you be (willing|able)\b|\bask(ing)? (you )?for (your )?(advice|help|a referral)\b",
    re.I,
)


def is_ask(text: str, intent: str | None) -> bool:
    return intent == "ask" or _ASK.search(text) is not None


def check_ask_too_soon(text: str, facts: DraftFacts | None, intent: str | None) -> list[Finding]:
    """The "drop the agenda" guard: no asks before two value-first exchanges (unless the tie is
    active, no reconnection under way); and "give before you ask": no new ask while your asks are as many as what you gave (the value ledger)."""
    if facts is None or not is_ask(text, intent):
        return []
    if facts.value_first >= VALUE_FIRST_BEFORE_ASK or facts.active_tie:
        # an active tie needs no reconnection first; the value ledger still applies
        if facts.asks == 0 or facts.gives > facts.asks:
            return []
        return [
            Finding(
                "ask-too-soon",
                f"you have asked {facts.asks} time{'s' if facts.asks != 1 else ''} and given "
                f"{facts.gives} (shared, introduced, offered help, thanked): give before you ask",
                "share something useful, make an introduction or offer help first; "
                "--allow-ask overrides the guard",
            )
        ]
    done = facts.value_first
    return [
        Finding(
            "ask-too-soon",
            f"an ask after {done} value-first exchange{'s' if done != 1 else ''} since you "
            f"reconnected (wait for {VALUE_FIRST_BEFORE_ASK})",
            "reconnect first (catch up, congratulate, share or offer help) and ask later; "
            "if this ask cannot wait, --allow-ask overrides the guard",
        )
    ]


def check_length(text: str, medium: str) -> list[Finding]:
    """A LinkedIn note holds 300 characters; a text is short; an email is read in a minute."""
    if medium in CHAR_LIMITS:
        limit, size = CHAR_LIMITS[medium], len(text)
        if size > limit:
            where = "a LinkedIn connection note" if medium == "linkedin" else "a text message"
            return [
                Finding(
                    "too-long",
                    f"{size} characters; {where} should stay within {limit}",
                    f"cut {size - limit} characters: keep the memory, the reason and one question",
                )
            ]
        return []
    most = WORD_LIMITS.get(medium)
    words = len(text.split())
    if most is not None and words > most:
        what = "an email" if medium == "email" else "a call brief"
        return [
            Finding(
                "too-long",
                f"{words} words; {what} should stay within {most}",
                "cut to the memory, the gap, the reason and one easy next step",
            )
        ]
    return []


_PLACEHOLDERS = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{[A-Za-z_][A-Za-z_ ]{0,30}\}"
    r"|\[(?:[A-Z][A-Za-z]*(?: [A-Za-z]+){0,4}|(?:insert|your|their|name|company|topic|link)[^\]\n]{0,40})\]"
    r"|<(?:first name|name|company|insert[^>\n]{0,40}|your [^>\n]{1,30}|their [^>\n]{1,30})>"
    r"|\bX{3,}\b|\bTODO\b|\bTBD\b|_{3,}"
)


def check_placeholders(text: str, subject: str | None = None) -> list[Finding]:
    """Template leftovers: {{ name }}, [Company], <first name>, XXX, TODO."""
    found = list(
        dict.fromkeys(m.group(0) for m in _PLACEHOLDERS.finditer(f"{subject or ''}\n{text}"))
    )
    if not found:
        return []
    shown = ", ".join(found[:5])
    return [
        Finding(
            "unfilled-placeholder",
            f"unfilled placeholder{'s' if len(found) > 1 else ''}: {shown}",
            "replace each with the real words, or delete it",
        )
    ]


_GREETING = re.compile(
    r"^\s*(?:hi|hey|hello|hiya|dear|good (?:morning|afternoon|evening)|morning)\b[ ,]+"
    r"(?:(?:mr|mrs|ms|miss|dr|prof)\.? )?(?P<name>[^\W\d_][\w'’\-]*)",
    re.I | re.M,
)
_NOT_NAMES = frozenset(
    [
        "there",
        "all",
        "everyone",
        "team",
        "folks",
        "friend",
        "friends",
        "you",
        "again",
        "both",
        "guys",
    ]
)


def _name_keys(facts: DraftFacts) -> set[str]:
    keys: set[str] = set()
    for full in (facts.full_name, facts.first_name, *facts.other_names):
        name = make_name(full) if full else None
        if name is None:
            continue
        keys.update(w for w in (name.given_key, name.family_key, name.nickname_key) if w)
        keys.update(name.given_key.split())
    return keys


def _same_given(a: str, b: str) -> bool:
    return (
        a == b
        or canonical_given(a) == canonical_given(b)
        or bool(formal_names(a) & formal_names(b))
    )


def check_name(text: str, facts: DraftFacts | None) -> list[Finding]:
    """The greeting must name the person the draft is for."""
    if facts is None:
        return []
    greeting = _GREETING.search(text)
    if greeting is None:
        return []
    word = fold(greeting.group("name"))
    if not word or word in _NOT_NAMES:
        return []
    keys = _name_keys(facts)
    if not keys or any(_same_given(word, k) for k in keys):
        return []
    expected = facts.first_name or facts.full_name
    return [
        Finding(
            "wrong-name",
            f"the greeting says “{greeting.group('name')}” but this is for {facts.full_name}",
            f"greet them as {expected}",
        )
    ]


def check_subject(medium: str, subject: str | None) -> list[Finding]:
    if medium != "email" or (subject and subject.strip()):
        return []
    return [
        Finding(
            "no-subject",
            "an email without a subject",
            "add a short, specific subject line (a first line “Subject: …” in a file)",
        )
    ]


_CONGRATS_ON = re.compile(r"\bcongrat\w*\s+(on|for)\s+\w+", re.I)


def check_occasion_named(text: str, facts: DraftFacts | None, intent: str | None) -> list[Finding]:
    """A congratulation says what it is for."""
    if intent != "congratulate" or _CONGRATS_ON.search(text):
        return []
    words = _words(text)
    occasions = facts.occasions if facts is not None else ()
    if any(any(w in words for w in _significant(o)) for o in occasions):
        return []
    return [
        Finding(
            "occasion-not-named",
            "a congratulation that does not say what it is for",
            'name their news (a new role, a launch, a move); `--occasion "…"` gives it to the draft',
        )
    ]


def check_held(facts: DraftFacts | None, intent: str | None) -> list[Finding]:
    """A warning, never a block: the person is held back (declined, resting after no reply,
    awaiting a reply), said with the date the hold ends. A follow-up is what a wait is for."""
    if facts is None or not facts.held:
        return []
    if intent == "follow-up" and facts.held.startswith("awaiting a reply"):
        return []
    return [
        Finding(
            "held-back",
            f"{facts.first_name or facts.full_name} is held back: {facts.held}",
            "a message now may feel like pressure: wait until then, or send it if you know "
            "it is welcome",
        )
    ]


def check_draft(
    text: str,
    facts: DraftFacts | None,
    medium: str,
    intent: str | None = None,
    subject: str | None = None,
    ignore: Collection[str] = (),
) -> list[Finding]:
    """Every check on one message; codes in ``ignore`` are left out."""
    findings: Iterable[Finding] = (
        *check_personal_reference(text, facts),
        *check_gap_acknowledged(text, facts),
        *check_filler(text),
        *check_ask_too_soon(text, facts, intent),
        *check_occasion_named(text, facts, intent),
        *check_length(text, medium),
        *check_placeholders(text, subject),
        *check_name(text, facts),
        *check_subject(medium, subject),
        *check_held(facts, intent),
    )
    return [f for f in findings if f.code not in ignore]


CHECK_CODES = (
    "no-personal-reference",
    "gap-not-acknowledged",
    "generic-filler",
    "ask-too-soon",
    "occasion-not-named",
    "too-long",
    "unfilled-placeholder",
    "wrong-name",
    "no-subject",
    "held-back",
)
