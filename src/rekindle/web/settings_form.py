"""The Settings page's controls: each `rekindle config` key as a labelled control a person
understands (a switch for yes/no, a number with its unit, a choice from a list).

The keys themselves (``plan.quota``, ``keep_photos``) stay in the CLI's ``config``: the page
shows only the label and the help in words; a key is the form field's name, never its text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

LANGUAGE_NAMES = {
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
}
PART_WORDS = {
    "strength": "how close you were",
    "history": "how long you have known each other",
    "bond": "how close you were, both ways",
    "circles": "people you both talk to",
    "sightings": "recent group threads with them",
    "dormancy": "how long it has been quiet",
    "reciprocity": "both of you wrote",
    "replies": "how quickly they answered",
    "shared": "places you both worked or studied",
    "goal": "fits your goal",
    "timing": "an occasion to write",
    "outcomes": "how they answered your outreach",
    "learnt": "odds of coming back, from your history",
}


@dataclass(frozen=True)
class Control:
    key: str
    label: str
    #: "switch", "number", "choice", "text" or "url"
    kind: str
    help: str = ""
    unit: str = ""
    minimum: int | None = None
    maximum: int | None = None
    choices: Sequence[tuple[str, str]] = ()
    value: str = ""
    step: str = "1"


@dataclass(frozen=True)
class Group:
    title: str
    intro: str
    controls: list[Control] = field(default_factory=list)


def _tier_controls(values: Mapping[str, str | None]) -> list[Control]:
    words = {
        "close": "Close ties",
        "regular": "Regular ties",
        "occasional": "Occasional ties",
        "dormant": "Quiet ties",
    }
    out = [
        Control(f"cadence.{tier}", label, "number", unit="days", minimum=1)
        for tier, label in words.items()
    ]
    out += [
        Control(
            key,
            f"People tagged “{key.removeprefix('cadence.tag.')}”",
            "number",
            unit="days",
            minimum=1,
        )
        for key in values
        if key.startswith("cadence.tag.")
    ]
    return out


def groups(
    values: Mapping[str, str | None], languages: Sequence[str], regions: Sequence[str]
) -> list[Group]:
    """The page's groups of controls, each filled in with its current value."""
    found = [
        Group(
            "Your plan",
            "How many people Rekindle suggests, and how often.",
            [
                Control(
                    "plan.quota",
                    "People in each plan",
                    "number",
                    unit="people",
                    minimum=1,
                    maximum=50,
                ),
                Control(
                    "plan.keep_warm",
                    "Keep warm: ties you still talk to, shown beside them",
                    "number",
                    unit="people",
                    minimum=0,
                    maximum=20,
                    help="active ties due a check-in, in a short second list; 0 shows none",
                ),
                Control(
                    "plan.rekindle_days",
                    "A tie that mattered is worth rekindling after a silence of",
                    "number",
                    unit="days",
                    minimum=1,
                    help="at least; 180 (about six months) by default",
                ),
                Control(
                    "plan.gap_multiple",
                    "…and of at least",
                    "number",
                    unit="× its usual gap",
                    maximum=100,
                    step="any",
                    help="a friend you hear from monthly is quiet after 3 months at 3×",
                ),
                Control(
                    "plan.frequency",
                    "A new plan every",
                    "choice",
                    choices=(("week", "week"), ("month", "month")),
                ),
                Control(
                    "plan.lock_days",
                    "After you reach out, leave them be for",
                    "number",
                    unit="days",
                    minimum=0,
                    help="nobody suggests them again meanwhile",
                ),
                Control(
                    "followup.days",
                    "Follow up when there is no reply after",
                    "number",
                    unit="days",
                    minimum=1,
                    maximum=60,
                    help="one friendly follow-up, never a third message; 7 to 14 is kind",
                ),
                Control(
                    "outcomes.rest_days",
                    "When they never answered, let the tie rest",
                    "number",
                    unit="days",
                    minimum=0,
                    help="from your message, times the unanswered attempts in a row (at most 3)",
                ),
                Control(
                    "outcomes.declined_days",
                    "When they decline, keep the door open and wait",
                    "number",
                    unit="days",
                    minimum=1,
                    help="they are not suggested meanwhile; Resume on their page lifts it",
                ),
            ],
        ),
        Group("How often to check in", "The rhythm for each kind of tie.", _tier_controls(values)),
        Group(
            "Contacts",
            "How imported contacts are read.",
            [
                Control(
                    "region",
                    "Your country",
                    "choice",
                    choices=(("", "not set"), *((r, r) for r in regions)),
                    help="for phone numbers written without a +country code",
                ),
                Control("keep_photos", "Keep contact photos from vCards", "switch"),
            ],
        ),
        Group(
            "Drafting",
            "How drafts are written. A language model is used only when you turn it on and "
            "give its address: nothing leaves this machine otherwise.",
            [
                Control(
                    "draft.language",
                    "Language of the drafts",
                    "choice",
                    choices=tuple((code, LANGUAGE_NAMES.get(code, code)) for code in languages),
                ),
                Control("llm.enabled", "Draft with a language model", "switch"),
                Control(
                    "llm.endpoint",
                    "Language model address",
                    "url",
                    help="an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1",
                ),
                Control("llm.model", "Model name", "text"),
                Control(
                    "llm.api_key_env",
                    "Environment variable with its API key",
                    "text",
                    help="its name, e.g. OPENAI_API_KEY; the key itself is never stored",
                ),
            ],
        ),
    ]
    weights = [
        Control(
            key,
            f"Weight of “{PART_WORDS.get(key.removeprefix('weight.'), key)}”",
            "number",
            minimum=0,
            step="any",
        )
        for key in values
        if key.startswith("weight.")
    ]
    if weights:
        found.append(Group("Scoring", "How much each part counts (yours, set before).", weights))
    return [
        Group(g.title, g.intro, [_filled(c, values.get(c.key)) for c in g.controls]) for g in found
    ]


def _filled(control: Control, value: str | None) -> Control:
    return replace(control, value=value or "")


def labels(all_groups: Sequence[Group]) -> dict[str, str]:
    """Each key's label (to say an error about a value in the page's own words)."""
    return {c.key: c.label for g in all_groups for c in g.controls}
