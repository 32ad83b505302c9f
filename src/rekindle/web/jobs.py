"""Background imports and syncs: one at a time per owner, each under a random id.

A job runs a service call in a thread and keeps what the page shows: how many records were
read so far, how much of the archive and the stage after reading (the same progress callback
the CLI's progress line gets), then the report or the error.
The registry lives in the app (``app.state.jobs``) and forgets the oldest finished jobs.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from rekindle.errors import RekindleError, UserError
from rekindle.services.history import Progress

log = logging.getLogger("rekindle.web.jobs")

#: finished jobs kept for their pages
KEEP_FINISHED = 20
_CREATE = threading.Lock()

Work = Callable[[Progress], Any]


@dataclass
class Job:
    id: str
    owner_id: int
    title: str
    unit: str
    state: str = "running"  # running, done, failed
    read: int = 0
    #: how much of the archive is read (0..1), when known
    share: float | None = None
    #: what the sync does once reading is over ("learning who you talked to", …)
    stage: str | None = None
    report: Any = None
    error: str | None = None
    hint: str | None = None
    finished: threading.Event = field(default_factory=threading.Event)

    @property
    def running(self) -> bool:
        return self.state == "running"

    def progress(self, n: int, share: float | None = None, stage: str | None = None) -> None:
        self.read = n
        if share is not None:
            self.share = share
        self.stage = stage


class Jobs:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}

    def start(
        self,
        owner_id: int,
        title: str,
        unit: str,
        work: Work,
        cleanup: Callable[[], None] | None = None,
    ) -> Job:
        """Run ``work(progress)`` in a thread; refused while this owner has a job running."""
        with self._lock:
            busy = next(
                (j for j in self._jobs.values() if j.owner_id == owner_id and j.running), None
            )
            if busy is not None:
                if cleanup is not None:
                    cleanup()
                raise UserError(
                    f"an import is already running: {busy.title}",
                    hint=f"wait until it ends (/import/jobs/{busy.id}), then start the next",
                )
            job = Job(secrets.token_urlsafe(12), owner_id, title, unit)
            self._jobs[job.id] = job
            self._forget_old()
        thread = threading.Thread(
            target=self._run, args=(job, work, cleanup), name=f"rekindle-job-{job.id}", daemon=True
        )
        thread.start()
        return job

    def get(self, job_id: str, owner_id: int) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.owner_id == owner_id else None

    def running(self, owner_id: int) -> Job | None:
        with self._lock:
            return next(
                (j for j in self._jobs.values() if j.owner_id == owner_id and j.running), None
            )

    def _run(self, job: Job, work: Work, cleanup: Callable[[], None] | None) -> None:
        try:
            job.report = work(job.progress)
            job.state = "done"
        except RekindleError as exc:
            job.error, job.hint, job.state = exc.message, exc.hint, "failed"
        except Exception:  # noqa: BLE001 - the page says so; the log has the traceback
            log.exception("import job %s failed", job.id)
            job.error, job.hint = "internal error", "the server log has the details"
            job.state = "failed"
        finally:
            if cleanup is not None:
                cleanup()
            job.finished.set()

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if not j.running]
        for key in finished[: max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[key]


def jobs_of(request: Request) -> Jobs:
    """The app's registry, made on first use."""
    with _CREATE:
        registry = getattr(request.app.state, "jobs", None)
        if registry is None:
            registry = request.app.state.jobs = Jobs()
    assert isinstance(registry, Jobs)
    return registry
