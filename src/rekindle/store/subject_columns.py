"""Everyone's subjects of personal mail at once, as columns: what the goal reads of each person's
mail (:mod:`rekindle.engine.goal_columns`), taken with the week's snapshot of every tie.

One plain read of the subjects (personal mail, not the outreach log), joined by numpy to the
links every person's contacts were read with (:func:`contact_columns_of_everyone`): no query
grouped by person and subject, which sorts every link by its text."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import Connection, String, cast, func, select

from rekindle.compose.draft_facts import clean_subject
from rekindle.history.mail_subjects import SUBJECTS_EACH, Subjects, no_subjects
from rekindle.history.tie_arrays import ContactColumns
from rekindle.history.ties import GROUP_THRESHOLD
from rekindle.store.database import scanning
from rekindle.store.mail import owned_by
from rekindle.store.recall import LOG_SOURCE
from rekindle.store.schema import interaction


def subjects_of_everyone(conn: Connection, owner_id: int, links: ContactColumns) -> Subjects:
    """Everyone's subjects (:class:`Subjects`); ``links`` are all the owner's contacts as
    :func:`~rekindle.store.tie_columns.contact_columns_of_everyone` reads them."""
    ids, code, texts = _personal_subjects(conn, owner_id)
    if not len(ids) or not len(links):
        return no_subjects()
    code = _by_interaction(ids, code, links.interaction)
    keep = code >= 0
    person, when, code = links.person[keep], links.when[keep], code[keep]
    # each (person, subject) once, at its newest: the links are in person and time order, so
    # backwards a stable sort by (person, subject) puts each pair's newest first
    person, when, code = person[::-1], when[::-1], code[::-1]
    if len(person) and int(person.max()) >= 2**31:
        order = np.lexsort((code, person))  # stable too: ids past one packed key
    else:
        order = np.argsort((person << 32) | code, kind="stable")
    person, when, code = person[order], when[order], code[order]
    first = np.ones(len(person), dtype=bool)
    first[1:] = (person[1:] != person[:-1]) | (code[1:] != code[:-1])
    person, when, code = person[first], when[first], code[first]
    # each person's newest first (at the same moment, in the order the subjects were read)
    order = np.lexsort((code, -when, person))
    person, code = person[order], code[order]
    starts = np.flatnonzero(np.r_[True, person[1:] != person[:-1]]) if len(person) else person
    counts = np.diff(np.r_[starts, len(person)])
    kept = np.arange(len(person)) - np.repeat(starts, counts) < SUBJECTS_EACH
    person, code = person[kept], code[kept]
    # only the texts someone keeps
    used = np.unique(code)
    renumber = np.full(len(texts), -1, dtype=np.int64)
    renumber[used] = np.arange(len(used))
    people, per = np.unique(person, return_counts=True)
    return Subjects(
        [texts[c] for c in used.tolist()],
        people.astype(np.int64),
        np.cumsum(per).astype(np.int64),
        renumber[code].astype(np.int32),
    )


def _by_interaction(ids: Any, code: Any, wanted: Any) -> Any:
    """The code of each of the ``wanted`` interactions (-1: none), ``code`` being that of
    ``ids``: looked up in an array as long as the ids' span when they are dense, else by a
    binary search."""
    low, high = int(ids.min()), int(ids.max())
    out = np.full(len(wanted), -1, dtype=np.int64)
    if high - low < 4 * len(ids) + 1024:
        table = np.full(high - low + 1, -1, dtype=np.int64)
        table[ids - low] = code
        inside = (wanted >= low) & (wanted <= high)
        out[inside] = table[wanted[inside] - low]
        return out
    order = np.argsort(ids, kind="stable")
    ids, code = ids[order], code[order]
    at = np.searchsorted(ids, wanted)
    known = at < len(ids)
    known[known] = ids[at[known]] == wanted[known]
    out[known] = code[at[known]]
    return out


def _personal_subjects(conn: Connection, owner_id: int) -> tuple[Any, Any, list[str]]:
    """(interaction ids, a code for each one's subject, the subjects by code) of the owner's
    personal mail whose subject says something once its "Re:" and "Fwd:" are gone; the
    database groups the interactions by subject, so each text reaches Python once."""
    sqlite = conn.dialect.name == "sqlite"
    # SQLite writes the numbers itself; PostgreSQL joins only text
    ids_of = (
        func.group_concat(interaction.c.id, ",")
        if sqlite
        else func.string_agg(cast(interaction.c.id, String), ",")
    )
    cleaned: dict[str, int] = {}
    codes: list[int] = []
    counts: list[int] = []
    lists: list[str] = []
    with scanning(conn):
        rows = conn.execute(
            select(interaction.c.subject, ids_of)
            .where(
                owned_by(conn, interaction, owner_id),
                interaction.c.subject.is_not(None),
                interaction.c.source != LOG_SOURCE,
                interaction.c.group_size <= GROUP_THRESHOLD,
            )
            .group_by(interaction.c.subject)
        )
        for subject, found in rows:
            text = clean_subject(subject)
            if not text or not found:
                continue
            codes.append(cleaned.setdefault(text, len(cleaned)))
            counts.append(found.count(",") + 1)
            lists.append(found)
    if not lists:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
    ids = np.fromstring(",".join(lists), dtype=np.int64, sep=",")
    return ids, np.repeat(np.asarray(codes, dtype=np.int64), counts), list(cleaned)
