"""The passage index kept up to date in the background, without anyone thinking of it (issue 20).

Passages like this and theme suggestions need every transcript embedded (:mod:`jswcoder.services.assistance`).
The window *nudges* the keeper when that may have changed: the project opened or was unlocked, files
were imported, a sync or a lead's merge ended, a transcript was finished, renamed, deleted or brought
back. A moment later the keeper runs ``project.assistance.update`` on the worker's own connection
(:func:`jswcoder.ui.workers.on_project`); it embeds only what is new or changed, each transcript in its
own transaction, so stopping anywhere keeps what was done.

* **Beside the window's jobs, never in their queue.** A large study takes minutes to index the first
  time, and import, sync and reports must not wait for that. So the keeper does not go through
  :class:`~jswcoder.ui.workers.Jobs`; it gives way to them instead: while a job runs it stops at its
  next batch and starts again when the job ends (a sync may bring transcripts anyway). So SQLite never
  makes a job wait on the index's writes, nor the index on a job's.
* **Quiet.** A small strip in the status bar says how many passages of how many, with Stop. Stopped so,
  it stays stopped until the project is next opened or unlocked, or it is asked for again (the Search
  tab offers it). It says in the status bar when it has indexed something.
* **A lock stops it** without waiting (its connection and its copy of the key go when the current batch
  of 16 passages ends); the unlock starts it again. Closing the window waits for the batch.
* **Without the assistance part installed, nothing runs** (the Search tab says what to install).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from jswcoder.assist import model
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.services.assistance import IndexUpdate
from jswcoder.ui import workers

SETTLE_MS = 400  # a burst of nudges (an import's files, a merge's refresh) costs one run


def _update(own: Project, progress: workers.Progress, cancelled: workers.Cancelled) -> IndexUpdate:
    return own.assistance.update(progress=progress, cancelled=cancelled)


class IndexStrip(QWidget):
    """What the keeper is doing, in the status bar: "Indexing passages 120 of 2,614", a thin bar, Stop."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Passage index")
        self.label = QLabel(self)
        self.label.setStyleSheet("color: #4a5a6a;")
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName("Passages indexed")
        self.bar.setFixedSize(80, 8)
        self.bar.setTextVisible(False)
        self.stop_button = QToolButton(self)
        self.stop_button.setText("Stop")
        self.stop_button.setAutoRaise(True)
        self.stop_button.setAccessibleName("Stop indexing passages")
        self.stop_button.setToolTip(
            "Stop indexing for now: what is indexed stays. The Search tab's Passages like this starts it again."
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 16, 0)  # a gap before the pinned keys
        layout.setSpacing(6)
        layout.addStretch(1)  # given more room than it needs, the three stay together at the right
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.stop_button)
        self.hide()

    def show_progress(self, done: int, total: int) -> None:
        self.label.setText(f"Indexing passages {min(done, total):,} of {total:,}")
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, total))
        self.setToolTip(
            "Passages like this and theme suggestions need every passage indexed; "
            "this runs in the background and never leaves this computer."
        )
        self.show()


class IndexKeeper(QObject):
    """Keeps one open project's passage index up to date (see the module's docstring)."""

    changed = Signal()  # started, progressed, ended or stopped: what :meth:`note` says may differ
    said = Signal(str)  # a line for the status bar

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.strip = IndexStrip(parent)
        self.strip.stop_button.clicked.connect(self.stop_by_user)
        self._project: Project | None = None
        self._task: workers.Task | None = None
        self._again = False  # nudged while running: run once more when this run ends
        self._paused = False  # a job of the window's runs
        self.stopped_by_user = False
        self.progress: tuple[int, int] | None = None  # (passages done, in all) while it runs
        self.failure: str | None = None  # why the last run stopped short, if it did
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._run)

    # -- what the window tells it ------------------------------------------------------------------

    @staticmethod
    def available() -> bool:
        return not model.missing()

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self, project: Project) -> None:
        """Keep *project*'s index (it was opened or unlocked): an update soon."""
        self._project = project
        self.stopped_by_user = False
        self.failure = None
        self.nudge()

    def nudge(self) -> None:
        """Something may have changed the transcripts: update soon, or again after the run going on."""
        if self._project is None or self.stopped_by_user or not self.available():
            return
        if self._task is not None:
            self._again = True
        else:
            self._timer.start()

    def pause(self, paused: bool) -> None:
        """While a job of the window's runs: stop at the next batch; when it ends, go on."""
        self._paused = paused
        if paused and self._task is not None:
            self._task.cancel()  # it ends at its next batch; the job's bar is the one shown meanwhile
            self._again = True
            self._ended_showing()
            self.changed.emit()
        elif not paused:
            self.nudge()

    def resume(self) -> None:
        """Asked for again after Stop (the Search tab's button)."""
        self.stopped_by_user = False
        self.failure = None
        self.nudge()
        self.changed.emit()

    def stop_by_user(self) -> None:
        self.stopped_by_user = True
        self._cancel()
        self.said.emit(
            "Indexing stopped: what is indexed stays. Search › Passages like this starts it again."
        )
        self.changed.emit()

    def stop(self) -> None:
        """A lock (or the window closing): let go of the project; the running batch ends on its own."""
        self._project = None
        self._cancel()
        self.changed.emit()

    def wait(self) -> None:
        """Stop, and wait for the running batch (the project is about to close)."""
        task = self._task
        self.stop()
        if task is not None:
            task.wait()

    def note(self) -> str:
        """A line on the index's state for the Search tab; empty when there is nothing to say."""
        if self.progress is not None:
            done, total = self.progress
            return (
                f"The passage index is being built ({done:,} of {total:,} passages): "
                "the results come from what is indexed so far."
            )
        if self.failure is not None:
            return f"The passage index could not be updated: {self.failure}."
        if self.stopped_by_user:
            return "Indexing was stopped: transcripts not indexed yet are left out of the results."
        return ""

    # -- running -----------------------------------------------------------------------------------

    def _cancel(self) -> None:
        self._timer.stop()
        self._again = False
        if self._task is not None:
            self._task.cancel()
        self._task = None  # its outcome, when it comes, is not ours any more
        self._ended_showing()

    def _run(self) -> None:
        if self._project is None or self._paused or self._task is not None or self.stopped_by_user:
            return
        try:
            work = workers.on_project(self._project, _update)
        except JswError:  # closed meanwhile
            return
        self._again = False
        self.failure = None
        task: workers.Task | None = None

        def progressed(done: int, total: int, _name: str) -> None:
            if task is self._task and total > 0 and not self._paused:
                self.progress = (done, total)
                self.strip.show_progress(done, total)
                self.changed.emit()

        def done(update: IndexUpdate) -> None:
            if task is self._task:
                self._finished(update)

        def failed(error: BaseException) -> None:
            if task is self._task:
                self._failed(error)

        task = workers.start(work, on_done=done, on_error=failed, on_progress=progressed)
        self._task = task

    def _finished(self, update: IndexUpdate) -> None:
        self._task = None
        self._ended_showing()
        if update.transcripts and not update.cancelled:
            s = "s" if update.transcripts != 1 else ""
            self.said.emit(
                f"Indexed {update.transcripts} transcript{s} ({update.passages:,} passages) "
                "for passages like this."
            )
        if self._again or (update.cancelled and not self.stopped_by_user):
            self.nudge()
        self.changed.emit()

    def _failed(self, error: BaseException) -> None:
        self._task = None
        self._ended_showing()
        # The environment's fault (disk full, the model's files damaged) is said plainly; a bug by its type.
        self.failure = str(error) if isinstance(error, JswError) else f"a bug ({type(error).__name__})"
        self.said.emit(f"The passage index could not be updated: {self.failure}.")
        self.changed.emit()

    def _ended_showing(self) -> None:
        self.progress = None
        self.strip.hide()
