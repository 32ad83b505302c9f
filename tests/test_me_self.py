"""Never yourself: records that look like the user are proposed as theirs and kept out of
plans, drafts and merge suggestions."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from rekindle.errors import UserError
from rekindle.history.records import Address
from rekindle.identity.self_match import Myself, stem
from rekindle.services import drafting, history, timeline
from rekindle.services import me as me_svc
from rekindle.services import plan as plan_svc
from rekindle.services.drafting import DraftRequest
from rekindle.services.why import why
from rekindle.store import Store
from tests.test_plan import ME, NOW, mail, network

ALLEN = Myself.of("Phillip Allen", ["phillip.allen@enron.com", "k..allen@enron.com"])


def test_stems_of_addresses() -> None:
    assert stem("P.Allen70") == "pallen"
    assert stem("k..allen") == "kallen"


def test_same_name_and_address_built_like_mine() -> None:
    assert ALLEN.evidence(["phillip allen"], ["pallen70@hotmail.com"]) == [
        "named 'phillip allen', your name",
        "pallen70@hotmail.com is built like your own addresses",
    ]
    assert ALLEN.evidence(["Allen, Phillip K."], []) == ["named 'Allen, Phillip K.', your name"]
    # a colleague, a namesake's relative with another first name, my own address: not "another me"
    assert ALLEN.evidence(["Keith Holst"], ["kholst@enron.com"]) == []
    assert ALLEN.evidence(["Paula Allen"], ["pallen@gmail.com"]) == []
    assert ALLEN.evidence([], ["phillip.allen@enron.com"]) == []
    assert Myself.of(None, []).evidence(["phillip allen"], ["pallen@x.com"]) == []


@pytest.mark.parametrize(
    "name",
    [
        "ALLEN, PHILLIP",
        "Allen, Phillip K.",
        "Mr. Phillip K. Allen Jr.",
        'Phillip "Phil" Allen',
        "Phil Allen",
        "Phillip Allen-Smith",
        "Phillip Allenby",
        "Phillip O'Allen",
        "Allén Phillip",
        "Phillip",
        "Dr. Allen",
    ],
)
def test_names_skipped_unparsed_are_never_my_name(name: str) -> None:
    """evidence parses only names with my family name among their words: it says what
    same_name (which parses every name) says."""
    mine = [f"named {name!r}, your name"] if ALLEN.same_name(name) else []
    assert ALLEN.evidence([name], []) == mine


def selves(store: Store) -> None:
    """The plan's network, plus my home address writing to me and me to it, under my name."""
    network(store)
    me_svc.set_name(store, "Robin Example")
    home = "robin.example1970@home.example"
    msgs = []
    for i, d in enumerate([900, 800, 700, 600, 500, 450, 420, 400]):
        when = NOW - timedelta(days=d)
        if i % 2:
            msgs.append(mail(100 + i, home, [ME], when, "notes for home"))
        else:
            msgs.append(mail(100 + i, ME, [home], when, "fwd: notes"))
    msgs = [
        replace(m, sender=Address(home, "Robin Example")) if m.sender.value == home else m
        for m in msgs
    ]
    history.ingest(store, "test", "home", lambda state: msgs, now=NOW)


def test_my_other_address_is_proposed_and_never_planned_or_drafted(store: Store) -> None:
    selves(store)
    found = timeline.suggest_me(store)
    home = next(f for f in found if f["address"] == "robin.example1970@home.example")
    assert any("your name" in e for e in home["evidence"])
    assert any("from it to your addresses" in e for e in home["evidence"])
    plan = plan_svc.weekly_plan(store, NOW, quota=10)
    assert plan.suggestions
    assert home["person_id"] not in [s.person_id for s in plan.suggestions]
    with pytest.raises(UserError, match="looks like you"):
        drafting.draft_for(store, str(home["person_id"]), DraftRequest(), now=NOW)


def test_why_says_the_record_looks_like_me(store: Store) -> None:
    selves(store)
    w = why(store, "robin.example1970@home.example", now=NOW)
    assert any("your name" in e for e in w.looks_like_you)
    assert why(store, "ann@acme.com", now=NOW).looks_like_you == []


def test_someone_else_s_name_on_an_address() -> None:
    assert ALLEN.someone_else(["Ina Rangel"]) == "Ina Rangel"
    assert ALLEN.someone_else(["Butler,  Pam"]) == "Butler, Pam"
    # one of its names is mine, or nothing says otherwise: not someone else's
    assert ALLEN.someone_else(["Ina Rangel", "Phillip K Allen"]) is None
    assert ALLEN.someone_else([]) is None
    assert ALLEN.someone_else(["", "  "]) is None
    assert Myself.of(None, ["pallen@enron.com"]).someone_else(["Ina Rangel"]) is None


def test_sent_under_another_name_is_not_proposed_and_mine_is_already_yours(store: Store) -> None:
    """Mail filed as sent from an assistant's address (their name on it) is shown, not proposed
    as mine; a look-alike record whose address I added says it is already mine."""
    selves(store)
    helper = "pat.helper@work.example"
    sent = [
        replace(
            mail(200 + i, helper, ["ann@acme.com"], NOW - timedelta(days=30 + i), "for Robin"),
            sender=Address(helper, "Pat Helper"),
            folder="Sent Items",
        )
        for i in range(3)
    ]
    history.ingest(store, "test", "sent", lambda state: sent, now=NOW)
    found = {f["address"]: f for f in timeline.suggest_me(store, limit=10)}
    assistant = found[helper]
    assert assistant["in_sent_folders"] == 3 and assistant["other_name"] == "Pat Helper"
    assert not assistant["already_yours"]
    home = "robin.example1970@home.example"
    assert found[home]["already_yours"] is False
    me_svc.add_address(store, home)
    history.rebuild(store, now=NOW)
    again = {f["address"]: f for f in timeline.suggest_me(store, limit=10)}
    assert again[home]["already_yours"] is True
    w = why(store, str(found[home]["person_id"]), now=NOW)
    assert w.list is None and w.list_why == "on no list: a record of you"
