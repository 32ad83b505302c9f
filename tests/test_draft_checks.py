"""Each check on a draft: the finding is there when it should be, and only then."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from rekindle.compose.draft_checks import (
    CHECK_CODES,
    check_ask_too_soon,
    check_draft,
    check_filler,
    check_gap_acknowledged,
    check_length,
    check_name,
    check_occasion_named,
    check_personal_reference,
    check_placeholders,
    check_subject,
)
from rekindle.compose.draft_facts import (
    DraftFacts,
    Thread,
    clean_subject,
    first_name_of,
    news_words,
    value_first_since_reconnection,
)
from rekindle.engine.shared_context import SharedAffiliation

NOW = datetime(2025, 6, 1, tzinfo=UTC)
ANA = DraftFacts(
    full_name="Ana Costa",
    first_name="Ana",
    my_name="Robin Example",
    now=NOW,
    shared=(SharedAffiliation("Acme Corp", "work", 2015, 2018),),
    last_thread=Thread("Re: Lunch next week?", datetime(2022, 7, 3, tzinfo=UTC)),
    notes=("Met at PyCon 2019",),
    occasions=("started as Head of Product at Initech",),
    last_contact=datetime(2022, 7, 3, tzinfo=UTC),
)

GOOD = """Hi Ana,

It's been almost three years since we last wrote. I was thinking about our time at Acme
the other day. Would you be up for a 15-minute call?

Best,
Robin"""


def codes(findings: list) -> list[str]:
    return [f.code for f in findings]


def test_a_good_draft_has_no_findings() -> None:
    assert check_draft(GOOD, ANA, "email", "catch-up", subject="Acme days") == []


def test_every_finding_says_what_and_how_to_fix() -> None:
    bad = "Hi Maria, I hope this email finds you well. [Company] TODO " + "word " * 300
    found = check_draft(bad, replace(ANA, value_first=0), "email", "ask")
    assert set(codes(found)) >= {
        "no-personal-reference",
        "gap-not-acknowledged",
        "generic-filler",
        "ask-too-soon",
        "too-long",
        "unfilled-placeholder",
        "wrong-name",
        "no-subject",
    }
    for f in found:
        assert f.code in CHECK_CODES and f.what and f.fix


@pytest.mark.parametrize(
    "text",
    [
        "Still think of our ACME days.",
        "How did the lunch go, the one from next week?",  # the last thread's subject
        "I remember PyCon!",  # a word of the note
        "Congrats on Initech!",  # the occasion
    ],
)
def test_personal_reference_present(text: str) -> None:
    assert check_personal_reference(text, ANA) == []


def test_personal_reference_missing_names_what_to_mention() -> None:
    [f] = check_personal_reference("Hi Ana, how are you?", ANA)
    assert f.code == "no-personal-reference" and "Acme Corp (2015–2018)" in f.fix


def test_personal_reference_with_nothing_on_record_says_how_to_record_it() -> None:
    bare = DraftFacts(full_name="Bob Jones", first_name="Bob", now=NOW)
    [f] = check_personal_reference("Hi Bob", bare)
    assert "nothing shared" in f.what and "rekindle note" in f.fix
    assert check_personal_reference("Hi Bob", None) == []


@pytest.mark.parametrize(
    "text",
    [
        "It’s been ages!",
        "It has been a while.",
        "Since we last spoke, a lot happened.",
        "three years on",
    ],
)
def test_gap_acknowledged(text: str) -> None:
    assert check_gap_acknowledged(text, ANA) == []


def test_gap_not_acknowledged_after_a_long_silence_only() -> None:
    [f] = check_gap_acknowledged("Hi Ana, about Acme.", ANA)
    assert "almost three years" in f.what and "It's been almost three years" in f.fix
    recent = replace(ANA, last_contact=datetime(2025, 5, 1, tzinfo=UTC))
    assert check_gap_acknowledged("Hi Ana, about Acme.", recent) == []
    assert check_gap_acknowledged("Hi Ana", replace(ANA, last_contact=None)) == []


@pytest.mark.parametrize(
    "phrase",
    [
        "I hope this email finds you well",
        "Hope this message finds you well",
        "Just checking in",
        "just touching base",
        "Circling back",
        "I’m reaching out because",
    ],
)
def test_filler_found(phrase: str) -> None:
    [f] = check_filler(f"Hi Ana, {phrase}. More.")
    assert f.code == "generic-filler" and phrase.lower() in f.what.lower()


def test_no_filler_in_plain_words() -> None:
    assert check_filler("Hi Ana, I checked the Acme photos and thought of you.") == []


def test_ask_too_soon_by_intent_or_by_words() -> None:
    fresh = replace(ANA, value_first=1)
    [f] = check_ask_too_soon("Hi Ana", fresh, "ask")
    assert "1 value-first exchange " in f.what and "--allow-ask" in f.fix
    assert codes(check_ask_too_soon("Could you introduce me to your CTO?", fresh, "catch-up")) == [
        "ask-too-soon"
    ]
    assert check_ask_too_soon("Would you be up for a call?", fresh, "catch-up") == []


def test_ask_allowed_after_two_value_first_exchanges() -> None:
    assert check_ask_too_soon("Could you refer me?", replace(ANA, value_first=2), "ask") == []
    assert check_ask_too_soon("Could you refer me?", None, "ask") == []


def test_length_per_medium() -> None:
    assert check_length("x" * 300, "linkedin") == []
    [f] = check_length("x" * 301, "linkedin")
    assert "301 characters" in f.what and "LinkedIn" in f.what and "cut 1" in f.fix
    assert codes(check_length("x" * 321, "sms")) == ["too-long"]
    assert check_length("word " * 200, "email") == []
    assert "201 words" in check_length("word " * 201, "email")[0].what
    assert check_length("word " * 1000, "other") == []


@pytest.mark.parametrize(
    "text",
    [
        "Hi {{ first_name }}",
        "Hi [Name],",
        "at [Company name]",
        "Hi <first name>",
        "see XXX",
        "TODO",
        "{name}",
        "Link: [insert link]",
    ],
)
def test_placeholders_found(text: str) -> None:
    [f] = check_placeholders(text)
    assert f.code == "unfilled-placeholder"


def test_placeholders_in_the_subject_and_none_in_plain_text() -> None:
    assert codes(check_placeholders("fine", subject="About [Topic]")) == ["unfilled-placeholder"]
    assert check_placeholders("Hi Ana, see [1] and (this). Max 3 items; 10:30 works.") == []


@pytest.mark.parametrize(
    "greeting", ["Hi Ana,", "Dear Ms. Costa,", "Hello Ana Costa", "Hey there!", "Hi all,"]
)
def test_name_matches(greeting: str) -> None:
    assert check_name(f"{greeting}\n\nmore", ANA) == []


def test_nicknames_match_the_formal_name() -> None:
    bob = DraftFacts(full_name="Robert Jones", first_name="Robert", now=NOW)
    assert check_name("Hi Bob,", bob) == []


def test_wrong_name_found() -> None:
    [f] = check_name("Hi Maria,\n\nIt's been a while.", ANA)
    assert "Maria" in f.what and "Ana" in f.fix
    assert check_name("no greeting at all", ANA) == []
    assert check_name("Hi Maria", None) == []


def test_email_needs_a_subject() -> None:
    assert codes(check_subject("email", None)) == ["no-subject"]
    assert codes(check_subject("email", "  ")) == ["no-subject"]
    assert check_subject("email", "Acme days") == []
    assert check_subject("linkedin", None) == []


def test_congratulation_names_the_occasion() -> None:
    assert check_occasion_named("Congratulations on Initech!", ANA, "congratulate") == []
    assert check_occasion_named("Congrats on the new job!", None, "congratulate") == []
    assert codes(check_occasion_named("Congratulations!", ANA, "congratulate")) == [
        "occasion-not-named"
    ]
    assert check_occasion_named("Congratulations!", ANA, "catch-up") == []


def test_ignored_codes_are_left_out() -> None:
    found = check_draft(
        "Hi Ana", replace(ANA, value_first=0), "linkedin", "ask", ignore={"ask-too-soon"}
    )
    assert "ask-too-soon" not in codes(found)


def test_facts_helpers() -> None:
    assert first_name_of("Ana Costa") == "Ana"
    assert first_name_of("Robert 'Bob' Jones") == "Bob"
    assert first_name_of("ana@example.com") == ""
    assert clean_subject("Re: RE: Fwd: Lunch  next week?") == "Lunch next week?"
    assert ANA.gap == "almost three years" and ANA.long_gap and ANA.has_reference
    assert ANA.my_first_name == "Robin"


def test_value_first_counts_since_the_reconnection() -> None:
    d = lambda m, day=1: datetime(2025, m, day, tzinfo=UTC)  # noqa: E731
    assert value_first_since_reconnection([]) == 0
    assert value_first_since_reconnection([(d(1), "catch-up"), (d(2), "share")]) == 2
    assert value_first_since_reconnection([(d(1), "catch-up"), (d(2), "ask")]) == 1
    # a long silence starts a new reconnection
    assert (
        value_first_since_reconnection([(d(1), "catch-up"), (d(2), "share"), (d(9), "thank")]) == 1
    )


def test_news_words_drop_the_source_stamp() -> None:
    assert news_words("now CTO at Acme, was Engineer (vCard, 2 May 2026)") == "now CTO at Acme"
    assert news_words("started as CTO at Acme in March 2026 (LinkedIn, 2 May 2026)") == (
        "started as CTO at Acme in March 2026"
    )
    assert news_words("a new baby") == "a new baby"
