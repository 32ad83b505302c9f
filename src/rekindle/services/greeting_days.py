"""The greeting days of each country and year, kept between runs in the data folder.

Loading the ``holidays`` package and computing a country's year takes about a tenth of a
second, paid by every plan: everyone has a country, and a plan weighs thousands of people.
The days are computed once (:func:`rekindle.engine.occasion_holidays.greeting_days`) and kept
in ``cache/greeting-days.json``, labelled with the installed package's and our own rules'
files, so an upgrade of either computes them afresh. A folder that cannot be written only
costs the time; the days are the same either way.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
from datetime import date
from pathlib import Path
from typing import Any

from rekindle.config import data_dir
from rekindle.engine import occasion_holidays
from rekindle.engine.occasion_holidays import greeting_days

FILE_NAME = "greeting-days.json"


class KeptGreetingDays:
    """``days(country, year)`` as :func:`greeting_days` gives them, read from the file when
    it holds them; :meth:`save` writes what was computed since."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._label = _label()
        self._days: dict[str, dict[str, list[str]]] = self._read()
        self._unsaved = False

    def __call__(self, country: str, year: int) -> dict[str, tuple[date, str]]:
        key = f"{country}:{year}"
        with self._lock:
            found = self._days.get(key)
        if found is None:
            computed = greeting_days(country, year)
            found = {g: [on.isoformat(), name] for g, (on, name) in computed.items()}
            with self._lock:
                self._days[key] = found
                self._unsaved = True
        return {g: (date.fromisoformat(on), name) for g, (on, name) in found.items()}

    def save(self) -> None:
        """Write the days computed since the file was read (nothing when none were)."""
        with self._lock:
            if not self._unsaved:
                return
            data = json.dumps({"label": self._label, "days": self._days}, sort_keys=True)
            self._unsaved = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.partial")
            partial.write_text(data, encoding="utf-8")
            os.replace(partial, self.path)
        except OSError:
            pass  # a folder we may not write: the days are computed again next time

    def _read(self) -> dict[str, dict[str, list[str]]]:
        try:
            kept: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(kept, dict) or kept.get("label") != self._label:
            return {}
        days = kept.get("days")
        if not isinstance(days, dict) or not all(_well_formed(v) for v in days.values()):
            return {}
        return days


def _well_formed(days: Any) -> bool:
    return isinstance(days, dict) and all(
        isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v)
        for v in days.values()
    )


def _label() -> str:
    """Names the installed ``holidays`` package and our greeting rules (without loading the
    package): their files' sizes and times."""
    parts = []
    spec = importlib.util.find_spec("holidays")
    origin = spec.origin if spec is not None else None
    for path in (origin and Path(origin).with_name("version.py"), occasion_holidays.__file__):
        try:
            st = Path(path).stat() if path else None
        except OSError:
            st = None
        parts.append(f"{st.st_size}:{st.st_mtime_ns}" if st else "-")
    return "|".join(parts)


_kept: dict[Path, KeptGreetingDays] = {}
_kept_lock = threading.Lock()


def kept_greeting_days() -> KeptGreetingDays:
    """The greeting days kept in this data folder (one reader a process and folder)."""
    path = data_dir() / "cache" / FILE_NAME
    with _kept_lock:
        found = _kept.get(path)
        if found is None:
            found = _kept[path] = KeptGreetingDays(path)
        return found
