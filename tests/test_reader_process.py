"""A reader run in a child process gives the same items, its errors, and never outlives use."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rekindle.history.records import MessageRecord
from rekindle.services.reader_process import Handover, read_in_child, read_in_parts
from rekindle.sources.mbox import MboxMark, read_mbox


def _numbers(n: int) -> Iterator[int]:
    yield from range(n)


def test_items_come_in_order_across_batches() -> None:
    assert list(read_in_child(lambda: _numbers(1000), batch=7)) == list(range(1000))
    assert list(read_in_child(lambda: _numbers(0))) == []


def test_an_mbox_read_in_a_child_equals_one_read_here(tmp_path: Path) -> None:
    box = tmp_path / "box.mbox"
    with box.open("w", encoding="utf-8") as fh:
        for n in range(300):
            fh.write(
                f"From x Mon Jan 01 10:00:00 2024\nFrom: Zoë <z{n}@example.com>\nTo: me@example.org\n"
                f"Date: Mon, 01 Jan 2024 10:{n % 60:02d}:00 +0000\nMessage-ID: <{n}@x>\n"
                f"Subject: =?utf-8?q?caf=C3=A9_{n}?=\n\nbody\n\n"
            )
    now_items = list(read_mbox(box, mark_every=50))
    child_items = list(read_in_child(lambda: read_mbox(box, mark_every=50), batch=16))
    assert child_items == now_items
    assert sum(isinstance(i, MessageRecord) for i in child_items) == 300
    assert sum(isinstance(i, MboxMark) for i in child_items) == 6


def _failing() -> Iterator[int]:
    yield 1
    raise ValueError("bad archive")


def test_an_error_in_the_reader_is_raised_here() -> None:
    got: list[int] = []
    with pytest.raises(ValueError, match="bad archive"):
        for item in read_in_child(_failing, batch=1):
            got.append(item)
    assert got == [1]


def _endless(pid_file: Path) -> Iterator[int]:
    pid_file.write_text(str(os.getpid()))
    n = 0
    while True:
        yield n
        n += 1


def test_stopping_early_ends_the_child(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    items = read_in_child(lambda: _endless(pid_file), batch=10)
    assert next(items) == 0
    items.close()
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the reader process is still running")


_PARENT = """
import sys, time
from pathlib import Path
from rekindle.services.reader_process import Handover, read_in_child, read_in_parts

def endless(pid_file):
    import os
    Path(pid_file).write_text(str(os.getpid()))
    n = 0
    while True:
        yield "x" * 1000
        n += 1

items = read_in_child(lambda: endless(sys.argv[1]), batch=10)
next(items)
print("reading", flush=True)
time.sleep(60)
"""


def test_a_killed_parent_leaves_no_reader_behind(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT, str(pid_file)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == "reading"
        child = int(pid_file.read_text())
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        if Path(f"/proc/{child}/stat").read_text().split()[2] == "Z":
            return  # it ended; only its (killed) parent never reaped it
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    pytest.fail("the reader process outlived its killed parent")


_PARTS_PARENT = """
import os, sys, time
from pathlib import Path
from rekindle.services.reader_process import read_in_parts

def part(pid_dir, endless):
    Path(pid_dir, str(os.getpid())).write_text("")
    yield "first"
    while endless:
        time.sleep(0.001)
        yield "x" * 1000

items = read_in_parts(
    [lambda: part(sys.argv[1], False), lambda: part(sys.argv[1], True), lambda: part(sys.argv[1], True)],
    batch=10,
)
next(items)
print("reading", flush=True)
time.sleep(60)
"""


def test_a_killed_parent_leaves_no_spooling_reader_nor_spool_behind(tmp_path: Path) -> None:
    pids, spools = tmp_path / "pids", tmp_path / "tmp"
    pids.mkdir()
    spools.mkdir()
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARTS_PARENT, str(pids)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(spools)},
    )
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == "reading"
        assert any(spools.iterdir())  # the parts are being spooled there
        started = time.monotonic() + 10  # on a busy machine the second reader starts later
        while len(list(pids.iterdir())) < 2 and time.monotonic() < started:
            time.sleep(0.05)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
    workers = [int(p.name) for p in pids.iterdir()]
    assert len(workers) == 2
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        alive = [w for w in workers if _running(w)]
        if not alive and not any(spools.iterdir()):
            return
        time.sleep(0.05)
    for w in workers:
        if _running(w):
            os.kill(w, signal.SIGKILL)
    pytest.fail("a spooling reader outlived its killed parent, or its spool stayed")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def _part(items: list[object]) -> Iterator[object]:
    yield from items


def test_parts_read_at_once_come_in_order() -> None:
    parts = [
        lambda: _part([*range(0, 300), Handover(True)]),
        lambda: _part([*range(300, 700), Handover(True)]),
        lambda: _part(list(range(700, 1000))),
    ]
    assert list(read_in_parts(parts, batch=7)) == list(range(1000))
    assert list(read_in_parts([lambda: _part([1, Handover(True)])])) == [1]


def test_a_part_that_did_not_hand_over_ends_the_reading() -> None:
    parts = [lambda: _part([1, 2, Handover(False)]), lambda: _part([3, 4])]
    assert list(read_in_parts(parts)) == [1, 2]


def test_an_error_in_a_later_part_is_raised_here() -> None:
    got: list[int] = []
    with pytest.raises(ValueError, match="bad archive"):
        for item in read_in_parts([lambda: _part([0, Handover(True)]), _failing], batch=1):
            got.append(item)
    assert got == [0, 1]
