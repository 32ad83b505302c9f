"""`rekindle --version` and `--help` start without the database, the web app or heavy libraries.

The modules a process imported are read from ``python -X importtime``: a command module that
imports a service at its top again puts SQLAlchemy and the rest back into every start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: packages a start must not load: the database layer, the web app, the services, heavy libraries
HEAVY = (
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "icalendar",
    "phonenumbers",
    "holidays",
    "rapidfuzz",
    "imapclient",
    "mcp",
    "rekindle.store",
    "rekindle.services",
    "rekindle.web",
    "rekindle.sources",
    "rekindle.transport",
    "rekindle.mcp",
)


def imported_modules(
    *args: str, **extra_env: str
) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONDONTWRITEBYTECODE": "1", **extra_env}
    env.pop("REKINDLE_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name)
    return names, done


def heavy_among(names: set[str]) -> list[str]:
    return sorted(n for n in names if any(n == h or n.startswith(h + ".") for h in HEAVY))


@pytest.mark.parametrize(
    "argv",
    [["--version"], ["--help"], ["people", "--help"], ["outreach", "sent", "--help"]],
    ids=lambda a: " ".join(a),
)
def test_a_start_that_only_prints_loads_nothing_heavy(argv: list[str]) -> None:
    names, done = imported_modules("-m", "rekindle", *argv)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "rekindle.cli.main" in names  # the importtime list is read right
    assert done.stdout.strip()
    assert heavy_among(names) == []


def test_importing_the_cli_loads_nothing_heavy() -> None:
    names, done = imported_modules("-c", "import rekindle.cli.app")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "rekindle.cli.lazy" in names
    assert heavy_among(names) == []


def test_version_answers_before_typer() -> None:
    names, done = imported_modules("-m", "rekindle", "--version")
    assert done.returncode == 0 and done.stdout.startswith("rekindle "), done.stderr[-2000:]
    assert "rekindle.cli.main" in names
    assert not {"typer", "rich", "click"} & {n.split(".")[0] for n in names}


def test_the_plain_list_of_commands_answers_before_typer() -> None:
    """Printed to a pipe, the list is laid out by rekindle.cli.static_help, without Typer."""
    names, done = imported_modules("-m", "rekindle", "--help", COLUMNS="80")
    assert done.returncode == 0 and "followups" in done.stdout, done.stderr[-2000:]
    assert sorted(n for n in names if n.startswith("rekindle.cli.")) == [
        "rekindle.cli.commands",
        "rekindle.cli.main",
        "rekindle.cli.static_help",
    ]
    assert not {"typer", "rich", "click", "pydantic"} & {n.split(".")[0] for n in names}


def test_the_list_of_commands_in_colour_imports_no_command() -> None:
    names, done = imported_modules("-m", "rekindle", "--help", FORCE_COLOR="1")
    assert done.returncode == 0 and "followups" in done.stdout, done.stderr[-2000:]
    assert sorted(n for n in names if n.startswith("rekindle.cli.")) == [
        "rekindle.cli.app",
        "rekindle.cli.coercion",
        "rekindle.cli.commands",
        "rekindle.cli.context",
        "rekindle.cli.lazy",
        "rekindle.cli.main",
        "rekindle.cli.static_help",
    ]


def test_a_command_imports_its_own_module_only() -> None:
    names, done = imported_modules("-m", "rekindle", "outreach", "sent", "--help")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "rekindle.cli.outreach" in names
    assert "rekindle.cli.people" not in names and "rekindle.cli.serve" not in names


#: in one process: every command's and group's --help, then the loaded heavy modules
EVERY_HELP = """
import sys
from typer.main import get_command
from typer.testing import CliRunner
from rekindle.cli.main import app

seen = []
def walk(command, path):
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output, (path, result.output)
    seen.append(" ".join(path))
    if hasattr(command, "list_commands"):
        for name in command.list_commands(None):
            walk(command.get_command(None, name), [*path, name])
walk(get_command(app), [])
print(len(seen))
print("\\n".join(sorted(sys.modules)), file=sys.stderr)
"""


def test_no_command_help_loads_anything_heavy() -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", EVERY_HELP], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) > 40  # every command and subcommand was asked
    assert heavy_among(set(done.stderr.split())) == []


def test_the_check_sees_a_heavy_import() -> None:
    names, done = imported_modules("-c", "import rekindle.cli.main, rekindle.services.people")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "sqlalchemy" in heavy_among(names)
    assert "rekindle.services.people" in heavy_among(names)


def test_a_command_builds_no_other_command() -> None:
    """Loading one command must not load the others (a walk over the lazy table would)."""
    probe = (
        "import sys; sys.argv = ['rekindle', 'formats']\n"
        "import rekindle.cli.lazy as lazy\n"
        "loaded = []\n"
        "real = lazy.load_command\n"
        "lazy.load_command = lambda m, n: loaded.append(n) or real(m, n)\n"
        "from rekindle.cli.main import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', loaded)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120
    )
    assert "LOADED ['formats']" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]


#: what an everyday command on your data must not load: the database's migration machinery
#: (the schema is current), the web app, the MCP server, the mail and calendar readers
EVERYDAY_HEAVY = (
    "alembic",
    "mako",
    "fastapi",
    "starlette",
    "uvicorn",
    "mcp",
    "icalendar",
    "imapclient",
    "sqlalchemy.dialects.postgresql",
    "rekindle.web",
    "rekindle.mcp",
    "rekindle.sources",
    "rekindle.transport",
)
#: and these only where the command needs them: templates (Jinja) to write a draft, the
#: holiday calendars to find a holiday
NOT_FOR_READING = ("jinja2", "rekindle.compose.drafting", "holidays.countries")
#: numpy (the ranker's and the bulk tie refresh's) is no part of reading a person or the plan
NUMPY_FREE = ("show", "people", "why", "plan", "outreach")


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    home = tmp_path_factory.mktemp("sample")
    db = str(home / "sample.db")
    env = {**os.environ, "PYTHONPATH": str(SRC), "REKINDLE_HOME": str(home)}
    env.pop("REKINDLE_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "rekindle", "--db", db, "demo"],
        env=env, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return db


def _among(names: set[str], heavy: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == h or n.startswith(h + ".") for h in heavy))


@pytest.mark.parametrize(
    ("argv", "reads_only"),
    [
        (["show", "108"], True),
        (["people", "fraser"], True),
        (["outreach"], True),
        (["history", "108"], True),
        (["why", "108"], False),
        (["plan"], False),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else str(a),
)
def test_an_everyday_command_loads_only_what_it_uses(
    sample_db: str, argv: list[str], reads_only: bool
) -> None:
    names, done = imported_modules("-m", "rekindle", "--db", sample_db, *argv)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "sqlalchemy" in names and "rekindle.store.database" in names  # it did open the data
    assert _among(names, EVERYDAY_HEAVY) == []
    if reads_only:
        assert _among(names, NOT_FOR_READING) == []
    if argv[0] in NUMPY_FREE:
        assert _among(names, ("numpy",)) == []
