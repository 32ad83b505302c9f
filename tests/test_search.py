"""People search: what it finds, in what order, and that its index follows every change.

On SQLite the search reads a trigram index kept by triggers (migration 0006); on PostgreSQL
it scans. Both must give the same answers, so every test runs on both.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select, update

from rekindle.identity.records import AffiliationRecord, ContactRecord, RawIdentity
from rekindle.services import merging
from rekindle.services import people as people_svc
from rekindle.services.importing import import_items
from rekindle.store import Store, search
from rekindle.store import people as pq
from rekindle.store.schema import person

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def contact(
    key: str, name: str, email: str, org: str = "", title: str = "", tags=()
) -> ContactRecord:
    family = name.split()[-1]
    return ContactRecord(
        source="test",
        locator=f"test:{key}",
        payload=key,
        source_id=key,
        full_name=name,
        given_name=name.split()[0],
        family_name=family,
        identities=[RawIdentity("email", email)],
        affiliations=[AffiliationRecord(org, title or None)] if org else [],
        tags=list(tags),
    )


def names(store: Store, query: str, limit: int | None = None, offset: int = 0) -> list[str]:
    return [r["name"] for r in people_svc.list_people(store, query, None, limit, offset)]


def load(store: Store) -> None:
    import_items(
        store,
        [
            contact("1", "Mathieu Leroy", "mleroy@bramble.dev", "Bramble Software", "Designer"),
            contact("2", "Ana Smithson", "ana@costa.example", "Quantum Labs", tags=["climbing"]),
            contact("3", "Bob Jones", "bob@smithworks.example", tags=["Board-Games"]),
            contact("4", "Zoë Ødegaard", "zoe@example.org", "Fjord Partners"),
        ],
        "test",
        "test",
        now=NOW,
    )


def test_search_finds_names_addresses_organisations_titles_and_tags_in_any_case(
    store: Store,
) -> None:
    load(store)
    assert names(store, "leroy") == ["Mathieu Leroy"]
    assert names(store, "SMITH") == ["Bob Jones", "Ana Smithson"]  # address, name; name order
    assert names(store, "bramble.dev") == ["Mathieu Leroy"]
    assert names(store, "quantum lab") == ["Ana Smithson"]
    assert names(store, "design") == ["Mathieu Leroy"]  # a title
    assert names(store, "board-g") == ["Bob Jones"]  # a tag, with its punctuation
    assert names(store, "Fjord") == ["Zoë Ødegaard"]
    assert names(store, "nobody-here") == []


def test_search_characters_are_literal(store: Store) -> None:
    load(store)
    assert names(store, '"%_') == []  # quotes and wildcards match themselves, nothing here
    assert names(store, "a%s") == []
    assert names(store, "<script>") == []


def test_the_index_follows_renames_tag_changes_and_reimports(store: Store) -> None:
    load(store)
    bob = people_svc.show(store, "bob@smithworks.example").id
    people_svc.edit(store, str(bob), {"name": "Roberto Jonas"}, [], [], now=NOW)
    assert names(store, "roberto") == ["Roberto Jonas"]
    assert names(store, "bob jones") == []
    people_svc.tag(store, [str(bob)], ["sailing"], ["Board-Games"])
    assert names(store, "sailing") == ["Roberto Jonas"]
    assert names(store, "board-g") == []
    moved = contact("1", "Mathieu Leroy", "mathieu@newco.example", "Newco Robotics", "CTO")
    import_items(store, [moved], "test", "test", now=NOW)
    assert names(store, "newco") == ["Mathieu Leroy"]
    assert names(store, "bramble") == []


def test_short_queries_find_names(store: Store) -> None:
    load(store)
    assert names(store, "bo") == ["Bob Jones"]
    assert names(store, "ZO") == ["Zoë Ødegaard"]


def test_many_matches_come_in_name_order_page_by_page(store: Store) -> None:
    """Past a few hundred matches SQLite walks everyone in name order: same answer."""
    people = [contact(f"c{i}", f"Crowd {i:04d}", f"c{i}@crowd.example") for i in range(700)] + [
        contact(f"o{i}", f"Other {i:04d}", f"o{i}@else.example") for i in range(300)
    ]
    import_items(store, people[::-1], "test", "test", now=NOW)
    expected = [f"Crowd {i:04d}" for i in range(700)]
    assert names(store, "crowd.example", 51) == expected[:51]
    assert names(store, "crowd.example", 51, 650) == expected[650:]
    assert names(store, "crowd.example") == expected  # no limit: all of them
    assert names(store, "else.example", 10, 5) == [f"Other {i:04d}" for i in range(5, 15)]


def test_search_stays_with_its_owner(store: Store) -> None:
    load(store)
    with store.begin() as conn:
        assert pq.search_people(conn, store.owner_id + 1, "leroy") == []


def test_planner_statistics_leave_the_answers_alone(store: Store) -> None:
    load(store)
    before = names(store, "smith")
    store.update_statistics()  # what `rekindle serve` does when it starts
    assert names(store, "smith") == before == ["Bob Jones", "Ana Smithson"]
    if store.engine.dialect.name == "sqlite":
        with store.read() as conn:
            analysed = conn.exec_driver_sql("SELECT count(*) FROM sqlite_stat1").scalar()
        assert analysed


def test_an_sqlite_without_the_trigram_index_scans_instead(sqlite_store: Store) -> None:
    """What an SQLite older than 3.34 (or without FTS5) gets from migration 0007."""
    load(sqlite_store)
    with sqlite_store.engine.begin() as conn:
        for table in ("person", "identity", "affiliation", "tag"):
            for suffix in ("ai", "ad", "au"):
                conn.exec_driver_sql(f"DROP TRIGGER {table}_search_{suffix}")
        conn.exec_driver_sql("DROP TABLE search_index")
        conn.exec_driver_sql("DROP TABLE search_stale")
    sqlite_store.engine.dispose()  # the pooled connections remember the index
    assert names(sqlite_store, "SMITH") == ["Bob Jones", "Ana Smithson"]
    assert names(sqlite_store, "quantum lab") == ["Ana Smithson"]
    assert names(sqlite_store, "bo") == ["Bob Jones"]


def test_each_write_leaves_every_search_document_current(sqlite_store: Store) -> None:
    """Imports, edits, tags and merges note whom they changed; the notes are gone by commit."""
    load(sqlite_store)
    ana = people_svc.show(sqlite_store, "ana@costa.example").id
    bob = people_svc.show(sqlite_store, "bob@smithworks.example").id
    people_svc.tag(sqlite_store, [str(ana)], ["kayaking"], [])
    merging.merge(sqlite_store, str(ana), str(bob))
    with sqlite_store.read() as conn:
        assert conn.execute(select(search.search_stale)).all() == []
        index = search.search_index.c
        docs = {r.rowid: r.doc for r in conn.execute(select(index.rowid, index.doc))}
    assert "bob@smithworks.example" not in docs[bob]  # merged away: the survivor has it
    survivor = people_svc.show(sqlite_store, str(ana)).name
    assert docs[ana].splitlines()[0] == survivor
    for text in ("bob@smithworks.example", "Quantum Labs", "Board-Games", "kayaking"):
        assert text in docs[ana].splitlines()
    assert names(sqlite_store, "smithworks") == [survivor]


def test_a_write_that_skips_the_refresh_hides_nobody(sqlite_store: Store) -> None:
    """Rows changed outside ``Store.begin`` leave stale documents; search checks those people
    on their rows until the next write rebuilds them."""
    load(sqlite_store)
    with sqlite_store.engine.begin() as conn:  # not Store.begin: no refresh
        conn.execute(
            update(person)
            .where(person.c.display_name == "Bob Jones")
            .values(display_name="Roberto Jonas")
        )
        assert conn.execute(select(func.count()).select_from(search.search_stale)).scalar() == 1
    assert names(sqlite_store, "roberto") == ["Roberto Jonas"]
    assert names(sqlite_store, "bob jones") == []
    assert names(sqlite_store, "smithworks") == ["Roberto Jonas"]
    with sqlite_store.begin():
        pass  # the next write rebuilds the document
    with sqlite_store.read() as conn:
        assert conn.execute(select(search.search_stale)).all() == []
    assert names(sqlite_store, "roberto") == ["Roberto Jonas"]


def test_a_statement_built_once_serves_each_owner_with_their_own_people(store: Store) -> None:
    """People pages reuse one statement per combination of filters: every value, the owner's
    id above all, is a parameter, never a constant frozen into the first one built."""
    from rekindle.store.people_filters import PeopleQuery, filter_people

    load(store)
    people_svc.tag(store, [str(people_svc.show(store, "mleroy@bramble.dev").id)], ["designers"], [])
    asks = [
        PeopleQuery(text="leroy"),
        PeopleQuery(text="ro"),  # names only (SQLite) or a scan
        PeopleQuery(text="bramble", tag="designers", organisation="bramble"),
        PeopleQuery(tag="designers"),
    ]
    with store.read() as conn:
        for want in asks:
            other = filter_people(conn, store.owner_id + 1, want, 50)  # built for another owner
            mine = filter_people(conn, store.owner_id, want, 50)
            again = filter_people(conn, store.owner_id + 1, want, 50)
            assert other == again == []
            assert [r.display_name for r in mine] == ["Mathieu Leroy"], want


def test_each_listed_person_shows_their_first_address_and_current_role(store: Store) -> None:
    """A listing shows the first email and phone on record and the current role (else the
    latest begun), whatever order the rows were stored in."""
    from datetime import date

    moved = contact("m", "Maria Okafor", "maria@first.example")
    moved.identities += [
        RawIdentity("email", "maria@second.example"),
        RawIdentity("phone", "+44 20 7946 0958"),
    ]
    moved.affiliations = [
        AffiliationRecord("Newco", "CTO", start=date(2021, 3, 1)),
        AffiliationRecord("Oldco", "Engineer", start=date(2015, 1, 1), end=date(2019, 6, 30)),
    ]
    left = contact("l", "Lars Berg", "lars@example.se")
    left.affiliations = [
        AffiliationRecord("Firstco", "Intern", start=date(2010, 1, 1), end=date(2011, 1, 1)),
        AffiliationRecord("Secondco", "Analyst", start=date(2012, 1, 1), end=date(2016, 1, 1)),
    ]
    import_items(store, [moved, left], "test", "test", now=NOW)
    maria = people_svc.show(store, "maria@first.example").id
    lars = people_svc.show(store, "lars@example.se").id
    with store.read() as conn:
        seen = pq.summaries(conn, [maria, lars, 999_999])
    assert seen[maria]["email"] == "maria@first.example"
    assert seen[maria]["phone"] and seen[maria]["phone"].endswith("7946 0958")
    assert (seen[maria]["organisation"], seen[maria]["title"]) == ("Newco", "CTO")
    assert (seen[lars]["organisation"], seen[lars]["title"]) == ("Secondco", "Analyst")
    assert seen[lars]["phone"] is None
    assert seen[999_999] == {"email": None, "phone": None, "organisation": None, "title": None}
