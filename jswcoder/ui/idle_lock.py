"""Locking after a while without input, so a laptop left open in a shared office shows no transcript.

:class:`IdleWatcher` listens to every key, click and wheel turn in the application and says ``idle``
once the user has been away for the configured time. The main window then closes the project (dropping
the key) and shows :class:`LockScreen`, which holds nothing but the project's name.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from jswcoder.ui.unlock import ERROR_STYLE

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
LOCKED_TEXT = "jswcoder is locked. Your work is saved."


class IdleWatcher(QObject):
    """Emits ``idle`` after a stretch with no user input anywhere in the application."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None, minutes: int = 10) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # Precise, so remaining_ms() is exact; one timer restarted on input costs nothing.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._timed_out)
        self._interval_ms = 0
        self._paused = False
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        """Minutes without input before ``idle``; 0 turns the idle lock off."""
        self.set_interval_ms(max(0, minutes) * 60_000)

    def set_interval_ms(self, milliseconds: int) -> None:
        self._interval_ms = max(0, milliseconds)
        self.poke()

    @property
    def enabled(self) -> bool:
        return self._interval_ms > 0 and not self._paused

    def pause(self) -> None:
        """Stop counting (while locked, or during a long import the user is watching)."""
        self._paused = True
        self._timer.stop()

    def resume(self) -> None:
        self._paused = False
        self.poke()

    def poke(self) -> None:
        """Count from now, as if the user had just pressed a key."""
        if self.enabled:
            self._timer.start(self._interval_ms)
        else:
            self._timer.stop()

    def remaining_ms(self) -> int:
        """Milliseconds until ``idle``, or -1 when not counting."""
        return self._timer.remainingTime() if self._timer.isActive() else -1

    def stop(self) -> None:
        """Stop watching for good (the window is closing)."""
        self.pause()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A key press reaches the filter once per widget it propagates through; restarting is cheap.
        if event.type() in _INPUT_EVENTS and self.enabled:
            self._timer.start(self._interval_ms)
        return False

    def _timed_out(self) -> None:
        if self.enabled:
            self.idle.emit()


class LockScreen(QWidget):
    """The whole window while locked: the project's name, a calm line, and a way back in."""

    unlockRequested = Signal()

    def __init__(
        self, project_name: str, parent: QWidget | None = None, *, needs_passphrase: bool = False
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Locked")
        panel = QFrame(self)
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel.setMinimumWidth(380)
        self.setAccessibleDescription(LOCKED_TEXT)
        locked, saved = LOCKED_TEXT.split(". ", 1)
        self.title = QLabel(locked + ".", panel)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.saved_label = QLabel(saved, panel)
        self.saved_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.project_label = QLabel(f"Project: {project_name}", panel)
        self.project_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.project_label.setAccessibleName("Locked project")
        self.passphrase = QLineEdit(panel)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.passphrase.setVisible(needs_passphrase)
        self.message = QLabel(panel)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.unlock_button = QPushButton("&Unlock", panel)
        self.unlock_button.setAccessibleName("Unlock the project")
        self.unlock_button.setDefault(True)
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(12)
        inner.addWidget(self.title)
        inner.addWidget(self.saved_label)
        inner.addWidget(self.project_label)
        inner.addWidget(self.passphrase)
        inner.addWidget(self.message)
        inner.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignCenter)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignCenter)
        outer.addStretch(2)
        self.unlock_button.clicked.connect(self.unlockRequested.emit)
        # Enter in the passphrase field is left to keyPressEvent: the field passes Return on to its
        # parents, so connecting returnPressed as well would ask to unlock twice.
        focus = self.passphrase if needs_passphrase else self.unlock_button
        self.setFocusProxy(focus)

    def typed_passphrase(self) -> str | None:
        """What was typed on the lock screen, for :func:`jswcoder.ui.unlock.unlock_again`; None if nothing."""
        if not self.passphrase.isVisibleTo(self):
            return None
        return self.passphrase.text() or None

    def show_message(self, text: str) -> None:
        self.passphrase.clear()
        self.message.setText(text)
        self.message.show()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.unlockRequested.emit()
            return
        super().keyPressEvent(event)
