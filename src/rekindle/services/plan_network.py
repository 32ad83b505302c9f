"""What the plan reads about everyone once (:class:`Network`), and about the ties it looks at
closely (:class:`Ties`): the data of :mod:`rekindle.services.plan_compute`'s steps."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from rekindle.engine.fields import goal_fields, infer_field
from rekindle.engine.goal_match import goal_terms
from rekindle.engine.meaning import text_vectors
from rekindle.engine.occasions import Occasion
from rekindle.engine.person_learning import Learning
from rekindle.engine.revival_features import Me, Row
from rekindle.engine.shared_context import (
    Period,
    SharedAffiliation,
    organisation_key,
    shared_affiliations,
)
from rekindle.engine.tiers import Cadence, cadence_for
from rekindle.history.tie_features import TieFeatures
from rekindle.history.ties import Contact
from rekindle.services.plan_options import ENGINE_EDITS, MATCHING_GOAL, Options
from rekindle.services.suggestion_parts import (
    FIELD_GOAL,
    affiliation_period,
    organisation_of,
)
from rekindle.store import engine as eq
from rekindle.store import outreach as oq
from rekindle.store import people as pq
from rekindle.store import ties as tq

if TYPE_CHECKING:
    from rekindle.engine.kept_goal import KeptGoal
    from rekindle.history.mail_subjects import Subjects
    from rekindle.services.goal_kept import GoalKeeper


class ReadAsAsked:
    """Per person, rows read in one statement for the people asked about (:meth:`ensure`),
    else one person at a time: a plan weighs every tie, but reads the affiliations of the
    few thousand it looks closer at."""

    def __init__(self, read: Callable[[list[int]], Mapping[int, list[Any]]]) -> None:
        self._read = read
        self._found: dict[int, list[Any]] = {}

    def ensure(self, people: Iterable[int]) -> None:
        """Read the rows of these people, those not read yet, at once."""
        missing = sorted({p for p in people if p not in self._found})
        if missing:
            found = self._read(missing)
            self._found.update((p, found.get(p, [])) for p in missing)

    def get(self, pid: int) -> list[Any]:
        if pid not in self._found:
            self.ensure([pid])
        return self._found[pid]


@dataclass
class Network:
    """What the plan reads about everyone, once."""

    people: dict[int, str]
    delivered: dict[int, datetime]
    awaiting: dict[int, datetime]
    #: per person, when an outreach was last answered (a reply, a call): ends a silence
    answered: dict[int, datetime]
    edits: dict[int, dict[str, str]]
    tags: dict[int, set[str]]
    #: each person's affiliations, read for those the plan looks at (:class:`ReadAsAsked`)
    affiliations: ReadAsAsked
    my_periods: list[Period]
    goal_text: str | None
    terms: list[str]
    #: a person's words the goal is matched on (organisation, title, tags, notes)
    index_texts: Callable[[int], list[str]]
    #: the fields the goal names
    goal_fields: set[str]
    #: what each person's outcomes taught (cadence, hold, rank), for those with outcomes
    learnt: dict[int, Learning] = field(default_factory=dict)
    #: told of a long step's progress (the goal matched with everyone's words and mail)
    progress: Callable[[str, int, int], None] | None = None
    #: everyone's subjects of personal mail, for the goal (the week's snapshot holds them)
    subjects: Callable[[], Subjects | None] = lambda: None
    #: where the goal's match is kept between plans (None: it is made each time)
    keeper: GoalKeeper | None = None
    #: shared_with_me as found, per (person, day): the plan asks it of a person in two steps
    shared: dict[tuple[int, date], list[SharedAffiliation]] = field(default_factory=dict)
    #: field_of as found, per person
    _fields: dict[int, str | None] = field(default_factory=dict)
    #: goal_value as found, per person
    _goal_values: dict[int, float] = field(default_factory=dict)

    def field_of(self, pid: int) -> str | None:
        """Their field from their organisation and title (None: nothing says), worked out
        when first asked: a plan asks it of its shortlist, not of everyone."""
        if pid not in self._fields:
            e, a = self.edits.get(pid, {}), self.affiliations.get(pid)
            self._fields[pid] = (
                infer_field(organisation_of(e, a), e.get("title") or _title(a))
                if a or pid in self.edits
                else None
            )
        return self._fields[pid]

    def goal_field(self, pid: int) -> str | None:
        if not self.goal_fields:
            return None
        found = self.field_of(pid)
        return found if found in self.goal_fields else None

    @cached_property
    def index(self) -> KeptGoal | None:
        """The goal matched with everyone (:class:`~rekindle.engine.goal_columns.GoalColumns`):
        their organisation, title, department, tags, notes, field and the subjects of your
        personal mail with them, by words and by meaning; None without a goal. Built when first
        asked, or read back as the last plan with this goal over the same words kept it."""
        if not self.terms:
            return None
        if self.keeper is not None:
            found = self.keeper.stored()
            if found is not None:
                # everyone's field as it was worked out from the same words (a goal that
                # names a field asks it of everyone: not their employers read one by one)
                self._fields = {**found.fields(), **self._fields}
                return found
        # numpy's, loaded by the plan that matches a goal (showing a stored plan goes without)
        from rekindle.engine.goal_columns import GoalColumns
        from rekindle.engine.kept_goal import KeptGoal

        if self.progress is not None:
            self.progress(MATCHING_GOAL, 0, 1)
        self.affiliations.ensure(self.ids)
        columns = GoalColumns(
            self.ids,
            lambda pid: [*self.index_texts(pid), self.field_of(pid) or ""],
            self.subjects(),
            self.goal_text or "",
            self.terms,
            text_vectors(),
        )
        kept = KeptGoal.of(columns, self.ids, self.field_of)
        if self.keeper is not None:
            self.keeper.keep(kept)
        if self.progress is not None:
            self.progress(MATCHING_GOAL, 1, 1)
        return kept

    def goal_value(self, pid: int) -> float:
        """How well they fit the goal, as the plan scores it: the match of their words and
        mail, or at least :data:`FIELD_GOAL` when they work in a field the goal names."""
        found = self._goal_values.get(pid)
        if found is None:
            index = self.index
            found = index.match(pid, self.terms).value if index is not None else 0.0
            found = self._goal_values[pid] = (
                max(found, FIELD_GOAL) if self.goal_field(pid) else found
            )
        return found

    @cached_property
    def my_organisations(self) -> frozenset[str]:
        """The organisations I was at, as :func:`organisation_key` compares them."""
        return frozenset(k for p in self.my_periods if (k := organisation_key(p.organisation)))

    @property
    def ids(self) -> list[int]:
        return sorted(self.people)

    def cadence_of(self, pid: int, f: TieFeatures, opts: Options) -> Cadence:
        e = self.edits.get(pid, {})
        cadence = cadence_for(
            f,
            person_tier=e.get("tier"),
            person_days=int(e["cadence"]) if e.get("cadence", "").isdigit() else None,
            tags=self.tags.get(pid, ()),
            tag_days=opts.tag_days,
            tier_days=opts.tier_days,
        )
        learnt = self.learnt.get(pid)
        return learnt.adjust(cadence) if learnt is not None else cadence


@dataclass
class Ties:
    """The shortlist's full features and cadences."""

    features: dict[int, TieFeatures] = field(default_factory=dict)
    cadences: dict[int, Cadence] = field(default_factory=dict)
    occasions: dict[int, list[Occasion]] = field(default_factory=dict)
    #: the goal matched with everyone (:attr:`Network.index`)
    goal_index: KeptGoal | None = None
    #: each tie's contacts, and whom I talk to lately (for the learnt ranker)
    contacts: dict[int, list[Contact]] = field(default_factory=dict)
    me: Me = field(default_factory=lambda: Me({}))
    #: when I last wrote to each of them personally (not the end of a silence)
    written: dict[int, datetime | None] = field(default_factory=dict)
    #: the learnt ranker's description of each, where the week's snapshot holds it
    rows: dict[int, Row] = field(default_factory=dict)
    #: their learnt odds, where the week's snapshot holds them under the plan's model
    odds: dict[int, float] = field(default_factory=dict)


def read_network(conn: Connection, owner_id: int, goal_text: str | None) -> Network:
    people = eq.active_people(conn, owner_id)
    ids = sorted(people)
    edits = pq.edits_for(conn, ids, ENGINE_EDITS)
    tags = eq.tags_by_person(conn, owner_id)
    affiliations = ReadAsAsked(lambda people: eq.affiliations_by_person(conn, owner_id, people))
    me_id = pq.find_me(conn, owner_id)
    terms = goal_terms(goal_text or "")
    notes = eq.notes_by_person(conn, owner_id) if terms else {}

    def texts(pid: int) -> list[str]:
        return [
            *(
                f"{a.organisation} {a.title or ''} {a.department or ''}"
                for a in affiliations.get(pid)
            ),
            *tags.get(pid, ()),
            *notes.get(pid, ()),
            edits.get(pid, {}).get("organisation", ""),
            edits.get(pid, {}).get("title", ""),
        ]

    return Network(
        people=people,
        delivered=oq.last_delivered(conn, owner_id),
        awaiting=oq.awaiting_reply(conn, owner_id),
        answered=oq.last_answered(conn, owner_id),
        edits=edits,
        tags=tags,
        affiliations=affiliations,
        my_periods=[affiliation_period(a) for a in affiliations.get(me_id or -1)],
        goal_text=goal_text,
        terms=terms,
        index_texts=texts,
        goal_fields=goal_fields(goal_text),
        subjects=lambda: subjects_read(conn, owner_id),
    )


def subjects_read(conn: Connection, owner_id: int) -> Subjects:
    """Everyone's subjects, read with everyone's contacts (a plan without the week's snapshot)."""
    from rekindle.store.subject_columns import subjects_of_everyone
    from rekindle.store.tie_columns import contact_columns_of_everyone

    links = contact_columns_of_everyone(conn, owner_id, threads=False)
    return subjects_of_everyone(conn, owner_id, links)


def _title(affiliations: list[Any]) -> str | None:
    return next((a.title for a in affiliations if a.title), None)


def contacts_of(conn: Connection, net: Network, people: list[int]) -> dict[int, list[Contact]]:
    """These people's contacts as the plan reads them: an answered outreach (a reply, a call)
    is contact too, it ends the silence; one of yours still unanswered does not, it holds the
    person back instead."""
    contacts = tq.contacts_by_person(conn, people)
    for pid in people:
        if pid in net.answered:
            contacts[pid].append(Contact(net.answered[pid], "both", "outreach"))
    return contacts


def shared_with_me(net: Network, pid: int, now: datetime) -> list[SharedAffiliation]:
    """The organisations we were both at, at the same time."""
    theirs = net.affiliations.get(pid)
    if not theirs or not net.my_periods:
        return []
    if not any(organisation_key(a.organisation) in net.my_organisations for a in theirs):
        return []  # never at any of my organisations (most people): nothing to compare
    key = (pid, now.date())
    found = net.shared.get(key)
    if found is None:
        found = net.shared[key] = shared_affiliations(
            net.my_periods, [affiliation_period(a) for a in theirs], now.date()
        )
    return found


def latest(*when: datetime | None) -> datetime | None:
    """The newest of these dates (None: none)."""
    return max((w for w in when if w is not None), default=None)
