"""Any other CSV: guessed columns, ``--map``, errors that say how to map, streaming."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from rekindle.identity.records import ContactRecord, Item, PartialDate, RecordError
from rekindle.sources import detect
from rekindle.sources.base import ImportOptions
from rekindle.sources.generic_csv import IMPORTER, parse, sniff

FIXTURES = Path(__file__).parent / "fixtures" / "csv"


def items(path: Path, column_map: dict[str, str] | None = None) -> list[Item]:
    return list(parse(path, ImportOptions(column_map=column_map or {})))


def contacts(found: list[Item]) -> list[ContactRecord]:
    return [i for i in found if isinstance(i, ContactRecord)]


def test_guessed_columns() -> None:
    ada, charles = contacts(items(FIXTURES / "generic-simple.csv"))
    assert ada.source == "csv" and ada.locator == "generic-simple.csv:row 2"
    assert ada.full_name == "Ada Lovelace"
    assert [(i.kind, i.value) for i in ada.identities] == [
        ("email", "ada@engine.example"),
        ("phone", "+44 20 7946 0000"),
    ]
    assert [(a.organisation, a.title) for a in ada.affiliations] == [
        ("Analytical Engines", "Programmer")
    ]
    assert ada.tags == ["math", "history"]
    assert ada.birthday == PartialDate(12, 10, 1815)
    assert ada.note == "First programmer"
    assert charles.birthday == PartialDate(12, 26, 1791)


def test_tab_separated() -> None:
    linus, margaret = contacts(items(FIXTURES / "generic-tab.tsv"))
    assert linus.full_name == "Linus"
    assert [i.value for i in linus.identities] == ["linus@kernel.example", "+358 40 1234567"]
    assert margaret.locator == "generic-tab.tsv:row 3"


def test_nothing_maps_gives_one_error_with_a_hint() -> None:
    (error,) = items(FIXTURES / "generic-unmapped.csv")
    assert isinstance(error, RecordError) and error.locator == "generic-unmapped.csv"
    assert "Foo, Bar, Baz" in error.message and "--map" in error.message


def test_column_map() -> None:
    column_map = {
        "name": "Qui",
        "email": "Courriel",
        "organisation": "Boîte",
        "note": "Remarque",
        "extra.level": "Niveau",
    }
    marie, pierre = contacts(items(FIXTURES / "generic-needs-map.csv", column_map))
    assert marie.full_name == "Marie Curie"
    assert [i.value for i in marie.identities] == ["marie@radium.example"]
    assert marie.affiliations[0].organisation == "Institut du Radium"
    assert marie.note == "Two Nobel prizes"
    assert marie.extra == {"level": "A"}
    assert pierre.note is None and pierre.extra == {"level": "B"}


def test_column_map_matches_headers_loosely_and_all_fields(tmp_path: Path) -> None:
    path = tmp_path / "all.csv"
    path.write_text(
        "Vorname;Nachname;Mail 1;Mail 2;Tel;Handy;Firma;Rolle;Web;LI;Geb;Gruppen\n"
        "Hans;Meier;h@x.de;hm@y.de;+49 1;+49 2;ACME;CEO;https://hans.de;"
        "https://www.linkedin.com/in/hans;17.05.1970;a|b\n",
        encoding="utf-8",
    )
    column_map = {
        "given_name": "vorname",
        "family_name": "NACHNAME",
        "email": "Mail 1",
        "email2": "mail 2",
        "phone": "Tel",
        "phone2": "Handy",
        "organisation": "Firma",
        "title": "Rolle",
        "url": "Web",
        "linkedin": "LI",
        "birthday": "Geb",
        "tags": "Gruppen",
    }
    (hans,) = contacts(items(path, column_map))
    assert hans.full_name == "Hans Meier"
    assert [(i.kind, i.value, i.service) for i in hans.identities] == [
        ("email", "h@x.de", None),
        ("email", "hm@y.de", None),
        ("phone", "+49 1", None),
        ("phone", "+49 2", None),
        ("url", "https://hans.de", None),
        ("url", "https://www.linkedin.com/in/hans", "linkedin"),
    ]
    assert hans.affiliations[0].title == "CEO"
    assert hans.birthday == PartialDate(5, 17, 1970)
    assert hans.tags == ["a", "b"]


def test_column_map_errors(tmp_path: Path) -> None:
    path = FIXTURES / "generic-needs-map.csv"
    (missing,) = items(path, {"name": "Nope"})
    assert isinstance(missing, RecordError) and "no column 'Nope'" in missing.message
    (unknown,) = items(path, {"shoe": "Qui"})
    assert isinstance(unknown, RecordError) and "unknown field 'shoe'" in unknown.message


def test_bad_rows_do_not_stop_later_rows() -> None:
    found = items(FIXTURES / "generic-ragged-rows.csv")
    assert [type(i).__name__ for i in found] == [
        "ContactRecord",
        "RecordError",
        "ContactRecord",
        "ContactRecord",
        "ContactRecord",
    ]
    assert [c.full_name for c in contacts(found)] == [
        "Good One",
        "Short Row",
        "Trailing Empty",
        "Good Two",
    ]


def test_row_without_identifying_fields_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("Name,Email,Notes\n,,just a note\nOk,,\n", encoding="utf-8")
    error, ok = items(path)
    assert isinstance(error, RecordError) and error.locator == "n.csv:row 2"
    assert isinstance(ok, ContactRecord) and ok.full_name == "Ok"


def test_organisation_only_row(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("Company,Phone\nAcme,555\n", encoding="utf-8")
    (acme,) = contacts(items(path))
    assert acme.is_organisation and acme.display_name() == "Acme"


@pytest.mark.parametrize("content", [b"", b"\n\n", b"Name,Email\n"])
def test_empty_input_yields_nothing(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(content)
    assert items(path) == []


def test_garbage_does_not_raise(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes(b'Name,Email\n"unterminated,x\n\x00\x01\x02,\xff\xfe\n' * 3)
    found = items(path)
    assert all(isinstance(i, ContactRecord | RecordError) for i in found)


def test_deterministic() -> None:
    path = FIXTURES / "generic-simple.csv"
    assert items(path) == items(path)


def test_streams_a_30_mb_file_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    filler = "m" * 2000
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Name,Email,Phone,Company,Notes\r\n")
        rows = 0
        while fh.tell() < 30 * 1024 * 1024:
            fh.write(f'P {rows},p{rows}@x.org,+1 555 {rows:07d},Co,"{filler}\r\nend"\r\n')
            rows += 1
    tracemalloc.start()
    try:
        count = sum(1 for item in parse(path, ImportOptions()) if isinstance(item, ContactRecord))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == rows
    assert peak < path.stat().st_size / 20


@pytest.mark.parametrize("name", ["generic-simple.csv", "generic-tab.tsv", "generic-unmapped.csv"])
def test_detect_falls_back_to_generic(name: str) -> None:
    assert detect(FIXTURES / name) is IMPORTER
    assert sniff(FIXTURES / name, (FIXTURES / name).read_bytes()) == 0.2


def test_sniff_needs_a_csv_name(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("a,b\n")
    assert sniff(path, path.read_bytes()) == 0.0
