"""Nothing lost on the way out: every card of ../shared/corpora, imported, exported as vCard 4.0
and as 3.0 and imported into a fresh database, gives the same people with the same facts."""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import pytest

from rekindle.exporters.vcard import write_vcards
from rekindle.services.demo import load_sample
from rekindle.services.export_people import everyone
from rekindle.services.importing import import_items, import_path
from rekindle.sources import ImportOptions
from rekindle.sources.vcard import parse_vcard_stream
from rekindle.store import Store, open_store
from tests.conftest import CORPORA

OPTIONS = ImportOptions(keep_photos=True)
FILES = sorted(CORPORA.rglob("*.vcf")) if CORPORA.is_dir() else []
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not FILES, reason=f"no vCards under {CORPORA}"),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated database, copied for each store (migrating each would be slow)."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    open_store(str(path)).close()
    return path


def fresh(template: Path, path: Path) -> Store:
    shutil.copy(template, path)
    return open_store(str(path))


def facts(store: Store) -> list[str]:
    """Everyone's exportable facts, without ids and without order inside a person."""
    with store.read() as conn:
        people = list(everyone(conn, store.owner_id))
    out = []
    for person in people:
        data = dataclasses.asdict(person)
        data.pop("id")
        for key in ("identities", "affiliations", "addresses", "related", "tags"):
            data[key] = sorted(map(repr, data[key]))
        out.append(repr(sorted(data.items())))
    return sorted(out)


def round_trip(template: Path, tmp: Path, card_file: Path) -> None:
    first = fresh(template, tmp / "first.db")
    import_path(first, card_file, "vcard", OPTIONS)
    want = facts(first)
    for version in ("4.0", "3.0"):
        out = io.StringIO(newline="")
        with first.read() as conn:
            assert write_vcards(everyone(conn, first.owner_id), out, version) == len(want)
        again = fresh(template, tmp / f"again-{version}.db")
        items = parse_vcard_stream(io.BytesIO(out.getvalue().encode()), "export.vcf", OPTIONS)
        report = import_items(again, items, "export.vcf", "vcard")
        assert not report.errors, (version, report.errors[:3])
        got = facts(again)
        again.close()
        assert len(got) == len(want), (card_file, version)
        for g, w in zip(got, want, strict=True):
            assert g == w, (card_file, version)
    first.close()


SMALL = [f for f in FILES if f.stat().st_size < 500_000]
LARGE = [f for f in FILES if f.stat().st_size >= 500_000]


@pytest.mark.parametrize("card_file", SMALL, ids=lambda p: str(p.relative_to(CORPORA)))
def test_every_card_round_trips(template: Path, tmp_path: Path, card_file: Path) -> None:
    round_trip(template, tmp_path, card_file)


@pytest.mark.slow
@pytest.mark.parametrize("card_file", LARGE, ids=lambda p: str(p.relative_to(CORPORA)))
def test_large_files_round_trip(template: Path, tmp_path: Path, card_file: Path) -> None:
    round_trip(template, tmp_path, card_file)


def test_the_corpus_holds_what_the_round_trip_must_keep(template: Path, tmp_path: Path) -> None:
    """The round trip above is only worth as much as what the cards carry: photos, labels,
    addresses, anniversaries, IM handles, related people, notes and categories are there."""
    store = fresh(template, tmp_path / "all.db")
    for card_file in SMALL:
        import_path(store, card_file, "vcard", OPTIONS)
    with store.read() as conn:
        people = list(everyone(conn, store.owner_id))
    assert sum(1 for p in people if p.photo) >= 5
    assert sum(1 for p in people if p.addresses) >= 20
    assert sum(1 for p in people if p.anniversary) >= 2
    assert sum(1 for p in people if p.related) >= 3
    assert sum(1 for p in people if any(i.kind == "handle" for i in p.identities)) >= 5
    assert sum(1 for p in people if any(i.label for i in p.identities)) >= 20
    assert sum(1 for p in people if p.note) >= 10 and sum(1 for p in people if p.tags) >= 5
    store.close()


def test_the_sample_network_round_trips(template: Path, tmp_path: Path) -> None:
    """Data from other sources too: LinkedIn-like schools and dated stints, profiles, tags."""
    first = fresh(template, tmp_path / "sample.db")
    load_sample(first)
    want = facts(first)
    assert any("kind': 'school'" in p for p in want) and any("'start': datetime" in p for p in want)
    for version in ("4.0", "3.0"):
        out = io.StringIO(newline="")
        with first.read() as conn:
            write_vcards(everyone(conn, first.owner_id), out, version)
        again = fresh(template, tmp_path / f"again-{version}.db")
        items = parse_vcard_stream(io.BytesIO(out.getvalue().encode()), "export.vcf", OPTIONS)
        import_items(again, items, "export.vcf", "vcard")
        assert facts(again) == want, version
        again.close()
    first.close()


def test_a_website_stays_a_url_and_a_related_uri_is_kept(template: Path, tmp_path: Path) -> None:
    """Other apps read a website only from URL, and RELATED may point at a card by its URI."""
    (card_file,) = [f for f in FILES if f.name == "vcard40_full.vcf"]
    store = fresh(template, tmp_path / "full.db")
    import_path(store, card_file, "vcard", OPTIONS)
    exported = {}
    for version in ("4.0", "3.0"):
        out = io.StringIO(newline="")
        with store.read() as conn:
            write_vcards(everyone(conn, store.owner_id), out, version)
        exported[version] = out.getvalue()
        assert "\r\nURL:http://www.example.com/~jqpublic\r\n" in exported[version], version
        assert "X-SOCIALPROFILE" not in exported[version], version
    related = "RELATED;TYPE=spouse:urn:uuid:b8767877-b4a1-4c70-9acc-505d3819e519\r\n"
    assert related in exported["4.0"]
    assert ":urn:uuid:b8767877-b4a1-4c70-9acc-505d3819e519\r\n" in exported["3.0"]
    store.close()
