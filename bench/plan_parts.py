"""CPU time of the plan's parts other than reading the ties' contacts, each alone.

    python bench/plan_parts.py [--people 20000] [--interactions 2000000] [--repeat 3]
        [--only NAME ...] [--scored 3000]

On the cached synthetic network of :mod:`web_data` (see ``bench/plan_time.py``), times in CPU
seconds (the best of ``--repeat`` runs, each with empty memos, as in a fresh process) what
:func:`compute_plan` spends besides the contacts of the shortlist: ``read_network``,
``occasions_for`` of everyone due, ``shared_with_me`` of everyone, ``likely_me`` of a
shortlist, ``score`` of ``--scored`` ties of it (their features are read once, before timing)
and the first pass's ``tie_summaries``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from web_data import ensure_database  # noqa: E402

from rekindle.engine.scoring import Context, score  # noqa: E402
from rekindle.engine.tiers import is_due  # noqa: E402
from rekindle.history.tie_features import RECENT_DAYS, tie_features  # noqa: E402
from rekindle.history.ties import GROUP_THRESHOLD  # noqa: E402
from rekindle.services.myself import likely_me  # noqa: E402
from rekindle.services.occasions import occasions_for  # noqa: E402
from rekindle.services.plan_network import read_network, shared_with_me  # noqa: E402
from rekindle.services.plan_options import options  # noqa: E402
from rekindle.services.plan_rough import rough_features  # noqa: E402
from rekindle.store import engine as eq  # noqa: E402
from rekindle.store import open_store  # noqa: E402
from rekindle.store import ties as tq  # noqa: E402
from rekindle.store.settings import get_settings  # noqa: E402


def forget() -> None:
    """Empty every memo of our modules, so each run starts as a fresh process's plan does."""
    for name, module in list(sys.modules.items()):
        if name.startswith("rekindle."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def best_cpu(repeat: int, run: Callable[[], Any]) -> float:
    """The least CPU seconds of ``repeat`` runs, each with empty memos."""
    best = float("inf")
    for _ in range(repeat):
        forget()
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--interactions", type=int, default=2_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scored", type=int, default=3000)
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args()
    db = ensure_database(args.people, args.interactions, args.seed, None, log=False)
    store = open_store(db)
    owner = store.owner_id
    now = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    with store.read() as conn:
        opts = options(get_settings(conn, owner))
        net = read_network(conn, owner, None)
        stats = eq.tie_summaries(conn, owner)
        pool = []
        for pid in net.ids:
            f = rough_features(stats.get(pid), net.answered.get(pid), now)
            cadence = net.cadence_of(pid, f, opts)
            if is_due(f, cadence):
                pool.append(pid)
        rough = {p: rough_features(stats.get(p), net.answered.get(p), now) for p in pool}
        strongest = sorted(pool, key=lambda p: -(rough[p].peak or 0))
        short = sorted(strongest[: max(args.scored, 8000)])
        print(f"{len(net.people)} people, {len(pool)} due, {len(short)} on a shortlist")

        def shared_of_everyone() -> list[Any]:
            net.shared.clear()  # the network remembers each person's: time the comparisons
            return [shared_with_me(net, p, now) for p in net.ids]

        parts: dict[str, Callable[[], Any]] = {
            "read_network": lambda: read_network(conn, owner, None),
            "tie_summaries": lambda: eq.tie_summaries(conn, owner),
            "occasions_for": lambda: occasions_for(conn, owner, pool, now.date()),
            "shared_with_me": shared_of_everyone,
            "likely_me": lambda: likely_me(conn, owner, net.people, short),
        }
        if args.only is None or "score" in args.only:
            scored = short[: args.scored]
            contacts = tq.contacts_by_person(conn, scored)
            since = now - timedelta(days=RECENT_DAYS)
            recent = eq.recent_personal_counts(conn, owner, since, now, GROUP_THRESHOLD)
            feats = [tie_features(contacts.get(p, ()), now, recent) for p in scored]
            names = {str(k): v for k, v in net.people.items()}
            ctx = Context(shared=1.0, shared_reason="you were both at Acme 2015–2018")
            parts["score"] = lambda: [score(f, opts.weights, ctx, names) for f in feats]
        for name, run in parts.items():
            if args.only is not None and name not in args.only:
                continue
            print(f"  {name:<16} {best_cpu(args.repeat, run):7.3f} CPU-s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
