"""Rendering a draft from a template and the facts about a person.

Templates run in a sandboxed Jinja2 environment with strict undefined variables, so a typo
in a template is an error, never a blank in a message. Errors name the template file and line.
A template for a short medium is rendered again with ``brief`` set when it runs too long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import TemplateNotFound, TemplateSyntaxError

from rekindle.compose.draft_checks import CHAR_LIMITS
from rekindle.compose.draft_facts import DraftFacts, clean_subject
from rekindle.compose.draft_templates import DEFAULT_LANGUAGE, TemplateSet, template_name
from rekindle.compose.opening import OPENING_INTENTS
from rekindle.errors import UserError

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Draft:
    """A rendered message: its subject (email only), body and where it came from."""

    intent: str
    medium: str
    variant: int
    body: str
    subject: str | None = None
    language: str = DEFAULT_LANGUAGE
    template: str = ""

    def text(self) -> str:
        """The message as one text (with a ``Subject:`` line for email)."""
        return f"Subject: {self.subject}\n\n{self.body}" if self.subject else self.body


def month_year(when: datetime) -> str:
    return f"{_MONTHS[when.month - 1]} {when.year}"


def season_of(when: datetime) -> str:
    """The season by month (northern hemisphere)."""
    return ("winter", "spring", "summer", "autumn")[(when.month % 12) // 3]


def clip(text: object, limit: int = 60) -> str:
    """Text cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    s = " ".join(str(text).split())
    if len(s) <= limit:
        return s
    cut = s[: max(limit - 1, 1)]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-—") + "…"


def lower_first(text: object) -> str:
    """'Started as CTO' → 'started as CTO' (an acronym is left alone)."""
    s = str(text)
    if len(s) > 1 and s[0].isupper() and not s[1].isupper():
        return s[0].lower() + s[1:]
    return s


def template_context(
    facts: DraftFacts, intent: str, medium: str, brief: bool = False
) -> dict[str, Any]:
    """What a template sees: plain strings, numbers, booleans and lists of them."""
    thread = facts.last_thread
    opening = facts.opening if intent in OPENING_INTENTS else None
    #: the news the first line already tells is not told again
    occasions = [o for o in facts.occasions if not opening or o != opening.words]
    shared = [
        {
            "organisation": s.organisation,
            "years": s.years,
            "kind": s.kind,
            "title": s.their_title or "",
            "ongoing": s.ongoing,
        }
        for s in facts.shared
    ]
    return {
        "intent": intent,
        "medium": medium,
        "brief": brief,
        "full_name": facts.full_name,
        "first_name": facts.first_name,
        "my_name": facts.my_name,
        "my_first_name": facts.my_first_name,
        "my_role": facts.my_role or "",
        "shared": shared,
        "together": shared[0] if shared else None,
        "thread": (
            {
                "subject": clean_subject(thread.subject),
                "when": month_year(thread.when),
                "year": thread.when.year,
                "mine": thread.direction == "out",
            }
            if thread is not None
            else None
        ),
        "notes": list(facts.notes),
        "note": facts.notes[0] if facts.notes else None,
        "occasions": occasions,
        "occasion": occasions[0] if occasions else None,
        "opening": opening.line if opening else None,
        "short_opening": opening.short if opening else None,
        "opening_subject": opening.subject if opening else None,
        "topic": facts.topic or None,
        "gap": facts.gap,
        "long_gap": facts.long_gap,
        "silence_days": facts.silence_days,
        "last_contact": month_year(facts.last_contact) if facts.last_contact else None,
        "once_warm": facts.once_warm,
        "value_first": facts.value_first,
        "season": season_of(facts.now),
        "email": facts.email,
        "linkedin": facts.linkedin,
        "phone": facts.phone,
    }


def _tidy(text: str) -> str:
    lines = []
    for line in text.splitlines():
        body = re.sub(r"[ \t]{2,}", " ", line.strip())
        lines.append(re.sub(r" ([,.])(?=\s|$)", r"\1", body))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    # a list stays together: no blank line before a "- " item
    return re.sub(r"\n\n(?=[ \t]*- )", "\n", text).strip()


def split_subject(text: str) -> tuple[str | None, str]:
    """(subject, body) of a text whose first non-empty line may be ``Subject: …``."""
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    if first.lower().startswith("subject:"):
        return first[len("subject:") :].strip() or None, rest.strip()
    return None, text.strip()


def _render(templates: TemplateSet, name: str, context: dict[str, Any]) -> str:
    path = templates.path_of(name)
    shown = str(path) if path else name
    env = templates.environment()
    env.filters["clip"] = clip
    env.filters["lower_first"] = lower_first
    try:
        template = env.get_template(name)
        return template.render(context)
    except TemplateSyntaxError as exc:
        where = exc.filename or shown
        raise UserError(
            f"template {where}, line {exc.lineno}: {exc.message}",
            hint="fix the template, or delete your copy to use the shipped one",
        ) from None
    except TemplateNotFound as exc:
        raise UserError(
            f"template {shown} uses {exc.name!r}, which does not exist",
            hint="check the name in its {% import %} or {% include %}",
        ) from None
    except Exception as exc:  # any error while rendering is the template's, not the user's data
        failing = shown
        line = None
        tb = exc.__traceback__
        while tb is not None:
            fname = tb.tb_frame.f_code.co_filename
            if fname.endswith(".j2"):
                failing, line = fname, tb.tb_lineno
            tb = tb.tb_next
        at = f", line {line}" if line else ""
        raise UserError(
            f"template {failing}{at}: {exc}",
            hint="template variables are listed in docs/outreach.md",
        ) from None


def render_draft(
    templates: TemplateSet,
    facts: DraftFacts,
    intent: str,
    medium: str,
    variant: int | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> Draft:
    """Render one variant (the first when none is given) of an intent's template for a medium."""
    available = templates.check_choice(language, intent, medium)
    chosen = available[0] if variant is None else variant
    if chosen not in available:
        raise UserError(
            f"there is no variant {chosen} of {intent!r} for {medium}",
            hint="variants: " + ", ".join(str(n) for n in available),
        )
    name = template_name(language, intent, medium, chosen)
    text = _tidy(_render(templates, name, template_context(facts, intent, medium)))
    limit = CHAR_LIMITS.get(medium)
    if limit is not None and len(split_subject(text)[1]) > limit:
        text = _tidy(_render(templates, name, template_context(facts, intent, medium, brief=True)))
    subject, body = split_subject(text)
    if medium != "email" and subject:
        body = f"{subject}\n\n{body}" if body else subject
        subject = None
    path = templates.path_of(name)
    return Draft(intent, medium, chosen, body, subject, language, str(path) if path else name)


#: the templates of the one follow-up (not an intent of its own: it follows up a message)
FOLLOW_UP = "follow-up"


def render_follow_up(
    templates: TemplateSet,
    facts: DraftFacts,
    medium: str,
    sent_at: datetime,
    subject: str | None,
    language: str = DEFAULT_LANGUAGE,
) -> Draft:
    """The friendly follow-up of a message sent on ``sent_at`` (``Re:`` its subject)."""
    name = template_name(language, FOLLOW_UP, medium, 1)
    path = templates.path_of(name)
    if path is None:
        raise UserError(
            f"no {medium} follow-up template in {language!r}",
            hint=f"add one as templates/{name}",
        )
    context = template_context(facts, FOLLOW_UP, medium)
    context["sent_on"] = f"{sent_at.day} {_MONTHS[sent_at.month - 1]}"
    context["reply_subject"] = reply_subject(subject)
    text = _tidy(_render(templates, name, context))
    found_subject, body = split_subject(text)
    if medium != "email":
        found_subject = None
    return Draft(FOLLOW_UP, medium, 1, body, found_subject, language, str(path))


def reply_subject(subject: str | None) -> str:
    """``Re: <subject>`` (once)."""
    text = " ".join((subject or "").split())
    return text if text.lower().startswith("re:") else f"Re: {text}".strip()
