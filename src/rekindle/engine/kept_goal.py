"""Everyone's goal match, kept between plans (pure): what :class:`GoalColumns` found for each
person, as plain arrays.

Matching a goal with a large network reads everyone's employers, numbers their pieces of text
and compares each with the goal by meaning (about a second at 20,000 people). The goal and
those texts change seldom, so a plan keeps what it found, and the next plan with the same goal
over the same texts and mail reads it back: the same :class:`GoalMatch` for everyone, value for
value (the values are kept as the floats they were).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from rekindle.engine.goal_match import GoalMatch

if TYPE_CHECKING:
    from rekindle.engine.goal_columns import GoalColumns

#: the layout of :meth:`KeptGoal.data`; another is never read back
VERSION = 2
NONE = GoalMatch(0.0, ())


class KeptGoal:
    """Per person, their goal match: its value, which goal words they have, and the piece of
    their text nearest the goal when the match is by meaning; and the field they work in (what
    a goal that names a field goes by), worked out from the same words."""

    def __init__(
        self,
        terms: Sequence[str],
        people: Any,
        values: Any,
        words: Any,
        meant: Any,
        pieces: Sequence[str],
        field_of: Any,
        fields: Sequence[str],
    ) -> None:
        self.terms = list(terms)
        self._people = np.asarray(people, dtype=np.int64)
        self._values = np.asarray(values, dtype=np.float64)
        self._words = np.asarray(words, dtype=bool).reshape(len(self._people), len(self.terms))
        self._meant = np.asarray(meant, dtype=np.int64)
        self._pieces = list(pieces)
        self._field_of = np.asarray(field_of, dtype=np.int64)
        self._fields = list(fields)
        self._row = {pid: i for i, pid in enumerate(self._people.tolist())}

    @classmethod
    def of(
        cls, index: GoalColumns, people: Sequence[int], field: Callable[[int], str | None]
    ) -> KeptGoal:
        """What ``index`` (made for ``people``, in that order) finds for each, with the
        ``field`` of each."""
        values, words, codes = index.everyone()
        pieces: dict[str, int] = {}
        meant = [-1 if c < 0 else pieces.setdefault(index.texts[c], len(pieces)) for c in codes]
        fields: dict[str, int] = {}
        field_of = []
        for pid in people:
            named = field(pid)
            field_of.append(-1 if named is None else fields.setdefault(named, len(fields)))
        return cls(index.terms, people, values, words, meant, list(pieces), field_of, list(fields))

    def fields(self) -> dict[int, str | None]:
        """Everyone's field (None: nothing says)."""
        return {
            pid: self._fields[code] if code >= 0 else None
            for pid, code in zip(self._people.tolist(), self._field_of.tolist(), strict=True)
        }

    def match(self, person_id: int, terms: Sequence[str]) -> GoalMatch:
        """Their match, as :meth:`GoalColumns.match` gave it."""
        if list(terms) != self.terms:
            raise ValueError("matched with other goal words than the ones it was kept for")
        row = self._row.get(person_id)
        if row is None or not self.terms:
            return NONE
        has = self._words[row].tolist()
        matched = tuple(t for t, h in zip(self.terms, has, strict=True) if h)
        meant = int(self._meant[row])
        value = float(self._values[row])
        return (
            GoalMatch(value, matched, self._pieces[meant])
            if meant >= 0
            else GoalMatch(value, matched)
        )

    def data(self) -> bytes:
        """Everything, as an ``.npz`` of plain arrays (no pickled objects)."""
        out = io.BytesIO()
        terms, term_ends = _packed(self.terms)
        pieces, piece_ends = _packed(self._pieces)
        fields, field_ends = _packed(self._fields)
        np.savez(
            out,
            version=np.asarray([VERSION]),
            terms=terms,
            term_ends=term_ends,
            people=self._people,
            values=self._values,
            words=self._words.astype(np.uint8),
            meant=self._meant,
            pieces=pieces,
            piece_ends=piece_ends,
            field_of=self._field_of,
            fields=fields,
            field_ends=field_ends,
        )
        return out.getvalue()

    @classmethod
    def read(cls, data: bytes) -> KeptGoal | None:
        """What :meth:`data` wrote (None: another layout)."""
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            if int(z["version"][0]) != VERSION:
                return None
            terms = _split(z["terms"], z["term_ends"])
            return cls(
                terms,
                z["people"],
                z["values"],
                z["words"],
                z["meant"],
                _split(z["pieces"], z["piece_ends"]),
                z["field_of"],
                _split(z["fields"], z["field_ends"]),
            )


def _packed(texts: Sequence[str]) -> tuple[Any, Any]:
    """Texts as one array of their UTF-8 bytes and where each ends (:func:`_split` undoes it)."""
    encoded = [t.encode("utf-8") for t in texts]
    joined = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()
    return joined, np.cumsum([len(e) for e in encoded], dtype=np.int64)


def _split(joined: Any, ends: Any) -> list[str]:
    raw, stops = bytes(joined.tobytes()), ends.tolist()
    starts = [0, *stops[:-1]] if stops else []
    return [raw[s:e].decode("utf-8") for s, e in zip(starts, stops, strict=True)]
