"""Occasions on both databases: life events at import and after a mail sync, computed occasions,
handled flags."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rekindle.engine.occasions import timing_strength
from rekindle.errors import NotFoundError, UserError
from rekindle.identity.records import (
    AddressRecord,
    AffiliationRecord,
    ContactRecord,
    InteractionRecord,
    PartialDate,
)
from rekindle.identity.records import RawIdentity as Ident
from rekindle.sample.network import UPDATE_SOURCE, generate_network
from rekindle.services import me as me_svc
from rekindle.services import settings
from rekindle.services.importing import import_items, import_path
from rekindle.services.occasions import mark_handled, occasions_for
from rekindle.services.people import resolve_person
from rekindle.services.sync_files import sync_mail_path
from rekindle.store import Store
from rekindle.store.occasions import WHOLE
from rekindle.store.schema import source_record
from rekindle.store.schema_engine import occasion

T1 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

ALICE = """BEGIN:VCARD
VERSION:3.0
UID:alice-1
FN:Alice Smith
N:Smith;Alice;;;
EMAIL;type=INTERNET;type=WORK:alice@acme.com
ORG:{org};
TITLE:{title}
END:VCARD
"""

BOB_NO_UID = """BEGIN:VCARD
VERSION:3.0
FN:Bob Jones
N:Jones;Bob;;;
EMAIL:bob@example.org
ORG:Initech
TITLE:{title}
ADR;TYPE=HOME:;;1 Main St;{city};;;{country}
END:VCARD
"""


def person_id(store: Store, ref: str) -> int:
    with store.read() as conn:
        return resolve_person(conn, store.owner_id, ref)


def stored(store: Store) -> list[tuple[int, str, str]]:
    with store.read() as conn:
        rows = conn.execute(
            select(occasion.c.person_id, occasion.c.kind, occasion.c.key).order_by(occasion.c.id)
        )
        return [tuple(r) for r in rows]


def test_reimported_vcard_with_a_new_org_and_title_is_one_life_event(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "contacts.vcf"
    path.write_text(ALICE.format(org="Acme Corp", title="Engineer"), encoding="utf-8")
    first = import_path(store, path, now=T1)
    assert first.new == 1 and first.life_events == 0 and stored(store) == []

    path.write_text(ALICE.format(org="Globex", title="Head of Product"), encoding="utf-8")
    second = import_path(store, path, now=T2)
    assert second.updated == 1 and second.life_events == 1
    assert "1 life event " in second.summary()
    alice = person_id(store, "alice@acme.com")
    assert stored(store) == [(alice, "new-job", "new-job:globex:2026-11-02")]
    with store.read() as conn:
        [event] = occasions_for(conn, store.owner_id, [alice], T2.date(), holidays=False)[alice]
    assert event.detail == "started as Head of Product at Globex (vCard, 2 Nov 2026)"
    assert event.source == "vcard" and not event.handled
    assert timing_strength(event, T2.date()) == 1.0

    again = import_path(store, path, now=datetime(2026, 11, 9, tzinfo=UTC))
    assert again.unchanged == 1 and again.life_events == 0
    assert len(stored(store)) == 1

    path.write_text(ALICE.format(org="Globex", title="VP Product"), encoding="utf-8")
    promoted = import_path(store, path, now=datetime(2026, 11, 20, tzinfo=UTC))
    assert promoted.life_events == 1
    assert stored(store)[-1] == (alice, "new-role", "new-role:globex:2026-11-20")


def test_a_card_without_uid_is_compared_with_the_earlier_card_from_the_same_source(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "bob.vcf"
    path.write_text(BOB_NO_UID.format(title="Analyst", city="Berlin", country="Germany"))
    import_path(store, path, now=T1)
    path.write_text(BOB_NO_UID.format(title="Team Lead", city="Lisbon", country="Portugal"))
    report = import_path(store, path, now=T2)
    assert report.merged == 1 and report.life_events == 2
    bob = person_id(store, "bob@example.org")
    kinds = {kind for pid, kind, _ in stored(store) if pid == bob}
    assert kinds == {"new-role", "moved"}
    again = import_path(store, path, now=T2)
    assert again.unchanged == 1 and again.life_events == 0 and len(stored(store)) == 2


def test_two_cards_of_one_person_in_a_first_import_are_not_news(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "two.vcf"
    path.write_text(
        ALICE.format(org="Acme", title="Engineer").replace("UID:alice-1\n", "")
        + ALICE.format(org="Globex", title="CTO").replace("UID:alice-1", "UID:alice-2"),
        encoding="utf-8",
    )
    report = import_path(store, path, now=T1)
    assert report.new == 1 and report.merged == 1 and report.life_events == 0
    assert stored(store) == []


def test_a_first_record_from_another_source_is_not_news_but_its_reexport_is(
    store: Store, tmp_path: Path
) -> None:
    vcf = tmp_path / "a.vcf"
    vcf.write_text(ALICE.format(org="Acme", title="Engineer"), encoding="utf-8")
    import_path(store, vcf, now=T1)
    csv = tmp_path / "Connections.csv"
    header = "First Name,Last Name,Email Address,Company,Position,Connected On\n"
    csv.write_text(header + 'Alice,Smith,alice@acme.com,Globex,CTO,"1/8/18, 6:14 PM"\n')
    first = import_path(store, csv, now=T1)
    assert first.merged == 1 and first.life_events == 0 and stored(store) == []
    csv.write_text(header + 'Alice,Smith,alice@acme.com,Hooli,CTO,"1/8/18, 6:14 PM"\n')
    second = import_path(store, csv, now=T2)
    assert second.life_events == 1
    assert [k for _, k, _ in stored(store)] == ["new-job"]


def test_the_same_news_from_a_second_file_is_not_stored_twice(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "contacts.vcf"
    path.write_text(ALICE.format(org="Acme", title="Engineer"), encoding="utf-8")
    import_path(store, path, now=T1)
    path.write_text(ALICE.format(org="Globex", title="CTO"), encoding="utf-8")
    import_path(store, path, now=T2)
    other = tmp_path / "phone.vcf"
    other.write_text(
        ALICE.format(org="Acme", title="Engineer").replace("alice-1", "phone-7"), encoding="utf-8"
    )
    import_path(store, other, now=T1)
    other.write_text(
        ALICE.format(org="Globex", title="CTO").replace("alice-1", "phone-7"), encoding="utf-8"
    )
    report = import_path(store, other, now=datetime(2026, 11, 10, tzinfo=UTC))
    assert report.life_events == 0
    assert [k for _, k, _ in stored(store)] == ["new-job"]


def ana(birthday_card: bool = True) -> ContactRecord:
    return ContactRecord(
        source="test",
        locator="test:1",
        payload="ana",
        source_id="ana",
        full_name="Ana Costa",
        identities=[Ident("email", "ana@example.com")],
        affiliations=[
            AffiliationRecord("Acme", "Engineer", start=date(2021, 12, 5)),
            AffiliationRecord("Old Co", "Intern", start=date(2016, 12, 4), end=date(2017, 6, 1)),
        ],
        addresses=[AddressRecord("home", None, "Singapore", None, None, "Singapore")],
    )


def test_occasions_for_combines_birthday_anniversaries_holidays_and_handled_flags(
    store: Store,
) -> None:
    settings.change(store, "region", "GB")
    first_mail = InteractionRecord(
        source="test",
        locator="m1",
        when=datetime(2016, 12, 6, 10, tzinfo=UTC),
        channel="email",
        direction="in",
        participants=[Ident("email", "ana@example.com")],
    )
    plain = ContactRecord(
        source="test", locator="t:2", payload="x", full_name="Nobody Special", source_id="n"
    )
    import_items(store, [ana(), plain, first_mail], "test", "test", now=T1)
    pid = person_id(store, "ana@example.com")
    nobody = person_id(store, "Nobody Special")
    from rekindle.services.people import edit

    edit(store, str(pid), {"birthday": "--12-03"}, [], [])
    today = date(2026, 12, 1)
    with store.read() as conn:
        found = occasions_for(conn, store.owner_id, [pid, nobody], today, ahead=30)
    mine = {o.key: o for o in found[pid]}
    assert list(mine) == [
        "birthday:2026",
        "work-anniversary:acme:2026",
        "met-anniversary:2026",
        "holiday:end-of-year:2026",
    ]
    assert mine["birthday:2026"].source == "you"
    assert mine["work-anniversary:acme:2026"].detail == "5 years at Acme (since Dec 2021)"
    assert mine["met-anniversary:2026"].detail == (
        "10 years since you first met (first contact 6 Dec 2016)"
    )
    assert mine["holiday:end-of-year:2026"].source == "holidays:GB"
    assert [o.key for o in found[nobody]] == ["holiday:end-of-year:2026"]
    with store.read() as conn:
        later = occasions_for(conn, store.owner_id, [pid], today, ahead=90)[pid]
    assert "holiday:lunar-new-year:2027" in {o.key for o in later}  # Singapore, her country

    _, done = mark_handled(store, "Ana Costa", "birthday", today=today)
    assert done.key == "birthday:2026" and done.handled
    with store.read() as conn:
        again = {o.key: o for o in occasions_for(conn, store.owner_id, [pid], today)[pid]}
    assert again["birthday:2026"].handled
    assert timing_strength(again["birthday:2026"], date(2026, 12, 3)) == 0.0
    assert not again["work-anniversary:acme:2026"].handled
    mark_handled(store, str(pid), "birthday:2026", handled=False, today=today)
    with store.read() as conn:
        undone = {o.key: o for o in occasions_for(conn, store.owner_id, [pid], today)[pid]}
    assert not undone["birthday:2026"].handled
    assert timing_strength(undone["birthday:2026"], date(2026, 12, 3)) > 0


def test_occasions_of_many_people_read_their_records_facts_as_those_of_a_few(
    store: Store,
) -> None:
    """Past :data:`~rekindle.store.occasions.WHOLE` people the facts come from one read of all
    the owner's records (the database reading their JSON): the same occasions as a chunk's."""
    card = ana()
    card.birthday = PartialDate(12, 9)
    card.anniversary = PartialDate(12, 10, 2021)
    card.connected_on = date(2023, 12, 8)
    plain = ContactRecord(
        source="test", locator="t:2", payload="x", full_name="Nobody Special", source_id="n"
    )
    import_items(store, [card, plain], "test", "test", now=T1)
    pid, nobody = person_id(store, "ana@example.com"), person_id(store, "Nobody Special")
    today = date(2026, 12, 1)
    with store.read() as conn:
        few = occasions_for(conn, store.owner_id, [pid, nobody], today, ahead=30)
        absent = range(10**9, 10**9 + WHOLE)  # nobody's ids: only their number matters
        many = occasions_for(conn, store.owner_id, [pid, nobody, *absent], today, ahead=30)
    assert {p: many[p] for p in (pid, nobody)} == few
    mine = {o.key: o for o in few[pid]}
    assert mine["birthday:2026"].source == "test"
    assert mine["anniversary:2026"].detail == "5 years anniversary on 10 Dec"
    assert mine["met-anniversary:2026"].detail.startswith("3 years since you first met")
    assert "holiday:lunar-new-year:2027" not in mine  # Singapore's, outside the 30 days
    assert few[nobody] == []


def test_a_work_anniversary_outside_the_window_still_takes_its_key(store: Store) -> None:
    """Only people with a start in the window have their affiliations read, but all of them:
    an earlier stint at the same place, its anniversary the same year outside the window,
    keeps the key it takes first (as when every affiliation was read)."""
    card = ana()
    card.affiliations = [
        AffiliationRecord("Acme", "Engineer", start=date(2021, 12, 5)),
        AffiliationRecord("Acme Inc.", "Adviser", start=date(2016, 12, 20)),
    ]
    import_items(store, [card], "test", "test", now=T1)
    pid = person_id(store, "ana@example.com")
    with store.read() as conn:
        narrow = occasions_for(conn, store.owner_id, [pid], date(2026, 12, 1), ahead=14)[pid]
        wide = occasions_for(conn, store.owner_id, [pid], date(2026, 12, 1), ahead=30)[pid]
    assert "work-anniversary:acme:2026" not in {o.key for o in narrow}
    assert {o.key: o.detail for o in wide}["work-anniversary:acme:2026"] == (
        "10 years at Acme Inc. (since Dec 2016)"
    )


def test_mark_handled_needs_a_key_the_person_has(store: Store) -> None:
    card = ana()
    card.affiliations.append(AffiliationRecord("Globex", None, start=date(2024, 12, 2)))
    import_items(store, [card], "test", "test", now=T1)
    today = date(2026, 12, 1)
    with pytest.raises(NotFoundError, match="no occasion 'new-job'"):
        mark_handled(store, "Ana Costa", "new-job", today=today)
    with pytest.raises(UserError, match="names 2 occasions"):
        mark_handled(store, "Ana Costa", "work-anniversary", today=today)
    with pytest.raises(UserError, match="no occasion key"):
        mark_handled(store, "Ana Costa", "  ", today=today)
    _, one = mark_handled(store, "Ana Costa", "work-anniversary:globex:2026", today=today)
    assert one.detail == "2 years at Globex (since Dec 2024)"


MBOX = """From a@x Wed Jan 10 09:00:00 2024
From: Ana Costa <ana@acme.com>
To: Me <me@example.org>
Date: Wed, 10 Jan 2024 09:00:00 +0000
Message-ID: <m1@acme.com>
Subject: Project

Hi.

From b@x Wed Jan 10 11:00:00 2024
From: Me <me@example.org>
To: Ana Costa <ana@acme.com>
Date: Wed, 10 Jan 2024 11:00:00 +0000
Message-ID: <m2@example.org>
Subject: Re: Project

Hello.

From c@x Fri Nov 20 09:00:00 2026
From: Ana Costa <ana@newco.io>
To: Me <me@example.org>
Date: Fri, 20 Nov 2026 09:00:00 +0000
Message-ID: <m3@newco.io>
Subject: News

I moved to NewCo.

"""


def test_mail_from_a_new_work_domain_is_a_life_event(store: Store, tmp_path: Path) -> None:
    me_svc.add_address(store, "me@example.org")
    vcf = tmp_path / "ana.vcf"
    vcf.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ana Costa\nEMAIL:ana@acme.com\nEMAIL:ana@newco.io\n"
        "END:VCARD\n",
        encoding="utf-8",
    )
    import_path(store, vcf, now=T1)
    box = tmp_path / "inbox.mbox"
    box.write_text(MBOX, encoding="utf-8")
    now = datetime(2026, 11, 25, tzinfo=UTC)
    report = sync_mail_path(store, box, now=now)
    assert report.life_events == 1 and "1 life event " in report.summary()
    pid = person_id(store, "ana@acme.com")
    with store.read() as conn:
        [event] = occasions_for(conn, store.owner_id, [pid], now.date(), holidays=False)[pid]
    assert event.kind == "new-email-domain" and event.on_date == date(2026, 11, 20)
    assert event.key == "new-email-domain:newco.io" and event.source == "mail"
    assert sync_mail_path(store, box, now=now).life_events == 0
    assert len(stored(store)) == 1


def test_sample_updates_become_life_events_and_leave_with_the_sample(sqlite_store: Store) -> None:
    from rekindle.services.demo import unload_sample

    now = datetime(2026, 11, 22, 12, tzinfo=UTC)
    net = generate_network(seed=3, people=60, now=now, interactions_per_person=2)
    report = import_items(sqlite_store, net.items(), "sample", "sample", region=net.region, now=now)
    assert 0 < report.life_events <= len(net.updates)
    with sqlite_store.read() as conn:
        updated = {
            r.person_id
            for r in conn.execute(
                select(source_record.c.person_id).where(source_record.c.source == UPDATE_SOURCE)
            )
        }
        rows = list(conn.execute(select(occasion)))
    assert {r.person_id for r in rows} <= updated
    assert {r.source for r in rows} == {UPDATE_SOURCE}
    assert all(r.on_date == now.date() for r in rows)
    unload_sample(sqlite_store)
    with sqlite_store.read() as conn:
        assert conn.execute(select(func.count()).select_from(occasion)).scalar() == 0


def test_life_events_follow_a_merge(store: Store, tmp_path: Path) -> None:
    from rekindle.services.merging import merge

    path = tmp_path / "contacts.vcf"
    path.write_text(ALICE.format(org="Acme", title="Engineer"), encoding="utf-8")
    import_path(store, path, now=T1)
    path.write_text(ALICE.format(org="Globex", title="CTO"), encoding="utf-8")
    import_path(store, path, now=T2)
    other = tmp_path / "work.vcf"
    other.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nUID:w-1\nFN:A. Smith-Lee\nEMAIL:asl@globex.com\nEND:VCARD\n",
        encoding="utf-8",
    )
    import_path(store, other, now=T2)
    alice, work = person_id(store, "alice@acme.com"), person_id(store, "asl@globex.com")
    assert alice != work
    merge(store, str(work), str(alice), now=T2)
    with store.read() as conn:
        found = occasions_for(conn, store.owner_id, [work], T2.date(), holidays=False)[work]
    assert [o.key for o in found] == ["new-job:globex:2026-11-02"]
    _, done = mark_handled(store, str(work), "new-job", today=T2.date())
    assert done.handled
    with store.read() as conn:
        [again] = occasions_for(conn, store.owner_id, [work], T2.date(), holidays=False)[work]
    assert again.handled
    mark_handled(store, str(work), "new-job", handled=False, today=T2.date())
    with store.read() as conn:
        [undone] = occasions_for(conn, store.owner_id, [work], T2.date(), holidays=False)[work]
    assert not undone.handled
