"""The interactions an import keeps back to store together (meetings, messages from a file):
their people looked up in one pass and all of them inserted in two statements, which matters
on a server, where each statement is a round trip."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from rekindle.identity.identifiers import normalise_identities
from rekindle.identity.records import InteractionRecord
from rekindle.store import contacts as q
from rekindle.store import history
from rekindle.store.mail_rows import InteractionRow

#: interactions stored together (their participants looked up in one pass)
INTERACTIONS_AT_ONCE = 2000


class WaitingInteractions:
    """An import's interactions not stored yet, each once by its (source, natural key);
    ``stored`` holds the keys stored already (this import's and earlier ones), and grows."""

    def __init__(
        self,
        conn: Connection,
        owner_id: int,
        import_id: int,
        region: str | None,
        stored: set[tuple[str, str]],
    ) -> None:
        self.conn = conn
        self.owner = owner_id
        self.import_id = import_id
        self.region = region
        self.stored = stored
        self._waiting: dict[tuple[str, str], InteractionRecord] = {}

    def add(self, record: InteractionRecord) -> bool:
        """Keep it (unless stored or kept already); whether enough wait to be stored."""
        key = (record.source, record.natural_key())
        if key not in self.stored:
            self._waiting.setdefault(key, record)
        return len(self._waiting) >= INTERACTIONS_AT_ONCE

    def __bool__(self) -> bool:
        return bool(self._waiting)

    def store(self) -> tuple[int, set[int]]:
        """Store those kept with the people known now; (interactions stored, the persons on
        them). One with nobody known on it is not stored."""
        waiting, self._waiting = self._waiting, {}
        idents = [
            (key, record, normalise_identities(record.participants, self.region))
            for key, record in waiting.items()
        ]
        persons = q.persons_with_identities(
            self.conn, self.owner, ((i.kind, i.value) for _, _, found in idents for i in found)
        )
        rows: list[InteractionRow] = []
        participants: list[Sequence[tuple[int, str, str]]] = []
        for key, record, found in idents:
            people = [
                (pid, i.kind, i.value) for i in found for pid in persons.get((i.kind, i.value), ())
            ]
            if not people:
                continue
            rows.append(
                InteractionRow(
                    record.source, key[1], record.when, record.channel, record.direction,
                    record.subject, record.thread, record.group_size, self.import_id,
                )
            )  # fmt: skip
            participants.append(people)
            self.stored.add(key)
        history.insert_interactions(self.conn, self.owner, rows, participants)
        return len(rows), {pid for people in participants for pid, _, _ in people}
