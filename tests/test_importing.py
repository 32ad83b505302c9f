"""The import service on both databases: merging, idempotence, updates, edits, strictness."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from rekindle.errors import StrictImportError, UserError
from rekindle.identity.records import (
    AffiliationRecord,
    ContactRecord,
    InteractionRecord,
    RawIdentity,
    RecordError,
)
from rekindle.services import people as people_svc
from rekindle.services.import_interactions import INTERACTIONS_AT_ONCE
from rekindle.services.importing import import_items
from rekindle.store import Store
from rekindle.store.schema import (
    identity,
    interaction,
    interaction_person,
    metadata,
    person,
    source_record,
)

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def contact(
    n: int,
    name: str,
    email: str | None = None,
    *,
    source: str = "test",
    uid: str | None = None,
    org: str | None = None,
    title: str | None = None,
    phone: str | None = None,
) -> ContactRecord:
    idents = []
    if email:
        idents.append(RawIdentity("email", email))
    if phone:
        idents.append(RawIdentity("phone", phone))
    affs = [AffiliationRecord(org, title)] if org else []
    return ContactRecord(
        source=source,
        locator=f"test.vcf:{n}",
        payload=f"card {n}",
        source_id=uid,
        full_name=name,
        identities=idents,
        affiliations=affs,
    )


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    with store.read() as conn:
        return {
            t.name: sorted((tuple(str(v) for v in row) for row in conn.execute(select(t))), key=str)
            for t in metadata.sorted_tables
            if t.name not in ("import_run",)
        }


def people_count(store: Store) -> int:
    with store.read() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(person)
                .where(person.c.merged_into.is_(None), person.c.is_me.is_(False))
            ).scalar()
            or 0
        )


def test_exact_email_merges_across_sources_and_explains_why(store: Store) -> None:
    report = import_items(
        store,
        [
            contact(1, "Alice Smith", "Alice.Smith@Example.com", source="vcard", org="Acme"),
            contact(
                2,
                "Alice Smith",
                "alice.smith@example.com",
                source="google_csv",
                phone="+44 20 7946 0018",
            ),
            contact(3, "Bob Jones", "bob@example.org"),
        ],
        "t",
        "test",
        now=NOW,
    )
    assert (report.new, report.merged, report.contacts) == (2, 1, 3)
    assert people_count(store) == 2
    view = people_svc.show(store, "alice.smith@example.com")
    assert view.name == "Alice Smith"
    assert {r["source"] for r in view.records} == {"vcard", "google_csv"}
    merged = [r for r in view.records if r["source"] == "google_csv"][0]
    assert merged["rule"] == "exact-email"
    assert "alice.smith@example.com" in merged["evidence"].lower()
    assert {i["kind"] for i in view.identities} == {"email", "phone"}


def test_reimport_changes_nothing(store: Store) -> None:
    items = [
        contact(1, "Alice Smith", "alice@example.com", uid="u1"),
        contact(2, "Bob Jones", "bob@example.org"),
    ]
    import_items(store, items, "t", "test", now=NOW)
    before = snapshot(store)
    again = import_items(store, items, "t", "test", now=NOW)
    assert again.unchanged == 2 and again.new == 0 and again.merged == 0
    assert snapshot(store) == before


def test_changed_record_updates_in_place_and_user_edits_win(store: Store) -> None:
    import_items(
        store,
        [contact(1, "Alice Smith", "alice@example.com", uid="u1", org="Acme", title="Engineer")],
        "t",
        "test",
        now=NOW,
    )
    people_svc.edit(store, "alice@example.com", {"name": "Ally Smith"}, [], [])
    report = import_items(
        store,
        [contact(1, "Alice Smith-Jones", "alice@example.com", uid="u1", org="Globex", title="CTO")],
        "t",
        "test",
        now=NOW,
    )
    assert report.updated == 1 and report.new == 0
    view = people_svc.show(store, "alice@example.com")
    assert view.name == "Ally Smith"  # the user's edit survives the re-import
    assert [a["organisation"] for a in view.affiliations] == ["Globex"]
    assert len(view.records) == 1


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("1970-02-30", "is not a date"),
        ("0000-00-00", "is not a date"),
        ("--13-45", "is not a date"),
        ("0000-01-01", "is not a year of birth"),
        ("2027-01-01", "is not a year of birth"),
        ("2026-11-02", "is in the future"),
        ("someday", "is not a date"),
    ],
)
def test_an_edited_birthday_is_a_real_day_in_the_past(
    store: Store, given: str, problem: str
) -> None:
    import_items(store, [contact(1, "Alice Smith", "alice@example.com")], "t", "test", now=NOW)
    with pytest.raises(UserError, match=problem):
        people_svc.edit(store, "alice@example.com", {"birthday": given}, [], [], now=NOW)
    assert people_svc.show(store, "alice@example.com").birthday is None
    for fine in ("2024-02-29", "--02-29", "1990-07-14", "2026-11-01"):
        assert (
            people_svc.edit(
                store, "alice@example.com", {"birthday": fine}, [], [], now=NOW
            ).birthday
            == fine
        )


def test_a_person_shows_each_address_and_stint_once_however_many_records_hold_it(
    store: Store,
) -> None:
    """Two sources agree on the address and phone and on the first job; the later one knows the
    second job ended: the person shows each once, the job as ended."""
    from datetime import date

    first = contact(1, "Eric Davis", "eric@foxglove.com", source="a", phone="+1 617 555 8524")
    first.affiliations = [
        AffiliationRecord("Foxglove", "Analyst", start=date(2015, 10, 13), end=date(2021, 9, 9)),
        AffiliationRecord("Parallax Bio", "CFO", start=date(2021, 10, 12)),
    ]
    first.note = "Shipped the launch together"
    later = contact(2, "Eric Davis", "eric@foxglove.com", source="b", phone="+1 617 555 8524")
    later.affiliations = [
        AffiliationRecord("Foxglove", "Analyst", start=date(2015, 10, 13), end=date(2021, 9, 9)),
        AffiliationRecord("parallax bio", "CFO", start=date(2021, 10, 12), end=date(2026, 11, 15)),
        AffiliationRecord("Davis Labs", "Founder", start=date(2026, 11, 15)),
    ]
    later.note = "Shipped the launch together"
    import_items(store, [first], "a", "test", now=NOW)
    import_items(store, [later], "b", "test", now=NOW)
    view = people_svc.show(store, "eric@foxglove.com")
    assert len(view.records) == 2
    assert [(i["kind"], i["key"]) for i in view.identities] == [
        ("email", "eric@foxglove.com"),
        ("phone", "+16175558524"),
    ]
    assert sorted((a["organisation"].casefold(), a["end"]) for a in view.affiliations) == [
        ("davis labs", None),
        ("foxglove", "2021-09-09"),
        ("parallax bio", "2026-11-15"),
    ]
    assert [n["text"] for n in view.notes] == ["Shipped the launch together"]


def test_the_people_list_shows_your_edited_organisation_and_title(store: Store) -> None:
    from rekindle.services import people_filters

    import_items(
        store,
        [
            contact(
                1, "Alice Smith", "alice@example.com", org="Atlas Freight", title="Clinical Lead"
            )
        ],
        "t",
        "test",
        now=NOW,
    )
    people_svc.edit(
        store, "alice@example.com", {"organisation": "Acme Corp", "title": "Boss"}, [], [], now=NOW
    )
    [row] = people_filters.find_people(store, people_filters.PeopleFilters(), NOW)
    assert (row["organisation"], row["title"]) == ("Acme Corp", "Boss")
    people_svc.edit(store, "alice@example.com", {"title": None}, [], [], now=NOW)
    [row] = people_filters.find_people(store, people_filters.PeopleFilters(), NOW)
    assert (row["organisation"], row["title"]) == ("Acme Corp", "Clinical Lead")


def test_bad_records_are_reported_and_good_ones_imported(store: Store) -> None:
    items = [
        contact(1, "Alice", "alice@example.com"),
        RecordError("test", "test.vcf:9", "no END:VCARD"),
        contact(2, "Bob", "bob@example.com"),
    ]
    report = import_items(store, items, "t", "test", now=NOW)
    assert report.skipped == 1 and report.new == 2
    assert "test.vcf:9" in str(report.errors[0])
    assert "1 skipped" in report.summary()


def test_strict_stops_and_stores_nothing(store: Store) -> None:
    before = snapshot(store)
    items = [contact(1, "Alice", "alice@example.com"), RecordError("test", "test.vcf:9", "broken")]
    with pytest.raises(StrictImportError):
        import_items(store, items, "t", "test", strict=True, now=NOW)
    assert snapshot(store) == before


def test_name_lookup_is_ambiguous_for_two_people(store: Store) -> None:
    from rekindle.errors import AmbiguousError

    import_items(
        store,
        [contact(1, "John Smith", "john1@a.com"), contact(2, "John Smith", "john2@b.com")],
        "t",
        "test",
        now=NOW,
    )
    with pytest.raises(AmbiguousError) as err:
        people_svc.show(store, "John Smith")
    assert len(err.value.candidates) == 2


def test_identities_are_stored_normalised(store: Store) -> None:
    import_items(
        store,
        [contact(1, "Al", " ALICE@Example.COM ", phone="+1 (415) 555-0100")],
        "t",
        "test",
        now=NOW,
    )
    with store.read() as conn:
        values = {
            (r.kind, r.value) for r in conn.execute(select(identity.c.kind, identity.c.value))
        }
        records = conn.execute(select(func.count()).select_from(source_record)).scalar()
    assert ("email", "alice@example.com") in values
    assert ("phone", "+14155550100") in values
    assert records == 1


def test_tags_and_notes(store: Store) -> None:
    import_items(store, [contact(1, "Alice", "alice@example.com")], "t", "test", now=NOW)
    people_svc.tag(store, ["alice@example.com"], ["climbing", "fintech"], [])
    people_svc.tag(store, ["alice@example.com"], [], ["climbing"])
    people_svc.add_note(store, "Alice", "Met at PyCon 2019")
    view = people_svc.show(store, "alice@example.com")
    assert view.tags == ["fintech"]
    assert [n["text"] for n in view.notes] == ["Met at PyCon 2019"]
    assert [r["name"] for r in people_svc.list_people(store, tag_name="fintech")] == ["Alice"]
    assert [
        r["name"] for r in people_svc.list_people(store, "pycon")
    ] == []  # notes are not searched here


def test_interactions_join_the_people_known_when_they_come(store: Store) -> None:
    def met(n: int, *emails: str) -> InteractionRecord:
        return InteractionRecord(
            source="test", locator=f"cal.ics:{n}", when=NOW, channel="meeting",
            direction="both", participants=[RawIdentity("email", e) for e in emails],
            source_id=f"m{n}", group_size=len(emails),
        )  # fmt: skip

    items = [
        met(1, "ann@example.com"),  # before Ann is known: nobody on it, not stored
        contact(1, "Ann Archer", "ANN@example.com"),
        met(2, "ann@example.com", "nobody@example.com"),
        met(2, "ann@example.com"),  # the same meeting twice in one file: stored once
        met(4, "bob@example.com"),  # Bob is not known yet, and it never comes again
        contact(2, "Bob Baker", "bob@example.com"),
        met(3, "bob@example.com", "ann@example.com"),
        met(1, "ann@example.com"),  # the first one again, now that Ann is known
    ]
    assert len(items) < INTERACTIONS_AT_ONCE  # kept back, then stored together
    report = import_items(store, items, "test", "test", now=NOW)
    assert report.interactions == 3
    with store.read() as conn:
        rows = conn.execute(
            select(interaction.c.natural_key, interaction_person.c.identity_value).join(
                interaction_person, interaction_person.c.interaction_id == interaction.c.id
            )
        ).all()
    stored: dict[str, list[str]] = {}
    for key, value in rows:
        stored.setdefault(key, []).append(value)
    assert {k: sorted(v) for k, v in stored.items()} == {
        "id:m1": ["ann@example.com"],
        "id:m2": ["ann@example.com"],
        "id:m3": ["ann@example.com", "bob@example.com"],
    }
