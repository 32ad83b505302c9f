"""Interactions: dated contacts between me and people, each with its participants."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select

from rekindle.store import bulk
from rekindle.store.mail_rows import LINK_COLUMNS, InteractionRow
from rekindle.store.schema import interaction, interaction_person


def load_interaction_keys(conn: Connection, owner_id: int) -> set[tuple[str, str]]:
    rows = conn.execute(
        select(interaction.c.source, interaction.c.natural_key).where(
            interaction.c.owner_id == owner_id
        )
    )
    return {(r.source, r.natural_key) for r in rows}


def insert_interactions(
    conn: Connection,
    owner_id: int,
    rows: Sequence[InteractionRow],
    participants: Sequence[Sequence[tuple[int, str, str]]],
) -> list[int]:
    """Store interactions with their participants (person id, kind, value), two statements
    for all of them (a round trip each on a server, not one per row); their new ids, in
    order."""
    if not rows:
        return []
    ids = bulk.insert_rows_returning_ids(
        conn, interaction, ("owner_id", *InteractionRow._fields), [(owner_id, *r) for r in rows]
    )
    links = [
        (interaction_id, owner_id, pid, kind, value, row.occurred_at, row.group_size)
        for interaction_id, row, people in zip(ids, rows, participants, strict=True)
        for pid, kind, value in dict.fromkeys(people)
    ]
    bulk.insert_rows(conn, interaction_person, LINK_COLUMNS, links)
    return ids


def insert_interaction(
    conn: Connection,
    owner_id: int,
    *,
    source: str,
    natural_key: str,
    occurred_at: datetime,
    channel: str,
    direction: str,
    subject: str | None,
    thread: str | None,
    group_size: int,
    import_id: int | None,
    participants: Iterable[tuple[int, str, str]],
) -> int:
    """Store one interaction and its participants given as (person id, kind, value)."""
    row = InteractionRow(
        source, natural_key, occurred_at, channel, direction, subject, thread, group_size,
        import_id,
    )  # fmt: skip
    return insert_interactions(conn, owner_id, [row], [list(participants)])[0]


def _latest(limited: bool) -> Any:
    """A person's interactions, the latest first: the ids from ``ix_interaction_person_time``
    alone, then only the rows shown. Built once (for each of with and without a limit)."""
    link = interaction_person.c
    latest = (
        select(link.interaction_id.label("id"), link.occurred_at)
        .where(link.person_id == bindparam("person_id"))
        .distinct()  # one row per interaction, however many of their addresses it had
        .order_by(link.occurred_at.desc(), link.interaction_id.desc())
    )
    if limited:
        latest = latest.limit(bindparam("limit")).offset(bindparam("offset"))
    chosen = latest.subquery()
    return (
        select(interaction)
        .join(chosen, chosen.c.id == interaction.c.id)
        .order_by(interaction.c.occurred_at.desc(), interaction.c.id.desc())
    )


_LATEST = {limited: _latest(limited) for limited in (True, False)}
_SPAN = select(
    func.min(interaction_person.c.occurred_at),
    func.max(interaction_person.c.occurred_at),
    func.count(func.distinct(interaction_person.c.interaction_id)),
).where(interaction_person.c.person_id == bindparam("person_id"))


def interactions_of(
    conn: Connection, person_id: int, limit: int | None = None, offset: int = 0
) -> list[Any]:
    """A person's interactions, the latest first (``limit`` of them after skipping ``offset``)."""
    if limit is None:  # all of them
        return list(conn.execute(_LATEST[False], {"person_id": person_id}))[offset:]
    params = {"person_id": person_id, "limit": limit, "offset": offset}
    return list(conn.execute(_LATEST[True], params))


def history_page(
    conn: Connection, person_id: int, limit: int, offset: int = 0
) -> tuple[list[Any], tuple[datetime | None, datetime | None, int]]:
    """One page of a person's interactions (the latest first), and their first and last
    contact and how many interactions there are: both from the same index entries."""
    return interactions_of(conn, person_id, limit, offset), contact_span(conn, person_id)


def contact_span(conn: Connection, person_id: int) -> tuple[datetime | None, datetime | None, int]:
    """First and last interaction with a person, and how many there were."""
    row = conn.execute(_SPAN, {"person_id": person_id}).one()
    return row[0], row[1], int(row[2] or 0)


def count_interactions(conn: Connection, owner_id: int) -> int:
    return int(
        conn.execute(
            select(func.count()).select_from(interaction).where(interaction.c.owner_id == owner_id)
        ).scalar()
        or 0
    )


def tie_overview(conn: Connection, owner_id: int) -> list[Any]:
    """Per person: interactions, first and last contact (for listings of quiet ties)."""
    from rekindle.store.schema import person

    return list(
        conn.execute(
            select(
                person.c.id,
                person.c.display_name,
                func.count(func.distinct(interaction.c.id)).label("interactions"),
                func.min(interaction.c.occurred_at).label("first"),
                func.max(interaction.c.occurred_at).label("last"),
            )
            .join(interaction_person, interaction_person.c.person_id == person.c.id)
            .join(interaction, interaction.c.id == interaction_person.c.interaction_id)
            .where(person.c.owner_id == owner_id, person.c.merged_into.is_(None))
            .group_by(person.c.id, person.c.display_name)
        )
    )


#: every interaction with a person, oldest first: when, which way, by what (for the monthly
#: history chart); one row per interaction however many of their addresses it had
_CONTACTS = (
    select(interaction.c.occurred_at, interaction.c.direction, interaction.c.channel)
    .where(
        interaction.c.id.in_(
            select(interaction_person.c.interaction_id).where(
                interaction_person.c.person_id == bindparam("person_id")
            )
        )
    )
    .order_by(interaction.c.occurred_at)
)


def contacts_of(conn: Connection, person_id: int) -> list[Any]:
    """(occurred_at, direction, channel) of each interaction with a person, oldest first."""
    return list(conn.execute(_CONTACTS, {"person_id": person_id}))


def delete_interaction(conn: Connection, owner_id: int, source: str, natural_key: str) -> int:
    """Forget one interaction by its source and key (its participant links go with it)."""
    result = conn.execute(
        delete(interaction).where(
            interaction.c.owner_id == owner_id,
            interaction.c.source == source,
            interaction.c.natural_key == natural_key,
        )
    )
    return int(result.rowcount or 0)
