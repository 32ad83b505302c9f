"""Benchmark the mail history sync against the standard library on a synthetic archive.

    python bench/scan_mail.py [--messages 200000] [--seed 7] [--json]

Generates (or reuses, under ``bench/out/``) a deterministic Gmail-Takeout-style mbox and its
Maildir twin (see ``mail_corpus.py``), then times, each part in its own subprocess so that its
peak RSS is its own:

* rekindle full sync (parse + store) into a fresh SQLite database, through
  ``rekindle.services.sync_files.sync_for_bench``, and a re-sync of the unchanged mbox (run it with
  the project's interpreter, ``.venv/bin/python``: without the installed project it stops);
* the standard library: ``mailbox.mbox`` with ``BytesHeaderParser(policy=email.policy.default)``
  on each message's bytes, reading the headers the history uses (addresses and date parsed);
* the floor: reading the file raw in 4 MB chunks;
* the Maildir twin: rekindle's reader, ``mailbox.Maildir`` (with its folders) and raw reads.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from mail_corpus import ensure_corpus  # noqa: E402

TARGET_RATIO = 10.0
TARGET_RSS_MB = 300.0
HEADERS = ("From", "To", "Cc", "Date", "Message-ID", "Subject", "References", "List-Id")


TARGET_RESYNC_SHARE = 0.05


def _check_store() -> str | None:
    """Why the full sync cannot run here (None: it can)."""
    try:
        from rekindle.services.sync_files import sync_for_bench  # noqa: F401
    except ImportError as err:
        return f"{err}; run this with the project's interpreter (.venv/bin/python)"
    return None


# --- parts (each runs in a child process) ------------------------------------------------------


def part_raw_mbox(mbox: Path, **_: Any) -> int:
    """The floor: the file read in 4 MB chunks, nothing else (returns no message count)."""
    with mbox.open("rb", buffering=0) as fh:
        while fh.read(4 << 20):
            pass
    return -1


def part_rekindle_mbox(mbox: Path, **_: Any) -> int:
    from rekindle.history.records import MessageRecord
    from rekindle.sources.mbox import read_mbox

    return sum(1 for item in read_mbox(mbox) if isinstance(item, MessageRecord))


def part_rekindle_sync(mbox: Path, db: Path, **_: Any) -> int:
    from rekindle.services.sync_files import sync_for_bench

    return int(sync_for_bench(db, mbox))


def part_stdlib_mbox(mbox: Path, **_: Any) -> int:
    import mailbox
    from email import policy
    from email.parser import BytesHeaderParser

    parser = BytesHeaderParser(policy=policy.default)
    box = mailbox.mbox(str(mbox), create=False)
    count = 0
    for key in box.iterkeys():
        _stdlib_headers(parser.parsebytes(box.get_bytes(key)))
        count += 1
    return count


def _stdlib_headers(msg: Any) -> None:
    for name in HEADERS:
        try:
            value = msg[name]
            if value is None:
                continue
            if name in ("From", "To", "Cc"):
                _ = [a.addr_spec for a in value.addresses]
            elif name == "Date":
                _ = value.datetime
            else:
                _ = str(value)
        except Exception:  # noqa: BLE001 - the stdlib raises on some broken headers
            pass


def part_raw_maildir(maildir: Path, **_: Any) -> int:
    count = 0
    for dirpath, dirnames, filenames in os.walk(maildir):
        dirnames[:] = [d for d in dirnames if d != "tmp"]
        for name in filenames:
            with open(os.path.join(dirpath, name), "rb") as fh:
                fh.read()
            count += 1
    return count


def part_rekindle_maildir(maildir: Path, **_: Any) -> int:
    from rekindle.history.records import MessageRecord
    from rekindle.sources.maildir import read_maildir

    return sum(1 for item in read_maildir(maildir) if isinstance(item, MessageRecord))


def part_stdlib_maildir(maildir: Path, **_: Any) -> int:
    import mailbox
    from email import policy
    from email.parser import BytesHeaderParser

    parser = BytesHeaderParser(policy=policy.default)
    count = 0
    todo = [mailbox.Maildir(str(maildir), factory=None, create=False)]
    while todo:
        box = todo.pop()
        todo.extend(box.get_folder(name) for name in box.list_folders())
        for key in box.iterkeys():
            with box.get_file(key) as fh:
                _stdlib_headers(parser.parse(fh))  # type: ignore[arg-type]
            count += 1
    return count


PARTS: dict[str, Callable[..., int | tuple[int, float]]] = {
    "raw-mbox": part_raw_mbox,
    "rekindle-mbox": part_rekindle_mbox,
    "rekindle-sync": part_rekindle_sync,
    "rekindle-resync": part_rekindle_sync,
    "stdlib-mbox": part_stdlib_mbox,
    "raw-maildir": part_raw_maildir,
    "rekindle-maildir": part_rekindle_maildir,
    "stdlib-maildir": part_stdlib_maildir,
}


def run_child(part: str, mbox: Path, maildir: Path, db: Path) -> None:
    start = time.perf_counter()
    result = PARTS[part](mbox=mbox, maildir=maildir, db=db)
    seconds = time.perf_counter() - start
    count = result if isinstance(result, int) else result[0]
    if isinstance(result, tuple):
        seconds = result[1]
    # a sync may parse in a child process: the peak is the larger of the two
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rss = max(_peak_rss(), children)
    print(json.dumps({"part": part, "seconds": seconds, "messages": count, "rss_mb": rss}))


def _peak_rss() -> float:
    """This process's peak RSS in MB. Linux's VmHWM starts afresh at exec, while ru_maxrss
    carries the parent's peak at fork time over."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the parent ---------------------------------------------------------------------------------


def run_part(part: str, mbox: Path, maildir: Path, db: Path) -> dict[str, Any]:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--part",
        part,
        "--mbox",
        str(mbox),
        "--maildir",
        str(maildir),
        "--db",
        str(db),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"part": part, "error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    for line in done.stderr.splitlines():
        if line.startswith("{"):
            result.update(json.loads(line))
    return result


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--skip-maildir", action="store_true")
    ap.add_argument("--part", choices=sorted(PARTS), help=argparse.SUPPRESS)
    ap.add_argument("--mbox", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--maildir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.part:
        run_child(args.part, args.mbox, args.maildir, args.db)
        return 0

    t0 = time.perf_counter()
    corpus = ensure_corpus(HERE / "out", args.messages, args.seed)
    gen_seconds = time.perf_counter() - t0
    problem = _check_store()
    if problem:
        print(f"scan_mail: rekindle's sync cannot run: {problem}", file=sys.stderr)
        return 2
    sizes = {"mbox": corpus.mbox.stat().st_size}
    if not args.skip_maildir:
        sizes["maildir"] = _size(corpus.maildir)
    if not args.json:
        print(
            f"{corpus.messages:,} messages, mbox {sizes['mbox'] / 1e6:.0f} MB"
            + (f", Maildir {sizes['maildir'] / 1e6:.0f} MB" if "maildir" in sizes else "")
            + f" (seed {args.seed}; ready in {gen_seconds:.0f} s)"
        )
    parts = ["raw-mbox", "rekindle-mbox"]
    parts += ["rekindle-sync", "rekindle-resync"]
    parts += ["stdlib-mbox"]
    if not args.skip_maildir:
        parts += ["raw-maildir", "rekindle-maildir", "stdlib-maildir"]
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="rekindle-bench-") as tmp:
        db = Path(tmp) / "bench.db"
        for part in parts:
            result = run_part(part, corpus.mbox, corpus.maildir, db)
            _rates(result, corpus.messages, sizes)
            results[part] = result
            if not args.json:
                _print_part(result)
    summary = _summary(results)
    summary.update(
        messages=corpus.messages,
        from_lines_in_bodies=corpus.from_lines,
        seed=args.seed,
        mbox_mb=round(sizes["mbox"] / 1e6, 1),
        maildir_mb=round(sizes.get("maildir", 0) / 1e6, 1),
        generate_seconds=round(gen_seconds, 1),
        parts=results,
    )
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        _print_summary(summary)
    return 0


def _rates(result: dict[str, Any], messages: int, sizes: dict[str, int]) -> None:
    """Add msg/s and MB/s (what was read: the mbox or the Maildir; a re-sync reads nothing)."""
    if "error" in result:
        return
    if result["messages"] < 0:  # the raw floors count bytes, not messages
        result["messages"] = messages
    seconds = max(result["seconds"], 1e-9)
    result["msg_per_s"] = round(result["messages"] / seconds)
    if "resync" not in result["part"]:
        size = sizes["maildir" if "maildir" in result["part"] else "mbox"]
        result["mb_per_s"] = round(size / seconds / 1e6, 1)


def _seconds(results: dict[str, dict[str, Any]], part: str) -> float | None:
    value = results.get(part, {}).get("seconds")
    return float(value) if value else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 1) if a and b else None


def _summary(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    ours = _seconds(results, "rekindle-sync")
    resync = results.get("rekindle-resync", {}).get("seconds")
    reader, stdlib = _seconds(results, "rekindle-mbox"), _seconds(results, "stdlib-mbox")
    rss = max(
        (r.get("rss_mb", 0.0) for k, r in results.items() if k.startswith("rekindle")),
        default=0.0,
    )
    speedup = _ratio(stdlib, ours)
    return {
        "speedup_vs_stdlib": speedup,
        "resync_share_of_sync": round(resync / ours, 4) if resync is not None and ours else None,
        "reader_speedup_vs_stdlib": _ratio(stdlib, reader),
        "reader_time_vs_raw_read": _ratio(reader, _seconds(results, "raw-mbox")),
        "maildir_speedup_vs_stdlib": _ratio(
            _seconds(results, "stdlib-maildir"), _seconds(results, "rekindle-maildir")
        ),
        "maildir_time_vs_raw_read": _ratio(
            _seconds(results, "rekindle-maildir"), _seconds(results, "raw-maildir")
        ),
        "rekindle_peak_rss_mb": round(rss, 1),
        "target_met": bool(
            speedup
            and speedup >= TARGET_RATIO
            and rss < TARGET_RSS_MB
            and resync is not None
            and ours
            and resync / ours < TARGET_RESYNC_SHARE
        ),
    }


def _print_part(r: dict[str, Any]) -> None:
    if "error" in r:
        print(f"{r['part']:<24} failed: {' '.join(r['error'])}")
        return
    mbs = f"{r['mb_per_s']:8.0f} MB/s" if "mb_per_s" in r else f"{'-':>8} MB/s"
    print(
        f"{r['part']:<24} {r['seconds']:8.2f} s {r['messages']:>9,} msgs "
        f"{r['msg_per_s']:>9,} msg/s {mbs}   peak RSS {r['rss_mb']:5.0f} MB"
    )


def _print_summary(s: dict[str, Any]) -> None:
    print(
        f"\n(mailbox.mbox also splits at the {s['from_lines_in_bodies']} unquoted 'From ' lines "
        "inside bodies, hence its extra messages)"
    )
    print(
        f"rekindle full sync vs stdlib: {s['speedup_vs_stdlib']}x faster "
        f"(target >= {TARGET_RATIO:.0f}x)"
    )
    share = s["resync_share_of_sync"]
    print(
        "re-sync of the unchanged mbox: "
        + (f"{share:.1%} of the first sync's time" if share is not None else "failed")
        + f" (target < {TARGET_RESYNC_SHARE:.0%})"
    )
    print(
        f"mbox reader: {s['reader_speedup_vs_stdlib']}x faster than stdlib, "
        f"{s['reader_time_vs_raw_read']}x the time of a raw read"
    )
    if s["maildir_speedup_vs_stdlib"]:
        print(
            f"Maildir reader: {s['maildir_speedup_vs_stdlib']}x faster than stdlib, "
            f"{s['maildir_time_vs_raw_read']}x the time of a raw read"
        )
    print(f"rekindle peak RSS: {s['rekindle_peak_rss_mb']} MB (target < {TARGET_RSS_MB:.0f} MB)")
    print("target met" if s["target_met"] else "TARGET NOT MET")


if __name__ == "__main__":
    raise SystemExit(main())
