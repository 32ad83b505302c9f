"""`rekindle --help` (and `rekindle` alone) printed from the table of commands, without Typer.

Importing Typer, Rich and Pydantic and building the group cost most of the list's start
(~0.14 s of CPU). When the help would be printed without colour (standard output is not a
terminal and nothing forces one), it is laid out here in the very lines Typer's Rich help
has: the same panels, column widths and word wrapping, at the usual widths (55 to 160).
``tests/test_cli_static_help.py`` compares the two at many widths; in a terminal, Typer
prints it in colour as before.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from math import ceil

from rekindle.cli.commands import COMMANDS

#: the group's one-line description (the app's ``help``)
DESCRIPTION = (
    "Reconnect with the people you have lost touch with. "
    "Local-first: your data stays on this machine."
)

#: the global options as Typer shows them: (names, type, help lines)
OPTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "--db",
        "<str>",
        (
            "Database file or URL (postgresql://…). Default: REKINDLE_DATABASE_URL, else "
            "rekindle.db in REKINDLE_HOME or the user data directory.",
        ),
    ),
    (
        "--user",
        "<str>",
        (
            "Work on this team account's data (a shared database of `rekindle serve --team`). "
            "Default: your own, local data.",
            "[env var: REKINDLE_USER]",
        ),
    ),
    ("--debug", "", ("Show tracebacks of errors.",)),
    ("--version", "", ("Print the version.",)),
    ("--help", "", ("Show this message and exit.",)),
)

#: the widths at which the layout here is Typer's, checked (tests/test_cli_static_help.py); at
#: others (Rich narrows the options' help with an ellipsis, or widens their columns) Typer prints
NARROWEST, WIDEST = 55, 160

#: environment variables that make Typer's console colour, force a terminal or fix a width
_STYLED_BY: tuple[str, ...] = (
    "FORCE_COLOR",
    "PY_COLORS",
    "GITHUB_ACTIONS",
    "TTY_COMPATIBLE",
    "TERMINAL_WIDTH",
)
_STYLED_BY += ("_TYPER_FORCE_DISABLE_TERMINAL", "JUPYTER_COLUMNS", "TTY_INTERACTIVE")


def answers(argv: Sequence[str]) -> bool:
    """Whether this start is the group's help and can be printed here, in plain text."""
    if list(argv) not in ([], ["--help"]):
        return False
    if any(name in os.environ for name in _STYLED_BY):
        return False
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        if isatty is None or isatty():
            return False
    except ValueError:  # a closed output
        return False
    if not (getattr(sys.stdout, "encoding", None) or "").lower().startswith("utf"):
        return False  # Rich draws its boxes in ASCII then
    return NARROWEST <= terminal_width() <= WIDEST


def print_help(argv: Sequence[str]) -> int:
    """Print the help; the exit code is Typer's (2 when no command was given)."""
    text = render(program_name(), terminal_width())
    sys.stdout.write(text if not argv else text + "\n")
    sys.stdout.flush()
    return 2 if not argv else 0


def program_name() -> str:
    """The program's name as Click tells it (``rekindle``, or ``python -m rekindle``)."""
    path = sys.argv[0]
    package = getattr(sys.modules.get("__main__"), "__package__", None)
    if not package:
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    module = package if name == "__main__" else f"{package}.{name}"
    return f"python -m {module.lstrip('.')}"


def terminal_width() -> int:
    """Rich's width for a console that is not a terminal: COLUMNS, else the size of the first
    standard stream that is one (output piped from a terminal), else 80."""
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    width = 0
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def render(prog: str, width: int) -> str:
    """The whole help at ``width`` columns, as Typer's Rich help prints it without colour."""
    lines = [" " * width]
    lines += _padded(wrap(f"Usage: {prog} [OPTIONS] COMMAND [ARGS]...", width - 2), width)
    lines.append(" " * width)
    lines += _padded(wrap(DESCRIPTION, width - 2), width)
    lines.append(" " * width)
    option_cells = [[(n,), (), (), (), (t,) if t else (), h] for n, t, h in OPTIONS]
    lines += _panel("Options", _table(option_cells, width - 4, fixed_first=None), width)
    command_cells: list[list[tuple[str, ...]]] = [
        [(name,), (line,)] for name, (_module, line) in COMMANDS.items()
    ]
    longest = max(len(name) for name in COMMANDS)
    lines += _panel("Commands", _table(command_cells, width - 4, fixed_first=longest), width)
    return "".join(line + "\n" for line in lines)


def _padded(lines: list[str], width: int) -> list[str]:
    return [_fit(" " + line, width - 1) + " " for line in lines]


def _panel(title: str, body: list[str], width: int) -> list[str]:
    top = f"╭─ {title} "
    top += "─" * (width - 1 - cell_len(top)) + "╮"
    return [top, *(f"│ {line} │" for line in body), "╰" + "─" * (width - 2) + "╯"]


def _table(rows: list[list[tuple[str, ...]]], width: int, fixed_first: int | None) -> list[str]:
    """A borderless Rich table (padding one column each side, none at its edges, expanded to
    ``width``) of rows of cells, each cell its lines. ``fixed_first`` is the commands
    table's: a first column of that width that never wraps, the second taking the rest."""
    count = len(rows[0])
    pads = [(0 if i == 0 else 1) + (0 if i == count - 1 else 1) for i in range(count)]
    if fixed_first is not None:
        widths = [fixed_first + pads[0], max(width - fixed_first - pads[0], 1 + pads[1])]
        wrapable = [False, True]
    else:
        widths = [
            min(max([cell_len(line) for row in rows for line in row[i]] or [0]) + pads[i], width)
            or 1
            for i in range(count)
        ]
        wrapable = [True] * count
    if sum(widths) > width:
        widths = _collapse(widths, wrapable, width)
        if sum(widths) > width:
            widths = _ratio_reduce(sum(widths) - width, [1] * count, widths, widths)
        widths = [
            min(w, max([cell_len(line) for row in rows for line in row[i]] or [0]) + pads[i])
            if fixed_first is None or i
            else w
            for i, w in enumerate(widths)
        ]
    if sum(widths) < width and fixed_first is None:
        widths = [
            w + extra
            for w, extra in zip(widths, _ratio_distribute(width - sum(widths), widths), strict=True)
        ]
    out = []
    for row in rows:
        cells = [
            [line for text in cell for line in wrap(text, max(w - pad, 0))] if w - pad > 0 else []
            for cell, w, pad in zip(row, widths, pads, strict=True)
        ]
        for n in range(max(1, *(len(c) for c in cells))):
            out.append(
                "".join(
                    (" " if i else "")
                    + _fit(c[n] if n < len(c) else "", widths[i] - pads[i])
                    + (" " if i < count - 1 else "")
                    for i, c in enumerate(cells)
                )
            )
    return out


def _collapse(widths: list[int], wrapable: list[bool], most: int) -> list[int]:
    """Rich's narrowing of a table: the widest wrapable columns shrink first."""
    excess = sum(widths) - most
    while sum(widths) and excess > 0:
        widest = max(w for w, ok in zip(widths, wrapable, strict=True) if ok)
        second = max(w if ok and w != widest else 0 for w, ok in zip(widths, wrapable, strict=True))
        ratios = [1 if w == widest and ok else 0 for w, ok in zip(widths, wrapable, strict=True)]
        if not any(ratios) or not widest - second:
            break
        limit = [min(excess, widest - second)] * len(widths)
        widths = _ratio_reduce(excess, ratios, limit, widths)
        excess = sum(widths) - most
    return widths


def _ratio_reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    ratios = [r if m else 0 for r, m in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    out = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            part = min(maximum, round(ratio * total / total_ratio))
            out.append(value - part)
            total -= part
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _ratio_distribute(total: int, ratios: list[int]) -> list[int]:
    total_ratio = sum(ratios)
    out = []
    for ratio in ratios:
        part = ceil(ratio * total / total_ratio) if total_ratio > 0 else total
        out.append(part)
        total_ratio -= ratio
        total -= part
    return out


_WORD = re.compile(r"\s*\S+\s*")


def wrap(text: str, width: int) -> list[str]:
    """Rich's word wrap: whole words while they fit, a word wider than a line folded."""
    lines: list[str] = []
    line = ""
    for word in _WORD.findall(text):
        if cell_len(line) + cell_len(word.rstrip()) <= width:
            line += word
            continue
        if line.strip():
            lines.append(line.rstrip())
            line = ""
        while cell_len(word.rstrip()) > width > 0:  # fold a word wider than the line
            lines.append(word[:width])
            word = word[width:]
        line = word
    lines.append(line.rstrip())
    return lines


def _fit(text: str, width: int) -> str:
    return text + " " * (width - cell_len(text))


def cell_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
