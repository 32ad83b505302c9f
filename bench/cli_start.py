"""Whole-process timings of the CLI's start, against a bare Python start in the same run.

    python bench/cli_start.py [--runs 15] [--json]

Each case is a fresh process (``subprocess``), run ``--runs`` times in alternation with the
others so that a busy machine slows them alike; printed per case: the median wall time, the
median CPU time (user + system of the child), and the difference and ratio to ``python -c
pass`` measured in the same run. ``rekindle people`` runs on a demo database made with
``rekindle demo`` in a temporary directory. The target of issue 16: ``--version`` and ``--help``
within 0.15 s of bare Python.
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
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
TARGET_S = 0.15


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process running ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="Runs of each case (default 15).")
    parser.add_argument("--json", action="store_true", help="Print JSON.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PYTHONPATH": str(SRC), "REKINDLE_HOME": home}
        env.pop("REKINDLE_DATABASE_URL", None)
        env.pop("REKINDLE_USER", None)
        db = str(Path(home) / "demo.db")
        py = sys.executable
        cli = [py, "-m", "rekindle"]
        subprocess.run([*cli, "--db", db, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        cases = {
            "python -c pass": [py, "-c", "pass"],
            "rekindle --version": [*cli, "--version"],
            "rekindle --help": [*cli, "--help"],
            "rekindle people --help": [*cli, "people", "--help"],
            "rekindle people (demo db)": [*cli, "--db", db, "people"],
        }
        for argv in cases.values():  # warm the file cache and the byte-code
            run_once(argv, env)
        walls: dict[str, list[float]] = {name: [] for name in cases}
        cpus: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, argv in cases.items():
                wall, cpu = run_once(argv, env)
                walls[name].append(wall)
                cpus[name].append(cpu)

    base_wall = statistics.median(walls["python -c pass"])
    base_cpu = statistics.median(cpus["python -c pass"])
    rows = []
    for name in cases:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        rows.append(
            {
                "case": name,
                "wall_s": round(wall, 3),
                "cpu_s": round(cpu, 3),
                "wall_minus_bare_s": round(wall - base_wall, 3),
                "cpu_minus_bare_s": round(cpu - base_cpu, 3),
                "wall_ratio": round(wall / base_wall, 1),
            }
        )
    if args.json:
        print(json.dumps({"runs": args.runs, "target_s": TARGET_S, "cases": rows}, indent=2))
        return
    print(f"median of {args.runs} runs each, alternating; bare = python -c pass")
    print(f"{'case':<28}{'wall s':>8}{'cpu s':>8}{'wall-bare':>11}{'cpu-bare':>10}{'ratio':>7}")
    for r in rows:
        print(
            f"{r['case']:<28}{r['wall_s']:>8.3f}{r['cpu_s']:>8.3f}"
            f"{r['wall_minus_bare_s']:>+11.3f}{r['cpu_minus_bare_s']:>+10.3f}{r['wall_ratio']:>6.1f}x"
        )
    for r in rows:
        if r["case"] in ("rekindle --version", "rekindle --help"):
            ok = r["wall_minus_bare_s"] <= TARGET_S
            print(
                f"{r['case']}: {r['wall_minus_bare_s']:+.3f} s over bare Python "
                f"({'within' if ok else 'over'} the {TARGET_S} s target)"
            )


if __name__ == "__main__":
    main()
