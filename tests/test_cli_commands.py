"""The table of commands `rekindle --help` lists (without importing them) tells the truth."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from typer.main import get_command, get_group
from typer.testing import CliRunner

import rekindle.cli
from rekindle.cli.commands import COMMANDS
from rekindle.cli.main import app


def registered_by(module_name: str) -> dict[str, str]:
    """Name -> full help of every command ``rekindle.cli.<module_name>.register`` defines."""
    __import__(f"rekindle.cli.{module_name}")
    sub = typer.Typer(rich_markup_mode="rich")
    sys.modules[f"rekindle.cli.{module_name}"].register(sub)
    return {
        name: command.short_help or command.help or ""
        for name, command in get_group(sub).commands.items()
    }


def command_modules() -> list[str]:
    """Every module of ``rekindle.cli`` with a ``register(app)``."""
    folder = Path(rekindle.cli.__file__).parent
    return sorted(
        path.stem
        for path in folder.glob("*.py")
        if "\ndef register(app" in path.read_text(encoding="utf-8")
    )


def test_every_registered_command_is_in_the_table_under_its_module() -> None:
    modules = command_modules()
    assert {"people", "plan", "outreach"} <= set(modules)
    registered = {name: module for module in modules for name in registered_by(module)}
    assert registered == {name: entry[0] for name, entry in COMMANDS.items()}


def test_each_line_of_the_table_is_the_commands_own_first_paragraph() -> None:
    for module in {entry[0] for entry in COMMANDS.values()}:
        for name, help_text in registered_by(module).items():
            first = " ".join(help_text.split("\n\n")[0].split())
            assert COMMANDS[name][1] == first, f"COMMANDS[{name!r}] should say: {first!r}"


def test_the_list_shows_every_command_and_a_typo_gets_a_suggestion() -> None:
    result = CliRunner().invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    for name, (_module, line) in COMMANDS.items():
        assert f" {name} " in result.output
        assert line.split(".")[0][:40] in result.output
    typo = CliRunner().invoke(app, ["folowups"])
    assert typo.exit_code == 2
    assert "Did you mean 'followups'?" in typo.output


def test_a_command_runs_and_says_its_own_help() -> None:
    result = CliRunner().invoke(app, ["outreach", "sent", "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Mark a saved draft as sent" in result.output


def every_command() -> list[tuple[list[str], Any]]:
    """(path, Click command) of the root, every command and every subcommand."""
    found: list[tuple[list[str], Any]] = []

    def walk(command: Any, path: list[str]) -> None:
        found.append((path, command))
        if hasattr(command, "list_commands"):
            for name in command.list_commands(None):
                walk(command.get_command(None, name), [*path, name])

    walk(get_command(app), [])
    return found


def test_every_option_and_argument_says_what_it_is() -> None:
    commands = every_command()
    assert len(commands) > 60
    missing = [
        (" ".join(path), param.name)
        for path, command in commands
        for param in command.params
        if not getattr(param, "hidden", False) and not (getattr(param, "help", "") or "").strip()
    ]
    assert missing == []


def test_no_help_labels_a_flag_with_a_type() -> None:
    runner = CliRunner()
    for path, _command in every_command():
        shown = runner.invoke(app, [*path, "--help"], terminal_width=200).output
        assert "Usage:" in shown, path
        assert "<bool>" not in shown, " ".join(path)
    # a flag is still a flag, and an option that takes a value still shows its type
    people = runner.invoke(app, ["people", "--help"], terminal_width=200).output
    assert "--json " in people and "--limit" in people and "<int>" in people
