"""The plan's learnt ranker: fitted on the user's own history when it changed, kept in the
settings store under a fingerprint of that history (docs/plan.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy import Connection

from rekindle.engine.revival_features import Timeline
from rekindle.engine.revival_model import RevivalModel, fit
from rekindle.engine.revival_rows import (
    Questions,
    first_contact,
    last_contact,
    moments,
    training_set,
)
from rekindle.history.tie_features import CIRCLE_LIMIT
from rekindle.services.myself import likely_me
from rekindle.store import engine as eq
from rekindle.store import ties as tq
from rekindle.store.ranker import history_fingerprint
from rekindle.store.settings import get_settings, put_setting

#: the setting that chooses the ranker: "learnt" (the default) or "shipped" (the worth alone)
RANKER_KEY = "plan.ranker"
DEFAULT_RANKER = "learnt"
MODEL_KEY = "ranker.model"
FINGERPRINT_KEY = "ranker.fingerprint"

Progress = Callable[[int, int], None]


def uses_learnt(settings: Mapping[str, str]) -> bool:
    """Whether the plan ranks the Rekindle list with the learnt model (unless set to shipped)."""
    return settings.get(RANKER_KEY, DEFAULT_RANKER).strip().lower() != "shipped"


def stored_model(conn: Connection, owner_id: int) -> RevivalModel | None:
    """The model fitted on the history as it is now, or None (never fitted, or it changed)."""
    settings = get_settings(conn, owner_id)
    if settings.get(FINGERPRINT_KEY) != history_fingerprint(conn, owner_id):
        return None
    return RevivalModel.from_json(settings.get(MODEL_KEY, ""))


def learnt_model(
    conn: Connection, owner_id: int, now: datetime, progress: Progress | None = None
) -> RevivalModel:
    """The stored model, or one fitted now on the history and stored (on ``conn``, which must
    be writable)."""
    found = stored_model(conn, owner_id)
    if found is not None:
        return found
    model = fit_history(conn, owner_id, now, progress)
    put_setting(conn, owner_id, MODEL_KEY, model.as_json())
    put_setting(conn, owner_id, FINGERPRINT_KEY, history_fingerprint(conn, owner_id))
    return model


def fit_history(
    conn: Connection, owner_id: int, now: datetime, progress: Progress | None = None
) -> RevivalModel:
    """Fit on every earlier moment of the owner's history (never on their own addresses)."""
    people = eq.active_people(conn, owner_id)
    ids = sorted(people)
    selves = likely_me(conn, owner_id, people, ids)
    contacts = tq.contacts_by_person(conn, [p for p in ids if p not in selves], CIRCLE_LIMIT)
    timelines = {str(pid): Timeline.of(cs) for pid, cs in contacts.items() if cs}
    first = first_contact(timelines)
    questions = Questions()
    at = moments(first, now, questions, last_contact(timelines)) if first else []
    data = training_set(timelines, at, questions, progress)
    span = f"{at[0]:%d %b %Y} to {at[-1]:%d %b %Y}" if at else "no earlier moment"
    return fit(
        data,
        fitted_on=(
            f"your history: {data.positives} comebacks among {len(data)} dormant ties at "
            f"{len(data.groups)} earlier moments ({span})"
        ),
    )
