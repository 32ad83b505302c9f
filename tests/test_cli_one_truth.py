"""The CLI says what it means: several things at once, the setting's expectation, the person
a typo meant (issue 16, "one truth everywhere")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rekindle.identity.near_names import near_names
from rekindle.services import people as people_svc
from rekindle.store import Store
from tests.test_cli import rekindle

CARDS = {
    "jeff.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:Jeff Smith\nEMAIL:jeff@example.org\nEND:VCARD\n",
    "jane.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:Jane Smith\nEMAIL:jane@example.org\nEND:VCARD\n",
    "ana.vcf": "BEGIN:VCARD\nVERSION:3.0\nFN:Ana Costa\nEMAIL:ana@example.org\nEND:VCARD\n",
}


def cards(folder: Path) -> Path:
    folder.mkdir()
    for name, text in CARDS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_nearest_names_best_first_and_only_the_close_ones() -> None:
    names = [(1, "Jeff Smith"), (2, "Jane Smith"), (3, "Fraser Lloyd"), (4, "Jeff Smithers")]
    assert near_names("Jef Smith", names) == [(1, "Jeff Smith")]
    assert near_names("smith jeff", names) == [(1, "Jeff Smith")]  # any order, any case
    assert near_names("Fraser Loyd", names) == [(3, "Fraser Lloyd")]
    assert near_names("Zoe Quinn", names) == []
    assert near_names("", names) == []
    assert near_names("J" * 100_000, names) == []  # bounded on a long input


def test_a_typo_gets_did_you_mean_wherever_a_person_is_named(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    rekindle("import", str(cards(tmp_path / "cards")), db=db)
    for command in (["show"], ["why"], ["history"], ["draft"], ["note"], ["done"]):
        extra = ["a note"] if command == ["note"] else []
        said = rekindle(*command, "Jef Smith", *extra, db=db, check=False)
        assert said.returncode == 1, command
        assert "did you mean Jeff Smith (#" in said.stderr, (command, said.stderr)
        assert "Jane" not in said.stderr and "Traceback" not in said.stderr
    nothing_near = rekindle("show", "Zoe Quinn", db=db, check=False)
    assert "nobody matches 'Zoe Quinn'" in nothing_near.stderr
    assert "did you mean" not in nothing_near.stderr


def test_the_service_names_the_nearest_person(store: Store, tmp_path: Path) -> None:
    from rekindle.errors import NotFoundError
    from rekindle.services.importing import import_path

    import_path(store, cards(tmp_path / "cards"))
    try:
        people_svc.show(store, "Ana Kosta")
    except NotFoundError as exc:
        assert "did you mean Ana Costa (#" in exc.message
    else:
        raise AssertionError("a typo resolved to someone")


def test_import_takes_several_files_and_folders(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    folder = cards(tmp_path / "cards")
    other = tmp_path / "other.vcf"
    other.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Bo Lee\nEMAIL:bo@example.org\nEND:VCARD\n", encoding="utf-8"
    )
    missing = tmp_path / "missing.vcf"
    said = rekindle("import", str(other), str(folder), str(missing), db=db, check=False)
    assert said.returncode == 1  # one of them could not be read ...
    assert "missing.vcf" in said.stderr and "Traceback" not in said.stderr
    assert "1 of" in said.stderr and "files could not be imported" in said.stderr
    people = json.loads(rekindle("people", "--json", db=db).stdout)  # ... the others went in
    assert sorted(p["name"] for p in people) == ["Ana Costa", "Bo Lee", "Jane Smith", "Jeff Smith"]
    again = json.loads(rekindle("import", str(other), str(folder), "--json", db=db).stdout)
    assert [r["path"].endswith("other.vcf") for r in again][0]
    assert sum(r["new"] for r in again) == 0  # re-importing changes nothing


def test_me_add_address_takes_several_and_tells_a_bad_one(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    said = rekindle("me", "add-address", "me@example.org", "not-an-address", "+44 20 7946 0000",
                    "me2@example.org", db=db, check=False)  # fmt: skip
    assert said.returncode == 1
    assert "not-an-address" in said.stderr and "Traceback" not in said.stderr
    shown = rekindle("me", db=db).stdout
    for address in ("me@example.org", "me2@example.org"):
        assert address in shown
    removed = rekindle("me", "remove-address", "me@example.org", "me2@example.org", db=db).stdout
    assert removed.count("removed") == 2
    assert "me@example.org" not in rekindle("me", db=db).stdout


def test_a_refused_setting_says_what_it_expects(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    said = rekindle("config", "set", "plan.quota", "abc", db=db, check=False)
    assert said.returncode == 1
    assert "plan.quota takes a whole number of people, 1 or more; not 'abc'" in said.stderr
    assert "people in each plan" in said.stderr and "default 3" in said.stderr
    lock = rekindle("config", "set", "plan.lock_days", "soon", db=db, check=False)
    assert "whole number of days, 0 or more" in lock.stderr


ALLEN = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "enron-mailbox" / "allen-p"


@pytest.mark.skipif(not ALLEN.is_dir(), reason="the Enron allen-p mailbox is not in ../shared")
def test_sync_mail_counts_add_up_on_a_real_mailbox(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    rekindle("me", "add-address", "phillip.allen@enron.com", db=db)
    said = rekindle("sync", "mail", str(ALLEN), "--json", db=db)
    got = json.loads(said.stdout)
    skipped = sum(got["not_interactions"].values())
    assert got["new"] > 100 and got["interactions"] > 0
    assert got["read"] == got["new"] + got["duplicates"] + len(got["errors"])
    # every new message is an interaction, not one for a reason, or has nobody you know on it
    assert got["new"] == got["interactions"] + skipped + got["with_nobody_known"]
    fresh = tmp_path / "again.db"
    rekindle("me", "add-address", "phillip.allen@enron.com", db=fresh)
    line = " ".join(rekindle("sync", "mail", str(ALLEN), db=fresh).stdout.split())
    assert f"{got['new']:,} new: {got['interactions']:,} interaction" in line
    if skipped:
        assert f"{skipped:,} not interactions (" in line
    if got["with_nobody_known"]:
        assert f"{got['with_nobody_known']:,} with nobody you know" in line
