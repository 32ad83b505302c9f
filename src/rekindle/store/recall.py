"""What a draft may recall from the history: the newest personal exchange with a subject."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from rekindle.compose.draft_facts import clean_subject
from rekindle.history.ties import GROUP_THRESHOLD
from rekindle.store.schema import interaction, interaction_person

#: interactions written by the outreach log; their "subject" is ours, not a shared thread
LOG_SOURCE = "outreach"
#: the newest subjects looked through for one with words in it (past bare "Re:" and the like)
LOOK_BACK = 50


def last_subject(conn: Connection, person_id: int) -> Any | None:
    """The newest personal interaction with a person (either direction; at most
    ``GROUP_THRESHOLD`` others on it, so not an announcement to seventy people) whose subject
    says something once its "Re:" and "Fwd:" prefixes are gone, or None.

    Bulk mail never becomes an interaction, so this is a real exchange. The person's links
    are walked newest first along their index (a link copies its interaction's time and group
    size), so a tie with thousands of interactions costs the few it takes to find one.
    """
    link = interaction_person.c
    rows = conn.execute(
        select(
            interaction.c.subject,
            interaction.c.occurred_at,
            interaction.c.direction,
            interaction.c.channel,
        )
        .select_from(interaction_person)
        .join(interaction, interaction.c.id == link.interaction_id)
        .where(
            link.person_id == person_id,
            # (an expression, not the column: else SQLite takes the index that starts with
            # the person and the group size, and sorts all their links)
            link.group_size + 0 <= GROUP_THRESHOLD,
            interaction.c.subject.is_not(None),
            func.trim(interaction.c.subject) != "",
            interaction.c.source != LOG_SOURCE,
        )
        .order_by(link.occurred_at.desc(), link.interaction_id.desc())
        .limit(LOOK_BACK)
    )
    return next((row for row in rows if clean_subject(row.subject)), None)
