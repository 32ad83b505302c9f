"""Warm introductions on both databases: a small mailbox where the best path is known."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from rekindle.cli.main import app
from rekindle.engine.intro_paths import Stint, Tie, shared_employers, tie_weight
from rekindle.errors import NotFoundError
from rekindle.services import intro as svc
from rekindle.services import me as me_svc
from rekindle.services import people as people_svc
from rekindle.services.importing import import_items
from rekindle.services.ties import refresh_ties
from rekindle.store import Store
from rekindle.store.history import insert_interaction
from tests.test_history import ME, NOW, T0, msg, sync
from tests.test_importing import contact

DANA, LEE, OLD, SAM = "dana@beta.com", "lee@acme.com", "old@gamma.com", "sam@delta.com"


def mailbox() -> list:
    """Dana: a close, recent tie, on three threads with Lee. Old: a strong tie gone quiet in
    2024, on one thread with Lee. Sam: one exchange, on no thread with Lee. Lee: only ever on
    group mail with me."""
    out, n = [], 0

    def add(sender: str, to: list[str], days: float, subject: str, reply: str | None = None) -> str:
        nonlocal n
        n += 1
        out.append(msg(n, sender, to, days=days, subject=subject, reply_to=reply))
        return f"<m{n}@test>"

    for k in range(6):  # day 700 on: 2025-12 to 2026-03
        first = add(ME, [DANA], 700 + 20 * k, f"coffee {k}")
        add(DANA, [ME], 701 + 20 * k, f"Re: coffee {k}", first)
    for k in range(3):
        first = add(DANA, [ME, LEE], 750 + 10 * k, f"project {k}")
        add(LEE, [ME, DANA], 751 + 10 * k, f"Re: project {k}", first)
    for k in range(8):  # Old: many, but the last in 2024
        first = add(ME, [OLD], 10 + 10 * k, f"old {k}")
        add(OLD, [ME], 11 + 10 * k, f"Re: old {k}", first)
    add(OLD, [ME, LEE], 120, "old thread")
    first = add(ME, [SAM], 780, "hi sam")
    add(SAM, [ME], 781, "Re: hi sam", first)
    return out


@pytest.fixture
def network(store: Store) -> Store:
    me_svc.add_address(store, ME)
    cards = [
        contact(1, "Dana Diaz", DANA, org="Beta Ltd"),
        contact(2, "Lee Lopez", LEE, org="Acme Corp"),
        contact(3, "Olga Old", OLD, org="Gamma"),
        contact(4, "Sam Stone", SAM, org="Acme Corp"),
    ]
    import_items(store, cards, "cards.vcf", "test")
    sync(store, mailbox())
    return store


def test_the_close_recent_tie_on_threads_with_the_target_is_the_best_path(network: Store) -> None:
    result = svc.find_paths(network, "Lee Lopez", now=NOW)
    assert result.kind == "person" and result.target == "Lee Lopez"
    best = result.paths[0]
    assert best.introducer == "Dana Diaz" and not best.dormant
    assert best.hops[1]["kind"] == "together"
    assert best.explanation == (
        "Dana Diaz: you exchanged 18 messages until 2026; "
        "Dana Diaz and Lee Lopez were on 3 threads from 2026 to 2026".replace(
            "from 2026 to 2026", "in 2026"
        )
    )
    by_name = {p.introducer: p for p in result.paths}
    assert by_name["Olga Old"].dormant  # last in touch in 2024
    assert by_name["Olga Old"].score < best.score
    # Sam shares Lee's employer (no dates: a weak hop), and knows me least
    assert by_name["Sam Stone"].hops[1]["kind"] == "employer"
    assert "both worked at Acme Corp" in by_name["Sam Stone"].explanation
    direct = [p for p in result.paths if p.introducer is None]
    assert len(direct) == 1 and direct[0].score < best.score  # only group mail with Lee


def test_a_meeting_counts_as_seen_together(network: Store) -> None:
    with network.read() as conn:
        ids = {e: people_svc.resolve_person(conn, network.owner_id, e) for e in (SAM, LEE)}
    with network.begin() as conn:
        insert_interaction(conn, network.owner_id, source="test", natural_key="meet-1",
                           occurred_at=T0 + timedelta(days=790), channel="meeting",
                           direction="both", subject="planning", thread=None, group_size=2,
                           import_id=None,
                           participants=[(ids[SAM], "email", SAM), (ids[LEE], "email", LEE)])  # fmt: skip
        refresh_ties(conn, network.owner_id, list(ids.values()), NOW)
    result = svc.find_paths(network, LEE, now=NOW)
    sam = next(p for p in result.paths if p.introducer == "Sam Stone")
    assert sam.hops[1]["kind"] == "together"
    assert "Sam Stone and Lee Lopez were on 1 meeting in 2026" in sam.explanation


def test_an_organisation_query_reaches_its_people(network: Store) -> None:
    result = svc.find_paths(network, "someone at acme", now=NOW)
    assert result.kind == "organisation" and result.target == "Acme Corp"
    assert {p.target for p in result.paths} == {"Lee Lopez", "Sam Stone"}
    assert result.paths[0].introducer == "Dana Diaz" and result.paths[0].target == "Lee Lopez"
    # the org's own people I know are direct paths in
    assert any(p.introducer is None and p.target == "Sam Stone" for p in result.paths)


def test_an_unknown_person_or_organisation_is_one_clear_error(network: Store) -> None:
    with pytest.raises(NotFoundError, match="nobody and no organisation .* matches 'Zed Zulu'"):
        svc.find_paths(network, "Zed Zulu", now=NOW)


def test_the_draft_asks_an_active_introducer_and_rekindles_a_dormant_one(network: Store) -> None:
    result = svc.with_draft(network, svc.find_paths(network, "Lee Lopez", now=NOW), now=NOW)
    assert result.draft is not None and result.draft.draft.intent == "ask"
    assert "an introduction to Lee Lopez" in result.draft.draft.body
    assert result.draft.person == "Dana Diaz"
    # an active tie to Dana: no reconnection to wait for, the ask guard stays quiet
    assert "ask-too-soon" not in {f.code for f in result.draft.findings}
    dormant = svc.with_draft(network, svc.find_paths(network, LEE, now=NOW), "Olga Old", now=NOW)
    assert dormant.draft is not None and dormant.draft.draft.intent == "catch-up"
    assert "dormant: rekindle it first" in (dormant.draft_note or "")


def test_cli_json_and_the_one_line_error(network: Store) -> None:
    runner = CliRunner()
    db = str(network.location.url)
    if db.startswith("sqlite:///"):
        db = db.removeprefix("sqlite:///")
    network.close()
    out = runner.invoke(app, ["--db", db, "intro", "Lee Lopez", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["paths"][0]["introducer"] == "Dana Diaz"
    assert data["paths"][0]["explanation"].startswith("Dana Diaz: you exchanged 18 messages")
    bad = runner.invoke(app, ["--db", db, "intro", "Zed Zulu"])
    assert bad.exit_code != 0


def test_shared_employer_needs_overlapping_years() -> None:
    today = date(2026, 1, 1)
    target = [Stint(1, "Acme", date(2020, 1, 1), date(2022, 1, 1))]
    before = [Stint(2, "acme", date(2015, 1, 1), date(2019, 1, 1))]
    during = [Stint(3, "ACME", date(2021, 1, 1), None)]
    assert shared_employers(before, target, today) == {}
    org, years, end, dated = shared_employers(during, target, today)[(3, 1)]
    assert (org, end, dated) == ("Acme", date(2022, 1, 1), True) and years == pytest.approx(1, 0.01)


def test_group_contact_weighs_less_than_personal_contact() -> None:
    today = date(2026, 1, 1)
    one = Tie(1, "a", 10, 0, None, None, personal=1.0)
    group = Tie(2, "b", 10, 0, None, None, personal=0.0)
    assert tie_weight(group, today) < tie_weight(one, today)


def test_a_teammate_who_shares_is_a_path_and_one_who_does_not_is_not(store: Store) -> None:
    from dataclasses import replace

    from rekindle.services import accounts

    def member(name: str) -> Store:
        account = accounts.add_user(store, name, "correct horse battery", display_name=name.title())
        mine = replace(store, owner_id=account.owner_id)
        import_items(mine, [contact(2, "Lee Lopez", LEE, org="Acme Corp")], "cards.vcf", "test")
        return mine

    alice, bob = member("alice"), member("bob")
    me_svc.add_address(bob, ME)
    sync(bob, [msg(1, ME, [LEE], days=700, subject="hi"),
               msg(2, LEE, [ME], days=701, subject="Re: hi", reply_to="<m1@test>")])  # fmt: skip
    accounts.set_sharing(alice, True)
    assert svc.find_paths(alice, "Lee Lopez", now=NOW).paths == []  # Bob does not share
    accounts.set_sharing(bob, True)
    [path] = svc.find_paths(alice, "Lee Lopez", now=NOW).paths
    assert path.introducer == "Bob" and path.introducer_id is None
    assert path.hops[1]["kind"] == "team"
    assert path.explanation.startswith("Bob: your teammate; Bob knows Lee Lopez: ")
    assert "tie at its best, last in touch in 2025" in path.explanation
