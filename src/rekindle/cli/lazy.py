"""A command group whose commands are imported only when one is run or its own help is asked.

Building all of Rekindle's commands (Typer reads every parameter of every function) and
importing their modules took most of a start; a command now costs only itself. The group's
``--help`` lists the commands from a table of names and one-line descriptions, without
importing a single command module (``tests/test_cli_commands.py`` keeps the table true).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_group

from rekindle.cli.coercion import install

install()  # plain values without building Pydantic validators (rekindle.cli.coercion)

#: a top-level command: (the module of ``rekindle.cli`` whose ``register(app)`` defines it,
#: its one-line description for the group's help)
Entry = tuple[str, str]


def load_command(module_name: str, name: str) -> Any:
    """The Click command ``name`` as ``rekindle.cli.<module_name>``'s ``register`` defines it;
    the module's other commands are not built."""
    full_name = f"rekindle.cli.{module_name}"
    # the import statement's own path, not importlib.import_module: `python -X importtime`
    # (which tests/test_cli_startup.py reads) reports only imports made through it
    __import__(full_name)
    module = sys.modules[full_name]
    sub = typer.Typer(rich_markup_mode="rich", add_completion=False, pretty_exceptions_enable=False)
    module.register(sub)
    sub.registered_commands = [c for c in sub.registered_commands if c.name == name]
    sub.registered_groups = [g for g in sub.registered_groups if g.name == name]
    if not sub.registered_commands and not sub.registered_groups:
        raise LookupError(f"rekindle.cli.{module_name}.register defines no command {name!r}")
    return tidy(get_group(sub).commands[name])


def tidy(command: Any) -> Any:
    """A flag takes no value, so its help shows no type: ``--json`` rather than ``--json
    <bool>`` (Typer labels every option with its type), here and in every subcommand."""
    for param in command.params:
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            param.metavar = ""
    help_option = command.get_help_option(typer.Context(command))
    if help_option is not None:
        help_option.metavar = ""
    subcommands = getattr(command, "commands", {})
    if not isinstance(subcommands, LazyCommands):  # a lazy group's are tidied as they load
        for sub in subcommands.values():
            tidy(sub)
    return command


class LazyCommands(MutableMapping[str, Any]):
    """The group's commands by name: the table's names, each loaded on first use."""

    def __init__(self, table: Mapping[str, Entry], eager: MutableMapping[str, Any]) -> None:
        self.table = table
        self.loaded = dict(eager)

    def __getitem__(self, name: str) -> Any:
        if name not in self.loaded:
            if name not in self.table:
                raise KeyError(name)
            self.loaded[name] = load_command(self.table[name][0], name)
        return self.loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("a command of the table cannot be removed")

    def __iter__(self) -> Iterator[str]:
        yield from self.table
        yield from (name for name in self.loaded if name not in self.table)

    def __len__(self) -> int:
        return len(set(self.table) | set(self.loaded))

    def __contains__(self, name: object) -> bool:
        return name in self.table or name in self.loaded


class LazyGroup(TyperGroup):
    """A Typer group listing the commands of :attr:`table` and importing one when it runs.

    A subclass sets :attr:`table`; its order is the order of the group's ``--help``.
    """

    table: ClassVar[Mapping[str, Entry]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(self.table, self.commands)
        self._listing = False
        tidy(self)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if self._listing and cmd_name in self.table:
            # the group's own help: a name and a line, nothing imported
            return TyperCommand(name=cmd_name, help=self.table[cmd_name][1], callback=None)
        return self.commands.get(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
