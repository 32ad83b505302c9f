"""Mail history on both databases: what counts, who becomes a person, ties, resuming."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from rekindle.errors import UserError
from rekindle.history import tie_arrays
from rekindle.history.records import Address, MessageRecord
from rekindle.history.ties import compute_tie
from rekindle.services import history, import_state, mail_ingest, merging
from rekindle.services import me as me_svc
from rekindle.services import people as people_svc
from rekindle.services.importing import import_items
from rekindle.store import Store, merges
from rekindle.store import mail as mq
from rekindle.store import ties as tq
from rekindle.store.mail_derive import Selection, derive_messages
from rekindle.store.schema import interaction
from rekindle.store.schema_history import message, message_address
from rekindle.store.tie_columns import contact_columns_of_everyone
from tests.test_importing import contact, people_count

T0 = datetime(2024, 1, 10, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 1, tzinfo=UTC)
ME = "me@example.com"


def msg(
    n: int,
    sender: str,
    to: list[str],
    *,
    days: float = 0,
    subject: str = "hello",
    mid: str | None = "auto",
    reply_to: str | None = None,
    bulk: str | None = None,
    bounce: bool = False,
    cc: list[str] | None = None,
    name: str = "",
) -> MessageRecord:
    return MessageRecord(
        source="test",
        locator=f"box@{n}",
        message_id=f"<m{n}@test>" if mid == "auto" else mid,
        date=T0 + timedelta(days=days),
        sender=Address(sender, name),
        to=[Address(a) for a in to],
        cc=[Address(a) for a in (cc or [])],
        subject=subject,
        in_reply_to=reply_to,
        references=[reply_to] if reply_to else [],
        bulk=bulk,
        bounce=bounce,
    )


def mailbox() -> list[MessageRecord]:
    return [
        msg(1, ME, ["alice@a.com"], subject="lunch?"),
        msg(
            2,
            "alice@a.com",
            [ME],
            days=0.5,
            subject="Re: lunch?",
            reply_to="<m1@test>",
            name="Alice Archer",
        ),
        msg(3, "news@shop.com", [ME], days=1, bulk="list-unsubscribe"),
        msg(4, "carol@c.com", [ME], days=2),  # one way in: not a person
        msg(5, ME, ["dave@d.com"], days=3),  # one way out: not a person
        msg(6, "mailer-daemon@mx.com", [ME], days=4, bounce=True, subject="Undelivered: eve@e.com"),
        msg(
            7,
            ME,
            ["alice@a.com", "g1@x.com", "g2@x.com", "g3@x.com", "g4@x.com"],
            days=5,
            subject="party",
        ),
        msg(8, "alice@a.com", [ME], days=400, subject="long time", name="Alice Archer"),
        msg(9, ME, ["alice@a.com"], days=401, subject="Re: long time", reply_to="<m8@test>"),
    ]


def sync(store: Store, items: list[Any], locator: str = "box") -> history.SyncReport:
    return history.ingest(store, "test", locator, lambda state: items, now=NOW)


def test_two_way_exchanges_become_people_and_bulk_never(store: Store) -> None:
    me_svc.add_address(store, ME)
    report = sync(store, mailbox())
    c = report.counts
    assert (c.read, c.new, c.duplicates) == (9, 9, 0)
    assert c.skipped["bounce or delivery report"] == 1
    assert c.skipped["bulk mail (list-unsubscribe)"] == 1
    assert c.new_people == 1  # only alice wrote and was written to
    assert people_count(store) == 1
    alice = people_svc.show(store, "alice@a.com")
    assert alice.name == "Alice Archer"
    assert alice.interactions == 5
    for who in ("carol@c.com", "dave@d.com", "eve@e.com", "news@shop.com", "mailer-daemon@mx.com"):
        with pytest.raises(Exception, match="nobody matches"):
            people_svc.show(store, who)
    with store.read() as conn:
        stats = tq.stats_of(conn, alice.id)
    assert stats.messages_in == 2 and stats.messages_out == 3
    assert stats.first_contact == T0 and stats.last_contact == T0 + timedelta(days=401)
    assert stats.reply_latency_out_h == pytest.approx(
        24.0
    )  # she wrote on day 400, I answered on day 401
    assert stats.reply_latency_in_h == pytest.approx(
        12.0
    )  # I asked on day 0, she answered half a day later
    assert stats.embeddedness == 0  # the party mail had 5 recipients: group mail
    assert 0 < stats.decayed_sum < stats.peak_decayed


def test_known_contact_is_matched_not_duplicated(store: Store) -> None:
    import_items(store, [contact(1, "Alice A.", "Alice@A.com", org="Acme")], "t", "test", now=NOW)
    me_svc.add_address(store, ME)
    report = sync(store, mailbox())
    assert report.counts.new_people == 0
    assert people_count(store) == 1
    assert people_svc.show(store, "alice@a.com").interactions == 5


def test_resync_and_duplicates_count_once(store: Store) -> None:
    me_svc.add_address(store, ME)
    sync(store, mailbox())
    again = sync(store, mailbox())
    assert again.counts.new == 0 and again.counts.duplicates == 9
    # the same message filed again under another Message-ID (Enron, Notes): same fingerprint
    copy = msg(101, ME, ["alice@a.com"], subject="lunch?", mid="<other-id@test>")
    assert sync(store, [copy], "sent-folder").counts.duplicates == 1
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(message)).scalar() == 9
        assert conn.execute(select(func.count()).select_from(interaction)).scalar() == 5


def test_a_first_sync_tells_duplicates_across_its_batches(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a first sync only keys this run may have stored are looked up: the same message
    again (same Message-ID, or same fingerprint under another id) in a later batch is still
    one message, and so is one another run stored meanwhile."""
    monkeypatch.setattr(history, "CHUNK", 2)
    me_svc.add_address(store, ME)
    box = mailbox()
    copy = msg(101, ME, ["alice@a.com"], subject="lunch?", mid="<other-id@test>")  # = box[0]
    other = msg(200, ME, ["zed@z.com"], days=500)

    def reader(state: dict[str, Any]) -> Iterator[Any]:
        yield from box
        yield from (box[1], copy, box[7])
        sync(store, [other], "another-box")  # another run, between two batches
        yield other

    report = history.ingest(store, "test", "box", reader, now=NOW)
    assert report.counts.new == 9 and report.counts.duplicates == 4
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(message)).scalar() == 10


def test_a_first_sync_looks_up_only_what_it_may_have_stored(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first sync of distinct messages asks the database about none of them, in any batch
    (its own hashes grow batch by batch); a second sync of the same asks about each."""
    monkeypatch.setattr(history, "CHUNK", 2)
    me_svc.add_address(store, ME)
    asked: list[str] = []
    real = mq.stored_keys

    def counting(conn: Any, owner_id: int, keys: Any) -> set[str]:
        asked.extend(keys)
        return real(conn, owner_id, keys)

    monkeypatch.setattr(mq, "stored_keys", counting)
    assert history.ingest(store, "test", "box", lambda state: mailbox(), now=NOW).counts.new == 9
    assert asked == []
    assert history.ingest(store, "test", "box", lambda state: mailbox(), now=NOW).counts.new == 0
    assert len(asked) == 9


def _message_indexes(store: Store) -> set[str]:
    with store.read() as conn:
        found = inspect(conn)
        return {ix["name"] for t in ("message", "message_address") for ix in found.get_indexes(t)}


def test_a_first_sync_builds_the_plain_indexes_once_loaded(store: Store) -> None:
    """A first sync drops the plain indexes of the message tables while it loads and builds
    them before deriving; a first sync killed while loading leaves them out, and the next
    sync makes them first."""
    plain = {"ix_message_thread", "ix_message_address_addr", "ix_message_address_msg"}
    assert plain <= _message_indexes(store)
    me_svc.add_address(store, ME)
    first = sync(store, mailbox())
    assert first.counts.interactions == 5 and plain <= _message_indexes(store)
    with store.begin() as conn:
        assert not mq.defer_indexes(conn)  # messages are stored: they stay
        for ix in [*message.indexes, *message_address.indexes]:
            if ix.name in plain:
                ix.drop(conn)  # as a killed first sync leaves them
    assert not plain & _message_indexes(store)
    sync(store, [msg(50, "alice@a.com", [ME], days=600)], "more")
    assert plain <= _message_indexes(store)
    assert people_svc.show(store, "alice@a.com").interactions == 6


def test_a_first_sync_loads_unchecked_and_checks_the_references_after(store: Store) -> None:
    """A first sync's load does not check foreign keys row by row on SQLite; the check made
    once it is over finds a row pointing nowhere, and the connection checks them again."""
    me_svc.add_address(store, ME)
    assert sync(store, mailbox()).counts.interactions == 5
    with store.begin() as conn:
        mq.check_references(conn)  # what the sync loaded points somewhere
    orphan = {"message_id": 10**6, "owner_id": store.owner_id, "role": "to", "address": "x@y"}
    if store.engine.dialect.name == "sqlite":
        with store.begin_loading() as conn:
            conn.execute(message_address.insert().values(**orphan))
        broken = pytest.raises(UserError, match="1 rows of message_address pointing nowhere")
        with broken, store.begin() as conn:
            mq.check_references(conn)
    with pytest.raises(IntegrityError), store.begin() as conn:  # checked row by row again
        conn.execute(message_address.insert().values(**orphan, name="again"))


def test_interrupted_sync_resumes_and_catches_up(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    me_svc.add_address(store, ME)
    monkeypatch.setattr(mail_ingest, "CHUNK", 3)
    monkeypatch.setattr(history, "CHUNK", 3)
    box = mailbox()

    def dies(state: dict[str, Any]) -> Iterator[Any]:
        start = state.get("next", 0)
        for i, item in enumerate(box[start:], start=start):
            if i == 5:
                raise KeyboardInterrupt  # the process is stopped half-way
            yield item

    def advance(item: Any, state: dict[str, Any]) -> None:
        state["next"] = state.get("next", 0) + 1

    with pytest.raises(KeyboardInterrupt):
        history.ingest(store, "test", "box", dies, on_item=advance, now=NOW)
    with store.read() as conn:
        stored = conn.execute(select(func.count()).select_from(message)).scalar()
    assert stored == 3  # the first batch was committed with its position
    rest = history.ingest(
        store, "test", "box", lambda state: box[state["next"] :], on_item=advance, now=NOW
    )
    assert rest.resumed and rest.counts.new == 6
    assert people_svc.show(store, "alice@a.com").interactions == 5


def test_adding_my_address_later_rebuilds(store: Store) -> None:
    report = sync(store, mailbox())
    assert report.counts.interactions == 0 and people_count(store) == 0
    assert report.counts.skipped["your own addresses are not known yet"] == 7
    me_svc.add_address(store, ME)
    rebuilt = history.rebuild(store, now=NOW)
    assert rebuilt.counts.new_people == 1 and rebuilt.counts.interactions == 5
    assert people_svc.show(store, "alice@a.com").interactions == 5


def test_everyone_read_as_columns_gets_the_same_statistics(store: Store) -> None:
    """Tie statistics of many people come from two plain reads computed as columns (one
    person twice on a message under two addresses counts once): the same statistics and the
    same embeddedness as reading each person's contacts with their co-participants."""
    me_svc.add_address(store, ME)
    friends = ["ann@a.com", "ben@b.com", "cat@c.com", "dan@d.com"]
    items = [msg(n, ME, [f], days=n) for n, f in enumerate(friends)]
    items += [msg(10 + n, f, [ME], days=10 + n) for n, f in enumerate(friends)]
    items += [
        msg(20, ME, friends[:3], days=20, subject="trio"),
        msg(21, "ben@b.com", [ME], cc=["ann@a.com"], days=21, subject="Re: trio"),
        msg(22, ME, friends, days=22, subject="all four", cc=["x@y.com"]),  # 5: group mail
    ]
    report = sync(store, items)
    assert report.counts.new_people == 4
    with store.read() as conn:
        cols = contact_columns_of_everyone(conn, store.owner_id)
        one_by_one = tq.contacts_by_person(conn, sorted(set(cols.person.tolist())), 4)
    embedded = tie_arrays.embeddedness_of(cols, NOW)
    assert len(one_by_one) == 4 and len(cols) == sum(map(len, one_by_one.values()))
    for pid, contacts in one_by_one.items():
        assert embedded.get(pid, 0) == len(set().union(*(c.co for c in contacts)))
    assert embedded[min(one_by_one)] == 2  # ben and cat, on the trio mails
    ties = tie_arrays.ties_of(cols, NOW, embedded)
    assert ties == {pid: compute_tie(cs, NOW) for pid, cs in one_by_one.items()}


def test_deriving_picks_messages_by_range_or_by_the_addresses_on_them(store: Store) -> None:
    """The set-based derivation: a range of ids, or the messages naming some addresses; a
    message is an interaction with the known people among its others, group size counted
    over everyone else on it, the sender only on mail I received."""
    me_svc.add_address(store, ME)
    report = sync(store, mailbox())
    assert report.counts.interactions == 5
    with store.begin() as conn:
        mine, people = mq.my_addresses(conn, store.owner_id), mq.email_map(conn, store.owner_id)
        alice = people["alice@a.com"]
        ids = sorted(conn.execute(select(message.c.id)).scalars())
        mq.delete_derived(conn, store.owner_id, ["mail"])
        # a range: messages 1-2 only (the first exchange)
        written, persons = derive_messages(
            conn, store.owner_id, mine, people, Selection(below=ids[2]), replace=False
        )
        assert (written, persons) == (2, {alice})
        # by address: everything naming alice, again (replace: no duplicates)
        written, persons = derive_messages(
            conn, store.owner_id, mine, people, Selection(addresses=["alice@a.com"]), replace=True
        )
        assert (written, persons) == (5, {alice})
        # nobody known on carol's or dave's mail: nothing written
        written, persons = derive_messages(
            conn,
            store.owner_id,
            mine,
            people,
            Selection(addresses=["carol@c.com", "dave@d.com"]),
            replace=True,
        )
        assert (written, persons) == (0, set())
        rows = conn.execute(
            select(
                interaction.c.subject, interaction.c.direction, interaction.c.group_size
            ).order_by(interaction.c.occurred_at)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("lunch?", "out", 1),
        ("Re: lunch?", "in", 1),
        ("party", "out", 5),
        ("long time", "in", 1),
        ("Re: long time", "out", 1),
    ]


def test_merge_suggestions_of_people_learnt_from_mail_are_searched_when_shown(
    store: Store,
) -> None:
    """A mail sync stores its new people without searching their merge suggestions (an
    address and a name never merge without asking); reviewing suggestions searches them
    once, kept in the same transaction as the people until then."""
    me_svc.add_address(store, ME)
    items = [
        msg(1, ME, ["ann@a.com"]),
        msg(2, "ann@a.com", [ME], days=1, name="Ann Lindqvist"),
        msg(3, ME, ["ann.lindqvist@b.org"], days=2),
        msg(4, "ann.lindqvist@b.org", [ME], days=3, name="Ann Lindqvist"),
    ]
    assert sync(store, items).counts.new_people == 2
    with store.read() as conn:
        assert mq.count_messages(conn, store.owner_id) == 4
        waiting = import_state.unsearched(conn, store.owner_id)
        assert len(waiting) == 2 and merges.pending_suggestions(conn, store.owner_id) == []
    [found] = merging.review(store)
    assert {found.a["id"], found.b["id"]} == set(waiting)
    assert "same name (Ann Lindqvist)" in found.reasons
    with store.read() as conn:
        assert import_state.unsearched(conn, store.owner_id) == []
    assert len(merging.review(store)) == 1  # searched once: not stored twice


def test_an_address_that_became_mine_keeps_no_tie(store: Store) -> None:
    """My other address had a two-way past with me (so it became a person); once it is
    mine, the rebuild leaves its person no statistics of mail that is now my own."""
    me_svc.add_address(store, ME)
    alias = "me.too@example.org"
    box = [
        *mailbox(),
        msg(20, ME, [alias], days=6, subject="note to self"),
        msg(21, alias, [ME], days=6.5, subject="Re: note to self", name="Me Too"),
    ]
    sync(store, box)
    before = people_svc.show(store, alias)
    with store.read() as conn:
        stats = tq.stats_of(conn, before.id)
    assert stats is not None and stats.messages_in + stats.messages_out == 2
    me_svc.add_address(store, alias)
    history.rebuild(store, now=NOW)
    with store.read() as conn:
        stats = tq.stats_of(conn, before.id)
    assert stats is not None
    assert stats.messages_in + stats.messages_out == 0 and stats.last_contact is None
    assert people_svc.show(store, "alice@a.com").interactions == 5  # the others as they were
