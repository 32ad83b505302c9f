"""A draft opens with the occasion the weekly plan picked for the person: the same moment in
the plan's opener and the message's first line, on the sample network and in words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from rekindle.compose.opening import opening_of
from rekindle.engine.occasions import Occasion
from rekindle.services import demo
from rekindle.services.drafting import DraftRequest, draft_for
from rekindle.services.plan import weekly_plan
from rekindle.store import Store

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


def occ(kind: str, detail: str, on: date = TODAY) -> Occasion:
    return Occasion(kind, f"{kind}:x", on, detail, "vcard")


@pytest.mark.parametrize(
    ("kind", "detail", "line", "short"),
    [
        (
            "moved",
            "moved from Dubai, United Arab Emirates to Paris, France (vCard, 7 Dec 2026)",
            "I heard you moved to Paris, France. How are you settling in?",
            "Heard you moved to Paris, France: how are you settling in?",
        ),
        (
            "new-job",
            "started as CTO at Acme in Oct 2026 (LinkedIn export, 7 Dec 2026)",
            "I saw that you started as CTO at Acme in Oct 2026. Congratulations!",
            "Saw that you started as CTO at Acme. Congrats!",
        ),
        (
            "new-role",
            "now Chief of Staff at Pinecrest, was Engineer (vCard, 7 Dec 2026)",
            "I saw that you're now Chief of Staff at Pinecrest. Congratulations!",
            "Saw you're now Chief of Staff at Pinecrest. Congrats!",
        ),
        (
            "met-anniversary",
            "5 years since you first met (first contact 11 Dec 2021)",
            "It's 5 years since we first met, and it made me think of you.",
            "5 years since we first met!",
        ),
        (
            "new-email-domain",
            "writes from globex.com now, before from acme.com (first mail from globex.com 1 Dec 2026)",
            "I noticed you're writing from globex.com now. Is that a new place of work?",
            "Noticed you write from globex.com now: new place?",
        ),
    ],
)
def test_each_kind_of_occasion_is_said_in_the_writers_voice(
    kind: str, detail: str, line: str, short: str
) -> None:
    opening = opening_of(occ(kind, detail), TODAY)
    assert (opening.line, opening.short) == (line, short)
    assert opening.subject and len(opening.subject) <= 70
    assert "(" not in opening.words  # the source stamp stays out of the message


def test_the_subject_says_the_same_moment() -> None:
    moved = occ("moved", "moved from Dubai, United Arab Emirates to Paris, France (vCard, 7 Dec 2026)")
    assert opening_of(moved, TODAY).subject == "How is Paris, France?"
    met = occ("met-anniversary", "5 years since you first met (first contact 11 Dec 2021)")
    assert opening_of(met, TODAY).subject == "5 years since we met"


def test_a_birthday_and_a_holiday_before_and_after_the_day() -> None:
    ahead = date(2026, 12, 10)
    assert opening_of(occ("birthday", "birthday on 10 Dec", ahead), TODAY).line == (
        "Wishing you an early happy birthday!"
    )
    assert opening_of(occ("birthday", "birthday on 5 Dec", date(2026, 12, 5)), TODAY).line == (
        "Wishing you a happy birthday!"
    )
    xmas = occ("holiday", "Christmas Day on 25 Dec (GB)", date(2026, 12, 25))
    assert opening_of(xmas, TODAY).line == "With Christmas Day coming up, I wanted to send my best."
    assert opening_of(xmas, date(2026, 12, 27)).line == "I hope you had a good Christmas Day."


def test_the_demo_drafts_open_with_the_plans_occasion_and_are_signed(store: Store) -> None:
    demo.load_sample(store, now=NOW)
    plan = weekly_plan(store, now=NOW)
    with_occasion = [s for s in plan.suggestions if s.occasion]
    assert with_occasion, "the sample's plan names occasions (its life-event update)"
    for s in plan.suggestions:
        result = draft_for(store, str(s.person_id), DraftRequest(), now=NOW)
        first = result.draft.body.split("\n\n")[1]
        facts = result.facts
        if s.occasion:
            assert facts.opening is not None and s.occasion.startswith(facts.opening.words)
            assert first.startswith(facts.opening.line), (s.name, s.opener, first)
            assert result.draft.subject == facts.opening.subject
            # their news is told once, not again as "I also saw the news"
            assert result.draft.body.count(facts.opening.words) <= 1
        else:
            assert facts.opening is None
        assert result.draft.body.rstrip().endswith("Sam"), result.draft.body
    # the user's own occasion words lead instead of the plan's pick
    s = with_occasion[0]
    mine = DraftRequest(occasions=("your talk at PyCon",))
    result = draft_for(store, str(s.person_id), mine, now=NOW)
    assert result.facts.opening is None
    assert "your talk at PyCon" in result.draft.body
