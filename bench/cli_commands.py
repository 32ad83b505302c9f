"""Whole-process timings of every everyday command on the sample, against bare Python.

    python bench/cli_commands.py [--runs 7] [--only plan,show] [--src OTHER/src] [--json]

``rekindle demo`` loads the sample into a fresh REKINDLE_HOME; then every case is a fresh
process, run ``--runs`` times in alternation with the others (a busy machine slows them
alike). Printed per case: the median wall time, the median CPU time of the child, the
difference to ``python -c pass`` measured in the same run, the ratio, the target it has and
whether the wall and the CPU time over bare Python meet it (on a machine busy with other
work the wall time waits for a core; the CPU time is what the command itself costs).

Byte-code is written (to a cache folder inside the temporary home, ``PYTHONPYCACHEPREFIX``) as
an installed Rekindle's is, even when the caller set ``PYTHONDONTWRITEBYTECODE``: compiling
the sources again in every process is not what a user's start costs.

Targets of issue 16: ``--version`` and ``--help`` within 0.15 s of bare Python; ``plan`` (the
week's plan, stored), ``show``, ``people QUERY``, ``why`` and ``outreach sent`` within 0.5 s;
no other everyday command above 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
START_TARGET_S = 0.15
FAST_TARGET_S = 0.5
ANY_TARGET_S = 2.0

Argv = Callable[[int], list[str]]


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of one process running ``argv``, and what it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def cases(cli: list[str], env: dict[str, str], runs: int) -> dict[str, tuple[Argv, float]]:
    """Each case's argv (by run number) and its target over bare Python."""
    people = json.loads(run_once([*cli, "people", "--json", "--sort", "dormant"], env)[2])
    someone = people[0]
    query = someone["name"].split()[-1].lower()[:5]
    # `outreach sent` marks a saved draft sent, once: one draft per run (and the warm-up),
    # each to another person (a second outreach within the lock window is refused)
    drafts = []
    for person in people[1 : runs + 2]:
        saved = run_once([*cli, "draft", str(person["id"]), "--save", "--json"], env)[2]
        drafts.append(json.loads(saved)["saved_id"])
    run_once([*cli, "plan"], env)  # the week's plan is made once, then stored
    pid = str(someone["id"])

    def fixed(*args: str) -> Argv:
        return lambda _run: [*cli, *args]

    return {
        "rekindle --version": (fixed("--version"), START_TARGET_S),
        "rekindle --help": (fixed("--help"), START_TARGET_S),
        "plan (stored)": (fixed("plan"), FAST_TARGET_S),
        "show ID": (fixed("show", pid), FAST_TARGET_S),
        f"people {query}": (fixed("people", query), FAST_TARGET_S),
        "why ID": (fixed("why", pid), FAST_TARGET_S),
        "outreach sent ID": (
            lambda run: [*cli, "outreach", "sent", str(drafts[run])],
            FAST_TARGET_S,
        ),
        "people": (fixed("people"), ANY_TARGET_S),
        "people --sort dormant": (fixed("people", "--sort", "dormant"), ANY_TARGET_S),
        "history ID": (fixed("history", pid), ANY_TARGET_S),
        "outreach (log)": (fixed("outreach"), ANY_TARGET_S),
        "followups": (fixed("followups"), ANY_TARGET_S),
        "occasions": (fixed("occasions"), ANY_TARGET_S),
        "insights": (fixed("insights"), ANY_TARGET_S),
        "intro ID": (fixed("intro", pid), ANY_TARGET_S),
        "draft ID": (fixed("draft", pid), ANY_TARGET_S),
        "merge --review --json": (fixed("merge", "--review", "--json"), ANY_TARGET_S),
        "me": (fixed("me"), ANY_TARGET_S),
        "config": (fixed("config"), ANY_TARGET_S),
        "doctor": (fixed("doctor"), ANY_TARGET_S),
    }


def measure(cli: list[str], env: dict[str, str], runs: int, only: set[str]) -> list[dict]:
    py = cli[0]
    table = {"python -c pass": ((lambda _run: [py, "-c", "pass"]), 0.0)}
    table.update(
        (name, case)
        for name, case in cases(cli, env, runs).items()
        if not only or name.split()[0] in only or name in only
    )
    for argv, _target in table.values():  # warm the file cache and the byte-code
        run_once(argv(runs), env)
    walls: dict[str, list[float]] = {name: [] for name in table}
    cpus: dict[str, list[float]] = {name: [] for name in table}
    for run in range(runs):
        for name, (argv, _target) in table.items():
            wall, cpu, _out = run_once(argv(run), env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    base_wall = statistics.median(walls["python -c pass"])
    base_cpu = statistics.median(cpus["python -c pass"])
    rows = []
    for name, (_argv, target) in table.items():
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        rows.append(
            {
                "case": name,
                "wall_s": round(wall, 3),
                "cpu_s": round(cpu, 3),
                "wall_minus_bare_s": round(wall - base_wall, 3),
                "cpu_minus_bare_s": round(cpu - base_cpu, 3),
                "wall_ratio": round(wall / base_wall, 1),
                "target_s": target or None,
                "met": None if not target else wall - base_wall <= target,
                "met_cpu": None if not target else cpu - base_cpu <= target,
            }
        )
    return rows


def print_table(rows: list[dict], runs: int) -> None:
    print(f"median of {runs} runs each, alternating; bare = python -c pass; sample = rekindle demo")
    print(
        f"{'case':<26}{'wall s':>8}{'cpu s':>8}{'wall-bare':>11}{'cpu-bare':>10}{'ratio':>8}"
        f"{'target':>8}  met (wall, cpu)"
    )
    for r in rows:
        target = f"{r['target_s']:.2f}" if r["target_s"] else ""
        met = "" if r["met"] is None else " ".join(_yes(r[k]) for k in ("met", "met_cpu"))
        print(
            f"{r['case']:<26}{r['wall_s']:>8.3f}{r['cpu_s']:>8.3f}"
            f"{r['wall_minus_bare_s']:>+11.3f}{r['cpu_minus_bare_s']:>+10.3f}"
            f"{r['wall_ratio']:>7.1f}x{target:>8}  {met}"
        )


def _yes(met: bool) -> str:
    return "yes" if met else "NO "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="Runs of each case (default 7).")
    parser.add_argument("--only", default="", help="Comma-separated case names (first word).")
    parser.add_argument("--json", action="store_true", help="Print JSON.")
    parser.add_argument(
        "--src", type=Path, default=SRC, help="The source tree to time (default: this one)."
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PYTHONPATH": str(args.src), "REKINDLE_HOME": home}
        env["PYTHONPYCACHEPREFIX"] = str(Path(home) / "pycache")
        for name in ("PYTHONDONTWRITEBYTECODE", "REKINDLE_DATABASE_URL", "REKINDLE_USER"):
            env.pop(name, None)
        cli = [sys.executable, "-m", "rekindle"]
        subprocess.run([*cli, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        only = {name.strip() for name in args.only.split(",") if name.strip()}
        rows = measure(cli, env, args.runs, only)
    if args.json:
        print(json.dumps({"runs": args.runs, "cases": rows}, indent=2))
    else:
        print_table(rows, args.runs)


if __name__ == "__main__":
    main()
