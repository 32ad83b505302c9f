"""Drafting for a person: gather the facts from the store, render, run the checks.

The facts are everything a draft may say (:class:`DraftFacts`); templates come from the
user's ``<data dir>/templates`` first, then the shipped ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from rekindle.compose.draft_checks import Finding, check_draft
from rekindle.compose.draft_facts import (
    DraftFacts,
    Opening,
    Thread,
    first_name_of,
    is_active_tie,
    news_words,
    value_first_since_reconnection,
)
from rekindle.compose.draft_templates import DEFAULT_LANGUAGE, TemplateSet, copy_defaults, user_root
from rekindle.compose.drafting import Draft, render_draft, split_subject
from rekindle.compose.opening import opening_of
from rekindle.engine.occasions import Occasion, in_window
from rekindle.engine.shared_context import Period, shared_affiliations
from rekindle.engine.value_ledger import LedgerEntry, ledger_of
from rekindle.errors import UserError
from rekindle.services import settings
from rekindle.services.held_now import held_now
from rekindle.services.myself import is_likely_me
from rekindle.services.occasions import occasions_for
from rekindle.services.people import person_view, resolve_person
from rekindle.services.reply_learning import learnt_intent, learnt_variant, read_outcomes
from rekindle.services.suggestion_parts import best_occasion
from rekindle.services.timeline import FORMERLY_STRONG
from rekindle.store import Store
from rekindle.store import contacts as q
from rekindle.store import engine as eq
from rekindle.store import outreach as oq
from rekindle.store import people as pq
from rekindle.store import ties as tq
from rekindle.store.database import utcnow
from rekindle.store.recall import last_subject
from rekindle.store.write_address import email_to_write

#: life events a message may mention as their news
NEWS_KINDS = ("new-job", "new-company", "new-role")
#: intents whose message is better with a word from the user on what it is about
TOPIC_INTENTS = {"share": "what you are sharing", "invite": "what to", "ask": "what you ask"}


@dataclass(frozen=True)
class DraftRequest:
    """What the user asked for: an intent on a medium, and their own words for it."""

    intent: str = "catch-up"
    medium: str = "email"
    variant: int | None = None
    occasions: tuple[str, ...] = ()
    topic: str | None = None
    lang: str | None = None
    allow_ask: bool = False
    #: the user named no intent: take the one their replies favour (catch-up by default)
    learn_intent: bool = False


@dataclass
class DraftResult:
    """A draft for one person, with its check findings and the other variants on offer."""

    person_id: int
    person: str
    draft: Draft
    findings: list[Finding]
    variants: list[int]
    facts: DraftFacts
    tips: list[str] = field(default_factory=list)
    source: str = "template"
    #: why this intent and variant, when the user's replies chose them (empty: the user's
    #: choice or the default)
    intent_why: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "person": self.person,
            "intent": self.draft.intent,
            "medium": self.draft.medium,
            "variant": self.draft.variant,
            "variants": self.variants,
            "language": self.draft.language,
            "template": self.draft.template,
            "source": self.source,
            "subject": self.draft.subject,
            "body": self.draft.body,
            "findings": [f.as_json() for f in self.findings],
            "tips": self.tips,
            "intent_why": self.intent_why,
        }


def templates_root(store: Store) -> Path:
    """Where the user's own templates live: ``<data dir>/templates``."""
    return user_root(store.location.data_dir)


def template_set(store: Store) -> TemplateSet:
    return TemplateSet.with_user_root(templates_root(store))


def copy_templates(store: Store, force: bool = False) -> tuple[Path, list[Path], list[Path]]:
    root = templates_root(store)
    copied, kept = copy_defaults(root, force)
    return root, copied, kept


def _period(a: Any) -> Period:
    return Period(a.organisation, a.title, a.kind or "work", a.start_date, a.end_date)


def _my_role(mine: Sequence[Period]) -> str | None:
    current = [p for p in mine if p.end is None and p.kind == "work" and p.organisation]
    if not current:
        return None
    newest = max(current, key=lambda p: p.start.toordinal() if p.start else 0)
    return f"{newest.title} at {newest.organisation}" if newest.title else newest.organisation


def _reach(identities: list[dict[str, Any]]) -> tuple[str | None, str | None, str | None]:
    email = next((i["value"] for i in identities if i["kind"] == "email"), None)
    linkedin = next(
        (
            i["value"]
            for i in identities
            if i["kind"] == "url" and (i["service"] == "linkedin" or "linkedin." in i["key"])
        ),
        None,
    )
    phone = next((i["value"] for i in identities if i["kind"] == "phone"), None)
    return email, linkedin, phone


def _other_names(conn: Connection, owner_id: int, person_id: int) -> tuple[str, ...]:
    names: list[str] = []
    for rec in q.records_of(conn, owner_id, person_id):
        data = q.record_data(rec)
        for key in ("full_name", "nickname", "given_name"):
            value = data.get(key)
            if isinstance(value, str) and value.strip() and value not in names:
                names.append(value.strip())
    return tuple(names)


def their_news(found: Sequence[Occasion], now: datetime) -> list[str]:
    """New jobs, companies and roles found in their data that are still news and not handled."""
    today = now.date()
    return [
        news_words(o.detail)
        for o in found
        if o.kind in NEWS_KINDS and not o.handled and in_window(o, today)
    ]


def plan_opening(found: Sequence[Occasion], now: datetime) -> Opening | None:
    """The occasion the weekly plan picks for them (the same choice, see
    :func:`~rekindle.services.suggestion_parts.best_occasion`), as a draft's first line."""
    best = best_occasion(list(found), now)
    return opening_of(best, now.date()) if best is not None else None


def gather_facts(
    conn: Connection,
    owner_id: int,
    person_id: int,
    now: datetime,
    *,
    occasions: Sequence[str] = (),
    topic: str | None = None,
) -> DraftFacts:
    """Everything a draft may say about one person, read from the store; ``occasions`` (the
    user's words) come before the life events found in their data."""
    view = person_view(conn, owner_id, person_id)
    me_id = pq.find_me(conn, owner_id)
    mine = [_period(a) for a in pq.affiliations_of(conn, me_id)] if me_id else []
    my_name = pq.edits_of(conn, me_id).get("name", "") if me_id else ""
    theirs = [_period(a) for a in pq.affiliations_of(conn, person_id)]
    subject = last_subject(conn, person_id)
    stats = tq.stats_of(conn, person_id)
    last_contact = stats.last_contact if stats is not None else view.last_contact
    last_out = oq.last_delivered_to(conn, owner_id, person_id)
    if last_out is not None and (last_contact is None or last_out > last_contact):
        last_contact = last_out
    logged = oq.outreach_of(conn, owner_id, person_id)
    delivered = [(r.sent_at or r.created_at, r.intent) for r in logged if r.status in oq.DELIVERED]
    ledger = ledger_of((LedgerEntry(r.intent, r.status, r.outcome) for r in logged), oq.DELIVERED)
    email, linkedin, phone = _reach(view.identities)
    email = email_to_write(conn, person_id) or email
    full = view.name
    found = occasions_for(conn, owner_id, [person_id], now.date()).get(person_id, [])
    given = [o.strip() for o in occasions if o.strip()]
    return DraftFacts(
        full_name=full,
        now=now,
        first_name="" if "@" in full else first_name_of(full),
        my_name=my_name,
        shared=tuple(shared_affiliations(mine, theirs, now.date())),
        last_thread=(
            Thread(subject.subject, subject.occurred_at, subject.direction)
            if subject is not None
            else None
        ),
        notes=tuple(n["text"] for n in view.notes if n["text"]),
        occasions=tuple(dict.fromkeys(given + their_news(found, now))),
        last_contact=last_contact,
        once_warm=bool(stats is not None and stats.peak_decayed >= FORMERLY_STRONG),
        value_first=value_first_since_reconnection(delivered),
        active_tie=stats is not None
        and is_active_tie(
            int(stats.messages_in or 0),
            int(stats.messages_out or 0),
            stats.last_contact,
            delivered,
            now,
        ),
        email=email,
        linkedin=linkedin,
        phone=phone,
        topic=(topic or "").strip() or None,
        my_role=_my_role(mine),
        other_names=_other_names(conn, owner_id, person_id),
        gives=ledger.gives,
        asks=ledger.asks,
        # the user's own occasion words come first: then the plan's pick does not lead
        opening=None if given else plan_opening(found, now),
    )


def facts_for(
    store: Store,
    ref: str,
    *,
    occasions: Sequence[str] = (),
    topic: str | None = None,
    region: str | None = None,
    now: datetime | None = None,
) -> tuple[int, DraftFacts]:
    now = now or utcnow()
    with store.read() as conn:
        pid = resolve_person(conn, store.owner_id, ref, region)
        name = eq.names_of(conn, store.owner_id, [pid]).get(pid, "")
        evidence = is_likely_me(conn, store.owner_id, pid, name)
        if evidence:
            raise UserError(
                f"#{pid} {name} looks like you ({'; '.join(evidence)}): no draft to yourself",
                hint="if it is your address, `rekindle me add-address` it",
            )
        facts = gather_facts(conn, store.owner_id, pid, now, occasions=occasions, topic=topic)
        return pid, replace(facts, held=held_now(conn, store.owner_id, pid, now))


def language(store: Store, chosen: str | None = None) -> str:
    return chosen or settings.current(store).get("draft.language") or DEFAULT_LANGUAGE


def _tips(facts: DraftFacts, intent: str) -> list[str]:
    tips = []
    if intent in TOPIC_INTENTS and not facts.topic:
        tips.append(f'--about "…" says {TOPIC_INTENTS[intent]}; the draft is vaguer without it')
    if not facts.my_name:
        tips.append('`rekindle me set-name "Your Name"` signs your drafts')
    return tips


def ignored(allow_ask: bool) -> set[str]:
    return {"ask-too-soon"} if allow_ask else set()


def use_model(store: Store, asked: bool | None) -> bool:
    """Draft with the language model when asked to, else when ``llm.enabled`` says so."""
    if asked is not None:
        return asked
    return settings.current(store).get("llm.enabled") == "yes"


def draft_for(
    store: Store,
    ref: str,
    request: DraftRequest,
    *,
    region: str | None = None,
    now: datetime | None = None,
) -> DraftResult:
    """Render a draft for a person from the templates and run every check on it."""
    r, intent_why = learnt_request(store, ref, request, region=region, now=now)
    pid, facts = facts_for(store, ref, occasions=r.occasions, topic=r.topic, region=region, now=now)
    templates = template_set(store)
    chosen = language(store, r.lang)
    draft = render_draft(templates, facts, r.intent, r.medium, r.variant, chosen)
    return DraftResult(
        pid,
        facts.full_name,
        draft,
        check_draft(draft.body, facts, r.medium, r.intent, draft.subject, ignored(r.allow_ask)),
        templates.variants(chosen, r.intent, r.medium),
        facts,
        _tips(facts, r.intent),
        intent_why=intent_why,
    )


def learnt_request(
    store: Store,
    ref: str,
    request: DraftRequest,
    *,
    region: str | None = None,
    now: datetime | None = None,
) -> tuple[DraftRequest, str]:
    """The request with the intent (when the user named none) and the template variant (when
    none was asked for) that the user's replies favour, and why in words (empty when nothing
    was learnt: then the intent is catch-up and the variant the first, as always)."""
    if not request.learn_intent and request.variant is not None:
        return request, ""
    now = now or utcnow()
    whys = []
    with store.read() as conn:
        pid = resolve_person(conn, store.owner_id, ref, region)
        outcomes = read_outcomes(conn, store.owner_id, now)
        if not outcomes:
            return replace(request, learn_intent=False), ""
        stats = tq.stats_of(conn, pid)
        last = stats.last_contact if stats is not None else None
        silent = (now - last).total_seconds() / 86400 if last is not None else None
        if request.learn_intent:
            found = occasions_for(conn, store.owner_id, [pid], now.date()).get(pid, [])
            news = bool(request.occasions) or bool(their_news(found, now))
            chosen = learnt_intent(outcomes, store.owner_id, now, pid, silent, news)
            request = replace(request, intent=chosen.chosen, learn_intent=False)
            if chosen.why:
                whys.append(f"intent {chosen.chosen}: {chosen.why}")
    if request.variant is None:
        lang = language(store, request.lang)
        variants = template_set(store).variants(lang, request.intent, request.medium)
        n, why = learnt_variant(
            outcomes, store.owner_id, now, pid, silent, request.intent, request.medium, variants
        )
        if n is not None:
            request = replace(request, variant=n)
            whys.append(why)
    return request, "; ".join(whys)


def check_text(
    store: Store | None,
    text: str,
    medium: str,
    intent: str | None = None,
    ref: str | None = None,
    *,
    allow_ask: bool = False,
    region: str | None = None,
    now: datetime | None = None,
) -> tuple[str | None, list[Finding]]:
    """The checks on text the user wrote; with a person, the personal checks run too.

    A first line ``Subject: …`` is the email's subject. Returns (the person's name, findings).
    """
    subject, body = split_subject(text)
    facts = None
    if ref and store is not None:
        _, facts = facts_for(store, ref, region=region, now=now)
    found = check_draft(body, facts, medium, intent, subject, ignored(allow_ask))
    return (facts.full_name if facts else None), found
