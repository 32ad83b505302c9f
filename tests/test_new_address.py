"""A new address of someone known becomes a merge suggestion with reasons, not a silent
second person (:mod:`rekindle.identity.new_address`, :mod:`rekindle.services.new_addresses`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from rekindle.identity.new_address import RULE, Sighting, continuation
from rekindle.services import me as me_svc
from rekindle.services import merging
from rekindle.services import people as people_svc
from rekindle.services.importing import import_path
from rekindle.services.sync_files import sync_mail_path
from rekindle.store import Store
from tests.test_address_contract import _message

NOW = datetime(2026, 11, 1, tzinfo=UTC)
ME = "me@example.net"
JAN, MAR = datetime(2025, 1, 7, tzinfo=UTC), datetime(2025, 3, 3, tzinfo=UTC)


def _seen(name: str = "Maria Gomez") -> Sighting:
    return Sighting("t1", "Re: plans", "maria.g@gmail.com", 7, name, JAN, MAR)


def test_same_name_in_the_same_thread_is_a_continuation() -> None:
    found = continuation("maria@newco.io", "Maria Gomez", [_seen()])
    assert found is not None and found.person == 7
    words = " ".join(found.reasons)
    assert "“Re: plans”" in words and "maria.g@gmail.com" in words
    assert "writes from newco.io now, before from gmail.com" in words
    assert "2025-03-03" in words and "2025-01-07" in words


def test_another_name_on_the_thread_is_no_continuation() -> None:
    """A colleague who joined the thread is someone else."""
    assert continuation("bob@newco.io", "Bob Stone", [_seen()]) is None
    assert continuation("maria@newco.io", None, [_seen()]) is None


def test_two_known_people_of_that_name_is_no_continuation() -> None:
    other = Sighting("t2", "x", "maria@old.example", 9, "Maria Gomez", JAN, MAR)
    assert continuation("maria@newco.io", "Maria Gomez", [_seen(), other]) is None


def _box(tmp: Path, name: str, rows: list[str]) -> Path:
    box = tmp / name
    box.write_text("".join(f"From x@y Mon Jan  1 00:00:00 2024\n{m}\n" for m in rows), "utf-8")
    return box


def test_sync_suggests_the_new_address_with_reasons(store: Store, tmp_path: Path) -> None:
    me_svc.add_address(store, ME)
    card = tmp_path / "maria.vcf"
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Maria Gomez\nEMAIL:maria.g@gmail.com\nEND:VCARD\n")
    import_path(store, card, now=NOW)
    first = _box(tmp_path, "old.mbox", [
        _message(1, "Maria Gomez <maria.g@gmail.com>", ME, "plans"),
        _message(2, f"Me <{ME}>", "Maria Gomez <maria.g@gmail.com>", "Re: plans", reply=1),
    ])
    sync_mail_path(store, first, now=NOW)
    later = _box(tmp_path, "new.mbox", [
        _message(3, "Maria Gomez <maria@newco.io>", ME, "Re: plans", reply=2, root=1),
        _message(4, f"Me <{ME}>", "Maria Gomez <maria@newco.io>", "Re: plans", reply=3, root=1),
        _message(5, "Bob Stone <bob@newco.io>", ME, "Re: plans", reply=2, root=1),
        _message(6, f"Me <{ME}>", "Bob Stone <bob@newco.io>", "Re: plans", reply=5, root=1),
    ])
    report = sync_mail_path(store, later, now=NOW)
    assert [c.address for c in report.new_addresses] == ["maria@newco.io"]
    assert "1 new address of people you know" in report.summary()
    [suggestion] = [s for s in merging.review(store) if s.rule == RULE]
    assert {suggestion.a["name"], suggestion.b["name"]} == {"Maria Gomez"}
    assert any("writes from newco.io now" in r for r in suggestion.reasons)
    assert any("maria.g@gmail.com" in r for r in suggestion.reasons)
    merging.accept(store, suggestion.id, now=NOW)
    maria = people_svc.show(store, "maria@newco.io")
    assert maria.id == people_svc.show(store, "maria.g@gmail.com").id
    assert maria.interactions == 4
