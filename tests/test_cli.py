"""The command line as a user meets it: real processes, real files, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE_VCF = """BEGIN:VCARD
VERSION:3.0
UID:alice-1
FN:Alice Smith
N:Smith;Alice;;;
EMAIL;type=INTERNET;type=WORK:alice@acme.com
ORG:Acme Corp;
TITLE:Engineer
NOTE:Met at PyCon 2019
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Bob Jones
EMAIL:bob@example.org
TEL;type=CELL:+44 20 7946 0018
END:VCARD
"""


def rekindle(
    *args: str, db: Path, check: bool = True, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "rekindle", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"rekindle {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


@pytest.fixture
def vcf(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.vcf"
    path.write_text(SAMPLE_VCF, encoding="utf-8")
    return path


def test_import_detects_and_summarises(db: Path, vcf: Path) -> None:
    out = rekindle("import", str(vcf), db=db).stdout
    assert "Detected vCard" in out
    assert "2 contacts: 2 new, 0 merged" in out
    again = rekindle("import", str(vcf), db=db).stdout
    assert "2 unchanged" in again


def test_people_show_json_and_edit(db: Path, vcf: Path) -> None:
    rekindle("import", str(vcf), db=db)
    people = json.loads(rekindle("people", "--json", db=db).stdout)
    assert sorted(p["name"] for p in people) == ["Alice Smith", "Bob Jones"]
    alice = json.loads(rekindle("show", "alice@acme.com", "--json", db=db).stdout)
    assert alice["affiliations"][0]["organisation"] == "Acme Corp"
    assert alice["records"][0]["locator"].startswith("contacts.vcf")
    rekindle("edit", "Alice Smith", "--name", "Alice Smith-Jones", "--org", "Globex", db=db)
    rekindle("import", str(vcf), db=db)
    shown = rekindle("show", str(alice["id"]), db=db).stdout
    assert "Alice Smith-Jones" in shown and "organisation=Globex" in shown


def test_tag_note_and_search(db: Path, vcf: Path) -> None:
    rekindle("import", str(vcf), db=db)
    rekindle("tag", "bob@example.org", "--add", "climbing", db=db)
    rekindle("note", "Bob Jones", "Owes me a coffee", db=db)
    found = json.loads(rekindle("people", "--tag", "climbing", "--json", db=db).stdout)
    assert [p["name"] for p in found] == ["Bob Jones"]
    shown = rekindle("show", "+442079460018", db=db).stdout
    assert "Owes me a coffee" in shown and "climbing" in shown


def test_export_csv_and_vcard(db: Path, vcf: Path, tmp_path: Path) -> None:
    rekindle("import", str(vcf), db=db)
    out = tmp_path / "out.csv"
    rekindle("export", "csv", "-o", str(out), db=db)
    assert "alice@acme.com" in out.read_text(encoding="utf-8")
    card = rekindle("export", "vcard", db=db).stdout
    assert card.count("BEGIN:VCARD") == 2


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (None, "no such file"),
        (b"", "empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"Dear diary,\nno contacts here.\n", "no contact format"),
        (b"BEGIN:VCARD\nFN:\nEND:VCARD\n", "no name"),
        (b"hello world, this is plain text\n" * 6_500_000, "no contact format"),  # about 200 MB
    ],
)
def test_bad_files_get_one_clear_line(
    db: Path, tmp_path: Path, make: bytes | None, expected: str
) -> None:
    path = tmp_path / "input.vcf"
    if make is not None:
        path.write_bytes(make)
    proc = rekindle("import", str(path), db=db, check=False)
    assert proc.returncode == 1
    assert expected in proc.stderr.lower()
    assert "Traceback" not in proc.stderr + proc.stdout


def test_unknown_person_and_ambiguous_name(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "twins.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:John Smith\nEMAIL:j1@a.com\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:John Smith\nEMAIL:j2@b.com\nEND:VCARD\n"
    )
    rekindle("import", str(path), db=db)
    missing = rekindle("show", "Nobody Here", db=db, check=False)
    assert missing.returncode == 1 and "nobody matches" in missing.stderr
    twins = rekindle("show", "John Smith", db=db, check=False)
    assert twins.returncode == 1 and "matches 2 people" in twins.stderr
    assert "Traceback" not in twins.stderr


def test_a_forced_encoding_that_does_not_fit_is_one_clear_line(db: Path, vcf: Path) -> None:
    wrong = rekindle("import", str(vcf), "--encoding", "utf-16", db=db, check=False)
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert (
        f"{vcf}: cannot be read as utf-16" in wrong.stderr
        and "nothing was imported" in wrong.stderr
    )
    unknown = rekindle("import", str(vcf), "--encoding", "bogus", db=db, check=False)
    assert unknown.returncode == 1 and "no text encoding called 'bogus'" in unknown.stderr
    assert json.loads(rekindle("people", "--json", db=db).stdout) == []
    assert "2 new" in rekindle("import", str(vcf), "--encoding", "utf-8", db=db).stdout


def test_empty_values_and_unwritable_exports_are_one_clear_line(
    db: Path, vcf: Path, tmp_path: Path
) -> None:
    rekindle("import", str(vcf), db=db)
    rekindle("goal", "set", "find a product role", db=db)
    empty = rekindle("goal", "set", "  ", db=db, check=False)
    assert empty.returncode == 1 and "the goal is empty" in empty.stderr
    assert "find a product role" in rekindle("goal", db=db).stdout  # the goal is still there
    name = rekindle("me", "set-name", "", db=db, check=False)
    assert name.returncode == 1 and "the name is empty" in name.stderr
    folder = rekindle("export", "csv", "-o", str(tmp_path), db=db, check=False)
    assert folder.returncode == 1 and f"{tmp_path} is a folder" in folder.stderr
    nowhere = rekindle("export", "csv", "-o", str(tmp_path / "no" / "x.csv"), db=db, check=False)
    assert nowhere.returncode == 1 and f"{tmp_path / 'no'} does not exist" in nowhere.stderr
    assert ".part" not in folder.stderr + nowhere.stderr


def test_numbers_out_of_range_are_one_clear_line(db: Path, vcf: Path) -> None:
    rekindle("import", str(vcf), db=db)
    for args in (("show", "9" * 25), ("outreach", "show", "9" * 25), ("snooze", "1", "99999999y")):
        ran = rekindle(*args, db=db, check=False)
        assert ran.returncode == 1, args
        assert ran.stderr.strip() == "error: a number given is out of range", args


def test_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "rekindle",
            "--db",
            "postgresql://nobody@127.0.0.1:1/none",
            "people",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "cannot open the database" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_file_that_is_no_database_is_one_clear_line(tmp_path: Path, vcf: Path) -> None:
    ran = rekindle("people", db=vcf, check=False)
    assert ran.returncode == 1
    assert (
        ran.stderr.splitlines()[0]
        == f"error: {vcf}: not a Rekindle database (file is not a database)"
    )
    assert "sqlalche.me" not in ran.stderr and "Traceback" not in ran.stderr
    assert vcf.read_bytes().startswith(b"BEGIN:VCARD")  # left as it was


def test_doctor_reports(db: Path) -> None:
    report = json.loads(rekindle("doctor", "--json", db=db).stdout)
    assert report["schema"] == report["schema_head"]
    assert report["backend"] == "sqlite"
    assert "vcard" in report["formats"]


def test_merge_review_json_and_unmerge(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "dupes.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Katherine Johnson\nORG:NASA\nEMAIL:kj@nasa.gov\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Kate Johnson\nORG:NASA\nEMAIL:katej@gmail.com\nEND:VCARD\n"
    )
    rekindle("import", str(path), db=db)
    pending = json.loads(rekindle("merge", "--review", "--json", db=db).stdout)
    assert len(pending) == 1 and pending[0]["reasons"]
    rekindle("merge", "--accept", str(pending[0]["id"]), db=db)
    assert len(json.loads(rekindle("people", "--json", db=db).stdout)) == 1
    rekindle("unmerge", "kj@nasa.gov", db=db)
    assert len(json.loads(rekindle("people", "--json", db=db).stdout)) == 2
    assert json.loads(rekindle("merge", "--review", "--json", db=db).stdout) == []
