"""Long work off the UI thread: one helper, with progress, cancel, success and failure callbacks.

Workers return plain data; only the UI thread touches Qt models and the database (a SQLite connection
belongs to one thread). Importing is split that way: files are read and parsed in the worker, and
``Transcripts.store_read`` stores them, each in its own transaction, back on the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from jswcoder.services.transcripts import ReadFile, read_file


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """Runs ``work(progress, cancelled)`` on the thread pool and reports back on the UI thread."""

    def __init__(self, work: Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]) -> None:
        super().__init__()
        self.signals = _Signals()
        self._work = work
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            result = self._work(self.signals.progress.emit, self._cancel.is_set)
        # A worker's unexpected failure must reach the UI thread as data, not die silently in the pool.
        except Exception as error:  # noqa: BLE001
            self.signals.failed.emit(error)
        else:
            self.signals.finished.emit(result)


def start(
    work: Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any],
    *,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_progress: Callable[[int, int, str], None] | None = None,
) -> Task:
    task = Task(work)
    task.setAutoDelete(False)  # the caller keeps it for cancel(); Python owns it
    task.signals.finished.connect(on_done)
    task.signals.failed.connect(on_error)
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    QThreadPool.globalInstance().start(task)
    return task


def read_files(
    paths: Sequence[Path],
) -> Callable[[Callable[[int, int, str], None], Callable[[], bool]], list[ReadFile]]:
    """Worker body: read and parse each file (slow, no database); the UI thread then stores them."""

    def work(progress: Callable[[int, int, str], None], cancelled: Callable[[], bool]) -> list[ReadFile]:
        read = []
        for done, path in enumerate(paths):
            if cancelled():
                break
            progress(done, len(paths), path.name)
            read.append(read_file(path))
        return read

    return work
