"""The plan's learnt ranker: fitted on the user's own history when it changed, kept in the
settings store under a fingerprint of that history (docs/plan.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

import numpy as np
from sqlalchemy import Connection

from rekindle.engine.revival_columns import rows_of_columns
from rekindle.engine.revival_features import epoch
from rekindle.engine.revival_model import RevivalModel, fit
from rekindle.engine.revival_pasts import pasts_of_columns
from rekindle.engine.revival_rows import Questions, TrainingSet, ask, moments
from rekindle.history.tie_arrays import ContactColumns
from rekindle.services import tie_snapshot
from rekindle.services.myself import likely_me
from rekindle.store import engine as eq
from rekindle.store.ranker import history_fingerprint
from rekindle.store.settings import get_settings, put_setting
from rekindle.store.tie_columns import contact_columns_of_everyone

#: the setting that chooses the ranker: "learnt" (the default) or "shipped" (the worth alone)
RANKER_KEY = "plan.ranker"
DEFAULT_RANKER = "learnt"
MODEL_KEY = "ranker.model"
FINGERPRINT_KEY = "ranker.fingerprint"

#: told (step, done, total) as the fit goes: one of the steps below
Progress = Callable[[str, int, int], None]
READING = "reading your history"
DESCRIBING = "describing its earlier moments"
FITTING = "fitting the rankers"


def uses_learnt(settings: Mapping[str, str]) -> bool:
    """Whether the plan ranks the Rekindle list with the learnt model (unless set to shipped)."""
    return settings.get(RANKER_KEY, DEFAULT_RANKER).strip().lower() != "shipped"


def stored_model(
    conn: Connection, owner_id: int, fingerprint: str | None = None
) -> RevivalModel | None:
    """The model fitted on the history as it is now (its ``fingerprint``, when the caller
    has it), or None (never fitted, or it changed)."""
    settings = get_settings(conn, owner_id)
    if fingerprint is None:
        fingerprint = history_fingerprint(conn, owner_id)
    if settings.get(FINGERPRINT_KEY) != fingerprint:
        return None
    return RevivalModel.from_json(settings.get(MODEL_KEY, ""))


def learnt_model(
    conn: Connection,
    owner_id: int,
    now: datetime,
    progress: Progress | None = None,
    fingerprint: str | None = None,
) -> RevivalModel:
    """The stored model, or one fitted now on the history and stored (on ``conn``, which must
    be writable); ``fingerprint``: the history's, when the caller has it."""
    found = stored_model(conn, owner_id, fingerprint)
    if found is not None:
        return found
    taken: list[tie_snapshot.TieSnapshot] = []

    def keep(cols: ContactColumns) -> None:  # the plan's weekly snapshot, from the same read
        taken.append(tie_snapshot.take_from(conn, owner_id, now, cols))

    model = fit_history(conn, owner_id, now, progress, keep=keep)
    put_setting(conn, owner_id, MODEL_KEY, model.as_json())
    put_setting(conn, owner_id, FINGERPRINT_KEY, history_fingerprint(conn, owner_id))
    if taken:  # stored with every tie's odds under the model just fitted
        tie_snapshot.save(conn, owner_id, taken[0], model)
    return model


def fit_history(
    conn: Connection,
    owner_id: int,
    now: datetime,
    progress: Progress | None = None,
    keep: Callable[[ContactColumns], None] | None = None,
) -> RevivalModel:
    """Fit on every earlier moment of the owner's history (never on their own addresses).

    Everyone's contacts are read as columns in two plain reads; which ties were dormant at
    each moment and which came back is asked of the columns at once
    (:mod:`rekindle.engine.revival_pasts`), and each moment's ties are described from them
    (:mod:`rekindle.engine.revival_columns`).
    ``progress`` hears of each step: reading, each moment described, the fit; ``keep`` is
    given everyone's contact columns once they are read (the plan's snapshot is taken from
    them)."""
    tell = progress or _silent
    data, at = history_rows(conn, owner_id, now, tell, keep)
    tell(FITTING, 0, 1)
    span = f"{at[0]:%d %b %Y} to {at[-1]:%d %b %Y}" if at else "no earlier moment"
    model = fit(
        data,
        fitted_on=(
            f"your history: {data.positives} comebacks among {len(data)} dormant ties at "
            f"{len(data.groups)} earlier moments ({span})"
        ),
    )
    tell(FITTING, 1, 1)
    return model


def history_rows(
    conn: Connection,
    owner_id: int,
    now: datetime,
    tell: Progress,
    keep: Callable[[ContactColumns], None] | None = None,
) -> tuple[TrainingSet, list[datetime]]:
    """The training rows of the owner's history, and the earlier moments asked."""
    tell(READING, 0, 4)
    people = eq.active_people(conn, owner_id)
    ids = sorted(people)
    selves = likely_me(conn, owner_id, people, ids)
    cols = contact_columns_of_everyone(
        conn, owner_id, threads=False, step=lambda: tell(READING, 1, 4)
    )
    tell(READING, 2, 4)
    if keep is not None:
        keep(cols)
    with_contacts = set(np.unique(cols.person).tolist())
    persons = [p for p in ids if p not in selves and p in with_contacts]
    pasts = pasts_of_columns(cols, persons)
    mine = np.isin(cols.person, np.asarray(persons, dtype=np.int64))
    first = epoch(float(cols.when[mine].min()) / 1e6) if mine.any() else None
    last = epoch(float(cols.when[mine].max()) / 1e6) if mine.any() else None
    del mine
    questions = Questions()
    at = moments(first, now, questions, last) if first else []
    asked = ask(pasts, at, questions)
    tell(READING, 3, 4)
    tell(READING, 4, 4)
    # each moment's ties described from the columns, in array operations (the rows of
    # describing each tie's timeline alone: tests/test_tie_feature_arrays.py)
    data = rows_of_columns(
        asked, cols, questions, lambda done, total: tell(DESCRIBING, done, total)
    )
    return data, at


def _silent(step: str, done: int, total: int) -> None:
    return None
