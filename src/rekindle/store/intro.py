"""What warm introductions are made of: who was on mail and meetings with whom, who worked
where, and how strong my own tie to each person is. Every query is bounded: by a cap on the
people it starts from (``MAX_TARGETS``) and on the group size of the mail it counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, String, and_, func, or_, select, type_coerce

from rekindle.engine.intro_paths import Stint, Tie
from rekindle.store.people import active_person
from rekindle.store.schema import affiliation, interaction, interaction_person, person
from rekindle.store.schema_history import tie_stats

#: the most people an organisation query starts from (the best-known first)
MAX_TARGETS = 30
#: mail or a meeting with more than this many others says nothing about who knows whom
MAX_GROUP = 12
#: the largest IN-list sent at once
_CHUNK = 500


@dataclass(frozen=True)
class Together:
    """Two people seen together: on how many threads and meetings, and when."""

    person_id: int
    other_id: int
    threads: int
    meetings: int
    first: datetime
    last: datetime


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    ids = list(dict.fromkeys(ids))
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def two_way_history(conn: Connection, owner_id: int, person_id: int) -> Any | None:
    """My messages with one person, each way, and the last contact (None without history)."""
    s = tie_stats.c
    return conn.execute(
        select(s.messages_in, s.messages_out, s.last_contact)
        .join(person, s.person_id == person.c.id)
        .where(active_person(owner_id), person.c.id == person_id)
    ).first()


def my_ties(conn: Connection, owner_id: int, person_ids: Sequence[int]) -> dict[int, Tie]:
    """My tie to each of these people (only those with any history and still active)."""
    s = tie_stats.c
    out: dict[int, Tie] = {}
    for chunk in _chunks(person_ids):
        rows = conn.execute(
            select(
                person.c.id,
                person.c.display_name,
                s.messages_in,
                s.messages_out,
                s.meetings,
                s.first_contact,
                s.last_contact,
                s.one_to_one_share,
            )
            .join(tie_stats, s.person_id == person.c.id)
            .where(active_person(owner_id), person.c.id.in_(chunk))
        )
        for r in rows:
            out[int(r.id)] = Tie(
                int(r.id),
                r.display_name,
                int(r.messages_in or 0) + int(r.messages_out or 0),
                int(r.meetings or 0),
                r.first_contact,
                r.last_contact,
                float(r.one_to_one_share or 0.0),
            )
    return out


def names_of(conn: Connection, owner_id: int, person_ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for chunk in _chunks(person_ids):
        rows = conn.execute(
            select(person.c.id, person.c.display_name).where(
                active_person(owner_id), person.c.id.in_(chunk)
            )
        )
        out.update({int(r.id): r.display_name for r in rows})
    return out


def seen_together(conn: Connection, owner_id: int, target_ids: Sequence[int]) -> list[Together]:
    """For each target, the others who were on the same small mail threads and meetings:
    distinct threads (a mail without a thread id counts as its own), meetings, first and last.
    The links come from ``interaction_person`` alone (its group size and time are copies, read
    from ``ix_interaction_person_group``); the thread and channel of each interaction they
    name are read once afterwards. The rows are counted here rather than in SQL: two distinct
    counts per pair cost SQLite a sort each, more than reading the rows."""
    links = _links_together(conn, owner_id, target_ids)
    kinds = _threads_of(conn, owner_id, {iid for _, _, iid, _ in links})
    found: dict[tuple[int, int], tuple[set[Any], set[int], Any, Any]] = {}
    for target, other, iid, at in links:
        key = (target, other)
        seen = found.get(key)
        if seen is None:
            seen = found[key] = (set(), set(), at, at)
        elif at < seen[2] or at > seen[3]:
            seen = found[key] = (seen[0], seen[1], min(at, seen[2]), max(at, seen[3]))
        if iid not in kinds:
            continue
        thread, meeting = kinds[iid]
        if meeting:
            seen[1].add(iid)
        else:
            seen[0].add(thread or iid)
    return [
        Together(int(t), int(o), len(threads), len(meetings), _when(first), _when(last))
        for (t, o), (threads, meetings, first, last) in found.items()
    ]


def _links_together(
    conn: Connection, owner_id: int, target_ids: Sequence[int]
) -> list[tuple[int, int, int, Any]]:
    """(target, other, interaction, raw time) for every small group a target was in."""
    mine, theirs = interaction_person.alias("mine"), interaction_person.alias("theirs")
    out: list[tuple[int, int, int, Any]] = []
    for chunk in _chunks(target_ids):
        stmt = (
            select(
                mine.c.person_id,
                theirs.c.person_id,
                mine.c.interaction_id,
                type_coerce(mine.c.occurred_at, _RAW),
            )
            .join(theirs, theirs.c.interaction_id == mine.c.interaction_id)
            .where(
                mine.c.person_id.in_(chunk),
                mine.c.group_size > 1,
                mine.c.group_size <= MAX_GROUP,
                mine.c.owner_id == owner_id,
                theirs.c.person_id != mine.c.person_id,
            )
        )
        out += [tuple(r) for r in conn.execute(stmt)]
    return out


def _threads_of(
    conn: Connection, owner_id: int, interaction_ids: set[int]
) -> dict[int, tuple[str | None, bool]]:
    """Interaction id → (its thread, whether it was a meeting). Looked up by key alone (the
    owner is checked on the rows: without statistics SQLite would read all the owner's
    interactions through ``owner_id = ?`` instead)."""
    i = interaction.c
    out: dict[int, tuple[str | None, bool]] = {}
    for chunk in _chunks(sorted(interaction_ids)):
        rows = conn.execute(select(i.id, i.owner_id, i.thread, i.channel).where(i.id.in_(chunk)))
        out.update(
            {int(r.id): (r.thread, r.channel == "meeting") for r in rows if r.owner_id == owner_id}
        )
    return out


#: a time read as the driver gives it (SQLite: sortable text; PostgreSQL: a datetime), so
#: only each pair's first and last are converted
_RAW = String()


def _when(raw: Any) -> datetime:
    when = raw if isinstance(raw, datetime) else datetime.fromisoformat(raw)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def stints_of(conn: Connection, owner_id: int, person_ids: Sequence[int]) -> list[Stint]:
    out: list[Stint] = []
    a = affiliation.c
    for chunk in _chunks(person_ids):
        rows = conn.execute(
            select(a.person_id, a.organisation, a.start_date, a.end_date).where(
                a.owner_id == owner_id, a.person_id.in_(chunk), a.kind == "work"
            )
        )
        out += [Stint(int(r.person_id), r.organisation, r.start_date, r.end_date) for r in rows]
    return out


def colleagues_at(
    conn: Connection, owner_id: int, stints: Sequence[Stint], limit: int
) -> list[Stint]:
    """Everyone who worked at the employer of one of these stints (names compared without
    case) at a time that overlaps it; a stint without dates on either side counts as
    overlapping (the engine weighs it less). People in name order, so which ``limit`` of them
    are read does not depend on the plan (the index by employer or a walk through people)."""
    a = affiliation.c
    overlaps = []
    for st in stints[:20]:
        name = st.organisation.strip().lower()
        if not name:
            continue
        when = []
        if st.end is not None:
            when.append(or_(a.start_date.is_(None), a.start_date <= st.end))
        if st.start is not None:
            when.append(or_(a.end_date.is_(None), a.end_date >= st.start))
        overlaps.append(and_(func.lower(a.organisation) == name, *when))
    if not overlaps:
        return []
    rows = conn.execute(
        select(a.person_id, a.organisation, a.start_date, a.end_date)
        .join(person, person.c.id == a.person_id)
        .where(active_person(owner_id), a.kind == "work", or_(*overlaps))
        .order_by(person.c.sort_name, person.c.id, a.id)
        .limit(limit)
    )
    return [Stint(int(r.person_id), r.organisation, r.start_date, r.end_date) for r in rows]


def members_of(
    conn: Connection, owner_id: int, query: str, limit: int = MAX_TARGETS
) -> list[Stint]:
    """People whose employer's name contains ``query`` (without case): current stints and the
    best-known people first, at most ``limit`` people."""
    words = query.strip().lower()
    if not words:
        return []
    a = affiliation.c
    pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = conn.execute(
        select(a.person_id, a.organisation, a.start_date, a.end_date)
        .join(person, person.c.id == a.person_id)
        .outerjoin(tie_stats, tie_stats.c.person_id == a.person_id)
        .where(
            active_person(owner_id),
            a.kind == "work",
            func.lower(a.organisation).like(pattern, escape="\\"),
        )
        .order_by(
            a.end_date.is_(None).desc(),
            func.coalesce(tie_stats.c.peak_decayed, 0.0).desc(),
            a.person_id,
        )
        .limit(limit * 3)
    )
    out: list[Stint] = []
    seen: set[int] = set()
    for r in rows:
        if r.person_id not in seen and len(seen) >= limit:
            continue
        seen.add(r.person_id)
        out.append(Stint(int(r.person_id), r.organisation, r.start_date, r.end_date))
    return out


def co_participation_count(conn: Connection, owner_id: int) -> int:
    """The baseline for the benchmark: a plain count over the participants of small mail."""
    return int(
        conn.execute(
            select(func.count())
            .select_from(interaction_person)
            .join(interaction, interaction.c.id == interaction_person.c.interaction_id)
            .where(
                interaction_person.c.owner_id == owner_id,
                interaction.c.group_size > 1,
                interaction.c.group_size <= MAX_GROUP,
            )
        ).scalar()
        or 0
    )
