"""Everyone's interactions as numpy columns, for recomputing most people's tie statistics at
once (:func:`rekindle.services.ties.refresh_ties`); kept apart from :mod:`rekindle.store.ties`
so that the commands that only read statistics do not load numpy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, Connection, String, case, cast, func, select, type_coerce

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
    pid: list[Any] = []
    iid: list[Any] = []
    # along the (person, interaction) index: a narrow read of the wide link table
    owners = select(person.c.id).where(person.c.owner_id == owner_id)
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


def _joined(parts: list[Any]) -> Any:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


_PLAIN = (
    interaction.c.direction,
    interaction.c.channel,
    interaction.c.group_size,
    interaction.c.thread,
)
#: the same, coded by the database (small integers: no string per row)
_CODED = (
    case(
        (interaction.c.direction == "in", IN),
        (interaction.c.direction == "out", OUT),
        (interaction.c.direction == "both", BOTH),
        else_=OTHER,
    ),
    case(
        (interaction.c.channel.in_(["email", "linkedin"]), EMAIL),
        (interaction.c.channel == "meeting", MEETING),
        else_=OTHER_CHANNEL,
    ),
    interaction.c.group_size,
    case((func.coalesce(interaction.c.thread, "") == "", -1), else_=0),
)


def _coded(part: Sequence[Any]) -> tuple[Any, ...]:
    """The columns of rows read with :data:`_CODED`."""
    ids, when, direction, channel, group_size, thread = zip(*part, strict=True)
    return (
        np.array(ids, dtype=np.int64),
        _micros(when),
        np.array(direction, dtype=np.int8),
        np.array(channel, dtype=np.int8),
        np.array(group_size, dtype=np.int64),
        np.array(thread, dtype=np.int64),
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
        rows = conn.execute(
            select(
                interaction.c.id,
                type_coerce(interaction.c.occurred_at, _RAW),
                *(_PLAIN if threads else _CODED),
            )
            .where(interaction.c.owner_id == owner_id)
            .execution_options(stream_results=True, yield_per=_ROWS_AT_A_TIME)
        )
        for part in rows.partitions():
            if not threads:
                parts.append(_coded(part))
                continue
            ids, when, direction, channel, size, thread = zip(*part, strict=True)
            parts.append(_plain(ids, when, direction, channel, size, thread, codes))
        return cls(parts)

    def linked(self, person: Any, iid: Any) -> ContactColumns:
        """Each (person, interaction) link once, with its interaction's columns, sorted by
        person, time and interaction."""
        at = np.searchsorted(self.id, iid)
        known = at < len(self.id)
        known[known] = self.id[at[known]] == iid[known]
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
