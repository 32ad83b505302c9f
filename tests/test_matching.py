"""Identity resolution: automatic merges on exact identities, suggestions by blocking."""

from __future__ import annotations

import random
import time

import pytest

import rekindle.identity.suggest as suggest
from rekindle.identity.matching import (
    Profile,
    Resolution,
    Resolver,
    is_free_mail,
    is_role_address,
    org_key,
    profile_from_record,
)
from rekindle.identity.records import AffiliationRecord, ContactRecord, RawIdentity


def record(
    full: str | None = None,
    *idents: tuple[str, str],
    org: str | None = None,
    source: str = "test",
    **fields: str,
) -> ContactRecord:
    rec = ContactRecord(source=source, locator=f"{source}:1", payload="", full_name=full, **fields)  # type: ignore[arg-type]
    rec.identities = [RawIdentity(kind, value) for kind, value in idents]  # type: ignore[arg-type]
    if org:
        rec.affiliations.append(AffiliationRecord(org))
    return rec


def profile(full: str | None = None, *idents: tuple[str, str], **kw: str) -> Profile:
    return profile_from_record(record(full, *idents, **kw), "US")


class Pipeline:
    """What an importer does: resolve, merge what also_merge names, register."""

    def __init__(self) -> None:
        self.resolver = Resolver()
        self.next_id = 1
        self.members: dict[int, list[str]] = {}

    def add(self, label: str, prof: Profile) -> Resolution:
        res = self.resolver.resolve(prof)
        if res.person_id is None:
            pid, self.next_id = self.next_id, self.next_id + 1
            self.members[pid] = []
        else:
            pid = res.person_id
            for other in res.also_merge:
                self.members[pid] += self.members.pop(other)
                self.resolver.merged(other, pid)
        self.members[pid].append(label)
        self.resolver.register(pid, prof)
        return res

    def person_of(self, label: str) -> int:
        return next(pid for pid, labels in self.members.items() if label in labels)


def test_free_mail_role_addresses_and_organisations() -> None:
    assert is_free_mail("gmail.com") and is_free_mail("yahoo.co.uk") and is_free_mail("web.de")
    assert is_free_mail("hotmail.fr") and is_free_mail("gmx.net")
    assert not is_free_mail("acme.com")
    assert is_role_address("info") and is_role_address("sales-emea") and is_role_address("team")
    assert not is_role_address("jane.doe")
    assert org_key("ACME, Inc.") == org_key("Acme") == "acme"


def test_profile_from_record() -> None:
    p = profile(
        "Dr. Jane Doe",
        ("email", "Jane.Doe@Acme.com"),
        ("email", "jane@gmail.com"),
        ("email", "info@other.org"),
        ("phone", "(415) 555-0123"),
        org="Acme Corp.",
    )
    assert [n.full for n in p.names] == ["Jane Doe"]
    assert [i.value for i in p.identities] == [
        "jane.doe@acme.com",
        "jane@gmail.com",
        "info@other.org",
        "+14155550123",
    ]
    assert p.domains == ["acme.com"]  # not free mail, not a role address
    assert p.organisations == {"acme": "Acme Corp."}
    assert p.sources == ["test"]


def test_exact_email_merges_across_case_and_gmail_dots() -> None:
    pipe = Pipeline()
    first = pipe.add("a", profile("Jane Doe", ("email", "Jane.Doe@gmail.com")))
    assert first.person_id is None and first.rule == "new"
    res = pipe.add("b", profile("DOE, JANE", ("email", "mailto:JANEDOE+news@googlemail.com")))
    assert res.person_id == 1
    assert res.rule == "exact-email"
    assert res.evidence == "same email janedoe+news@googlemail.com"
    # a record without a name is no contradiction
    assert pipe.add("c", profile(None, ("email", "jane.doe@gmail.com"))).person_id == 1


def test_exact_email_with_clearly_different_names_does_not_merge() -> None:
    pipe = Pipeline()
    pipe.add("john", profile("John Smith", ("email", "smiths@example.com")))
    res = pipe.add("mary", profile("Mary Smith", ("email", "smiths@example.com")))
    assert res.person_id is None  # a couple sharing an address
    # a record without a name cannot say which of the two it is
    res = pipe.add("x", profile(None, ("email", "smiths@example.com")))
    assert res.person_id is None and res.rule == "ambiguous"
    # one that names one of them joins that one
    res = pipe.add("m2", profile("Mary Smith", ("email", "smiths@example.com")))
    assert res.person_id == pipe.person_of("mary")
    assert res.also_merge == []


def test_role_address_does_not_merge_colleagues() -> None:
    pipe = Pipeline()
    pipe.add("ann", profile("Ann Lee", ("email", "info@acme.com")))
    res = pipe.add("bob", profile("Bob Stone", ("email", "Info@Acme.com")))
    assert res.person_id is None
    res = pipe.add("ann2", profile("Ann Lee", ("email", "info@acme.com")))
    assert res.person_id == pipe.person_of("ann")
    assert res.rule == "exact-email+name"
    assert pipe.resolver.suggestions() == []


def test_phone_with_compatible_names_merges() -> None:
    pipe = Pipeline()
    pipe.add("a", profile("Robert Smith", ("phone", "(415) 555-0123")))
    res = pipe.add("b", profile("Bob Smith", ("phone", "+1 415 555 0123")))
    assert res.person_id == 1
    assert res.rule == "exact-phone+name"
    assert "Bob Smith ~ Robert Smith" in res.evidence


def test_phone_with_a_different_name_is_only_a_suggestion() -> None:
    pipe = Pipeline()
    pipe.add("a", profile("John Smith", ("phone", "(415) 555-0123")))
    res = pipe.add("b", profile("J. Smith", ("phone", "415.555.0123")))
    assert res.person_id is None  # J. may be Jane, who shares the landline
    (sugg,) = pipe.resolver.suggestions()
    assert (sugg.a, sugg.b) == (1, 2)
    assert sugg.rule == "shared-phone"
    assert any("same phone +1 415-555-0123" in r for r in sugg.reasons)
    assert any("J. Smith" in r and "John Smith" in r for r in sugg.reasons)


def test_family_landline_neither_merges_nor_suggests() -> None:
    pipe = Pipeline()
    pipe.add("john", profile("John Smith", ("phone", "(415) 555-0123")))
    res = pipe.add("mary", profile("Mary Smith", ("phone", "(415) 555-0123")))
    assert res.person_id is None
    assert pipe.resolver.suggestions() == []


def test_profile_urls_merge_in_all_their_forms() -> None:
    pipe = Pipeline()
    pipe.add("a", profile("Jane Doe", ("url", "https://www.linkedin.com/in/jane-doe-42?trk=x")))
    res = pipe.add("b", profile("Jane Q. Doe", ("url", "http://de.linkedin.com/in/Jane-Doe-42/")))
    assert (res.person_id, res.rule) == (1, "exact-url")


def test_a_record_proving_two_persons_one_asks_to_merge_them() -> None:
    pipe = Pipeline()
    pipe.add("mail", profile("Jane Doe", ("email", "jane@acme.com")))
    pipe.add("linkedin", profile("Jane Doe", ("url", "linkedin.com/in/janedoe")))
    pipe.add("phone", profile("Jane Doe", ("phone", "(415) 555-0123")))
    assert len(pipe.members) == 3
    res = pipe.add(
        "vcard",
        profile(
            "Jane Doe",
            ("email", "JANE@acme.com"),
            ("url", "https://www.linkedin.com/in/JaneDoe/"),
            ("phone", "+14155550123"),
        ),
    )
    assert res.person_id == 1
    assert res.also_merge == [2, 3]
    assert "also person 2" in res.evidence
    assert pipe.members == {1: ["mail", "linkedin", "phone", "vcard"]}
    # the index follows the merge: every identity now leads to person 1
    assert pipe.resolver.holders("url", "https://www.linkedin.com/in/janedoe") == [1]
    res = pipe.add("again", profile("Jane Doe", ("phone", "415-555-0123")))
    assert res.person_id == 1 and res.also_merge == []


def test_unregister_forgets_a_person() -> None:
    pipe = Pipeline()
    pipe.add("a", profile("Jane Doe", ("email", "jane@acme.com")))
    pipe.resolver.unregister(1)
    assert 1 not in pipe.resolver
    assert pipe.resolver.resolve(profile("Jane Doe", ("email", "jane@acme.com"))).person_id is None


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("Bob Smithers", "Robert Smithers", "names match (Bob Smithers ~ Robert Smithers)"),
        ("Katherine Okafor", "Kate Okafor", "names match (Katherine Okafor ~ Kate Okafor)"),
        ("Jonathan Pemberton", "Jonathan Pembertn", "names match"),
        ("Pemberton Jonathan", "Jonathan Pemberton", "names match"),
        ("Ojyce Winland", "Joyce Winland", "names match"),
    ],
)
def test_fuzzy_names_become_suggestions_with_reasons(a: str, b: str, reason: str) -> None:
    pipe = Pipeline()
    pipe.add("a", profile(a, ("phone", "(415) 555-0100")))
    pipe.add("b", profile(b, ("email", "someone@example.org")))
    assert len(pipe.members) == 2
    (sugg,) = pipe.resolver.suggestions()
    assert (sugg.a, sugg.b, sugg.rule) == (1, 2, "name")
    assert 0.6 <= sugg.score <= 1.0
    assert any(r.startswith(reason) for r in sugg.reasons), sugg.reasons


def test_shared_employer_and_address_spelling_the_name() -> None:
    pipe = Pipeline()
    pipe.add("li", profile("Ann Pemberton", ("url", "linkedin.com/in/annp"), org="Acme Inc."))
    pipe.add("mail", profile(None, ("email", "apemberton@acme.com")))
    (sugg,) = pipe.resolver.suggestions()
    assert sugg.rule == "name+org"
    assert "address fits the name (apemberton@… ~ Ann Pemberton)" in sugg.reasons
    assert "both at Acme Inc." in sugg.reasons


def test_suggestions_are_deterministic_and_sorted() -> None:
    rng = random.Random(3)
    given = ["John", "Jon", "Jane", "Robert", "Bob", "Mary", "Liz", "Elizabeth", "Kate"]
    family = ["Smith", "Smyth", "Jones", "Okafor", "Pemberton", "Lee", "Nguyen"]
    profiles = [
        profile(f"{rng.choice(given)} {rng.choice(family)}", ("phone", f"+1415555{i:04d}"))
        for i in range(300)
    ]

    def run(order: list[int]) -> list[tuple[int, int, float, str, list[str]]]:
        resolver = Resolver()
        for i in order:
            resolver.register(i + 1, profiles[i])
        return [(s.a, s.b, s.score, s.rule, s.reasons) for s in resolver.suggestions()]

    ids = list(range(len(profiles)))
    first = run(ids)
    rng.shuffle(ids)
    assert run(ids) == first
    assert first, "common names should give suggestions"
    assert all(a < b for a, b, *_ in first)
    scores = [s for _, _, s, *_ in first]
    assert scores == sorted(scores, reverse=True)


def test_suggestions_for_some_persons_only() -> None:
    pipe = Pipeline()
    for i, n in enumerate(["Bob Smithers", "Robert Smithers", "Kate Okafor", "Katherine Okafor"]):
        pipe.add(str(i), profile(n, ("phone", f"+1415555{i:04d}")))
    assert {(s.a, s.b) for s in pipe.resolver.suggestions()} == {(1, 2), (3, 4)}
    assert {(s.a, s.b) for s in pipe.resolver.suggestions([4])} == {(3, 4)}


def test_blocking_finds_the_pair_without_comparing_all_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz"
    resolver = Resolver()
    n = 3000
    for pid in range(1, n + 1):
        given_ = "".join(rng.choice(letters) for _ in range(6)).title()
        family = "".join(rng.choice(letters) for _ in range(8)).title()
        resolver.register(pid, profile(f"{given_} {family}", ("phone", f"+1212555{pid:04d}")))
    resolver.register(n + 1, profile("Zebulon Quartermaine", ("email", "zq@example.org")))
    resolver.register(n + 2, profile("Zeb Quartermane", ("phone", "+13125550000")))
    calls = 0
    real = suggest.score_pair

    def counting(*args: object, **kw: object) -> tuple[float, str, list[str]]:
        nonlocal calls
        calls += 1
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(suggest, "score_pair", counting)
    found = resolver.suggestions()
    assert [(s.a, s.b) for s in found] == [(n + 1, n + 2)]
    assert calls < n, f"{calls} comparisons for {n} persons"


def test_a_huge_block_of_one_common_name_stays_fast() -> None:
    resolver = Resolver()
    for pid in range(1, 2001):
        resolver.register(pid, profile("John Smith", ("phone", f"+1646555{pid:04d}")))
    start = time.perf_counter()
    found = resolver.suggestions()
    assert time.perf_counter() - start < 10
    # every John Smith is compared with a few neighbours only, and the name is common
    assert len(found) < 2000 * 15
    assert all(any("common name" in r for r in s.reasons) for s in found)
