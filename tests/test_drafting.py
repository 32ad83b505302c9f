"""Rendering drafts from the shipped templates, user overrides, and template errors."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from rekindle.compose.draft_checks import check_draft, check_placeholders
from rekindle.compose.draft_facts import DraftFacts, Opening, Thread
from rekindle.compose.draft_templates import (
    INTENTS,
    MEDIA,
    TemplateSet,
    copy_defaults,
    shipped_names,
    template_name,
)
from rekindle.compose.drafting import clip, render_draft, split_subject
from rekindle.compose.opening import OPENING_INTENTS, opening_of
from rekindle.engine.occasions import Occasion
from rekindle.engine.shared_context import (
    Period,
    SharedAffiliation,
    organisation_key,
    shared_affiliations,
)
from rekindle.errors import UserError

NOW = datetime(2025, 6, 1, tzinfo=UTC)
RICH = DraftFacts(
    full_name="Ana Costa",
    first_name="Ana",
    my_name="Robin Example",
    now=NOW,
    shared=(SharedAffiliation("Acme Corp", "work", 2015, 2018, "Engineer"),),
    last_thread=Thread("Re: Lunch next week?", datetime(2022, 7, 3, tzinfo=UTC)),
    notes=("Met at PyCon 2019",),
    occasions=("started as Head of Product at Initech",),
    last_contact=datetime(2022, 7, 3, tzinfo=UTC),
    once_warm=True,
    value_first=2,
    my_role="CTO at Globex",
    topic="the pricing essay by Patrick",
)
#: a person known only by an address, with nothing on record
SPARSE = DraftFacts(full_name="bob@example.org", now=NOW)
LONG = "Supercalifragilistic " * 20
HUGE = DraftFacts(
    full_name="Maximiliana Wolfeschlegelsteinhausenbergerdorff " * 3,
    first_name="Maximiliana-Josefina",
    my_name="Bartholomew" * 4,
    now=NOW,
    shared=(SharedAffiliation(LONG, "work", 2015, 2018, LONG),),
    last_thread=Thread(LONG, NOW),
    notes=(LONG,),
    occasions=(LONG,),
    last_contact=datetime(2001, 1, 1, tzinfo=UTC),
    once_warm=True,
    topic=LONG,
    my_role=LONG,
)
#: the plan picked an occasion: the catch-up, offer, invitation and ask open with it
OPENED = replace(
    RICH,
    opening=opening_of(
        Occasion("moved", "moved:lisbon", NOW.date(), "moved from Berlin to Lisbon (vCard)", "v"),
        NOW.date(),
    ),
)
HUGE_OPENED = replace(HUGE, opening=Opening("new-job", LONG, LONG, LONG))
SHIPPED = TemplateSet.with_user_root(None)


def all_choices() -> list[tuple[str, str, int]]:
    return [
        (intent, medium, n)
        for intent in INTENTS
        for medium in MEDIA
        for n in SHIPPED.variants("en", intent, medium)
    ]


def test_every_intent_has_two_email_variants_and_every_medium() -> None:
    for intent in INTENTS:
        assert len(SHIPPED.variants("en", intent, "email")) >= 2, intent
        for medium in MEDIA:
            assert SHIPPED.variants("en", intent, medium), (intent, medium)


@pytest.mark.parametrize(("intent", "medium", "variant"), all_choices())
@pytest.mark.parametrize(
    "facts",
    [RICH, SPARSE, HUGE, OPENED, HUGE_OPENED],
    ids=["rich", "sparse", "huge", "opened", "huge-opened"],
)
def test_every_template_renders_within_its_medium(
    facts: DraftFacts, intent: str, medium: str, variant: int
) -> None:
    draft = render_draft(SHIPPED, facts, intent, medium, variant)
    assert draft.body and draft.variant == variant
    assert check_placeholders(draft.body, draft.subject) == []
    assert "  " not in draft.body and "None" not in draft.text()
    assert not any(f" {p}" in draft.body for p in ",.!?;")
    if medium == "email":
        assert draft.subject and "\n" not in draft.subject
    else:
        assert draft.subject is None
    if medium == "linkedin":
        assert len(draft.body) <= 300
    if medium == "sms":
        assert len(draft.body) <= 320
    if medium == "call":
        assert "Shared history" in draft.body and "Ask about" in draft.body
    codes = {f.code for f in check_draft(draft.body, facts, medium, intent, draft.subject)}
    assert not codes & {
        "too-long",
        "unfilled-placeholder",
        "wrong-name",
        "no-subject",
        "generic-filler",
    }
    if facts is RICH or facts is OPENED:
        assert not codes, (intent, medium, variant, codes, draft.text())
    if facts is OPENED:
        opens = "moved to Lisbon" in draft.body
        assert opens == (intent in OPENING_INTENTS), (intent, medium, draft.body)


def test_a_rich_catch_up_recalls_owns_the_gap_and_offers_a_call() -> None:
    draft = render_draft(SHIPPED, RICH, "catch-up", "email", 1)
    assert draft.body.startswith("Hi Ana,")
    assert "almost three years" in draft.body
    assert "Acme Corp (2015–2018)" in draft.body
    assert "15-minute call" in draft.body
    assert draft.body.rstrip().endswith("Robin")


def test_a_tie_that_was_never_warm_gets_no_call_proposal() -> None:
    draft = render_draft(SHIPPED, replace(RICH, once_warm=False), "catch-up", "email", 1)
    assert "15-minute" not in draft.body and "No need for a long reply" in draft.body


def test_the_call_brief_has_talking_points() -> None:
    brief = render_draft(SHIPPED, RICH, "congratulate", "call").body
    assert "Head of Product at Initech" in brief
    assert "- Last thread: “Lunch next week?” (July 2022)" in brief
    assert "- Your note: Met at PyCon 2019" in brief
    assert "CTO at Globex" in brief


def test_unknown_choices_are_user_errors() -> None:
    with pytest.raises(UserError, match="unknown intent"):
        render_draft(SHIPPED, RICH, "sell", "email")
    with pytest.raises(UserError, match="unknown medium"):
        render_draft(SHIPPED, RICH, "catch-up", "fax")
    with pytest.raises(UserError, match="no variant 9") as err:
        render_draft(SHIPPED, RICH, "catch-up", "email", 9)
    assert err.value.hint == "variants: 1, 2"
    with pytest.raises(UserError, match="language 'xx'"):
        render_draft(SHIPPED, RICH, "catch-up", "email", language="xx")


def test_user_templates_win_and_add_variants(tmp_path: Path) -> None:
    folder = tmp_path / "en" / "catch-up"
    folder.mkdir(parents=True)
    (folder / "email-1.txt.j2").write_text(
        "Subject: Mine\n\nHello {{ first_name }}, from my copy.\n"
    )
    (folder / "email-3.txt.j2").write_text("Subject: Third\n\n{{ first_name }}, variant three.\n")
    mine = TemplateSet.with_user_root(tmp_path)
    assert mine.variants("en", "catch-up", "email") == [1, 2, 3]
    one = render_draft(mine, RICH, "catch-up", "email", 1)
    assert one.subject == "Mine" and one.body == "Hello Ana, from my copy."
    assert one.template == str(folder / "email-1.txt.j2")
    assert render_draft(mine, RICH, "catch-up", "email", 3).body == "Ana, variant three."
    # the shipped variant 2 is still there, importing the shipped macros
    assert "Acme Corp" in render_draft(mine, RICH, "catch-up", "email", 2).body


def test_another_language_is_a_folder_beside_en(tmp_path: Path) -> None:
    folder = tmp_path / "fr" / "catch-up"
    folder.mkdir(parents=True)
    (folder / "sms-1.txt.j2").write_text("Salut {{ first_name }} !")
    mine = TemplateSet.with_user_root(tmp_path)
    assert "fr" in mine.languages()
    assert render_draft(mine, RICH, "catch-up", "sms", language="fr").body == "Salut Ana !"


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "en" / "thank"
    folder.mkdir(parents=True)
    bad = folder / "email-1.txt.j2"
    bad.write_text("Subject: Thanks\n\nHi {{ first_name }},\n{% if topic %}\nthanks\n")
    with pytest.raises(UserError) as err:
        render_draft(TemplateSet.with_user_root(tmp_path), RICH, "thank", "email", 1)
    assert str(bad) in err.value.message and "line 4" in err.value.message
    assert "endif" in err.value.message


def test_an_unknown_variable_names_the_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "en" / "thank"
    folder.mkdir(parents=True)
    bad = folder / "email-1.txt.j2"
    bad.write_text("Subject: Thanks\n\nHi {{ first_name }},\n\n{{ nickname }}\n")
    with pytest.raises(UserError) as err:
        render_draft(TemplateSet.with_user_root(tmp_path), RICH, "thank", "email", 1)
    assert f"{bad}, line 5" in err.value.message and "'nickname' is undefined" in err.value.message


def test_the_sandbox_refuses_python_internals(tmp_path: Path) -> None:
    folder = tmp_path / "en" / "thank"
    folder.mkdir(parents=True)
    (folder / "sms-1.txt.j2").write_text("{{ first_name.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(UserError, match="unsafe|not safely|__class__"):
        render_draft(TemplateSet.with_user_root(tmp_path), RICH, "thank", "sms", 1)


def test_copying_the_defaults_keeps_user_edits(tmp_path: Path) -> None:
    copied, kept = copy_defaults(tmp_path)
    assert len(copied) == len(shipped_names()) and not kept
    edited = tmp_path / template_name("en", "ask", "sms", 1)
    edited.write_text("mine")
    copied, kept = copy_defaults(tmp_path)
    assert not copied and edited in kept and edited.read_text() == "mine"
    copied, _ = copy_defaults(tmp_path, force=True)
    assert edited in copied and edited.read_text() != "mine"


def test_split_subject_and_clip() -> None:
    assert split_subject("\nSubject: Hi there\n\nBody\n") == ("Hi there", "Body")
    assert split_subject("Body only") == (None, "Body only")
    assert clip("short", 10) == "short"
    assert clip("one two three four five", 12) == "one two…"
    assert len(clip("x" * 100, 20)) == 20


def test_shared_affiliations_overlap() -> None:
    today = date(2025, 6, 1)
    mine = [
        Period("ACME Corp.", start=date(2014, 3, 1), end=date(2018, 6, 1)),
        Period("Globex", start=date(2019, 1, 1)),
        Period("Initech", start=date(2001, 1, 1), end=date(2003, 1, 1)),
        Period("University of Porto", kind="school"),
    ]
    theirs = [
        Period("Acme", title="Engineer", start=date(2015, 1, 1), end=date(2020, 1, 1)),
        Period("The Globex Corporation", start=date(2021, 5, 1)),
        Period("Initech", start=date(2010, 1, 1)),  # after I left: not shared
        Period("University of Porto"),
    ]
    found = shared_affiliations(mine, theirs, today)
    assert [(s.organisation, s.years) for s in found] == [
        ("The Globex Corporation", "since 2021"),
        ("Acme", "2015–2018"),
        ("University of Porto", ""),
    ]
    assert found[1].their_title == "Engineer"
    assert organisation_key("The ACME Corp., Ltd") == "acme"
