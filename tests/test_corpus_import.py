"""Every vCard and CSV under ../shared/corpora through the whole import path, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from rekindle.errors import ImportFileError
from rekindle.services.importing import import_path
from rekindle.store import Store
from tests.conftest import CORPORA
from tests.test_importing import snapshot

pytestmark = pytest.mark.corpus


# The FEBRL record-linkage sets (thousands of synthetic people each, with their truth) are what
# the identity tests and bench/ measure linkage on; imported here they would make this one test
# take many minutes on two databases without testing another format quirk.
LINKAGE_SETS = CORPORA / "febrl"


def corpus_files() -> list[Path]:
    if not CORPORA.is_dir():
        return []
    return sorted(
        p
        for p in CORPORA.rglob("*")
        if p.is_file()
        and p.suffix.lower() in (".vcf", ".vcard", ".csv")
        and LINKAGE_SETS not in p.parents
    )


@pytest.mark.skipif(not CORPORA.is_dir(), reason=f"no shared corpora at {CORPORA}")
def test_every_corpus_contact_file_imports_and_reimports_unchanged(store: Store) -> None:
    files = corpus_files()
    assert len(files) > 100
    imported, rejected, contacts, errors = [], [], 0, 0
    for path in files:
        try:
            report = import_path(store, path)
        except ImportFileError as exc:  # a whole-file refusal is fine, a traceback is not
            rejected.append((path, exc.message))
            continue
        contacts += report.contacts
        errors += report.skipped
        for err in report.errors:
            assert err.locator and err.message
        (imported if report.contacts else rejected).append((path, report.summary()))
        before = snapshot(store)
        again = import_path(store, path)  # importing the same file again changes nothing
        assert (again.new, again.merged, again.updated) == (0, 0, 0), path
        assert snapshot(store) == before, path
    print(
        f"\ncorpus: {len(files)} files, {len(imported)} imported, {len(rejected)} rejected, "
        f"{contacts} contacts, {errors} per-record errors"
    )
    assert len(imported) >= 0.9 * len(files)
