"""Benchmark warm introductions on a large network: 20,000 people, 2,000,000 interactions.

    python bench/intro.py [--people 20000] [--interactions 2000000] [--db URL] [--targets 20]
                          [--runs 3] [--json]

Uses the web benchmark's database (:mod:`web_data`: the seeded sample network with earlier
employers and group mail among colleagues; a cached SQLite file in ``bench/out/``, or ``--db``
filled afresh), then times ``services.intro.find_paths`` for people with the most mail and
meetings shared with others (the hardest person queries), for random people, and for the
largest employers (organisation queries), against a baseline run in the same process: one
plain count of every participant of small group mail (the table the paths are read from).
The target: at most 1 s per query.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import func, select  # noqa: E402
from web_data import ensure_database  # noqa: E402

from rekindle.services import intro as svc  # noqa: E402
from rekindle.store import Store, open_store  # noqa: E402
from rekindle.store import intro as iq  # noqa: E402
from rekindle.store.schema import affiliation, interaction, interaction_person, person  # noqa: E402

TARGET_SECONDS = 1.0


def _timed(fn: Any, runs: int) -> tuple[float, Any]:
    """The median of ``runs`` whole calls, in seconds, and the last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _choose(store: Store, targets: int, seed: int) -> dict[str, list[str]]:
    owner = store.owner_id
    ip = interaction_person.c
    with store.read() as conn:
        busiest = conn.execute(
            select(ip.person_id, func.count())
            .join(interaction, interaction.c.id == ip.interaction_id)
            .where(ip.owner_id == owner, interaction.c.group_size > 1)
            .group_by(ip.person_id)
            .order_by(func.count().desc())
            .limit(max(1, targets // 2))
        ).all()
        everyone = [
            int(r[0])
            for r in conn.execute(
                select(person.c.id).where(person.c.owner_id == owner, person.c.is_me.is_(False))
            )
        ]
        orgs = conn.execute(
            select(affiliation.c.organisation, func.count())
            .where(affiliation.c.owner_id == owner)
            .group_by(affiliation.c.organisation)
            .order_by(func.count().desc())
            .limit(3)
        ).all()
    rng = random.Random(seed)
    return {
        "busiest people": [str(r[0]) for r in busiest],
        "random people": [str(p) for p in rng.sample(everyone, min(targets, len(everyone)))],
        "largest employers": [str(r[0]) for r in orgs],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--interactions", type=int, default=2_000_000)
    ap.add_argument("--db", help="fill this database afresh instead of the cached SQLite file")
    ap.add_argument("--targets", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    db = ensure_database(args.people, args.interactions, args.seed, args.db, log=not args.json)
    store = open_store(db)
    now = datetime.now(UTC)
    try:
        with store.read() as conn:
            people = store_count(conn, person, store.owner_id)
            links = store_count(conn, interaction_person, store.owner_id)
        base, counted = _timed(lambda: _count(store), args.runs)
        groups = _choose(store, args.targets, args.seed)
        figures: dict[str, Any] = {
            "people": people,
            "participant_links": links,
            "baseline_count_s": round(base, 4),
            "baseline_rows": counted,
        }
        worst = 0.0
        for label, queries in groups.items():
            org = label == "largest employers"
            times, paths = [], []
            for q in queries:
                t, result = _timed(
                    lambda q=q, org=org: svc.find_paths(store, q, org=org, now=now), args.runs
                )
                times.append(t)
                paths.append(len(result.paths))
            worst = max(worst, max(times))
            figures[label] = {
                "queries": len(queries),
                "median_s": round(statistics.median(times), 4),
                "max_s": round(max(times), 4),
                "median_vs_baseline": round(statistics.median(times) / base, 2) if base else None,
                "paths_found_median": statistics.median(paths),
            }
        figures["worst_s"] = round(worst, 4)
        figures["within_target"] = worst <= TARGET_SECONDS
    finally:
        store.close()
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"{people:,} people, {links:,} participant links; target ≤ {TARGET_SECONDS:.1f} s a query"
    )
    print(f"baseline: count of small group mail participants ({counted:,}): {base * 1000:.0f} ms")
    for label in groups:
        f = figures[label]
        print(
            f"{label:18} {f['queries']:3} queries  median {f['median_s'] * 1000:6.0f} ms  "
            f"max {f['max_s'] * 1000:6.0f} ms  median ×{f['median_vs_baseline']} of baseline  "
            f"paths {f['paths_found_median']}"
        )
    print(f"worst {worst * 1000:.0f} ms: {'within' if figures['within_target'] else 'OVER'} target")


def store_count(conn: Any, table: Any, owner_id: int) -> int:
    return int(
        conn.execute(
            select(func.count()).select_from(table).where(table.c.owner_id == owner_id)
        ).scalar()
        or 0
    )


def _count(store: Store) -> int:
    with store.read() as conn:
        return iq.co_participation_count(conn, store.owner_id)


if __name__ == "__main__":
    main()
