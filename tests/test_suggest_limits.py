"""Merge suggestions do bounded work per name: a hostile long name costs linear memory.

An import refuses a name longer than the 500 characters Rekindle keeps (tests/test_long_fields.py),
so the matching layer is driven here directly, as an importer drives it: resolve, register,
then the suggestion pass over both people."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from rekindle.identity.matching import Resolver, profile_from_record
from rekindle.identity.records import ContactRecord
from rekindle.services.importing import import_path
from rekindle.store import open_store


def _card(family: str, given: str) -> ContactRecord:
    return ContactRecord(
        source="test", locator="test:1", payload="", family_name=family, given_name=given
    )


def _suggestion_peak(family_chars: int) -> int:
    """Peak traced bytes of resolving a person whose family name is ``family_chars`` long
    next to a registered one, and of the suggestion pass over both."""
    tracemalloc.start()
    try:
        resolver = Resolver()
        for pid, rec in enumerate((_card("Doe", "Jane"), _card("x" * family_chars, "Ann")), 1):
            prof = profile_from_record(rec, "US")
            resolver.resolve(prof)
            resolver.register(pid, prof)
        resolver.suggestions()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_long_name_costs_linear_memory_in_the_suggestion_pass() -> None:
    _suggestion_peak(100)  # warm caches
    small = _suggestion_peak(10_000)
    large = _suggestion_peak(40_000)
    # four times the name: linear work stays near 4x, the old one-letter deletions of the
    # whole name cost 16x (191 MB -> 1.66 GB)
    assert large < 6 * small + 2_000_000, (small, large)
    assert large < 50_000_000, large


def test_an_import_of_a_long_name_is_refused_alone_in_bounded_memory(tmp_path: Path) -> None:
    card = tmp_path / "long.vcf"
    card.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nN:Doe;Jane;;;\nFN:Jane Doe\nEND:VCARD\n"
        f"BEGIN:VCARD\nVERSION:3.0\nN:{'x' * 40_000};Ann;;;\nEND:VCARD\n",
        encoding="utf-8",
    )
    store = open_store(str(tmp_path / "rekindle.db"))
    try:
        tracemalloc.start()
        try:
            report = import_path(store, card)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        store.close()
    assert report.new == 1
    [error] = report.errors
    assert "long.vcf" in str(error) and "40,004 characters long" in str(error)
    assert peak < 50_000_000, peak
