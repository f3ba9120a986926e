"""Long work off the UI thread: the one helper, with progress, cancel, success and failure callbacks.

Import, sync (a fieldworker's, and a lead's, which merges packages), exporting a package, the reports
and the REFI-QDA exports all run through :class:`Jobs`, one job at a time per window. The design:

* **Plain data across threads.** A job's body runs on the thread pool and returns plain data (a sync
  report, the file written); its callbacks run on the UI thread, which alone touches widgets and Qt
  models. Progress crosses as ``(done, total, label)``, the label never transcript text.
* **The worker's own connection.** A SQLite connection belongs to the thread that opened it, so a job
  on the project (:func:`on_project`) takes :meth:`Project.second_connection` on the UI thread and opens
  it *in the worker*: a second connection to the same file, with the key already in memory, under the
  lock the window holds, closed when the body returns. The database is in WAL mode, so the window's
  connection keeps reading (scrolling, opening transcripts, searching) while the worker writes.
* **Writes take turns.** A job that writes (sync, merge, export of a package, which numbers it) makes the
  window read-only while it runs, calmly: the bar in the status bar says what is running, and coding,
  theme and memo edits, undo and redo wait (the window says so if tried), so SQLite never makes the UI
  thread wait on the worker's transaction. A job that only reads (reports and exports) leaves coding on.
  Either way a second job waits for the first: the window says which one is running.
* **Progress and Cancel where the work stops cleanly.** A lead's sync reports each package and stops
  between packages (each is one transaction; never half of one); the packages left wait for the next
  sync. A fieldworker's sync, a package and a report are one step each: a busy bar, no Cancel.
* **A lock while a job runs** hides everything at once and asks the job to stop at its next clean
  step; the window's connection closes without waiting for the worker. The project's file lock stays
  with the locked window, so nothing else opens the project meanwhile; the job's connection, and its
  copy of the key, go when the job ends. Its outcome is shown once the window is unlocked.
* **Closing the window** asks the job to stop and waits for its current step.
* **Import** reads and parses the files in the worker (no database); the UI thread stores them, each
  file in its own transaction (``Transcripts.store_read``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from jswcoder.project import Project
from jswcoder.services.transcripts import ReadFile, read_file

T = TypeVar("T")
Progress = Callable[[int, int, str], None]  # (done, total, label); total 0 when it cannot be counted
Cancelled = Callable[[], bool]
Work = Callable[[Progress, Cancelled], Any]


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """Runs ``work(progress, cancelled)`` on the thread pool and reports back on the UI thread."""

    def __init__(self, work: Work) -> None:
        super().__init__()
        self.signals = _Signals()
        self._work = work
        self._cancel = threading.Event()
        self._ended = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the body has returned and its outcome is on its way to the UI thread (True), or
        *timeout* seconds have passed (False)."""
        return self._ended.wait(timeout)

    def run(self) -> None:
        try:
            result = self._work(self.signals.progress.emit, self._cancel.is_set)
        # A worker's unexpected failure must reach the UI thread as data, not die silently in the pool.
        except Exception as error:  # noqa: BLE001
            self.signals.failed.emit(error)
        else:
            self.signals.finished.emit(result)
        finally:
            self._ended.set()


def start(
    work: Work,
    *,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_progress: Progress | None = None,
) -> Task:
    task = Task(work)
    task.setAutoDelete(False)  # the caller keeps it for cancel(); Python owns it
    task.signals.finished.connect(on_done)
    task.signals.failed.connect(on_error)
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    QThreadPool.globalInstance().start(task)
    return task


def on_project(project: Project, body: Callable[[Project, Progress, Cancelled], T]) -> Work:
    """A job body that works on its own connection to *project*, opened and closed in the worker.

    Call this on the UI thread, while the project is open: it takes the key from the open project.
    """
    second = project.second_connection()

    def work(progress: Progress, cancelled: Cancelled) -> T:
        with second.open() as own:
            return body(own, progress, cancelled)

    return work


@dataclass
class Job:
    title: str  # "Sync", "Export the theme report": what the window says is running
    writes: bool  # the window is read-only while it runs
    cancellable: bool
    task: Task


class Jobs(QObject):
    """One job at a time for a window: it starts them, tells the window when one starts and ends
    (``changed``: the job, or None), and forwards progress."""

    changed = Signal(object)  # the running Job, or None when it has ended
    progressed = Signal(int, int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.running: Job | None = None

    def start(
        self,
        title: str,
        work: Work,
        *,
        writes: bool,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        cancellable: bool = False,
    ) -> Job | None:
        """Run *work*; None (nothing started) while another job runs."""
        if self.running is not None:
            return None

        def done(result: object) -> None:
            self._ended(job)
            on_done(result)

        def failed(error: BaseException) -> None:
            self._ended(job)
            on_error(error)

        task = start(work, on_done=done, on_error=failed, on_progress=self.progressed.emit)
        job = Job(title, writes, cancellable, task)
        self.running = job
        self.changed.emit(job)
        return job

    def cancel(self) -> None:
        if self.running is not None:
            self.running.task.cancel()

    def wait(self) -> None:
        """Ask the running job to stop and wait for its current step (the window is closing)."""
        if self.running is not None:
            self.running.task.cancel()
            self.running.task.wait()

    def _ended(self, job: Job) -> None:
        if self.running is job:
            self.running = None
            self.changed.emit(None)


def read_files(paths: Sequence[Path]) -> Callable[[Progress, Cancelled], list[ReadFile]]:
    """Worker body: read and parse each file (slow, no database); the UI thread then stores them."""

    def work(progress: Progress, cancelled: Cancelled) -> list[ReadFile]:
        read = []
        for done, path in enumerate(paths):
            if cancelled():
                break
            progress(done, len(paths), path.name)
            read.append(read_file(path))
        return read

    return work
