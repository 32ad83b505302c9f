"""CPU time of one plan ranked by the stored fit, with the profile of where it goes.

    python bench/plan_time.py [--people 20000] [--interactions 2000000] [--goal TEXT]
        [--profile N] [--json]

On the synthetic network of :mod:`web_data` (cached in ``bench/out/``; its learnt model must
be stored already: run ``bench/plan_fit.py`` once at that size), times a plan as ``rekindle
plan`` makes it after the fit (the history's fingerprint, the stored model and the week's
snapshot read, then ``compute_plan``; a snapshot missing is taken first and timed apart; with
``--full``, no snapshot: every shortlisted tie's contacts read) in CPU seconds of this process
(SQLite runs in-process, so its reads count too)
and in wall seconds (misleading on a loaded machine). With ``--goal``, a first plan with that
goal is made and timed apart (it matches the goal with everyone and keeps the match, as
``rekindle plan`` does); the plan timed is the next one, which reads the kept match back.
``--profile N`` prints the N costliest
functions by cumulative time. Target (docs/plan.md): plan <= 2 s after the fit.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from web_data import ensure_database  # noqa: E402

from rekindle.services import tie_snapshot  # noqa: E402
from rekindle.services.plan_compute import compute_plan  # noqa: E402
from rekindle.services.plan_options import options  # noqa: E402
from rekindle.services.ranker import stored_model  # noqa: E402
from rekindle.store import goal_match, open_store  # noqa: E402
from rekindle.store.ranker import history_fingerprint  # noqa: E402
from rekindle.store.settings import get_settings  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--interactions", type=int, default=2_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--goal", default=None, help="plan with this goal (as `plan --goal`)")
    ap.add_argument(
        "--full", action="store_true", help="read every shortlisted tie's contacts (no snapshot)"
    )
    args = ap.parse_args()
    db = ensure_database(args.people, args.interactions, args.seed, None, log=not args.json)
    store = open_store(db)
    owner = store.owner_id
    # the time of the plan, as `rekindle plan` reads it: a day's fixed hour would lie before
    # the fit's snapshot on a morning, and a snapshot from the future is never read
    now = datetime.now(UTC)
    snap_cpu = None
    if not args.full:
        with store.read() as conn:
            found = tie_snapshot.stored(conn, owner, now)
        if found is None:  # the fit of the week takes it, odds and all; time it apart
            snap_cpu = time.process_time()
            with store.begin() as conn:
                tie_snapshot.weekly(conn, owner, now, model=stored_model(conn, owner))
            snap_cpu = time.process_time() - snap_cpu
    with store.read() as conn:
        if stored_model(conn, owner) is None:
            print("no stored fit for this history: run bench/plan_fit.py first", file=sys.stderr)
            return 1
    goal_cpu = None
    if args.goal and not args.full:  # the first plan with this goal matches it and keeps it
        goal_cpu = time.process_time()
        with store.begin() as conn:
            goal_match.forget(conn, owner)
            history = history_fingerprint(conn, owner)
            compute_plan(
                conn, owner, now, options(get_settings(conn, owner)), args.goal,
                stored_model(conn, owner, history), tie_snapshot.stored(conn, owner, now, history),
                keep_goal=True,
            )  # fmt: skip
        goal_cpu = time.process_time() - goal_cpu
    with store.read() as conn:
        profiler = cProfile.Profile() if args.profile else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler is not None:
            profiler.enable()
        # what a plan reads first, as services.plan does: the settings, the history's
        # fingerprint once, the stored fit and the week's snapshot
        opts = options(get_settings(conn, owner))
        history = history_fingerprint(conn, owner)
        model = stored_model(conn, owner, history)
        snap = None if args.full else tie_snapshot.stored(conn, owner, now, history)
        plan = compute_plan(conn, owner, now, opts, args.goal, model, snap)
        if profiler is not None:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    picks = [(s.person_id, s.score, s.list) for s in plan.suggestions]
    figures = {
        "people": args.people,
        "interactions": args.interactions,
        "cpu_s": round(cpu, 3),
        "wall_s": round(wall, 3),
        "snapshot": not args.full,
        "goal": args.goal,
        "snapshot_taken_cpu_s": None if snap_cpu is None else round(snap_cpu, 3),
        "goal_matched_and_kept_cpu_s": None if goal_cpu is None else round(goal_cpu, 3),
        "dormant": plan.dormant,
        "due": plan.due,
        "picks": picks,
    }
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        print(
            f"{args.people} people, {args.interactions} interactions: plan from the stored fit "
            f"{'without' if args.full else 'with'} the week's snapshot"
            f"{f', goal {args.goal!r}' if args.goal else ''}: "
            f"{cpu:.2f} CPU-s ({wall:.2f} s wall{', profiled' if profiler else ''})"
        )
        if snap_cpu is not None:
            print(f"  (the snapshot was taken first: {snap_cpu:.2f} CPU-s)")
        if goal_cpu is not None:
            print(
                f"  (the first plan with this goal matched it and kept the match: "
                f"{goal_cpu:.2f} CPU-s; the plan above read it back)"
            )
        print(f"  {plan.due} due, {plan.dormant} on the Rekindle list; picks {picks}")
    if profiler is not None:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
