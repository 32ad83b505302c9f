"""Each person's subjects of personal mail, for everyone at once: what the goal reads of their
mail (:mod:`rekindle.engine.goal_columns`), kept in the week's snapshot of every tie."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: at most this many distinct subjects per person feed the goal match
SUBJECTS_EACH = 40


@dataclass(frozen=True)
class Subjects:
    """Per person, the subjects of their personal mail with you: newest first, each once when
    its "Re:" and "Fwd:" are gone, at most :data:`SUBJECTS_EACH`. ``texts`` holds each
    subject once; ``person`` the people who have any (ascending), each with ``codes`` (into
    ``texts``) up to their ``ends``."""

    texts: Sequence[str]
    person: Any
    ends: Any
    codes: Any

    def of(self, pid: int) -> list[str]:
        i = int(np.searchsorted(self.person, pid))
        if i >= len(self.person) or int(self.person[i]) != pid:
            return []
        start = int(self.ends[i - 1]) if i else 0
        return [self.texts[c] for c in self.codes[start : int(self.ends[i])].tolist()]

    def as_dict(self) -> dict[int, list[str]]:
        return {int(p): self.of(int(p)) for p in self.person.tolist()}


def no_subjects() -> Subjects:
    empty = np.zeros(0, dtype=np.int64)
    return Subjects([], empty, empty, empty.astype(np.int32))
