"""The interactions a sync derives from what it kept in memory are the rows the set-based SQL
derivation writes for the same messages (a real archive, both databases)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, inspect, select

from rekindle.history.records import MessageRecord
from rekindle.services import history
from rekindle.services import me as me_svc
from rekindle.services.sync_files import sync_mail_path
from rekindle.store import Store, mail, mail_derive, mail_fresh
from rekindle.store.schema import interaction, interaction_person
from tests.conftest import CORPORA

NOW = datetime(2026, 11, 1, tzinfo=UTC)
ALLEN = CORPORA / "enron-mailbox" / "allen-p"


def _derived(store: Store) -> tuple[list[Any], list[Any], list[str]]:
    """Every mail interaction (all but its id) and link (its interaction by key), sorted, and
    the interactions' keys in id order."""
    with store.read() as conn:
        rows = conn.execute(
            select(interaction).where(interaction.c.source == "mail").order_by(interaction.c.id)
        ).all()
        links = conn.execute(
            select(interaction.c.natural_key, interaction_person).join(
                interaction, interaction.c.id == interaction_person.c.interaction_id
            )
        ).all()
    key_of = {r.id: r.natural_key for r in rows}
    plain = sorted(tuple(v for k, v in r._mapping.items() if k != "id") for r in rows)
    linked = sorted(
        (r.natural_key, r.person_id, r.identity_kind, r.identity_value, r.occurred_at, r.group_size)
        for r in links
        if r.interaction_id in key_of
    )
    return plain, linked, [r.natural_key for r in rows]


@pytest.mark.corpus
@pytest.mark.skipif(not ALLEN.is_dir(), reason="no shared corpora")
@pytest.mark.parametrize("first_folder", [None, "all_documents"])
def test_interactions_from_memory_are_those_sql_derives(
    store: Store, first_folder: str | None
) -> None:
    for addr in ("phillip.allen@enron.com", "k..allen@enron.com", "pallen@enron.com"):
        me_svc.add_address(store, addr)
    if first_folder:
        # one folder first: the whole mailbox's sync then re-derives the older mail of the
        # people it made (in SQL) before deriving its own messages from memory
        first = sync_mail_path(store, ALLEN / first_folder, now=NOW)
        assert first.counts.interactions > 0
    report = sync_mail_path(store, ALLEN, now=NOW)
    assert report.counts.interactions > 100
    from_memory = _derived(store)
    rebuilt = history.rebuild(store, now=NOW)  # every message again, in SQL
    assert rebuilt.counts.new_people == 0
    assert rebuilt.counts.interactions == len(from_memory[0])
    again = _derived(store)
    assert again[0] == from_memory[0]
    assert again[1] == from_memory[1] and len(again[1]) >= len(again[0])
    if not first_folder:  # one sync hands ids out in message order, as a rebuild does
        assert again[2] == from_memory[2]


@pytest.mark.corpus
@pytest.mark.skipif(not ALLEN.is_dir(), reason="no shared corpora")
def test_a_first_sync_ends_with_every_index_of_the_interactions(store: Store) -> None:
    """The plain indexes of the interaction tables, dropped while a first sync writes them
    from memory, are there when it ends (the web reads along them)."""
    wanted = {ix.name for t in (interaction, interaction_person) for ix in t.indexes}
    assert len(wanted) >= 5
    me_svc.add_address(store, "phillip.allen@enron.com")
    assert sync_mail_path(store, ALLEN / "all_documents", now=NOW).counts.interactions > 0
    assert sync_mail_path(store, ALLEN / "discussion_threads", now=NOW).counts.new > 0
    with store.read() as conn:
        found = {
            ix["name"]
            for t in ("interaction", "interaction_person")
            for ix in inspect(conn).get_indexes(t)
        }
        assert conn.execute(select(func.count()).select_from(interaction_person)).scalar()
    assert wanted <= found


def test_both_derivations_write_one_list_of_columns() -> None:
    """The SQL derivation and the one from memory write the columns of one tuple; an
    interaction's other columns are its id or left to their defaults."""
    columns = mail_derive.INTERACTION_COLUMNS
    assert mail_fresh.INTERACTION_COLUMNS is columns
    assert set(columns) <= set(interaction.c.keys())
    rest = [c for c in interaction.c if c.name not in columns]
    assert all(c.primary_key or c.nullable or c.default is not None for c in rest), rest


@pytest.mark.corpus
@pytest.mark.skipif(not ALLEN.is_dir(), reason="no shared corpora")
def test_a_first_sync_finds_the_two_way_addresses_sql_finds(store: Store) -> None:
    """Who wrote to me and was written to, from what a first sync kept: what the query over
    every stored address gives (and each is an address it touched)."""
    from rekindle.services.mail_ingest import MailCounts, MessageStore
    from rekindle.sources.maildir import read_maildir

    for addr in ("phillip.allen@enron.com", "k..allen@enron.com", "pallen@enron.com"):
        me_svc.add_address(store, addr)
    with store.begin() as conn:
        kept = MessageStore(conn, store.owner_id, MailCounts())
        for item in read_maildir(ALLEN):
            if isinstance(item, MessageRecord):
                kept.add(item)
        kept.flush(conn)
        assert kept.fresh.covers(conn, store.owner_id, 0)  # every message is this run's
        from_memory = kept.fresh.two_way()
        queried = mail.two_way_addresses(conn, store.owner_id)
        touched = mail.addresses_above(conn, store.owner_id, 0)
        named = mail.commonest_names(conn, store.owner_id, from_memory)
        named_from_memory = kept.fresh.commonest_names(from_memory)
        everyone = sorted(touched)
        all_named = mail.commonest_names(conn, store.owner_id, everyone)
    assert len(from_memory) > 20 and from_memory == sorted(queried)
    assert named == queried and set(from_memory) <= touched
    # every address's commonest name, kept while storing: what the query over them gives
    assert named_from_memory == named
    assert kept.fresh.commonest_names(everyone) == all_named
    assert sum(1 for n in all_named.values() if n) > 100


@pytest.mark.corpus
@pytest.mark.skipif(not ALLEN.is_dir(), reason="no shared corpora")
def test_a_first_sync_s_tie_statistics_are_those_read_back(store: Store) -> None:
    """The statistics a first sync computes from the interactions it has just written are
    those computed from the same interactions read back from the database."""
    from rekindle.services.ties import refresh_ties
    from rekindle.store.schema_history import tie_stats

    for addr in ("phillip.allen@enron.com", "k..allen@enron.com", "pallen@enron.com"):
        me_svc.add_address(store, addr)
    report = sync_mail_path(store, ALLEN, now=NOW)
    assert report.ties_refreshed > 20

    def stats() -> list[Any]:
        with store.read() as conn:
            rows = conn.execute(select(tie_stats).order_by(tie_stats.c.person_id)).all()
        return [tuple(v for k, v in r._mapping.items() if k != "id") for r in rows]

    synced = stats()
    with store.begin() as conn:
        people = [r[0] for r in conn.execute(select(tie_stats.c.person_id))]
        refresh_ties(conn, store.owner_id, people, NOW)  # read back from the database
    assert len(synced) == report.ties_refreshed and stats() == synced
