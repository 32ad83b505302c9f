"""A plan's goal match kept between plans (:class:`rekindle.engine.kept_goal.KeptGoal`): the
key it is kept under, read back when it matches, kept once made.

The key digests everything the match was made from: the goal, the meaning model, everyone's
words (:func:`rekindle.store.goal_match.words_state`: who is active, employers, tags, notes,
edits) and the subjects of their mail as the week's snapshot holds them. A change to any of
them makes another key, and the goal is matched again (and kept in its place).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cached_property

from sqlalchemy import Connection

from rekindle.engine.kept_goal import KeptGoal
from rekindle.engine.meaning import model_state
from rekindle.history.mail_subjects import Subjects
from rekindle.store import goal_match as gq

#: changes when what a kept match holds, or how it is made, changes
KEY_VERSION = "2"  # 2: a goal of alternatives ("payments / banking") fits by the best one


def key_of(
    conn: Connection, owner_id: int, goal: str, terms: Sequence[str], subjects: Subjects
) -> str:
    digest = hashlib.sha256()
    for part in (KEY_VERSION, goal, "\x1f".join(terms), model_state()):
        digest.update(part.encode("utf-8") + b"\x00")
    digest.update(gq.words_state(conn, owner_id).encode("utf-8") + b"\x00")
    for array in (subjects.person, subjects.ends, subjects.codes):
        digest.update(str(array.dtype).encode() + array.tobytes() + b"\x00")
    digest.update("\x1f".join(subjects.texts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class GoalKeeper:
    """Reads the match kept for a plan's goal and, when ``write``, keeps the one it makes."""

    def __init__(
        self,
        conn: Connection,
        owner_id: int,
        goal: str,
        terms: Sequence[str],
        subjects: Subjects,
        write: bool,
    ) -> None:
        self.conn, self.owner_id, self.write = conn, owner_id, write
        self.goal, self.terms, self.subjects = goal, list(terms), subjects

    @cached_property
    def key(self) -> str:
        return key_of(self.conn, self.owner_id, self.goal, self.terms, self.subjects)

    def stored(self) -> KeptGoal | None:
        data = gq.load(self.conn, self.owner_id, self.key)
        return KeptGoal.read(data) if data is not None else None

    def keep(self, kept: KeptGoal) -> None:
        if self.write:
            gq.save(self.conn, self.owner_id, self.key, kept.data())
