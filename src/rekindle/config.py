"""Where Rekindle keeps its data, resolved in one place.

Order: an explicit ``--db`` (a file path or a database URL), then ``REKINDLE_DATABASE_URL``,
then ``REKINDLE_HOME`` (a folder holding ``rekindle.db``), then the XDG data directory.
Tests set ``REKINDLE_HOME`` so they never touch the real home directory.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from platformdirs import user_data_path

from rekindle.errors import UserError

DB_FILENAME = "rekindle.db"


@dataclass(frozen=True)
class Location:
    """The database URL and the data directory that goes with it."""

    url: str
    data_dir: Path

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def describe(self) -> str:
        if self.is_sqlite:
            return self.url.removeprefix("sqlite:///")
        return redact_url(self.url)


def data_dir() -> Path:
    home = os.environ.get("REKINDLE_HOME")
    if home:
        return Path(home).expanduser()
    return user_data_path("rekindle", appauthor=False)


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


#: the URL schemes (SQLAlchemy drivers) Rekindle opens
_SCHEMES = {
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
    "sqlite": "sqlite",
}
_URL_HINT = (
    "--db takes a SQLite file (a path) or postgresql://user@host:5432/database "
    "(also REKINDLE_DATABASE_URL)"
)
#: "postgresql:/x", "mysql:db": meant as a URL, not as a file named so
_LOOKS_LIKE_URL = re.compile(
    r"(?i)(?:postgres(?:ql)?|sqlite|mysql|mariadb|oracle|mssql|[a-z]+\+[a-z0-9]+):"
)


def _database_url(target: str) -> str:
    """``target``, a URL, as the driver URL Rekindle opens, or a clear refusal."""
    scheme, _, rest = target.partition("://")
    driver = _SCHEMES.get(scheme.lower())
    if driver is None:
        raise UserError(
            f"cannot open a {scheme!r} database: Rekindle stores its data in SQLite or PostgreSQL",
            hint=_URL_HINT,
        )
    url = f"{driver}://{rest}"
    if driver != "sqlite":
        try:
            urlsplit(url).port  # noqa: B018 - raises on a port that is no number
        except ValueError:
            raise UserError(
                f"the port in {redact_url(url)} is not a number (1-65535)", hint=_URL_HINT
            ) from None
    return url


def resolve_location(db: str | None = None) -> Location:
    """The database to open, from ``--db``, the environment, or the default data directory."""
    target = db or os.environ.get("REKINDLE_DATABASE_URL")
    if target and "://" in target:
        url = _database_url(target)
        return Location(url=url, data_dir=data_dir())
    if target and _LOOKS_LIKE_URL.match(target):
        raise UserError(
            f"{target!r} is neither a database URL nor a file name Rekindle takes",
            hint=_URL_HINT,
        )
    if target:
        path = Path(target).expanduser().resolve()
        return Location(url=_sqlite_url(path), data_dir=path.parent)
    folder = data_dir()
    return Location(url=_sqlite_url(folder / DB_FILENAME), data_dir=folder)


def redact_url(url: str) -> str:
    """A URL fit for printing: the password replaced by ``***``."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]
