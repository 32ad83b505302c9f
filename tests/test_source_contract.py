"""One contract every importer in the registry must keep (the vdirsyncer way)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from rekindle.identity.records import ContactRecord, RecordError
from rekindle.services.importing import import_path
from rekindle.sources import ImportOptions, detect, importers
from rekindle.store import Store
from tests.conftest import FIXTURES
from tests.test_importing import snapshot

#: a good input for each importer, from the fixtures named by quirk
GOOD = {
    "vcard": FIXTURES / "vcard" / "apple-item-labels.vcf",
    "linkedin": FIXTURES / "linkedin" / "linkedin-connections-preamble.csv",
    "google_csv": FIXTURES / "csv" / "google-current-bom-multiline-notes.csv",
    "outlook_csv": FIXTURES / "csv" / "outlook-classic-cp1252.csv",
    "csv": FIXTURES / "csv" / "generic-simple.csv",
}


#: malformed inputs: cut in the middle, a stray quote, control bytes, random garbage
def malformed_variants(good: Path, tmp_path: Path) -> list[Path]:
    data = good.read_bytes()
    rng = random.Random(7)
    variants = {
        "truncated": data[: len(data) // 2],
        "stray-quote": data.replace(b",", b',"', 3),
        "control-bytes": data[:200] + b"\x00\x01\x02\xff\xfe" + data[200:],
        "shuffled-lines": b"\n".join(rng.sample(data.splitlines(), len(data.splitlines()))),
        "garbage": bytes(rng.randrange(256) for _ in range(4096)),
    }
    out = []
    for name, blob in variants.items():
        path = tmp_path / f"{name}{good.suffix}"
        path.write_bytes(blob)
        out.append(path)
    return out


def test_every_importer_has_a_contract_input() -> None:
    assert set(GOOD) == set(importers())


@pytest.mark.parametrize("name", sorted(GOOD))
def test_detect_picks_the_importer(name: str) -> None:
    assert detect(GOOD[name]).name == name


@pytest.mark.parametrize("name", sorted(GOOD))
def test_deterministic_and_yields_contacts(name: str) -> None:
    importer = importers()[name]
    first = list(importer.parse(GOOD[name], ImportOptions()))
    second = list(importer.parse(GOOD[name], ImportOptions()))
    assert first == second
    assert any(isinstance(item, ContactRecord) for item in first)
    for item in first:
        if isinstance(item, ContactRecord):
            assert item.locator and item.source == item.source.strip()
            assert item.natural_key() == item.natural_key()


@pytest.mark.parametrize("name", sorted(GOOD))
def test_empty_input_yields_nothing(name: str, tmp_path: Path) -> None:
    empty = tmp_path / ("empty" + GOOD[name].suffix)
    empty.write_bytes(b"")
    assert list(importers()[name].parse(empty, ImportOptions())) == []


@pytest.mark.parametrize("name", sorted(GOOD))
def test_malformed_input_yields_errors_and_never_raises(name: str, tmp_path: Path) -> None:
    importer = importers()[name]
    for path in malformed_variants(GOOD[name], tmp_path):
        items = list(importer.parse(path, ImportOptions()))  # must not raise
        for item in items:
            if isinstance(item, RecordError):
                assert item.locator and item.message
        assert items == list(importer.parse(path, ImportOptions()))


@pytest.mark.parametrize("name", sorted(GOOD))
def test_reimport_changes_nothing(name: str, store: Store) -> None:
    first = import_path(store, GOOD[name], name)
    assert first.contacts > 0
    before = snapshot(store)
    again = import_path(store, GOOD[name], name)
    assert (again.new, again.merged, again.updated) == (0, 0, 0)
    assert again.unchanged == first.contacts
    assert snapshot(store) == before
