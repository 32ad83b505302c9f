"""Everyone's interactions as numpy columns, for recomputing most people's tie statistics at
once (:func:`rekindle.services.ties.refresh_ties`); kept apart from :mod:`rekindle.store.ties`
so that the commands that only read statistics do not load numpy."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import (
    BigInteger,
    Connection,
    Select,
    String,
    case,
    cast,
    func,
    select,
    type_coerce,
)

from rekindle.history.tie_arrays import (
    BOTH,
    EMAIL,
    IN,
    MEETING,
    OTHER,
    OTHER_CHANNEL,
    OUT,
    ContactColumns,
    micros,
)
from rekindle.store import bulk
from rekindle.store.schema import interaction, interaction_person, person


def contact_columns_of_everyone(
    conn: Connection,
    owner_id: int,
    threads: bool = True,
    step: Callable[[], None] | None = None,
) -> ContactColumns:
    """The contacts of every person of the owner as columns (:class:`ContactColumns`), in
    person then time order: two plain reads (the owner's interactions, then their links to
    persons) joined and sorted by numpy, with no object per contact. Memory holds about 40
    bytes per interaction and 16 per link (a 200,000-message archive: some 15 MB).

    Without ``threads`` the database codes directions and channels and says only whether an
    interaction has a thread (code 0 for any, -1 for none: threads not told apart), a leaner
    read for what needs no more (the learnt ranker's fit). ``step`` is called between the
    two reads (for progress)."""
    found = _InteractionColumns.read(conn, owner_id, threads)
    if step is not None:
        step()
    # along the (person, interaction) index: a narrow read of the wide link table
    owners = select(person.c.id).where(person.c.owner_id == owner_id)
    if conn.dialect.name == "sqlite":
        return found.linked(*_links_by_person(conn, owners))
    pid: list[Any] = []
    iid: list[Any] = []
    link = interaction_person.c
    # the lean read packs each link in one integer (one value per row), ids permitting
    packed = not threads and (not len(found.id) or int(found.id.max()) < _PACK)
    columns = (
        (cast(link.person_id, BigInteger) * _PACK + link.interaction_id,)
        if packed
        else (link.person_id, link.interaction_id)
    )
    rows = conn.execute(
        select(*columns)
        .where(link.person_id.in_(owners))
        .execution_options(stream_results=True, yield_per=_ROWS_AT_A_TIME)
    )
    for part in rows.partitions():
        if packed:
            both = np.fromiter((r[0] for r in part), dtype=np.int64, count=len(part))
            pid.append(both >> 32)
            iid.append(both & (_PACK - 1))
            continue
        people, ids = zip(*part, strict=True)
        pid.append(np.array(people, dtype=np.int64))
        iid.append(np.array(ids, dtype=np.int64))
    return found.linked(_joined(pid), _joined(iid))


#: a link read as person * _PACK + interaction (interaction ids below it, person ids below 2**31)
_PACK = 2**32


def _links_by_person(conn: Connection, owners: Select[Any]) -> tuple[Any, Any]:
    """(person, interaction) of every link of the ``owners`` people, on SQLite: each
    person's interaction ids in one text the database joins (one row a person, no Python
    object per link), read back by numpy."""
    link = interaction_person.c
    people: list[int] = []
    counts: list[int] = []
    parts: list[Any] = []
    joined = (
        select(link.person_id, func.group_concat(link.interaction_id))
        .where(link.person_id.in_(owners))
        .group_by(link.person_id)
    )
    for batch in bulk.raw_batches(conn, joined, _PEOPLE_AT_A_TIME):
        for person_id, ids in batch:
            found = np.fromstring(ids, dtype=np.int64, sep=",")
            people.append(person_id)
            counts.append(len(found))
            parts.append(found)
    person_of = np.repeat(np.asarray(people, dtype=np.int64), np.asarray(counts, dtype=np.int64))
    return person_of, _joined(parts)


#: people whose links are read at a time (each person's ids come as one text)
_PEOPLE_AT_A_TIME = 1000


def _joined(parts: list[Any]) -> Any:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


_PLAIN = (
    interaction.c.direction,
    interaction.c.channel,
    interaction.c.group_size,
    interaction.c.thread,
)
#: the same, coded by the database in one small integer (no string per row): direction * 8
#: + channel * 2 + 1 when the interaction has no thread
_CODED = (
    case(
        (interaction.c.direction == "in", IN),
        (interaction.c.direction == "out", OUT),
        (interaction.c.direction == "both", BOTH),
        else_=OTHER,
    )
    * 8
    + case(
        (interaction.c.channel.in_(["email", "linkedin"]), EMAIL),
        (interaction.c.channel == "meeting", MEETING),
        else_=OTHER_CHANNEL,
    )
    * 2
    + case((func.coalesce(interaction.c.thread, "") == "", 1), else_=0),
    interaction.c.group_size,
)


def _coded(part: Sequence[Any]) -> tuple[Any, ...]:
    """The columns of rows read with :data:`_CODED` (thread code 0 for any, -1 for none)."""
    ids, when, code, group_size = zip(*part, strict=True)
    codes = np.array(code, dtype=np.int64)
    return (
        np.array(ids, dtype=np.int64),
        _micros(when),
        (codes >> 3).astype(np.int8),
        ((codes >> 1) & 3).astype(np.int8),
        np.array(group_size, dtype=np.int64),
        -(codes & 1),
    )


#: rows turned into columns at a time (the rows as Python objects are the transient cost)
_ROWS_AT_A_TIME = 10000
_DIRECTIONS = {"in": IN, "out": OUT, "both": BOTH}
#: written messages (history.ties.WRITTEN_CHANNELS) count alike, as EMAIL
_CHANNELS = {"email": EMAIL, "linkedin": EMAIL, "meeting": MEETING}


class GatheredColumns:
    """Interactions and their links given a batch at a time (what a first sync writes), as
    the columns :func:`contact_columns_of_everyone` would read back once they are stored."""

    def __init__(self) -> None:
        self._parts: list[tuple[Any, ...]] = []
        self._codes: dict[str, int] = {}
        self._person: list[Any] = []
        self._iid: list[Any] = []

    def add(
        self,
        interactions: Sequence[tuple[int, Any, str, str, int, str | None]],
        person: Sequence[int],
        iid: Sequence[int],
    ) -> None:
        """Interactions (id, time as the driver gives it, direction, channel, group size,
        thread) and their links (``person[i]`` was on interaction ``iid[i]``)."""
        if interactions:
            ids, when, direction, channel, size, thread = zip(*interactions, strict=True)
            self._parts.append(_plain(ids, when, direction, channel, size, thread, self._codes))
        self._person.append(np.asarray(person, dtype=np.int64))
        self._iid.append(np.asarray(iid, dtype=np.int64))

    def columns(self) -> ContactColumns:
        return _InteractionColumns(self._parts).linked(_joined(self._person), _joined(self._iid))


def _plain(
    ids: Sequence[int],
    when: Sequence[Any],
    direction: Sequence[str],
    channel: Sequence[str],
    group_size: Sequence[int],
    thread: Sequence[str | None],
    codes: dict[str, int],
) -> tuple[Any, ...]:
    """Columns of interactions given as plain values (threads numbered in ``codes``)."""
    return (
        np.array(ids, dtype=np.int64),
        _micros(when),
        np.array([_DIRECTIONS.get(d, OTHER) for d in direction], dtype=np.int8),
        np.array([_CHANNELS.get(c, OTHER_CHANNEL) for c in channel], dtype=np.int8),
        np.array(group_size, dtype=np.int64),
        np.array([codes.setdefault(t, len(codes)) if t else -1 for t in thread], dtype=np.int64),
    )


class _InteractionColumns:
    """Interactions as columns in id order (threads coded: equal codes for equal threads,
    -1 for none)."""

    def __init__(self, parts: list[tuple[Any, ...]]) -> None:
        empty = (np.zeros(0, dtype=np.int64),) * 6
        columns = [np.concatenate(c) for c in zip(*parts, strict=True)] if parts else empty
        order = np.argsort(columns[0], kind="stable")
        self.id, self.when, self.direction, self.channel, self.group_size, self.thread = (
            c[order] for c in columns
        )

    @classmethod
    def read(cls, conn: Connection, owner_id: int, threads: bool = True) -> _InteractionColumns:
        """The owner's interactions."""
        codes: dict[str, int] = {}
        parts: list[tuple[Any, ...]] = []
        wanted = select(
            interaction.c.id,
            type_coerce(interaction.c.occurred_at, _RAW),
            *(_PLAIN if threads else _CODED),
        ).where(interaction.c.owner_id == owner_id)
        for part in _batches(conn, wanted):
            if not threads:
                parts.append(_coded(part))
                continue
            ids, when, direction, channel, size, thread = zip(*part, strict=True)
            parts.append(_plain(ids, when, direction, channel, size, thread, codes))
        return cls(parts)

    def linked(self, person: Any, iid: Any) -> ContactColumns:
        """Each (person, interaction) link once, with its interaction's columns, sorted by
        person, time and interaction."""
        at = _places(self.id, iid)
        known = at >= 0
        person, iid, at = person[known], iid[known], at[known]
        order = np.lexsort((iid, self.when[at], person))
        person, iid, at = person[order], iid[order], at[order]
        # one person on an interaction under two addresses: the same time, so adjacent
        once = np.ones(len(person), dtype=bool)
        once[1:] = (person[1:] != person[:-1]) | (iid[1:] != iid[:-1])
        order = np.flatnonzero(once)
        at = at[order]
        return ContactColumns(
            person=person[order],
            interaction=iid[order],
            when=self.when[at],
            direction=self.direction[at].astype(np.int8),
            channel=self.channel[at].astype(np.int8),
            group_size=self.group_size[at],
            thread=self.thread[at],
        )


def _batches(conn: Connection, wanted: Select[Any]) -> Iterator[Sequence[Any]]:
    """The rows of ``wanted`` (plain values: no column here needs result processing)
    :data:`_ROWS_AT_A_TIME` at a time: on SQLite straight from the driver, elsewhere
    streamed from a server-side cursor."""
    if conn.dialect.name == "sqlite":
        return bulk.raw_batches(conn, wanted, _ROWS_AT_A_TIME)
    rows = conn.execute(wanted.execution_options(stream_results=True, yield_per=_ROWS_AT_A_TIME))
    return iter(rows.partitions())


def _places(ids: Any, wanted: Any) -> Any:
    """Where each of ``wanted`` is in ``ids`` (sorted, each once), -1 where it is not: by
    an index of every id when they are dense (the database's, from 1), else by search."""
    if not len(ids):
        return np.full(len(wanted), -1, dtype=np.int64)
    top = int(ids[-1])
    if int(ids[0]) >= 0 and top <= max(4 * len(ids), 1 << 20):
        index = np.full(top + 1, -1, dtype=np.int64)
        index[ids] = np.arange(len(ids), dtype=np.int64)
        at = np.full(len(wanted), -1, dtype=np.int64)
        inside = (wanted >= 0) & (wanted <= top)
        at[inside] = index[wanted[inside]]
        return at
    at = np.searchsorted(ids, wanted)
    found = at < len(ids)
    found[found] = ids[at[found]] == wanted[found]
    return np.where(found, at, -1)


def _micros(values: Sequence[Any]) -> Any:
    """Times as the driver gives them (SQLite: naive UTC text; PostgreSQL: datetimes) in
    microseconds since 1970."""
    if values and not isinstance(values[0], datetime):
        try:
            return np.array(values, dtype="datetime64[us]").astype(np.int64)
        except ValueError:  # not the plain ISO form: read one by one
            pass
    return np.array(
        [micros(v if isinstance(v, datetime) else _from_text(v)) for v in values], dtype=np.int64
    )


#: a datetime column read as the driver gives it (SQLite: text; PostgreSQL: a datetime)
_RAW = String()


_from_text = datetime.fromisoformat
