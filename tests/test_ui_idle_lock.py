"""The idle lock: the watcher that notices an empty chair, and the screen shown while locked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from jswcoder.project import Project
from jswcoder.ui.idle_lock import LOCKED_TEXT, IdleWatcher, LockScreen
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings
from jswcoder.ui.unlock import UnlockDialog, open_project
from tests.conftest import PASSPHRASE, write_txt

SECRET_WORDS = "the hostel manager said the key worker never came back"


# The offscreen platform cannot pass a top-level window's size limits on; nothing is wrong with the widget.


@pytest.fixture
def watcher() -> Iterator[IdleWatcher]:
    made = IdleWatcher(minutes=0)
    yield made
    made.stop()  # it filters the whole application's events: never leave it behind


@pytest.fixture
def target(qtbot: Any) -> QLineEdit:
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    return field


def test_idle_is_emitted_after_the_interval_without_input(qtbot: Any, watcher: IdleWatcher) -> None:
    watcher.set_interval_ms(150)
    assert watcher.remaining_ms() > 0
    with qtbot.waitSignal(watcher.idle, timeout=3000):
        pass


def test_a_key_press_restarts_the_count(qtbot: Any, watcher: IdleWatcher, target: QLineEdit) -> None:
    watcher.set_interval_ms(60_000)
    qtbot.waitUntil(lambda: watcher.remaining_ms() < 59_850, timeout=3000)
    qtbot.keyClick(target, Qt.Key.Key_A)
    assert watcher.remaining_ms() > 59_850
    qtbot.waitUntil(lambda: watcher.remaining_ms() < 59_850, timeout=3000)
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    assert watcher.remaining_ms() > 59_850


def test_input_keeps_idle_from_firing(qtbot: Any, watcher: IdleWatcher, target: QLineEdit) -> None:
    watcher.set_interval_ms(400)
    with qtbot.assertNotEmitted(watcher.idle):
        for _ in range(4):
            qtbot.waitUntil(lambda: watcher.remaining_ms() < 250, timeout=3000)
            qtbot.keyClick(target, Qt.Key.Key_B)
    with qtbot.waitSignal(watcher.idle, timeout=3000):
        pass


def test_zero_minutes_and_pause_turn_the_lock_off(
    qtbot: Any, watcher: IdleWatcher, target: QLineEdit
) -> None:
    watcher.set_minutes(0)
    qtbot.keyClick(target, Qt.Key.Key_A)
    assert watcher.remaining_ms() == -1 and not watcher.enabled
    watcher.set_minutes(5)
    assert 0 < watcher.remaining_ms() <= 5 * 60_000
    watcher.pause()
    qtbot.keyClick(target, Qt.Key.Key_A)
    assert watcher.remaining_ms() == -1
    watcher.resume()
    assert watcher.remaining_ms() > 0


def _texts(widget: QWidget) -> str:
    parts = [label.text() for label in widget.findChildren(QLabel)]
    parts += [field.text() for field in widget.findChildren(QLineEdit)]
    return "\n".join(parts)


def test_lock_screen_shows_the_name_and_no_transcript_text(
    qtbot: Any, project: Project, tmp_path: Path
) -> None:
    project.transcripts.import_file(write_txt(tmp_path / "inbox", "interview_3.txt", SECRET_WORDS))
    screen = LockScreen(project.name)
    qtbot.addWidget(screen)
    screen.resize(900, 600)
    screen.show()
    qtbot.waitExposed(screen)
    screen.grab().save("/tmp/lock_screen.png")
    shown = _texts(screen)
    assert "jswcoder is locked." in shown and "Your work is saved." in shown
    assert project.name in shown and screen.accessibleDescription() == LOCKED_TEXT
    assert "hostel" not in shown and "interview_3" not in shown
    assert not screen.passphrase.isVisible() and screen.typed_passphrase() is None


def test_lock_screen_enter_asks_to_unlock_once(qtbot: Any) -> None:
    screen = LockScreen("Test study")
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    asked: list[bool] = []
    screen.unlockRequested.connect(lambda: asked.append(True))
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    assert asked == [True]
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    assert asked == [True, True]


def test_lock_screen_with_a_passphrase_field(qtbot: Any) -> None:
    screen = LockScreen("Test study", needs_passphrase=True)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.grab().save("/tmp/lock_screen_passphrase.png")
    assert screen.passphrase.isVisible()
    assert screen.passphrase.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(screen.passphrase, "typed here")
    with qtbot.waitSignal(screen.unlockRequested):
        qtbot.keyClick(screen.passphrase, Qt.Key.Key_Enter)
    assert screen.typed_passphrase() == "typed here"
    screen.show_message("That passphrase does not open this project.")
    assert screen.message.isVisible() and screen.typed_passphrase() is None


def test_a_project_locked_in_a_window_is_said_to_be_open_before_any_passphrase(
    qtbot: Any, project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The locked window keeps the project: opening it again (the start screen, another window, another
    jswcoder) says it is open, and asks for no passphrase; the window itself unlocks as before."""
    project.forget_key()  # so that a passphrase would be needed
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    asked: list[str] = []
    errors: list[str] = []
    monkeypatch.setattr(UnlockDialog, "exec", lambda dialog: asked.append(dialog.prompt.text()) or 0)
    monkeypatch.setattr(
        UnlockDialog, "show_error", classmethod(lambda cls, parent, message: errors.append(message))
    )
    try:
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        assert window.lock_screen is not None
        assert open_project(project.paths.folder) is None
        assert asked == []  # no passphrase asked for
        assert len(errors) == 1 and "already open in another jswcoder window" in errors[0]
        field = window.lock_screen.passphrase
        field.setFocus()
        qtbot.keyClicks(field, PASSPHRASE)
        qtbot.keyClick(field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.workbench is not None)
        assert asked == [] and len(errors) == 1
    finally:
        window.close_project()
