"""Where Rekindle keeps its data, resolved in one place.

Order: an explicit ``--db`` (a file path or a database URL), then ``REKINDLE_DATABASE_URL``,
then ``REKINDLE_HOME`` (a folder holding ``rekindle.db``), then the XDG data directory.
Tests set ``REKINDLE_HOME`` so they never touch the real home directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

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


def resolve_location(db: str | None = None) -> Location:
    """The database to open, from ``--db``, the environment, or the default data directory."""
    target = db or os.environ.get("REKINDLE_DATABASE_URL")
    if target and "://" in target:
        url = target
        if url.startswith("postgres://"):
            url = "postgresql://" + url.removeprefix("postgres://")
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return Location(url=url, data_dir=data_dir())
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
