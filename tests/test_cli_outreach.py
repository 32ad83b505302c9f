"""Drafts, checks, templates and the outreach log as a user runs them, through the CLI's one
error boundary (in-process, on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from rekindle.cli import context
from rekindle.cli.main import run
from rekindle.services import me as me_svc
from rekindle.services.importing import import_path
from rekindle.services.sync_files import sync_mail_path
from rekindle.store import open_store
from tests.conftest import FIXTURES
from tests.test_outreach import ANA_VCF


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str


class Cli:
    def __init__(
        self, db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ):
        self.db, self.capsys, self.monkeypatch = db, capsys, monkeypatch
        monkeypatch.setattr(context.console, "_width", 200)  # restored to auto
        monkeypatch.setattr(context.err_console, "_width", 200)

    def __call__(self, *args: str, check: bool = True) -> Ran:
        self.capsys.readouterr()
        self.monkeypatch.setattr(sys, "argv", ["rekindle", "--db", self.db, *args])
        code = 0
        try:
            run()
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        if check and code:
            raise AssertionError(f"rekindle {' '.join(args)} failed ({code}):\n{out}\n{err}")
        return Ran(code, out, err)


@pytest.fixture
def cli(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    """Ana and Bob from a vCard, me, and the Gmail fixture mailbox synced."""
    store = open_store(db_url)
    try:
        vcf = tmp_path / "contacts.vcf"
        vcf.write_text(ANA_VCF, encoding="utf-8")
        import_path(store, vcf)
        me_svc.set_name(store, "Robin Example")
        me_svc.add_address(store, "robin@example.org")
        me_svc.add_affiliation(store, "Acme", None, "2014", "2019")
        box = tmp_path / "inbox.mbox"
        shutil.copy(FIXTURES / "mail" / "gmail-takeout-envelope.mbox", box)
        sync_mail_path(store, box)
    finally:
        store.close()
    return Cli(db_url, capsys, monkeypatch)


def test_draft_in_every_medium(cli: Cli) -> None:
    shown = cli("draft", "Ana").stdout
    assert "Subject: Thinking of our Acme Corp days" in shown and "Hi Ana," in shown
    assert "passes every check" in shown and "--variant 2" in shown
    assert "shipped en/catch-up/email-1.txt.j2" in shown
    note = json.loads(cli("draft", "Ana", "-m", "linkedin", "--json").stdout)
    assert len(note["body"]) <= 300 and note["subject"] is None and note["findings"] == []
    brief = cli("draft", "Ana", "-m", "call").stdout
    assert "Shared history" in brief and "Lunch next week?" in brief
    ask = json.loads(cli("draft", "Ana", "-i", "ask", "--save", "--json").stdout)
    assert [f["code"] for f in ask["findings"]] == ["ask-too-soon"] and ask["saved_id"] == 1
    allowed = json.loads(cli("draft", "Ana", "-i", "ask", "--allow-ask", "--json").stdout)
    assert allowed["findings"] == []
    congrats = cli(
        "draft", "Ana", "-i", "congratulate", "-m", "sms", "--occasion", "new role at Initech"
    ).stdout
    assert "new role at Initech" in congrats and "passes every check" in congrats


def test_check_a_message_you_wrote(cli: Cli, tmp_path: Path) -> None:
    folder = cli("check", str(tmp_path), check=False)
    assert folder.code == 1 and f"{tmp_path} is a folder" in folder.stderr
    mine = tmp_path / "mine.txt"
    mine.write_text("Subject: hello\n\nHi Maria, just checking in!\n", encoding="utf-8")
    ran = cli("check", str(mine), "--person", "Ana", check=False)
    assert ran.code == 1
    assert "just checking in" in ran.stdout and "greet them as Ana" in ran.stdout
    fine = tmp_path / "fine.txt"
    fine.write_text("Hi Ana, it's been years since Acme! Coffee?\n", encoding="utf-8")
    assert "passes every check" in cli("check", str(fine), "-p", "Ana", "-m", "sms").stdout
    found = json.loads(cli("check", str(mine), "--json", check=False).stdout)
    assert found["person"] is None and [f["code"] for f in found["findings"]] == ["generic-filler"]


def test_log_lock_and_lifecycle(cli: Cli) -> None:
    cli("draft", "Ana", "-i", "ask", "--save")
    out = cli("log", "Ana", "--medium", "call", "--note", "long chat").stdout
    assert out.startswith("logged #2: call with Ana Costa")
    again = cli("log", "Ana", "-m", "coffee", "-n", "again", check=False)
    assert again.code == 1 and "you last reached Ana Costa on" in again.stderr
    assert "--force" in again.stderr and "Traceback" not in again.stderr
    cli("log", "Ana", "-m", "coffee", "-n", "again", "--force", "--at", "2025-01-02")
    log = json.loads(cli("log", "--json").stdout)
    assert [r["status"] for r in log] == ["logged", "draft", "logged"]
    listed = cli("log", "Ana").stdout
    assert "long chat" in listed and "coffee" in listed
    assert json.loads(cli("outreach", "--status", "draft", "--json").stdout)[0]["id"] == 1
    assert "#1 sent to Ana Costa" in cli("outreach", "sent", "1", "--force").stdout
    cli("outreach", "mark", "1", "no-reply", "--outcome", "silence")
    show = cli("outreach", "show", "1").stdout
    assert "no-reply" in show and "silence" in show and "your advice" in show
    hist = json.loads(cli("history", "Ana", "--json").stdout)
    assert hist["events"][0]["channel"] == "call"


def test_templates_copy_edit_and_errors(cli: Cli, tmp_path: Path) -> None:
    out = cli("templates", "copy").stdout
    assert "40 templates copied to" in out
    root = Path(out.split("copied to ", 1)[1].splitlines()[0].strip())
    mine = root / "en" / "catch-up" / "email-1.txt.j2"
    mine.write_text(
        "Subject: Hey\n\nHi {{ first_name }}, it's been {{ gap }}! Acme?\n", encoding="utf-8"
    )
    draft = cli("draft", "Ana").stdout
    assert "Hi Ana, it's been over" in draft and str(mine) in draft
    listed = cli("templates", "list").stdout
    assert "en/catch-up/email-1.txt.j2" in listed and "yours" in listed
    assert "40 of yours kept" in cli("templates", "copy").stdout
    mine.write_text("Subject: Hey\n\n{% for x in %}\n", encoding="utf-8")
    ran = cli("draft", "Ana", check=False)
    assert ran.code == 1 and "Traceback" not in ran.stderr
    assert f"{mine}, line 3" in ran.stderr


ERRORS = [
    (("draft", "Ana", "-i", "sell"), "unknown intent"),
    (("draft", "Ana", "-m", "fax"), "unknown medium"),
    (("draft", "Ana", "-v", "7"), "no variant 7"),
    (("draft", "Nobody"), "nobody matches"),
    (("log", "Ana", "--note", "hi"), "say how you reached them"),
    (("log", "Ana", "-m", "call", "--at", "yesterday"), "is not a date"),
    (("check", "/nonexistent/message.txt"), "no such file"),
    (("outreach", "show", "99"), "no outreach #99"),
    (("outreach", "mark", "99", "sent"), "cannot mark as 'sent'"),
    (("draft", "Ana", "--model"), "no language model is configured"),
    (("config", "set", "llm.api_key_env", "sk-abc123"), "NAME of an environment variable"),
    (("config", "set", "llm.endpoint", "localhost:8080"), "not an http(s) URL"),
]


def test_user_errors_are_one_line(cli: Cli) -> None:
    for args, expected in ERRORS:
        ran = cli(*args, check=False)
        assert ran.code == 1, (args, ran)
        assert expected in ran.stderr and "Traceback" not in ran.stderr, (args, ran.stderr)


def test_a_decline_says_its_hold_and_settings_refuse_negative_days(cli: Cli) -> None:
    from datetime import UTC, datetime, timedelta

    cli("log", "Ana", "-m", "email", "-n", "catching up")
    ran = cli("outreach", "mark", "1", "declined").stdout
    until = datetime.now(UTC) + timedelta(days=270)
    assert "marked declined" in ran
    assert f"door kept open until {until:%d %b %Y}" in ran and "`rekindle resume" in ran
    negative = cli("config", "set", "outcomes.rest_days", "-5", check=False)
    assert negative.code == 1 and "No such option" not in negative.stderr
    assert "outcomes.rest_days takes a whole number of days, 0 or more" in negative.stderr
    assert len(negative.stderr.strip().splitlines()[0]) < 120


def test_show_and_why_tell_one_story_after_an_unanswered_outreach(cli: Cli) -> None:
    cli("log", "Ana", "-m", "email", "-n", "catching up")
    cli("outreach", "mark", "1", "no-reply")
    shown = cli("show", "Ana").stdout
    assert "reached  your outreach of" in shown and "the plan counts it as contact" in shown
    assert "learnt   no reply to your message of" in shown and "instead of" in shown
    why = cli("why", "Ana").stdout
    assert "since your outreach of" in why and "(their history:" in why
