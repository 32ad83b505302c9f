"""A zip is read with a cap on what it expands to, and a line of a table with a cap on its
length: a small upload cannot cost gigabytes of memory."""

from __future__ import annotations

import io
import os
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from rekindle.services.importing import import_path
from rekindle.sources.base import ImportOptions
from rekindle.sources.bounded_zip import BoundedZip, ZipTooLarge
from rekindle.sources.csv_table import open_table
from rekindle.store import Store

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
GOOD = HEADER + "Ann,Lee,https://www.linkedin.com/in/annlee,ann@example.com,Acme,CTO,22 Dec 2025\n"


def _bomb(path: Path, megabytes: int) -> None:
    """Connections.csv is fine; Invitations.csv expands ~1000 times (one endless line)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Connections.csv", GOOD)
        with zf.open("Invitations.csv", "w", force_zip64=True) as fh:
            fh.write(b"From,To,Sent At,Message,Direction\n")
            block = b"a" * (1 << 20)
            for _ in range(megabytes):
                fh.write(block)


def test_a_zip_bomb_is_refused_by_its_member_and_the_rest_imported(
    store: Store, tmp_path: Path
) -> None:
    bomb = tmp_path / "Basic_LinkedInDataExport_01-01-2026.zip"
    _bomb(bomb, 300)  # 300 MB expanded
    assert bomb.stat().st_size < 1 << 20
    tracemalloc.start()
    started = time.monotonic()
    report = import_path(store, bomb)
    took = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.new == 1
    lines = [str(e) for e in report.errors]
    assert any("Invitations.csv" in line and "zip bomb" in line for line in lines), lines
    assert peak < 64 << 20
    assert took < 30  # refused from its declared sizes, not expanded


def test_members_together_expand_at_most_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in ("one.csv", "two.csv"):
            zf.writestr(name, os.urandom(600 << 10).hex())  # 1.2 MB of text each, ratio 2
    with zipfile.ZipFile(path) as zf:
        bounded = BoundedZip(zf, limit=2 << 20)
        with bounded.opener("one.csv")() as fh:
            assert len(fh.read()) == 1200 << 10
        with pytest.raises(ZipTooLarge, match="two.csv expands to 1 MB, past the 2 MB"):
            bounded.opener("two.csv")()


def test_an_endless_line_is_read_in_bounded_pieces(tmp_path: Path) -> None:
    path = tmp_path / "one-line.csv"
    with path.open("w", encoding="ascii") as fh:
        fh.write("name,email\n")
        for _ in range(40):
            fh.write("x" * (1 << 20))
    tracemalloc.start()
    with open_table(path, ImportOptions(), expected=("name", "email")) as table:
        assert table is not None
        errors = [str(r) for r in table.rows("csv")]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert errors and all("larger than 1 MB" in e for e in errors)
    assert peak < 40 << 20  # the 40 MB line never whole in memory


def test_an_upload_of_a_bomb_via_bytes_is_refused_the_same(tmp_path: Path) -> None:
    # the team upload stores the file and imports it like the CLI: the same reader refuses it
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Connections.csv", HEADER + "a" * (64 << 20))
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf,
        pytest.raises(ZipTooLarge, match="zip bomb"),
    ):
        BoundedZip(zf).opener("Connections.csv")()
