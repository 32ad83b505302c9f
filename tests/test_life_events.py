"""Life events from two versions of a contact's data, and from the domains they write from."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rekindle.engine.life_events import base_domain, life_events_between, new_email_domain

SEEN = date(2026, 11, 2)


def card(*affs: dict[str, Any], addresses: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"affiliations": list(affs), "addresses": addresses or []}


def job(org: str, title: str | None = None, start: str | None = None, end: str | None = None,
        kind: str = "work") -> dict[str, Any]:  # fmt: skip
    return {"organisation": org, "title": title, "start": start, "end": end, "kind": kind}


def home(city: str | None, country: str | None = None, label: str = "home") -> dict[str, Any]:
    return {"label": label, "city": city, "country": country}


def test_new_organisation_is_a_new_job() -> None:
    events = life_events_between(
        card(job("Acme", "Engineer")),
        card(job("Globex", "Head of Product")),
        SEEN,
        "linkedin",
    )
    assert len(events) == 1
    event = events[0]
    assert event.kind == "new-job"
    assert event.key == "new-job:globex:2026-11-02"
    assert event.on_date == SEEN and event.source == "linkedin"
    assert event.detail == "started as Head of Product at Globex (LinkedIn export, 2 Nov 2026)"


def test_new_job_with_a_start_date_and_the_old_one_ended() -> None:
    old = card(job("Acme", "Engineer", "2019-01-01"))
    new = card(
        job("Acme", "Engineer", "2019-01-01", "2026-09-30"), job("Globex", None, "2026-10-01")
    )
    [event] = life_events_between(old, new, SEEN, "vcard")
    assert event.detail == "joined Globex in Oct 2026 (vCard, 2 Nov 2026)"


def test_back_at_a_former_employer_is_a_new_job() -> None:
    old = card(job("Lattice", "Analyst", "2012-09-10", "2016-05-10"), job("Foxglove", "Director"))
    new = card(
        job("Lattice", "Analyst", "2012-09-10", "2016-05-10"),
        job("Foxglove", "Director", None, "2026-10-13"),
        job("Lattice", "Chief of Staff", "2026-10-13"),
    )
    [event] = life_events_between(old, new, SEEN, "vcard")
    assert event.kind == "new-job"
    assert event.detail.startswith("returned as Chief of Staff at Lattice in Oct 2026")


def test_new_title_at_the_same_organisation_is_a_new_role() -> None:
    [event] = life_events_between(
        card(job("Acme Corp", "Senior PM")),
        card(job("ACME, Inc.", "Director of Product")),
        SEEN,
        "vcard",
    )
    assert event.kind == "new-role"
    assert event.key == "new-role:acme:2026-11-02"
    assert (
        event.detail == "now Director of Product at ACME, Inc., was Senior PM (vCard, 2 Nov 2026)"
    )


def test_founder_title_at_a_new_organisation_is_a_new_company() -> None:
    [event] = life_events_between(
        card(job("Acme", "Engineer")), card(job("Davis Labs", "Founder & CEO")), SEEN, "vcard"
    )
    assert event.kind == "new-company"
    assert event.detail.startswith("founded Davis Labs as Founder & CEO")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (card(job("Acme", "Engineer")), card(job("Acme", "Engineer"))),  # unchanged
        (card(), card(job("Acme", "Engineer"))),  # organisation filled in
        (card(job("Acme")), card(job("Acme", "Engineer"))),  # title filled in
        (card(job("Acme", "engineer")), card(job("Acme", "Engineer"))),  # case only
        (card(job("Acme Corp", "CTO")), card(job("ACME Corporation", "CTO"))),  # renamed
        (card(job("Acme", "CTO")), card(job("Acme", "CTO", end="2026-10-01"))),  # left, no news
        (card(job("Acme")), card(job("Globex", start="2023-02-01"))),  # started long ago
        (card(job("MIT", "BSc", kind="school")), card(job("Oxford", "MBA", kind="school"))),
    ],
)
def test_not_life_events(old: dict[str, Any], new: dict[str, Any]) -> None:
    assert life_events_between(old, new, SEEN, "vcard") == []


def test_a_new_city_is_a_move() -> None:
    [event] = life_events_between(
        card(addresses=[home("Berlin", "Germany")]),
        card(addresses=[home("Lisbon", "Portugal")]),
        SEEN,
        "vcard",
    )
    assert event.kind == "moved"
    assert event.key == "moved:lisbon:2026-11-02"
    assert event.detail == "moved from Berlin, Germany to Lisbon, Portugal (vCard, 2 Nov 2026)"
    [same_country] = life_events_between(
        card(addresses=[home("Berlin", "DE")]), card(addresses=[home("Munich", "DE")]), SEEN, "x"
    )
    assert same_country.kind == "moved"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ([], [home("Lisbon", "Portugal")]),  # address filled in
        ([home("London", "UK")], [home("London", "United Kingdom")]),  # same place, other words
        ([home("Berlin")], [home("Berlin", "Germany")]),  # country filled in
        ([home(None, "Germany")], [home("Berlin", "Germany")]),  # city filled in
        ([home("Berlin", "Germany")], [home("Paris", "France", label="work")]),  # an office
        ([home("Berlin", "Germany")], []),  # address dropped
    ],
)
def test_not_moves(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
    assert life_events_between(card(addresses=old), card(addresses=new), SEEN, "vcard") == []


def test_new_work_domain_in_mail() -> None:
    event = new_email_domain(
        {"ana@acme.com": date(2019, 5, 1), "ana@mail.acme.com": date(2024, 1, 1),
         "ana.costa@newco.io": date(2026, 10, 20)},
        SEEN,
    )  # fmt: skip
    assert event is not None
    assert event.kind == "new-email-domain"
    assert event.key == "new-email-domain:newco.io"
    assert event.on_date == date(2026, 10, 20)
    assert event.detail == (
        "writes from newco.io now, before from acme.com (first mail from newco.io 20 Oct 2026)"
    )


@pytest.mark.parametrize(
    "first_sent",
    [
        {"ana@acme.com": date(2019, 5, 1)},  # one domain only
        {"ana@acme.com": date(2019, 5, 1), "ana@mail.acme.com": date(2026, 10, 20)},  # same org
        {"ana@acme.com": date(2019, 5, 1), "ana.costa@gmail.com": date(2026, 10, 20)},  # free mail
        {"ana@acme.com": date(2019, 5, 1), "ana@newco.io": date(2026, 8, 1)},  # not lately
        {"ana@acme.com": date(2026, 10, 20), "ana@newco.io": date(2026, 10, 20)},  # same day
    ],
)
def test_not_new_email_domains(first_sent: dict[str, date]) -> None:
    assert new_email_domain(first_sent, SEEN) is None


def test_base_domains() -> None:
    assert base_domain("mail.acme.com") == "acme.com"
    assert base_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert base_domain("ACME.COM.") == "acme.com"
