"""`rekindle occasions` as a user runs it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rekindle.cli.context import STATE
from rekindle.cli.main import app
from rekindle.errors import UserError
from tests.test_cli import rekindle

CARD = """BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:5b1e-ana
FN:Ana Costa
N:Costa;Ana;;;
EMAIL;TYPE=work:ana@acme.com
ORG:{org}
TITLE:{title}
BDAY:--{month:02d}{day:02d}
END:VCARD
"""


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Callable[..., str]]:
    runner = CliRunner()
    db = str(tmp_path / "o.db")

    def run(*args: str) -> str:
        try:
            result = runner.invoke(app, ["--db", db, *args], env={"COLUMNS": "200"})
        finally:
            STATE.close()
        assert result.exit_code == 0, (result.output, result.exception)
        return result.output

    yield run


def card(path: Path, org: str, title: str, birthday: date) -> Path:
    text = CARD.format(org=org, title=title, month=birthday.month, day=birthday.day)
    path.write_text(text, encoding="utf-8")
    return path


def test_birthday_listed_marked_handled_and_undone(cli: Callable[..., str], tmp_path: Path) -> None:
    birthday = date.today() + timedelta(days=3)
    cli("import", str(card(tmp_path / "ana.vcf", "Acme", "Engineer", birthday)))
    rows = json.loads(cli("occasions", "--json"))
    [row] = [r for r in rows if r["kind"] == "birthday"]
    assert row["name"] == "Ana Costa" and row["date"] == birthday.isoformat()
    assert row["key"] == f"birthday:{birthday.year}" and row["handled"] is False
    assert row["source"] == "vCard" and row["strength"] > 0
    text = cli("occasions")
    assert f"birthday on {birthday.day} {birthday:%b}" in text and "(in 3 days)" in text
    assert "occasions done PERSON KEY" in text

    done = cli("occasions", "done", "ana@acme.com", "birthday")
    assert "is handled" in done
    [row] = [r for r in json.loads(cli("occasions", "--json")) if r["kind"] == "birthday"]
    assert row["handled"] is True and row["strength"] == 0.0
    cli("occasions", "done", "Ana Costa", row["key"], "--undo")
    [row] = [r for r in json.loads(cli("occasions", "--json")) if r["kind"] == "birthday"]
    assert row["handled"] is False


def test_reimport_with_a_new_job_shows_a_life_event(
    cli: Callable[..., str], tmp_path: Path
) -> None:
    far = date.today() + timedelta(days=120)
    path = card(tmp_path / "ana.vcf", "Acme", "Engineer", far)
    cli("import", str(path))
    card(path, "Globex", "Head of Product", far)
    out = cli("import", str(path))
    assert "1 updated" in out and "1 life event " in out
    rows = json.loads(cli("occasions", "--json", "--days", "7"))
    assert [r["kind"] for r in rows] == ["new-job"]
    assert rows[0]["detail"].startswith("started as Head of Product at Globex (vCard, ")
    assert "started as Head of Product at Globex" in cli("occasions")


def test_holidays_one_line_each_or_per_person(cli: Callable[..., str], tmp_path: Path) -> None:
    cli("import", str(card(tmp_path / "ana.vcf", "Acme", "Engineer", date(2000, 6, 1))))
    cli("config", "set", "region", "SG")
    text = cli("occasions", "--on", "2027-02-01", "--days", "7")
    assert "holiday: Chinese New Year on 6 Feb (SG)" in text
    rows = json.loads(cli("occasions", "--on", "2027-02-01", "--days", "7", "--json"))
    assert all(r["kind"] != "holiday" for r in rows)
    rows = json.loads(cli("occasions", "--on", "2027-02-01", "--days", "7", "--holidays", "--json"))
    assert [r["key"] for r in rows if r["kind"] == "holiday"] == ["holiday:lunar-new-year:2027"]


def test_help_explains_the_commands(cli: Callable[..., str]) -> None:
    text = cli("occasions", "--help")
    assert "--days" in text and "--holidays" in text and "done" in text
    assert "birthdays" in text
    assert "--undo" in cli("occasions", "done", "--help")


def test_errors_are_user_errors_printed_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    vcf = card(tmp_path / "a.vcf", "Acme", "Engineer", date(2000, 6, 1))
    rekindle("import", str(vcf), db=db)
    proc = rekindle("occasions", "done", "Ana Costa", "new-job", db=db, check=False)
    assert proc.returncode == 1 and "has no occasion 'new-job'" in proc.stderr
    assert "hint: their occasions:" in proc.stderr and "Traceback" not in proc.stderr
    runner = CliRunner()
    for args, message in (
        (["occasions", "done", "nobody@example.org", "birthday"], "nobody matches"),
        (["occasions", "--on", "2027-02-30"], "is not a date"),
    ):
        try:
            result = runner.invoke(app, ["--db", str(db), *args])
        finally:
            STATE.close()
        assert isinstance(result.exception, UserError) and message in str(result.exception)
