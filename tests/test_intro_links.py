"""Warm introductions read who was together from ``interaction_person`` alone (its copy of
each interaction's group size, migration 0016). On both databases: every writer keeps the copy
equal to the interaction's own, the answers on the sample network are those of a reference
that reads the sizes, threads and channels from ``interaction`` itself, and the migration
fills the copy in an existing database."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, select, text

from rekindle.services import intro as svc
from rekindle.services.demo import load_sample
from rekindle.store import Store, open_store
from rekindle.store import intro as iq
from rekindle.store.schema import affiliation, interaction, interaction_person, person
from tests.test_history import NOW
from tests.test_intro import network  # noqa: F401  (the mail fixture, synced through mail_derive)


def _sizes_differ(store: Store) -> list[tuple[int, int, int]]:
    ip, i = interaction_person.c, interaction.c
    with store.read() as conn:
        rows = conn.execute(
            select(ip.interaction_id, ip.group_size, i.group_size)
            .join(interaction, i.id == ip.interaction_id)
            .where(ip.group_size != i.group_size)
        ).all()
    return [tuple(r) for r in rows]


def _reference_together(
    conn: Connection, owner_id: int, target_ids: list[int]
) -> list[iq.Together]:
    """The co-participants as counted from ``interaction`` (sizes, threads and channels there)
    and plain participant rows: no copied column, no index, no SQL join."""
    i, ip = interaction.c, interaction_person.c
    facts = {
        r.id: r
        for r in conn.execute(
            select(i.id, i.group_size, i.thread, i.channel, i.occurred_at).where(
                i.owner_id == owner_id
            )
        )
    }
    on: dict[int, set[int]] = defaultdict(set)
    for iid, pid in conn.execute(select(ip.interaction_id, ip.person_id)):
        on[iid].add(pid)
    pairs: dict[tuple[int, int], list[Any]] = {}
    for iid, people in on.items():
        fact = facts[iid]
        if not 1 < fact.group_size <= iq.MAX_GROUP:
            continue
        at = fact.occurred_at.astimezone(UTC)
        for target in people & set(target_ids):
            for other in people - {target}:
                seen = pairs.setdefault((target, other), [set(), set(), at, at])
                seen[2], seen[3] = min(seen[2], at), max(seen[3], at)
                if fact.channel == "meeting":
                    seen[1].add(iid)
                else:
                    seen[0].add(fact.thread or iid)
    return [
        iq.Together(t, o, len(th), len(me), first, last)
        for (t, o), (th, me, first, last) in pairs.items()
    ]


def _key(rows: list[iq.Together]) -> list[tuple[Any, ...]]:
    return sorted((r.person_id, r.other_id, r.threads, r.meetings, r.first, r.last) for r in rows)


@pytest.fixture
def sample(store: Store) -> Store:
    load_sample(store, now=NOW)
    return store


def _queries(store: Store) -> list[tuple[str, bool]]:
    """Everyone in the sample who was in small group mail, and its three largest employers."""
    with store.read() as conn:
        people = conn.execute(
            select(interaction_person.c.person_id)
            .join(person, person.c.id == interaction_person.c.person_id)
            .where(person.c.is_me.is_(False))
            .distinct()
            .order_by(interaction_person.c.person_id)
        ).scalars()
        orgs = conn.execute(
            select(affiliation.c.organisation)
            .group_by(affiliation.c.organisation)
            .order_by(text("count(*) DESC"), affiliation.c.organisation)
            .limit(3)
        ).scalars()
        return [(str(p), False) for p in people] + [(o, True) for o in orgs]


def test_every_writer_copies_the_group_size_onto_the_links(
    sample: Store,
    network: Store,  # noqa: F811
) -> None:
    """The sample goes in through the importer, the mailbox through the mail derivation."""
    with sample.read() as conn:
        sizes = set(conn.execute(select(interaction_person.c.group_size).distinct()).scalars())
    assert {1, 2}.issubset(sizes) and max(sizes) > 2  # one to one and groups, both there
    assert _sizes_differ(sample) == []


def test_seen_together_is_what_the_interactions_themselves_say(sample: Store) -> None:
    ids = [int(q) for q, org in _queries(sample) if not org]
    assert len(ids) > 20
    with sample.read() as conn:
        found = iq.seen_together(conn, sample.owner_id, ids)
        expected = _reference_together(conn, sample.owner_id, ids)
    assert len(expected) > 50 and any(t.meetings for t in expected)
    assert _key(found) == _key(expected)


def test_the_answers_are_those_of_the_reference_on_the_sample(
    sample: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same paths, same ranking, same words for every person and the largest employers."""
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    queries = _queries(sample)

    def answers() -> list[str]:
        out = []
        for q, org in queries:
            result = svc.find_paths(sample, q, org=org, now=now, limit=100)
            out.append(json.dumps(result.as_json(), sort_keys=True, default=str))
        return out

    found = answers()
    monkeypatch.setattr(iq, "seen_together", _reference_together)
    expected = answers()
    assert sum(len(json.loads(a)["paths"]) for a in expected) > 100
    assert found == expected


def test_the_migration_copies_each_interactions_group_size(db_url: str) -> None:
    """Links stored before migration 0016 get their interaction's size, and intro reads them."""
    from alembic import command

    from rekindle.config import resolve_location
    from rekindle.store.database import _alembic_config, make_engine, migrate

    engine = make_engine(resolve_location(db_url))
    with engine.connect() as conn:
        command.upgrade(_alembic_config(conn), "0015")
        conn.commit()
    when = "2026-03-02 10:00:00"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO owner (username, display_name, created_at) "
                "VALUES ('local', 'local', :t)"
            ),
            {"t": when},
        )
        pids = []
        for name in ("Ana Alves", "Ben Berg", "Cleo Cruz"):
            conn.execute(
                text(
                    "INSERT INTO person (owner_id, display_name, sort_name, is_me, status, "
                    "created_at, updated_at) VALUES (1, :n, :n, false, 'active', :t, :t)"
                ),
                {"n": name, "t": when},
            )
            pids.append(conn.execute(text("SELECT max(id) FROM person")).scalar())
        # a thread of three, a one-to-one mail with Ana, and two on which only these three
        # are known: one of the largest group that still counts, one of a larger group
        groups = (
            ("g", 3, pids, "t1"),
            ("o", 1, pids[:1], "t1"),
            ("edge", iq.MAX_GROUP, pids, "t2"),
            ("big", iq.MAX_GROUP + 1, pids, "t3"),
        )
        for key, size, people, thread in groups:
            conn.execute(
                text(
                    "INSERT INTO interaction (owner_id, source, natural_key, occurred_at, "
                    "channel, direction, thread, group_size) "
                    "VALUES (1, 'mail', :k, :t, 'email', 'in', :th, :s)"
                ),
                {"k": key, "t": when, "s": size, "th": thread},
            )
            iid = conn.execute(text("SELECT max(id) FROM interaction")).scalar()
            for pid in people:
                conn.execute(
                    text(
                        "INSERT INTO interaction_person (interaction_id, owner_id, person_id, "
                        "identity_kind, identity_value, occurred_at) "
                        "VALUES (:i, 1, :p, 'email', :v, :t)"
                    ),
                    {"i": iid, "p": pid, "v": f"p{pid}@example.org", "t": when},
                )
    migrate(engine)
    engine.dispose()
    upgraded = open_store(db_url)
    try:
        assert _sizes_differ(upgraded) == []
        with upgraded.read() as conn:
            sizes = sorted(conn.execute(select(interaction_person.c.group_size)).scalars())
            together = iq.seen_together(conn, upgraded.owner_id, [pids[0]])
        big = [iq.MAX_GROUP] * 3 + [iq.MAX_GROUP + 1] * 3
        assert sizes == sorted([1, 3, 3, 3, *big])
        assert sorted((t.other_id, t.threads, t.meetings) for t in together) == [
            (pids[1], 2, 0),  # threads t1 and t2; t3 was too large a group
            (pids[2], 2, 0),
        ]
    finally:
        upgraded.close()
