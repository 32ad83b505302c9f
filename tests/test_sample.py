"""The sample network: deterministic, realistic in shape, and fast enough for benchmarks."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import phonenumbers
import pytest

from rekindle.identity.records import ContactRecord, InteractionRecord
from rekindle.sample.network import UPDATE_SOURCE, SampleNetwork, generate_network

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def net() -> SampleNetwork:
    return generate_network(seed=42, people=120, now=NOW)


@pytest.fixture(scope="module")
def contacts(net: SampleNetwork) -> list[ContactRecord]:
    return list(net.contacts)


@pytest.fixture(scope="module")
def interactions(net: SampleNetwork) -> list[InteractionRecord]:
    return list(net.interactions)


def emails_of(record: ContactRecord) -> set[str]:
    return {i.value for i in record.identities if i.kind == "email"}


def test_same_seed_and_now_give_identical_output(net, contacts, interactions):
    again = generate_network(seed=42, people=120, now=NOW)
    assert again.me == net.me
    assert list(again.contacts) == contacts
    assert again.updates == net.updates
    assert list(again.interactions) == interactions
    assert again.tiers == net.tiers


_DIGEST = """
import hashlib
from datetime import UTC, datetime
from rekindle.sample.network import generate_network
net = generate_network(seed=5, people=200, now=datetime(2025, 6, 1, 12, tzinfo=UTC))
digest = hashlib.sha256()
for item in net.items():
    digest.update(repr(item).encode())
print(digest.hexdigest())
"""


def test_output_does_not_depend_on_hash_randomisation():
    digests = {
        subprocess.run(
            [sys.executable, "-c", _DIGEST],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1


def test_items_come_in_import_order(net, contacts):
    items = list(net.items())
    assert items[0] == net.me
    assert items[1 : 1 + len(contacts)] == contacts
    assert all(
        isinstance(i, InteractionRecord) for i in items[1 + len(contacts) + len(net.updates) :]
    )


def test_iterators_are_fresh_each_time(net, contacts, interactions):
    assert list(net.contacts) == contacts
    assert list(net.interactions)[:50] == interactions[:50]


def test_another_seed_gives_another_network(contacts):
    other = list(generate_network(seed=7, people=120, now=NOW).contacts)
    assert [c.full_name for c in other] != [c.full_name for c in contacts]


def test_counts_and_stable_ids(net, contacts, interactions):
    assert len(contacts) == net.people == 120
    ids = [c.source_id for c in contacts]
    assert ids[0] == "sample:P0001" and ids[-1] == "sample:P0120"
    assert len(set(ids)) == 120
    assert {c.source for c in contacts} == {"sample"}
    summary = net.summary()
    assert summary["contacts"] == 120
    assert summary["interactions"] == len(interactions)
    assert summary["updates"] == len(net.updates)
    assert sum(v for k, v in summary.items() if k.startswith("tier_")) == 120
    assert summary["tier_close"] >= 2 and summary["tier_dormant"] >= 15
    assert summary["tier_never"] >= 10 and summary["tier_one-off"] >= 5
    assert len({i.source_id for i in interactions}) == len(interactions)


def test_me_has_a_career_with_a_university(net):
    assert 3 <= len(net.me.affiliations) <= 5
    assert any(a.kind == "school" for a in net.me.affiliations)
    assert all(a.start is not None for a in net.me.affiliations)
    assert sum(a.end is None for a in net.me.affiliations) == 1  # the current job
    assert any(i.kind == "email" for i in net.me.identities)


def test_timestamps_are_utc_and_never_in_the_future(interactions):
    assert interactions
    start = NOW - timedelta(days=8 * 366 + 1)
    for rec in interactions:
        assert rec.when.utcoffset() == timedelta(0)
        assert start <= rec.when <= NOW
    assert all(a.when <= b.when for a, b in zip(interactions, interactions[1:], strict=False))


def test_participants_resolve_to_contacts_and_never_to_me(net, contacts, interactions):
    known = set().union(*(emails_of(c) for c in contacts))
    mine = {i.value for i in net.me.identities if i.kind == "email"}
    for rec in interactions:
        assert rec.participants and rec.group_size == len(rec.participants)
        for p in rec.participants:
            assert p.kind == "email"
            assert p.value in known
            assert p.value not in mine


def test_no_email_or_phone_is_shared_by_two_contacts():
    seen: dict[str, str] = {}
    for c in generate_network(seed=3, people=3000, now=NOW).contacts:
        for ident in c.identities:
            if ident.kind in ("email", "phone"):
                key = phonenumbers.format_number(
                    phonenumbers.parse(ident.value, "US"), phonenumbers.PhoneNumberFormat.E164
                ) if ident.kind == "phone" else ident.value  # fmt: skip
                assert seen.setdefault(key, c.source_id) == c.source_id, key


def test_phones_are_valid_numbers(contacts):
    phones = [i.value for c in contacts for i in c.identities if i.kind == "phone"]
    assert len(phones) >= 20
    assert any(p.startswith("+") and " " not in p for p in phones)  # E.164
    assert any(not p.startswith("+") for p in phones)  # national form
    for value in phones:
        assert phonenumbers.is_valid_number(phonenumbers.parse(value, "US")), value


def test_records_look_like_an_address_book(contacts):
    assert sum(1 for c in contacts if any(i.service == "linkedin" for i in c.identities)) > 40
    assert sum(1 for c in contacts if c.note) > 10
    assert any(c.birthday and c.birthday.year is None for c in contacts)
    assert any(c.birthday and c.birthday.year for c in contacts)
    assert len({t for c in contacts for t in c.tags}) >= 8  # industries
    assert any(any(ord(ch) > 127 for ch in c.display_name()) for c in contacts)
    assert all(c.identities for c in contacts)
    assert sum(1 for c in contacts if c.affiliations) >= 0.9 * len(contacts)


def test_some_ties_were_strong_and_went_quiet(net, interactions):
    history: dict[str, list[datetime]] = defaultdict(list)
    by_email = {e: c.source_id for c in net.contacts for e in emails_of(c)}
    for rec in interactions:
        for p in rec.participants:
            history[by_email[p.value]].append(rec.when)
    quiet_after_strong = []
    for sid, whens in history.items():
        last = max(whens)
        if NOW - last <= timedelta(days=180):
            continue
        busiest_year = max(
            sum(1 for w in whens if start <= w < start + timedelta(days=365)) for start in whens
        )
        if busiest_year >= 20:
            quiet_after_strong.append(sid)
    assert len(quiet_after_strong) >= 10
    assert all(net.tiers[sid] == "dormant" for sid in quiet_after_strong)
    dormant_gaps = [
        (NOW - max(history[sid])).days for sid, tier in net.tiers.items() if tier == "dormant"
    ]
    assert min(dormant_gaps) >= 180 and max(dormant_gaps) <= 4 * 366 + 10
    # close ties are ongoing and reciprocal; never-contacted contacts have no history
    for sid, tier in net.tiers.items():
        if tier == "close":
            assert NOW - max(history[sid]) < timedelta(days=60)
        if tier == "never":
            assert sid not in history
    directions = Counter(r.direction for r in interactions if r.channel == "email")
    assert directions["in"] > 0.3 * directions["out"]


def test_group_mail_and_every_channel(interactions):
    assert {r.channel for r in interactions} == {"email", "meeting", "call"}
    groups = [r for r in interactions if len(r.participants) >= 3]
    assert groups
    threads = Counter(r.thread for r in interactions if r.thread)
    assert any(n >= 3 for n in threads.values())
    assert any(r.subject and r.subject.startswith("Re: ") for r in interactions)


def test_affiliations_overlap_with_mine(net, contacts):
    mine = {a.organisation: (a.start, a.end or NOW.date()) for a in net.me.affiliations if a.start}
    colleagues, classmates = 0, 0
    for c in contacts:
        for a in c.affiliations:
            if a.organisation in mine and a.start is not None:
                start, end = mine[a.organisation]
                if a.start <= end and (a.end or date.max) >= start:
                    if a.kind == "school":
                        classmates += 1
                    else:
                        colleagues += 1
    assert colleagues >= 20 and classmates >= 5


def test_updates_are_life_events_of_existing_contacts(net, contacts):
    base = {c.source_id: c for c in contacts}
    assert len(net.updates) >= 3
    changed_job = 0
    for update in net.updates:
        assert update.source == UPDATE_SOURCE
        old = base[update.source_id]
        assert update.full_name == old.full_name
        before = (old.affiliations[-1].organisation, old.affiliations[-1].title)
        after = (update.affiliations[-1].organisation, update.affiliations[-1].title)
        assert before != after or update.addresses != old.addresses
        if before[0] != after[0]:
            changed_job += 1
            assert emails_of(update) - emails_of(old)  # a new address at the new domain
            assert update.affiliations[-2].end is not None
            assert NOW.date() - update.affiliations[-1].start <= timedelta(days=120)
    assert changed_job >= 1


def test_interactions_per_person_scales_the_history():
    net = generate_network(seed=1, people=300, now=NOW, interactions_per_person=20)
    total = sum(1 for _ in net.interactions)
    assert 0.85 * 6000 <= total <= 1.15 * 6000


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        generate_network(now=datetime(2025, 1, 1))


def test_interactions_stream_lazily_at_scale():
    # a million of them (20,000 people) feed bench/web_data.py, which times them; here the
    # same generator at a tenth of the size: an iterator each time, nothing held in a list
    net = generate_network(seed=42, people=2_000, now=NOW, interactions_per_person=55)
    assert sum(1 for _ in net.contacts) == 2_000
    stream = net.interactions
    assert iter(stream) is stream
    assert net.interactions is not stream  # afresh on each access
    count, last = 0, None
    for rec in stream:
        count += 1
        last = rec.when
    assert count >= 100_000
    assert last is not None and last <= NOW
