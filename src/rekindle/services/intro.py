"""`rekindle intro`: who can introduce me to a person, or to someone at an organisation.

The query names a person (id, address or name) or, when it names nobody, an employer. The
edges come from the store (:mod:`rekindle.store.intro`), the ranking from
:mod:`rekindle.engine.intro_paths`; a draft asking for the introduction is made by the usual
drafting service, so it passes the same checks (the ask guard among them). When my tie to the
introducer is dormant, the draft is a catch-up instead: rekindle first, ask later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from rekindle.engine.intro_paths import (
    Link,
    Path,
    employer_link,
    rank_paths,
    shared_employers,
    together_words,
)
from rekindle.engine.tiers import tier_for_peak
from rekindle.errors import NotFoundError, UserError
from rekindle.services.drafting import DraftRequest, DraftResult, draft_for
from rekindle.services.people import resolve_person
from rekindle.store import Store
from rekindle.store import intro as iq
from rekindle.store import team as team_q
from rekindle.store.database import utcnow

#: the most colleagues (at the same employer at the same time) of a person looked at
MAX_COLLEAGUES = 1000
#: messages each way that make a target someone I know (no introduction needed)
KNOWN_EACH_WAY = 3
_LEADS = ("someone at ", "somebody at ", "people at ", "anyone at ", "at ")


@dataclass
class IntroResult:
    query: str
    #: "person" or "organisation"
    kind: str
    target: str
    paths: list[Path]
    draft: DraftResult | None = None
    draft_note: str | None = None
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "kind": self.kind,
            "target": self.target,
            "paths": [p.as_json() for p in self.paths],
            "draft": self.draft.as_json() if self.draft else None,
            "draft_note": self.draft_note,
            "notes": self.notes,
        }


def _together_links(conn: Connection, owner_id: int, targets: dict[int, str]) -> list[Link]:
    seen = iq.seen_together(conn, owner_id, list(targets))
    names = iq.names_of(conn, owner_id, [s.other_id for s in seen])
    links = []
    for s in seen:
        if s.other_id not in names:
            continue  # merged away or "me"
        words = together_words(
            names[s.other_id], targets[s.person_id], s.threads, s.meetings, s.first, s.last
        )
        links.append(Link(s.other_id, s.person_id, "together", s.threads + 2 * s.meetings,
                          s.last.date(), words, s.meetings))  # fmt: skip
    return links


def _employer_links(
    conn: Connection, owner_id: int, targets: dict[int, str], now: datetime
) -> list[Link]:
    theirs = iq.stints_of(conn, owner_id, list(targets))
    colleagues = iq.colleagues_at(conn, owner_id, theirs, MAX_COLLEAGUES)
    found = shared_employers(colleagues, theirs, now.date())
    names = iq.names_of(conn, owner_id, list({i for i, _ in found}))
    names.update(targets)
    return [
        employer_link(introducer, target, best, names)
        for (introducer, target), best in found.items()
        if introducer in names
    ]


def _team_links(conn: Connection, owner_id: int, pid: int, name: str) -> list[Link]:
    """Teammates who know the person, where both of us opted in to share (else none)."""
    links = []
    for t in team_q.teammate_ties(conn, owner_id, pid):
        last = t.last_contact.date() if t.last_contact else None
        words = f"{t.teammate} knows {name}: {tier_for_peak(t.peak)} tie at its best"
        if last:
            words += f", last in touch in {last.year}"
        links.append(Link(-1, pid, "team", t.peak, last, words, teammate=t.teammate))
    return links


def _targets(conn: Connection, owner_id: int, query: str, org: bool, region: str | None) -> tuple[str, str, dict[int, str]]:  # fmt: skip
    """(kind, what it names, target id → name) for the query."""
    text = query.strip()
    if not text:
        raise UserError("no person or organisation given", hint='e.g. rekindle intro "Acme"')
    lowered = text.lower()
    lead = next((w for w in _LEADS if lowered.startswith(w)), None)
    if lead is not None:
        org, text = True, text[len(lead) :].strip()
    if not org:
        try:
            pid = resolve_person(conn, owner_id, text, region)
        except NotFoundError:
            pass
        else:
            name = iq.names_of(conn, owner_id, [pid]).get(pid, text)
            return "person", name, {pid: name}
    members = iq.members_of(conn, owner_id, text)
    if not members:
        raise NotFoundError(
            f"nobody and no organisation in your contacts matches {text!r}",
            hint="`rekindle people QUERY` searches people; an organisation is matched by the "
            "employers in their records",
        )
    names = iq.names_of(conn, owner_id, [m.person_id for m in members])
    orgs = sorted({m.organisation for m in members}, key=lambda o: (len(o), o))
    return "organisation", ", ".join(orgs[:3]), {pid: n for pid, n in names.items()}


def find_paths(
    store: Store,
    query: str,
    *,
    org: bool = False,
    limit: int = 10,
    region: str | None = None,
    now: datetime | None = None,
) -> IntroResult:
    """Ranked paths to the person or into the organisation the query names."""
    now = now or utcnow()
    limit = max(1, min(limit, 100))
    owner = store.owner_id
    with store.read() as conn:
        kind, target, targets = _targets(conn, owner, query, org, region)
        links = _together_links(conn, owner, targets)
        notes: list[str] = []
        if kind == "person":
            links += _employer_links(conn, owner, targets, now)
            pid = next(iter(targets))
            links += _team_links(conn, owner, pid, target)
        ties = iq.my_ties(
            conn, owner, [*targets, *(lk.introducer for lk in links if lk.introducer > 0)]
        )
    paths = rank_paths(targets, ties, links, now.date(), limit)
    if not paths:
        notes.append(
            f"no path to {target} in your data: nobody you know was on mail or meetings with "
            + ("them or worked where they did" if kind == "person" else "anyone there")
        )
    return IntroResult(query, kind, target, paths, notes=notes)


def _already_known(store: Store, result: IntroResult) -> bool:
    """Whether the target is a person I have a real two-way history with (then set the note)."""
    direct = [p for p in result.paths if p.introducer is None]
    if result.kind != "person" or not direct:
        return False
    with store.read() as conn:
        seen = iq.two_way_history(conn, store.owner_id, direct[0].target_id)
    if seen is None:
        return False
    got, sent = int(seen.messages_in or 0), int(seen.messages_out or 0)
    if min(got, sent) < KNOWN_EACH_WAY:
        return False
    name = direct[0].target
    when = seen.last_contact
    last = f", last on {when.day} {when:%b %Y}" if when else ""
    quoted = name.replace('"', "")
    result.draft_note = (
        f"you already know {name}: {got + sent} messages{last}; write to them directly: "
        f'`rekindle draft "{quoted}"`'
    )
    return True


def with_draft(
    store: Store,
    result: IntroResult,
    via: str | None = None,
    *,
    region: str | None = None,
    now: datetime | None = None,
) -> IntroResult:
    """Add a draft to the best path's introducer (or ``via``, one of the introducers): an
    ask for the introduction, or a catch-up when my tie to them is dormant. No draft when I
    already know the person well: the note says to write to them directly."""
    if _already_known(store, result):
        return result
    candidates = [p for p in result.paths if p.introducer_id is not None]
    if via is not None:
        with store.read() as conn:
            vid = resolve_person(conn, store.owner_id, via, region)
        candidates = [p for p in candidates if p.introducer_id == vid]
        if not candidates:
            raise UserError(f"{via!r} is not on any path to {result.target}")
    if not candidates:
        result.draft_note = "no one to ask: the paths found are direct ties or teammates"
        return result
    path = candidates[0]
    assert path.introducer_id is not None
    ref = str(path.introducer_id)
    if path.dormant:
        result.draft = draft_for(
            store, ref, DraftRequest(intent="catch-up"), region=region, now=now
        )
        result.draft_note = (
            f"your tie to {path.introducer} is dormant: rekindle it first (a catch-up below), "
            f"and ask for the introduction to {path.target} once you are back in touch"
        )
        return result
    topic = f"an introduction to {path.target}"
    result.draft = draft_for(
        store, ref, DraftRequest(intent="ask", topic=topic), region=region, now=now
    )
    result.draft_note = f"asks {path.introducer} to introduce you to {path.target}"
    return result
