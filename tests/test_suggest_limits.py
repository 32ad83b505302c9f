"""Merge suggestions do bounded work per name: a hostile long name costs linear memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from rekindle.services.importing import import_path
from rekindle.store import open_store


def _import_peak(tmp_path: Path, family_chars: int) -> int:
    """Peak traced bytes of importing a card whose family name is ``family_chars`` long,
    next to a stored person (so the suggestion pass runs over both)."""
    folder = tmp_path / str(family_chars)
    folder.mkdir()
    card = folder / "long.vcf"
    card.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nN:Doe;Jane;;;\nFN:Jane Doe\nEND:VCARD\n"
        f"BEGIN:VCARD\nVERSION:3.0\nN:{'x' * family_chars};Ann;;;\nEND:VCARD\n",
        encoding="utf-8",
    )
    store = open_store(str(folder / "rekindle.db"))
    try:
        tracemalloc.start()
        try:
            report = import_path(store, card)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        store.close()
    assert report.new == 2 and not report.errors
    return peak


def test_a_long_name_imports_in_linear_memory(tmp_path: Path) -> None:
    _import_peak(tmp_path, 100)  # warm caches and imports
    small = _import_peak(tmp_path, 10_000)
    large = _import_peak(tmp_path, 40_000)
    # four times the name: linear work stays near 4x, the old one-letter deletions of the
    # whole name cost 16x (191 MB -> 1.66 GB)
    assert large < 6 * small + 2_000_000, (small, large)
    assert large < 50_000_000, large
