"""Benchmark the Insights figures on a large network: 20,000 people, 1,000,000 interactions.

    python bench/insights.py [--people 20000] [--interactions 1000000] [--outreach 3000]
                             [--db URL] [--runs 5] [--json]

Fills a fresh database (a cached SQLite file in ``bench/out/`` by default, or ``--db``, e.g. a
PostgreSQL URL, which is filled once) with seeded people, interactions, tie statistics, tier
edits and outreach, then times ``services.insights.insights`` (every figure, aggregated in
SQL) against a row-by-row baseline run alongside: every person, tie statistic, outreach and
interaction read into Python and counted there. Both must give the same figures.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from sqlalchemy import select  # noqa: E402

from rekindle.engine.tiers import PEAK_FOR, TIERS  # noqa: E402
from rekindle.services import insights as svc  # noqa: E402
from rekindle.store import Store, open_store  # noqa: E402
from rekindle.store.bulk import insert_rows, insert_rows_returning_ids  # noqa: E402
from rekindle.store.schema import (  # noqa: E402
    interaction,
    interaction_person,
    person,
    person_edit,
)
from rekindle.store.schema_engine import outreach  # noqa: E402
from rekindle.store.schema_history import tie_stats  # noqa: E402

NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)
OUT = Path(__file__).resolve().parent / "out"
TARGET_SECONDS = 2.0
BATCH = 50_000
MEDIA = ("email", "email", "email", "linkedin", "sms", "call")
INTENTS = ("catch-up", "congratulate", "share", "ask", "thank")
STATUSES = ("sent", "replied", "replied", "no-reply", "no-reply", "declined")


def fill(store: Store, people: int, interactions: int, sends: int, seed: int) -> None:
    rng = random.Random(seed)
    owner = store.owner_id
    span = 12 * 365 * 86400
    with store.begin() as conn:
        ids = insert_rows_returning_ids(
            conn,
            person,
            ("owner_id", "display_name", "sort_name", "is_me", "status", "created_at", "updated_at"),
            [(owner, f"Person {i}", f"person {i:06d}", False, "active", NOW, NOW) for i in range(people)],
        )  # fmt: skip
    last: dict[int, datetime] = {}
    done = 0
    while done < interactions:
        n = min(BATCH, interactions - done)
        rows, who = [], []
        for k in range(n):
            pid = (
                ids[int(rng.paretovariate(1.2)) % len(ids)]
                if rng.random() < 0.5
                else rng.choice(ids)
            )
            at = NOW - timedelta(seconds=rng.randrange(span))
            last[pid] = max(at, last.get(pid, at))
            rows.append(
                (owner, "bench", f"i{done + k}", at, "email", rng.choice(("in", "out", "both")), 1)
            )
            who.append(pid)
        with store.begin() as conn:
            new = insert_rows_returning_ids(
                conn, interaction,
                ("owner_id", "source", "natural_key", "occurred_at", "channel", "direction", "group_size"),
                rows,
            )  # fmt: skip
            insert_rows(
                conn, interaction_person,
                ("interaction_id", "owner_id", "person_id", "identity_kind", "identity_value"),
                [(iid, owner, pid, "email", f"p{pid}@example.org") for iid, pid in zip(new, who, strict=True)],
            )  # fmt: skip
        done += n
    with store.begin() as conn:
        insert_rows(
            conn, tie_stats,
            ("person_id", "owner_id", "last_contact", "peak_decayed", "computed_at", "messages_in",
             "messages_out", "meetings", "reciprocity", "one_to_one_share", "embeddedness",
             "decayed_sum"),
            [(pid, owner, at, rng.expovariate(1 / 6), NOW, 0, 0, 0, 0.0, 0.0, 0, 0.0)
             for pid, at in last.items()],
        )  # fmt: skip
        insert_rows(
            conn, person_edit,
            ("owner_id", "person_id", "field", "value", "updated_at"),
            [(owner, pid, "tier", rng.choice(TIERS), NOW) for pid in rng.sample(ids, people // 50)],
        )  # fmt: skip
        out = []
        for _ in range(sends):
            at = NOW - timedelta(seconds=rng.randrange(365 * 86400))
            status = rng.choice(STATUSES)
            replied = at + timedelta(days=2) if status == "replied" else None
            out.append(
                (
                    owner,
                    rng.choice(ids),
                    rng.choice(INTENTS),
                    rng.choice(MEDIA),
                    "",
                    status,
                    at,
                    at,
                    replied,
                )
            )
        insert_rows(
            conn, outreach,
            ("owner_id", "person_id", "intent", "medium", "body", "status", "created_at", "sent_at", "replied_at"),
            out,
        )  # fmt: skip


def baseline(store: Store, now: datetime) -> dict[str, dict[str, str]]:
    """Every row into Python, counted there: the figures the SQL must match."""
    owner = store.owner_id
    with store.read() as conn:
        people = [r.id for r in conn.execute(select(person.c.id).where(
            person.c.owner_id == owner, person.c.merged_into.is_(None), person.c.is_me.is_(False)))]  # fmt: skip
        stats = {
            r.person_id: r
            for r in conn.execute(select(tie_stats).where(tie_stats.c.owner_id == owner))
        }
        edits = {r.person_id: r.value for r in conn.execute(select(person_edit).where(
            person_edit.c.owner_id == owner, person_edit.c.field == "tier"))}  # fmt: skip
        sends = list(conn.execute(select(outreach).where(outreach.c.owner_id == owner)))
        contacts: dict[int, list[datetime]] = {}
        rows = conn.execute(
            select(interaction_person.c.person_id, interaction.c.occurred_at, interaction.c.direction)
            .join(interaction, interaction.c.id == interaction_person.c.interaction_id)
            .where(interaction.c.owner_id == owner)
        )  # fmt: skip
        for pid, at, direction in rows:
            if direction in ("in", "both"):
                contacts.setdefault(pid, []).append(at)
    bounds = svc.week_bounds(now)
    weeks = [0] * svc.WEEKS
    medium: dict[str, list[int]] = {}
    silence: dict[str, list[int]] = {}
    for s in sends:
        at = s.sent_at or s.created_at
        for i in range(svc.WEEKS):
            if bounds[i] <= at < bounds[i + 1]:
                weeks[i] += 1
        answered = s.replied_at is not None or s.status in ("replied", "declined")
        medium.setdefault(s.medium, [0, 0])
        medium[s.medium][0] += 1
        medium[s.medium][1] += answered
        before = [c for c in contacts.get(s.person_id, []) if c < at]
        label = (
            svc.NO_CONTACT
            if not before
            else svc.span_of((at - max(before)).total_seconds() / 86400)
        )
        silence.setdefault(label, [0, 0])
        silence[label][0] += 1
        silence[label][1] += answered
    tiers = dict.fromkeys(TIERS, 0)
    dormancy = dict.fromkeys([*(label for label, _ in svc.SPANS), svc.NEVER], 0)
    for pid in people:
        last = stats[pid].last_contact if pid in stats else None
        dormancy[
            svc.NEVER if last is None else svc.span_of((now - last).total_seconds() / 86400)
        ] += 1
        peak = stats[pid].peak_decayed if pid in stats else 0.0
        tier = edits.get(pid) or next((t for t, p in PEAK_FOR if peak >= p), TIERS[-1])
        tiers[tier] += 1
    return {
        "per_week": {f"{b:%d %b %Y}": str(n) for b, n in zip(bounds, weeks, strict=False)},
        "by_medium": {k: svc.rate(k, n, a).text for k, (n, a) in sorted(medium.items())},
        "by_silence": {k: svc.rate(k, n, a).text for k, (n, a) in silence.items()},
        "dormancy": {k: str(v) for k, v in dormancy.items()},
        "tiers": {k: str(v) for k, v in tiers.items()},
    }


def timed(fn: Callable[[], Any], runs: int) -> tuple[Any, float]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--interactions", type=int, default=1_000_000)
    ap.add_argument("--outreach", type=int, default=3_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--db", help="a database URL to fill once (default: a cached SQLite file)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    db = args.db or str(
        OUT / f"insights-{args.people}-{args.interactions}-{args.outreach}-{args.seed}.db"
    )
    fresh = not (args.db or Path(db).exists())
    store = open_store(db)
    fill_s = 0.0
    with store.read() as conn:
        empty = (
            conn.execute(
                select(person.c.id).where(person.c.owner_id == store.owner_id).limit(1)
            ).first()
            is None
        )
    if fresh or empty:
        start = time.perf_counter()
        fill(store, args.people, args.interactions, args.outreach, args.seed)
        fill_s = time.perf_counter() - start
    found, sql_s = timed(lambda: svc.insights(store, NOW), args.runs)
    expected, base_s = timed(lambda: baseline(store, NOW), max(1, args.runs // 2))
    store.close()
    got = {s.key: {f.label: f.text for f in s.figures} for s in found.series}
    same = all(got[key] == figures for key, figures in expected.items())
    result = {
        "database": "postgresql" if db.startswith("postgresql") else "sqlite",
        "people": args.people,
        "interactions": args.interactions,
        "outreach": args.outreach,
        "fill_s": round(fill_s, 1),
        "insights_s": round(sql_s, 3),
        "baseline_s": round(base_s, 3),
        "speedup": round(base_s / sql_s, 1) if sql_s else None,
        "same_figures": same,
        "target_s": TARGET_SECONDS,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:14} {value}")
    if not same:
        for key, figures in expected.items():
            if got[key] != figures:
                print(
                    f"differs: {key}\n  sql      {got[key]}\n  baseline {figures}", file=sys.stderr
                )
        sys.exit(1)


if __name__ == "__main__":
    main()
