"""The learnt ranker at scale: its fit on the whole history, and the plan after it.

    python bench/plan_fit.py [--people 20000] [--interactions 2000000] [--db URL] [--json]

On the synthetic network of :mod:`web_data` (cached in ``bench/out/``), prints, in one run:
the plan with the shipped model alone, reading every shortlisted tie's contacts (the
baseline), the fit of the learnt ranker on every earlier moment of the history (reading
everyone's contacts, the training rows, the rankers, and the week's snapshot of every tie),
then the plan as ``rekindle plan`` makes it after the fit (the history's fingerprint, the
stored model and snapshot read back); wall and CPU seconds, with ratios to the baseline. Targets (docs/plan.md): fit <= 30 s, plan <= 2 s after the fit.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from web_data import ensure_database  # noqa: E402

from rekindle.services import tie_snapshot  # noqa: E402
from rekindle.services.plan_compute import compute_plan  # noqa: E402
from rekindle.services.plan_options import options  # noqa: E402
from rekindle.services.ranker import learnt_model, stored_model  # noqa: E402
from rekindle.store import open_store  # noqa: E402
from rekindle.store.ranker import history_fingerprint  # noqa: E402
from rekindle.store.settings import get_settings, put_setting  # noqa: E402

FIT_TARGET_S = 30.0
PLAN_TARGET_S = 2.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--interactions", type=int, default=2_000_000)
    ap.add_argument("--db", help="fill this database afresh instead of the cached SQLite file")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    db = ensure_database(args.people, args.interactions, args.seed, args.db, log=not args.json)
    store = open_store(db)
    owner = store.owner_id
    now = datetime.now(UTC)
    figures: dict[str, Any] = {"people": args.people, "interactions": args.interactions}

    started_fit = [0.0]

    def progress(step: str, done: int, total: int) -> None:
        if not args.json and (done in (0, total) or done % 10 == 0):
            at = time.perf_counter() - started_fit[0]
            print(f"  fitting ({at:5.1f} s): {step} {done} of {total}", file=sys.stderr)

    with store.read() as conn:
        opts = options(get_settings(conn, owner))
        started, cpu = time.perf_counter(), time.process_time()
        # the baseline: the shipped weights, every shortlisted tie's contacts read
        shipped = compute_plan(conn, owner, now, opts, None)
        figures["plan_shipped_s"] = round(time.perf_counter() - started, 3)
        figures["plan_shipped_cpu_s"] = round(time.process_time() - cpu, 3)
    with store.begin() as conn:
        put_setting(conn, owner, "ranker.fingerprint", None)  # fit afresh
        started, cpu = time.perf_counter(), time.process_time()
        started_fit[0] = started
        model = learnt_model(conn, owner, now, progress)  # takes the week's snapshot too
        figures["fit_s"] = round(time.perf_counter() - started, 3)
        figures["fit_cpu_s"] = round(time.process_time() - cpu, 3)
    figures["fitted_on"] = model.fitted_on
    figures["rankers"] = {k: round(v, 3) for k, v in model.shares().items()}
    with store.read() as conn:
        started, cpu = time.perf_counter(), time.process_time()
        # as services.plan reads them: the fingerprint once, the fit and the snapshot
        history = history_fingerprint(conn, owner)
        cached = stored_model(conn, owner, history)
        snapshot = tie_snapshot.stored(conn, owner, now, history)
        plan = compute_plan(conn, owner, now, opts, None, cached, snapshot)
        figures["plan_learnt_s"] = round(time.perf_counter() - started, 3)
        figures["plan_learnt_cpu_s"] = round(time.process_time() - cpu, 3)
    figures["plan_ratio"] = round(figures["plan_learnt_s"] / figures["plan_shipped_s"], 2)
    figures["changed_picks"] = len(
        {s.person_id for s in plan.suggestions} ^ {s.person_id for s in shipped.suggestions}
    )
    figures["fit_ok"] = figures["fit_s"] <= FIT_TARGET_S
    figures["plan_ok"] = figures["plan_learnt_s"] <= PLAN_TARGET_S
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    print(f"{args.people} people, {args.interactions} interactions")
    print(
        f"  plan, shipped model, contacts read (baseline) {figures['plan_shipped_s']:8.2f} s "
        f"({figures['plan_shipped_cpu_s']:.2f} CPU-s)"
    )
    print(
        f"  fit of the learnt ranker and the snapshot     {figures['fit_s']:8.2f} s "
        f"({figures['fit_cpu_s']:.2f} CPU-s; target <= {FIT_TARGET_S:g})"
    )
    print(
        f"  plan, learnt ranker, fit and snapshot stored  {figures['plan_learnt_s']:8.2f} s "
        f"({figures['plan_learnt_cpu_s']:.2f} CPU-s; target <= {PLAN_TARGET_S:g}; "
        f"{figures['plan_ratio']:.2f}x the baseline)"
    )
    print(f"  {model.fitted_on}; rankers {figures['rankers']}")
    print(f"  picks that changed: {figures['changed_picks']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
