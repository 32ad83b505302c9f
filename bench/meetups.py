"""Benchmark meetups: proposing groups on a large network, and what every mail sync pays to
look for meetup answers.

    python bench/meetups.py [--people 5000] [--interactions 500000] [--db URL] [--runs 3] [--json]

Uses the web benchmark's database (:mod:`web_data`: the seeded sample network; a cached SQLite
file in ``bench/out/``, or ``--db`` filled afresh). Times, each as the median of ``--runs``:

- ``meetup plan`` (``services.meetup_plan.plan_meetups``) against a baseline in the same run:
  one plain count of every participant of small group mail (a table the plan reads);
- the sync hook (``services.meetup_rsvp.note_answers``) with no meetup waiting for answers
  and with one of twelve guests, against the hook every sync already runs
  (``services.outreach.note_replies``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_data import ensure_database  # noqa: E402

from rekindle.services.meetup_plan import plan_meetups  # noqa: E402
from rekindle.services.meetup_rsvp import note_answers  # noqa: E402
from rekindle.services.meetups import create_meetup, delete_meetup  # noqa: E402
from rekindle.services.outreach import note_replies  # noqa: E402
from rekindle.store import Store, open_store  # noqa: E402
from rekindle.store import intro as iq  # noqa: E402
from rekindle.store.database import utcnow  # noqa: E402


def _timed(fn: Any, runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _hook(store: Store, fn: Any) -> Any:
    def run() -> Any:
        with store.begin() as conn:
            return fn(conn, store.owner_id, utcnow())

    return run


def measure(store: Store, runs: int) -> dict[str, Any]:
    owner = store.owner_id
    baseline, _ = _timed(lambda: _count(store, owner), runs)
    planned, plan = _timed(lambda: plan_meetups(store), runs)
    replies, _ = _timed(_hook(store, note_replies), runs)
    idle, _ = _timed(_hook(store, note_answers), runs)
    group = plan.groups[0]
    now = utcnow()
    made = create_meetup(
        store, title="Bench reunion", start=now + timedelta(days=10),
        end=now + timedelta(days=10, hours=2), place="Bench hall",
        people=[str(pid) for pid, _ in group.people],
    )  # fmt: skip
    try:
        waiting, _ = _timed(_hook(store, note_answers), runs)
    finally:
        delete_meetup(store, made.meetup_id)
    return {
        "groups": len(plan.groups),
        "plan_s": round(planned, 4),
        "plan_baseline_s": round(baseline, 4),
        "plan_ratio": round(planned / baseline, 2) if baseline else None,
        "note_replies_s": round(replies, 5),
        "hook_idle_s": round(idle, 5),
        "hook_idle_ratio": round(idle / replies, 2) if replies else None,
        "hook_waiting_s": round(waiting, 5),
        "hook_waiting_ratio": round(waiting / replies, 2) if replies else None,
        "guests": len(made.invited),
    }


def _count(store: Store, owner: int) -> int:
    with store.read() as conn:
        return iq.co_participation_count(conn, owner)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--interactions", type=int, default=500_000)
    parser.add_argument("--db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    url = ensure_database(args.people, args.interactions, db=args.db, log=not args.json)
    store = open_store(url)
    try:
        figures = measure(store, args.runs)
    finally:
        store.close()
    figures.update(people=args.people, interactions=args.interactions)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{args.people:,} people, {args.interactions:,} interactions")
    print(f"meetup plan: {figures['plan_s']:.3f} s ({figures['groups']} groups); baseline "
          f"count {figures['plan_baseline_s']:.3f} s; ratio {figures['plan_ratio']}")  # fmt: skip
    print(f"sync hook, no meetup waiting: {figures['hook_idle_s'] * 1000:.2f} ms "
          f"({figures['hook_idle_ratio']}× note_replies, {figures['note_replies_s'] * 1000:.2f} ms)")  # fmt: skip
    print(f"sync hook, one meetup of {figures['guests']} guests: "
          f"{figures['hook_waiting_s'] * 1000:.2f} ms ({figures['hook_waiting_ratio']}× note_replies)")  # fmt: skip


if __name__ == "__main__":
    main()
