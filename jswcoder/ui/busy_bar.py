"""What is running, at the right of the menu bar: a progress bar, a line, and Cancel where the job can
stop cleanly.

Not a modal dialog: the window stays usable while a job runs (see :mod:`jswcoder.ui.workers`). While
the job writes to the project, the strip also says that changes wait until it ends.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from jswcoder.ui.workers import Job


class BusyBar(QFrame):
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Work in progress")
        self.setObjectName("busyBar")
        self.setStyleSheet("#busyBar { background: #eef3f8; border-radius: 3px; }")
        self.label = QLabel(self)
        self.label.setAccessibleName("What is running")
        # As wide from the start as it will need: the menu bar does not make room when the text grows.
        self.label.setFixedWidth(self.label.fontMetrics().horizontalAdvance("M" * 26))
        self.waits = QLabel(self)
        self.waits.setAccessibleName("What waits")
        self.waits.setStyleSheet("color: #4a5a6a;")
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName("Progress")
        self.bar.setFixedSize(120, 10)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel the work in progress")
        self.cancel_button.setFlat(True)  # no taller than the menu bar
        self.cancel_button.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 4, 0)
        layout.setSpacing(10)
        layout.addWidget(self.bar)
        layout.addWidget(self.label, 1)  # grows with its text; nothing else moves
        layout.addWidget(self.waits)
        layout.addWidget(self.cancel_button)
        self.hide()

    def show_job(self, job: Job | None) -> None:
        """Show *job* starting (busy until its first progress), or hide when None."""
        if job is None:
            self.hide()
            return
        self._title = job.title
        self._say(f"{job.title}…")
        self.waits.setText("Coding and editing wait until it ends." if job.writes else "")
        self.bar.setRange(0, 0)  # busy until the job can count
        self.cancel_button.setVisible(job.cancellable)
        self.cancel_button.setEnabled(True)
        self.show()

    def progress(self, done: int, total: int, label: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        if label:
            self._say(f"{self._title}: {label} ({done + 1} of {total})…" if total else label)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self._say(f"{self._title}: stopping after this step…")
        self.cancelRequested.emit()

    def _say(self, text: str) -> None:
        metrics = self.label.fontMetrics()
        self.label.setText(metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, self.label.width()))
        self.label.setToolTip(text)
