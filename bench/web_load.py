"""Web pages under load: This week, a Person page and People search, beside FastAPI's floor.

    python bench/web_load.py [--people 20000] [--interactions 1000000] [--clients 20]
                             [--duration 30] [--quick] [--db URL] [--json]

Fills (or reuses, from ``bench/out/``) a database of ``--people`` people and about
``--interactions`` interactions (:mod:`web_data`), starts ``rekindle --db … serve`` and a
trivial FastAPI app served the same way (:mod:`web_floor`), each in its own process, and
drives each page with ``--clients`` keep-alive connections for ``--duration`` seconds:

- ``/`` This week (the week's stored plan; computing it, which the week's first visit does,
  is timed apart beforehand with ``rekindle plan --refresh``'s code);
- ``/people/ID`` rotating over the ten people with the longest histories;
- ``/people?q=…`` rotating over twenty searches (given names, family names, fragments, a miss);
- ``/`` of the floor app.

The load comes from ``wrk`` (Debian package ``wrk``, one thread: it is written in C and takes
little CPU from the servers) with a Lua script that reports the latency percentiles. Errors
are connection errors, timeouts and non-2xx/3xx answers. Target: p95 under 150 ms on all three
pages, no errors.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import desc, select

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from web_data import ensure_database  # noqa: E402

from rekindle.services.plan import weekly_plan  # noqa: E402
from rekindle.store import open_store  # noqa: E402
from rekindle.store.schema import person  # noqa: E402
from rekindle.store.schema_history import tie_stats  # noqa: E402

TARGET_P95_MS = 150.0

_LUA = r"""
local paths = {}
local n = 0
function init(args)
  for i, p in ipairs(args) do paths[i] = p end
  n = math.random(#paths) - 1
end
function request()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped (exit {proc.returncode}) before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no answer from {url} after {seconds:.0f} s")


def fetch_seconds(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as answer:
        answer.read()
    return time.perf_counter() - started


def pick_targets(db: str) -> tuple[list[int], list[str]]:
    """The ten people with the longest histories, and twenty searches drawn from the names."""
    store = open_store(db)
    try:
        with store.read() as conn:
            total = tie_stats.c.messages_in + tie_stats.c.messages_out + tie_stats.c.meetings
            busiest = [
                int(r[0])
                for r in conn.execute(
                    select(tie_stats.c.person_id)
                    .join(person, person.c.id == tie_stats.c.person_id)
                    .where(person.c.merged_into.is_(None), person.c.is_me.is_(False))
                    .order_by(desc(total), tie_stats.c.person_id)
                    .limit(10)
                )
            ]
            names = [
                str(r[0])
                for r in conn.execute(
                    select(person.c.display_name)
                    .where(person.c.is_me.is_(False))
                    .order_by(person.c.id)
                    .limit(2000)
                )
            ]
    finally:
        store.close()
    words = [w for n in names[::97] for w in n.split()]
    queries = [*words[:14], *(w[:3].lower() for w in words[14:18]), "an", "zzqx"]
    return busiest, queries[:20]


def time_plan(db: str) -> float:
    """Seconds to compute (and store) this week's plan, as the week's first visit does."""
    store = open_store(db)
    try:
        started = time.perf_counter()
        weekly_plan(store, refresh=True)
        return time.perf_counter() - started
    finally:
        store.close()


def drive(url: str, paths: list[str], clients: int, duration: int, script: Path) -> dict[str, Any]:
    cmd = [
        "wrk", "-t1", f"-c{clients}", f"-d{duration}s", "--timeout", "10s",
        "-s", str(script), url, "--", *paths,
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"wrk failed: {done.stderr.strip() or done.stdout.strip()}")
    raw = json.loads(lines[-1])
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / raw["seconds"], 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "errors": errors,
        "error_kinds": {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")},
    }


def start(cmd: list[str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--interactions", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--duration", type=int, default=30, help="seconds of load per page")
    ap.add_argument("--quick", action="store_true", help="a smoke run: 2,000 people, 5 s a page")
    ap.add_argument("--db", help="fill this fresh database (a PostgreSQL URL, say) instead")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.people, args.interactions, args.duration = 2_000, 100_000, 5
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    t0 = time.perf_counter()
    db = ensure_database(args.people, args.interactions, args.seed, args.db, log=not args.json)
    ready = time.perf_counter() - t0
    busiest, queries = pick_targets(db)
    plan_seconds = time_plan(db)
    pages = {
        "This week": ["/"],
        "Person": [f"/people/{pid}" for pid in busiest],
        "People search": [f"/people?{urlencode({'q': q})}" for q in queries],
    }
    app_port, floor_port = free_port(), free_port()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="rekindle-web-load-") as tmp:
        script = Path(tmp) / "paths.lua"
        script.write_text(_LUA)
        app_cmd = [sys.executable, "-m", "rekindle", "--db", db, "serve", "--port", str(app_port)]
        floor_cmd = [sys.executable, str(HERE / "web_floor.py"), "--port", str(floor_port)]
        app = start(app_cmd, Path(tmp) / "app.log")
        floor = start(floor_cmd, Path(tmp) / "floor.log")
        try:
            base, floor_base = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{floor_port}"
            wait_until_up(base + "/static/app.css", app)
            wait_until_up(floor_base + "/", floor)
            for paths in pages.values():
                for path in paths:
                    fetch_seconds(base + path)
            results["floor"] = drive(floor_base, ["/"], args.clients, args.duration, script)
            for name, paths in pages.items():
                results[name] = drive(base, paths, args.clients, args.duration, script)
        finally:
            stop(app)
            stop(floor)
    floor_p95 = max(results["floor"]["p95_ms"], 1e-3)
    for r in results.values():
        r["p95_vs_floor"] = round(r["p95_ms"] / floor_p95, 1)
    met = all(results[p]["p95_ms"] < TARGET_P95_MS and results[p]["errors"] == 0 for p in pages)
    summary = {
        "people": args.people,
        "interactions": args.interactions,
        "clients": args.clients,
        "duration_s": args.duration,
        "database": db if args.db else Path(db).name,
        "ready_s": round(ready, 1),
        "plan_compute_s": round(plan_seconds, 1),
        "person_ids": busiest,
        "queries": queries,
        "pages": results,
        "target_p95_ms": TARGET_P95_MS,
        "target_met": met,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        _print_table(summary)
    return 0 if met else 1


def _print_table(s: dict[str, Any]) -> None:
    print(
        f"{s['people']:,} people, ~{s['interactions']:,} interactions; {s['clients']} clients, "
        f"{s['duration_s']} s a page; computing the week's plan took {s['plan_compute_s']} s"
    )
    print("| page | requests | req/s | p50 ms | p95 ms | p99 ms | errors | p95 vs floor |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, r in s["pages"].items():
        print(
            f"| {name} | {r['requests']:,} | {r['rps']:.0f} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {r['p95_vs_floor']}× |"
        )
    verdict = "met" if s["target_met"] else "NOT met"
    print(f"target (p95 < {s['target_p95_ms']:.0f} ms on all three pages, no errors): {verdict}")


if __name__ == "__main__":
    raise SystemExit(main())
