"""Personal names: parsing, folding, nicknames, similarity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rekindle.identity.names import (
    PersonName,
    canonical_given,
    fold,
    formal_names,
    given_similarity,
    make_name,
    names_agree,
    names_compatible,
    names_conflict,
)


def name(full: str | None = None, **parts: str) -> PersonName:
    made = make_name(full, **parts)
    assert made is not None
    return made


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("José Müller", "jose muller"),
        ("STRAUß", "strauss"),
        ("Ødegaard", "odegaard"),
        ("Ærøskøbing", "aeroskobing"),
        ("Łukasik", "lukasik"),
        ("O'Brien", "obrien"),
        ("Jean-Luc  Picard", "jean luc picard"),
        ("Zoë", "zoe"),
        ("Þór", "thor"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("full", "given_", "family", "middle", "suffix"),
    [
        ("Jane Doe", "Jane", "Doe", "", ""),
        ("Doe, Jane", "Jane", "Doe", "", ""),
        ("DOE, JANE M.", "JANE", "DOE", "M.", ""),
        ("Dr. Jane Doe", "Jane", "Doe", "", ""),
        ("Jane Doe, PhD", "Jane", "Doe", "", "PhD"),
        ("Mr. John Smith Jr.", "John", "Smith", "", "Jr."),
        ("Anna van der Berg", "Anna", "van der Berg", "", ""),
        ("Madonna", "Madonna", "", "", ""),
    ],
)
def test_make_name_parses_full_names(
    full: str, given_: str, family: str, middle: str, suffix: str
) -> None:
    n = name(full)
    assert (n.given, n.family, n.middle, n.suffix) == (given_, family, middle, suffix)


def test_make_name_prefers_structured_parts_and_refuses_non_names() -> None:
    n = name("ignored", given="Jürgen", family="Müller", nickname="Jo")
    assert (n.given_key, n.family_key, n.nickname_key, n.first) == (
        "jurgen",
        "muller",
        "jo",
        "jurgen",
    )
    assert make_name("jane@example.com") is None
    assert make_name("   ") is None
    assert make_name(None, given="", family="") is None


@pytest.mark.parametrize(
    ("given_", "canonical"),
    [
        ("Bobby", "robert"),
        ("Bob", "robert"),
        ("Liam", "william"),
        ("Bill", "william"),
        ("Peggy", "margaret"),
        ("Sasha", "alexander"),
        ("Robert", "robert"),
        ("Catherine", "catherine"),  # a formal name of its own, and a spelling of Katherine
        ("Jürgen", "jurgen"),
        ("Xanthippe", "xanthippe"),
    ],
)
def test_canonical_given(given_: str, canonical: str) -> None:
    assert canonical_given(given_) == canonical


def test_formal_names_know_ambiguous_nicknames() -> None:
    assert {"alexander", "alexandra"} <= formal_names("sasha")
    assert {"christopher", "christine", "christina"} <= formal_names("chris")


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("John Smith", "John Smith", 1.0, 1.0),
        ("Bob Smith", "Robert Smith", 0.85, 0.95),
        ("Bill Jones", "William Jones", 0.85, 0.95),
        ("Will Jones", "Liam Jones", 0.85, 0.95),
        ("Kate Brown", "Katherine Brown", 0.85, 0.95),
        ("Catherine Zeta", "Katherine Zeta", 0.85, 0.95),
        ("J. Smith", "John Smith", 0.7, 0.8),
        ("Smith John", "John Smith", 0.9, 0.96),
        ("Smith, John", "John Smith", 1.0, 1.0),
        ("Jonh Smith", "John Smith", 0.85, 0.95),
        ("John Smiht", "John Smith", 0.85, 0.95),
        ("Rnoald Carter", "Ron Carter", 0.75, 0.85),  # a typo of the formal name
        ("John Michael Smith", "Michael Smith", 0.8, 0.9),  # goes by the middle name
        ("Mary Ann Jones", "Mary Jones", 0.9, 1.0),
        ("José Müller", "Jose Mueller", 0.85, 0.95),
        ("Anna van der Berg", "Anna Berg", 0.85, 0.95),
        ("Jane", "Jane Doe", 0.5, 0.7),  # a first name only
        ("Mary Smith", "Mark Smith", 0.0, 0.35),  # two names, not a typo
        ("Daniel Smith", "Daniela Smith", 0.0, 0.35),
        ("Mary Smith", "John Smith", 0.0, 0.35),
        ("Jane Doe", "Jane Smith", 0.0, 0.5),
        ("Dalton Brown", "Walton Green", 0.0, 0.3),
    ],
)
def test_names_compatible(a: str, b: str, low: float, high: float) -> None:
    score = names_compatible(name(a), name(b))
    assert low <= score <= high, score
    assert names_compatible(name(b), name(a)) == score


def test_given_similarity_distinguishes_typos_from_other_names() -> None:
    assert given_similarity("jonh", "john") >= 0.85
    assert given_similarity("ojyce", "joyce") >= 0.85
    assert given_similarity("mary", "mark") <= 0.3
    assert given_similarity("ashley", "shirley") <= 0.3
    assert given_similarity("j", "john") == pytest.approx(0.75)
    assert given_similarity("j", "mary") == 0.0
    assert given_similarity("chris", "christoph") >= 0.8


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ("John Smith", "Mary Smith", True),  # a family: different first names
        ("John Smith", "Smith Mary", True),
        ("Ashley Brown", "Shirley Brown", True),
        ("Jane Doe", "Jane Smith", False),  # she married
        ("Bob Smith", "Robert Smith", False),
        ("Smith John", "John Smith", False),
        ("J. Smith", "John Smith", False),
        ("M. Smith", "John Smith", True),
        ("Ooe Smith", "Joe Smith", False),  # a typo is no contradiction
        ("Smith", "John Smith", False),  # one part only
        ("John Smith Jr.", "John Smith Sr.", True),
    ],
)
def test_names_conflict(a: str, b: str, conflict: bool) -> None:
    assert names_conflict(name(a), name(b)) is conflict
    assert names_conflict(name(b), name(a)) is conflict


def test_names_agree_is_strict_enough_for_a_shared_phone() -> None:
    assert names_agree(name("Bob Smith"), name("Robert Smith"))
    assert names_agree(name("Eddie"), name("Edward Whitfield"))  # a first name only, fitting
    assert names_agree(name("Debroah Calmore"), name("Deborah Calmone"))  # two typos
    assert not names_agree(name("J. Smith"), name("John Smith"))  # J. may be Jane
    assert not names_agree(name("Mary Smith"), name("John Smith"))
    assert not names_agree(name("Mary"), name("John Smith"))


# -- properties ----------------------------------------------------------------------------

GIVEN = ["John", "Jon", "Jonh", "Bob", "Robert", "Rob", "Mary", "Mark", "J.", "Liz", "Elizabeth",
         "Zoë", "Daniel", "Daniela", "Kate", "Catherine", "Sasha", "Alexandra", "Smith", ""]  # fmt: skip
FAMILY = ["Smith", "Smyth", "Smiht", "Doe", "Müller", "Mueller", "van der Berg", "Berg", "John", ""]

names_strategy = st.builds(
    lambda g, m, f, full: make_name(full or None, g or None, f or None, m or None),
    st.sampled_from(GIVEN),
    st.sampled_from(["", "Ann", "M."]),
    st.sampled_from(FAMILY),
    st.one_of(st.just(""), st.text(max_size=25)),
).filter(lambda n: n is not None)


@settings(max_examples=400)
@given(names_strategy, names_strategy)
def test_names_compatible_is_symmetric_and_bounded(a: PersonName, b: PersonName) -> None:
    score = names_compatible(a, b)
    assert 0.0 <= score <= 1.0
    assert names_compatible(b, a) == score
    assert names_conflict(a, b) == names_conflict(b, a)
    assert names_compatible(a, a) >= 0.95 or not a.given_key or not a.family_key


@settings(max_examples=300)
@given(st.text(max_size=30))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
