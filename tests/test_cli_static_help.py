"""`rekindle --help` printed without Typer is the very text Typer prints, at every width it
answers for; outside them (or in colour) Typer prints it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rekindle.cli import static_help

SRC = Path(__file__).resolve().parents[1] / "src"


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(SRC), **env}
    for name in static_help._STYLED_BY:
        if name not in env:
            full.pop(name, None)
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "rekindle", *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=120,
    )


def typer_loaded(done: subprocess.CompletedProcess[str]) -> bool:
    return any(line.rstrip().endswith("| typer") for line in done.stderr.splitlines())


@pytest.mark.parametrize("width", [static_help.NARROWEST, 61, 80, 100, 133, static_help.WIDEST])
@pytest.mark.parametrize("args", [["--help"], []], ids=["--help", "no args"])
def test_the_plain_help_is_typers_own(width: int, args: list[str]) -> None:
    fast = run(args, COLUMNS=str(width))
    slow = run(args, COLUMNS=str(width), _TYPER_FORCE_DISABLE_TERMINAL="1")
    assert not typer_loaded(fast) and typer_loaded(slow)
    assert fast.stdout == slow.stdout
    assert fast.returncode == slow.returncode == (0 if args else 2)
    assert "followups" in fast.stdout and "--version" in fast.stdout


@pytest.mark.parametrize("width", [static_help.NARROWEST - 1, static_help.WIDEST + 1])
def test_other_widths_are_left_to_typer(width: int) -> None:
    done = run(["--help"], COLUMNS=str(width))
    assert done.returncode == 0 and "followups" in done.stdout
    assert typer_loaded(done)


def test_colour_is_left_to_typer() -> None:
    done = run(["--help"], FORCE_COLOR="1", COLUMNS="80")
    assert done.returncode == 0 and "\x1b[" in done.stdout
    assert typer_loaded(done)


def test_every_command_of_the_table_is_listed() -> None:
    text = static_help.render("rekindle", 100)
    for name in static_help.COMMANDS:
        assert f"│ {name} " in text
    assert text.splitlines()[1].startswith(" Usage: rekindle [OPTIONS] COMMAND")


def test_the_words_wrap_as_rich_wraps_them() -> None:
    assert static_help.wrap("one two three", 7) == ["one two", "three"]
    assert static_help.wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_an_output_that_is_not_utf8_is_left_to_typer() -> None:
    done = run(["--help"], PYTHONIOENCODING="ascii", COLUMNS="80")
    assert typer_loaded(done)  # Rich would draw ASCII boxes (or fail) there, as before
