"""What each person's outcomes teach the plan, read from the outreach log (see
:mod:`rekindle.engine.person_learning`): their cadence, a hold, a rank adjustment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Connection

from rekindle.engine.person_learning import Attempt, Learning, Rules, learn
from rekindle.engine.plan import Candidate
from rekindle.engine.scoring import Part, Score
from rekindle.store import engine as eq
from rekindle.store import outreach as oq
from rekindle.store.settings import get_settings

#: the settings of the holds, and their defaults
DECLINED_SETTING = "outcomes.declined_days"
REST_SETTING = "outcomes.rest_days"


def rules_of(settings: dict[str, str]) -> Rules:
    """The hold lengths from the settings (defaults for anything unset or not a number)."""
    default = Rules()
    declined = settings.get(DECLINED_SETTING, "")
    rest = settings.get(REST_SETTING, "")
    return Rules(
        declined_days=int(declined) if declined.isdigit() else default.declined_days,
        rest_days=int(rest) if rest.isdigit() else default.rest_days,
    )


def learnt(
    conn: Connection,
    owner_id: int,
    now: datetime,
    rules: Rules,
    person_ids: Sequence[int] | None = None,
) -> dict[int, Learning]:
    """Per person with outcomes in the log (``person_ids``: only those), what they teach."""
    attempts = oq.attempts_by_person(conn, owner_id, person_ids)
    resumed = eq.resumed_at(conn, owner_id, person_ids)
    found = {}
    for pid, rows in attempts.items():
        learning = learn(
            (
                Attempt(
                    r.sent_at,
                    r.medium,
                    r.intent,
                    r.status,
                    r.outcome,
                    r.replied_at,
                    r.closed_at,
                    r.followed_up_at,
                )
                for r in rows
            ),
            now,
            rules,
            resumed.get(pid),
        )
        if learning.ended:
            found[pid] = learning
    return found


def learnt_for(
    conn: Connection, owner_id: int, person_id: int, now: datetime, rules: Rules
) -> Learning:
    return learnt(conn, owner_id, now, rules, [person_id]).get(person_id, Learning())


def learnt_hold(conn: Connection, owner_id: int, person_id: int, now: datetime) -> str | None:
    """The rest a decline or silence earned the person at ``now``, in words (None: none)."""
    rules = rules_of(get_settings(conn, owner_id))
    return learnt_for(conn, owner_id, person_id, now, rules).held(now)


#: the score part that carries what outcomes taught
PART = "outcomes"


def with_outcomes(listed: list[Candidate], learnt: Mapping[int, Learning]) -> list[Candidate]:
    """The candidates, each whose outcomes moved them with the ``outcomes`` part: a share of
    their score, up after a warm answer, down after attempts left unanswered."""
    out = []
    for c in listed:
        found = learnt.get(c.person_id)
        if found is None or not found.rank:
            out.append(c)
            continue
        part = Part(PART, found.rank, round(c.score.total, 4), found.rank_why)
        total = round(c.score.total + part.contribution, 6)
        out.append(replace(c, score=Score(total, (*c.score.parts, part))))
    return out
