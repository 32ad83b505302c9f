"""Running a reader in child processes, so that parsing an archive and storing it use two cores.

One child: it runs the reader and sends what it yields through a pipe, a batch at a time; the
parent yields the items in the same order. The pipe's buffer holds the child back while the
parent is busy, so at most a batch or two are in flight: memory stays bounded. An exception in
the reader is raised again in the parent; if the parent stops early, or dies, the child ends
(a write to a pipe nobody reads fails).

Several parts (consecutive stretches of an archive): two children read them in turn into
temporary spool files, ahead of the parent, which takes each part once it is complete, in
order. If the parent dies, the children notice at their next batch and remove the spools.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
#: items sent per message through the pipe (pickling one list beats pickling each item)
BATCH = 256


class ReaderProcessError(RuntimeError):
    """The reader failed in the child process in a way that could not be passed on as is."""


def _run(
    make: Callable[[], Iterable[object]], out: Connection, parent_end: Connection, batch: int
) -> None:
    # the child's copy of the parent's end must go: else, once the parent is gone, a write to
    # the full pipe would wait for a reader that is this very process
    parent_end.close()
    try:
        items: list[object] = []
        for item in make():
            items.append(item)
            if len(items) >= batch:
                out.send(("items", items))
                items = []
        out.send(("items", items))
        out.send(("done", None))
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the parent is gone or stopped reading
    except BaseException as exc:  # noqa: BLE001 - handed over to the parent
        try:
            out.send(("error", exc))
        except Exception:  # noqa: BLE001 - the exception itself may not pickle
            out.send(("error", ReaderProcessError(traceback.format_exc())))
    finally:
        out.close()


def read_in_child(make: Callable[[], Iterable[T]], *, batch: int = BATCH) -> Iterator[T]:
    """Yield everything ``make()`` yields, produced by a forked child process."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(make, send, receive, batch), daemon=True)
    child.start()
    send.close()
    try:
        yield from _received(receive, child)
    finally:
        receive.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _received(receive: Connection, child: BaseProcess) -> Iterator[T]:
    return _unpacked(receive.recv, child)


def _unpacked(next_message: Callable[[], Any], child: BaseProcess) -> Iterator[T]:
    """The items of a child's messages (from its pipe or its spool file) up to its end mark;
    the error it sent, raised here; a clear error if it died before the end."""
    while True:
        try:
            kind, payload = next_message()
        except EOFError:
            raise ReaderProcessError(
                f"the reader process ended unexpectedly (exit code {child.exitcode})"
            ) from None
        if kind == "items":
            yield from payload
        elif kind == "error":
            raise payload
        else:
            return


@dataclass(frozen=True, slots=True)
class Handover:
    """A part's last item: whether the next part takes over where this one stopped (else this
    part read on to the end, and the next parts are not used)."""

    ok: bool


def read_in_parts(
    makers: Sequence[Callable[[], Iterable[T]]], *, batch: int = BATCH, workers: int = 2
) -> Iterator[T]:
    """Yield what each ``make()`` yields, part after part. The parts are read at once by
    ``workers`` forked children, each taking every ``workers``-th part in turn and writing it
    to a temporary spool file; a part is read here once it is complete and its file is
    dropped, so this process stores part after part while the children read ahead (with many
    parts, neither core waits long for the other). A part may end with a :class:`Handover`
    (not yielded); one that is not ``ok`` read on to the end, and ends the reading."""
    if len(makers) <= 1:
        yield from (i for i in read_in_child(makers[0], batch=batch) if not isinstance(i, Handover))
        return
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="rekindle-read-") as tmp:
        spools = [Path(tmp) / f"part{n}" for n in range(len(makers))]
        children: list[tuple[BaseProcess, Connection]] = []
        try:
            for w in range(min(workers, len(makers))):
                receive, send = context.Pipe(duplex=False)
                mine = [(makers[k], spools[k]) for k in range(w, len(makers), workers)]
                worker: BaseProcess = context.Process(
                    target=_spool_parts, args=(mine, send, receive, batch, tmp), daemon=True
                )
                worker.start()
                send.close()
                children.append((worker, receive))
            for k, path in enumerate(spools):
                child, receive = children[k % len(children)]
                _wait_for_part(receive, child)
                handover = Handover(False)
                item: T | Handover
                for item in _spooled(child, path):
                    if isinstance(item, Handover):
                        handover = item
                    else:
                        yield item
                path.unlink(missing_ok=True)
                if not handover.ok:
                    return
        finally:
            for child, receive in children:
                receive.close()
                if child.is_alive():
                    child.terminate()
                child.join()


def _spool_parts(
    parts: Sequence[tuple[Callable[[], Iterable[object]], Path]],
    done: Connection,
    parent_end: Connection,
    batch: int,
    tmp: str,
) -> None:
    """Write each part to its spool file, saying when each is complete. Once the parent is
    gone (it was killed: this child has a new parent, or the next word to it fails) the child
    stops and removes the spool directory."""
    parent_end.close()
    parent = os.getppid()
    try:
        for make, path in parts:
            _spool(make, path, batch, lambda: os.getppid() == parent)
            done.send("done")
    except (BrokenPipeError, _ParentGone, KeyboardInterrupt):
        shutil.rmtree(tmp, ignore_errors=True)
    finally:
        done.close()


class _ParentGone(Exception):
    pass


def _wait_for_part(receive: Connection, child: BaseProcess) -> None:
    try:
        receive.recv()
    except EOFError:
        raise ReaderProcessError(
            f"the reader process ended unexpectedly (exit code {child.exitcode})"
        ) from None


def _spool(
    make: Callable[[], Iterable[object]],
    path: Path,
    batch: int,
    parent_alive: Callable[[], bool] = lambda: True,
) -> None:
    with path.open("wb") as fh:
        try:
            items: list[object] = []
            for item in make():
                items.append(item)
                if len(items) >= batch:
                    if not parent_alive():
                        raise _ParentGone
                    pickle.dump(("items", items), fh, protocol=pickle.HIGHEST_PROTOCOL)
                    items = []
            pickle.dump(("items", items), fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(("done", None), fh)
        except (KeyboardInterrupt, _ParentGone):
            raise
        except BaseException as exc:  # noqa: BLE001 - handed over to the parent
            try:
                pickle.dump(("error", exc), fh)
            except Exception:  # noqa: BLE001 - the exception itself may not pickle
                pickle.dump(("error", ReaderProcessError(traceback.format_exc())), fh)


def _spooled(child: BaseProcess, path: Path) -> Iterator[T]:
    """The items of a complete spool file."""
    with path.open("rb") as fh:
        yield from _unpacked(lambda: pickle.load(fh), child)
