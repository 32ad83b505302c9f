"""Running a reader in a child process, so that parsing an archive and storing it use two cores.

The child runs the reader and sends what it yields through a pipe, a batch at a time; the
parent yields the items in the same order. The pipe's buffer holds the child back while the
parent is busy, so at most a batch or two are in flight: memory stays bounded. An exception in
the reader is raised again in the parent; if the parent stops early, or dies, the child ends
(a write to a pipe nobody reads fails).
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from typing import TypeVar

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
        while True:
            try:
                kind, payload = receive.recv()
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
    finally:
        receive.close()
        if child.is_alive():
            child.terminate()
        child.join()
