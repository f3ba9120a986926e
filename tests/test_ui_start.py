"""The front door: settings, the start screen, creating a project and unlocking one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

from jswcoder import templates
from jswcoder.project import Project
from jswcoder.security import keyfile
from jswcoder.ui.new_project import NewProjectDialog, RecoveryKeyDialog, strength
from jswcoder.ui.settings import MAX_RECENT, Settings
from jswcoder.ui.start_screen import PATH_ROLE, StartScreen
from jswcoder.ui.unlock import UnlockDialog, keychain_can_unlock, open_project, unlock_again
from tests.conftest import FAST_KDF, PASSPHRASE

# The offscreen platform cannot pass a top-level window's size limits on; nothing is wrong with the widget.


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def _folders(root: Path, count: int) -> list[Path]:
    folders = [root / f"study-{n}" for n in range(count)]
    for folder in folders:
        folder.mkdir(parents=True)
    return folders


# -- settings ---------------------------------------------------------------------------------------


def test_settings_round_trip_through_the_ini_file(tmp_path: Path, settings: Settings) -> None:
    assert (settings.idle_minutes(), settings.snap_to_words(), settings.zoom()) == (10, True, 0)
    folder = _folders(tmp_path, 1)[0]
    settings.add_recent(folder)
    settings.set_idle_minutes(25)
    settings.set_snap_to_words(False)
    settings.set_zoom(-2)
    again = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert again.recent_projects() == [folder]  # a one-entry list survives the INI format
    assert (again.idle_minutes(), again.snap_to_words(), again.zoom()) == (25, False, -2)
    assert "passphrase" not in (tmp_path / "settings.ini").read_text(encoding="utf-8").lower()


def test_recent_projects_most_recent_first_deduplicated_capped_and_existing(
    tmp_path: Path, settings: Settings
) -> None:
    folders = _folders(tmp_path, MAX_RECENT + 2)
    for folder in folders:
        settings.add_recent(folder)
    expected = list(reversed(folders))[:MAX_RECENT]
    assert settings.recent_projects() == expected
    settings.add_recent(folders[5])  # opened again: moves to the top, listed once
    assert settings.recent_projects()[0] == folders[5]
    assert settings.recent_projects().count(folders[5]) == 1
    assert len(settings.recent_projects()) == MAX_RECENT
    folders[11].rmdir()  # moved or deleted since: not offered
    assert folders[11] not in settings.recent_projects()
    settings.remove_recent(folders[5])
    assert folders[5] not in settings.recent_projects()


# -- start screen -----------------------------------------------------------------------------------


def test_start_screen_lists_recent_projects_and_enter_opens(
    qtbot: Any, tmp_path: Path, settings: Settings
) -> None:
    first, second = _folders(tmp_path, 2)
    settings.add_recent(first)
    settings.add_recent(second)
    screen = StartScreen(settings)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    names = [screen.recent.item(row).text() for row in range(screen.recent.count())]
    assert names == ["study-1", "study-0"]
    assert screen.recent.item(1).data(PATH_ROLE) == str(first)
    screen.grab().save("/tmp/start_screen.png")
    screen.recent.setFocus()
    qtbot.keyClick(screen.recent, Qt.Key.Key_Down)
    with qtbot.waitSignal(screen.openRequested) as opened:
        qtbot.keyClick(screen.recent, Qt.Key.Key_Return)
    assert opened.args == [str(first)]


def test_start_screen_buttons_and_shortcuts(
    qtbot: Any, tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = StartScreen(settings)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    assert screen.empty_note.isVisible() and not screen.recent.isVisible()
    with qtbot.waitSignal(screen.newRequested):
        qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    monkeypatch.setattr(StartScreen, "choose_folder", classmethod(lambda cls, parent: str(tmp_path)))
    with qtbot.waitSignal(screen.openRequested) as opened:
        qtbot.mouseClick(screen.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [str(tmp_path)]
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is screen)
    with qtbot.waitSignal(screen.newRequested):
        qtbot.keyClick(screen, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(screen.openRequested):
        qtbot.keyClick(screen, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    monkeypatch.setattr(StartScreen, "choose_folder", classmethod(lambda cls, parent: None))
    with qtbot.assertNotEmitted(screen.openRequested):
        qtbot.mouseClick(screen.open_button, Qt.MouseButton.LeftButton)


# -- new project ------------------------------------------------------------------------------------


def _count(nodes: Sequence[Mapping[str, Any]]) -> int:
    return sum(1 + _count(node.get("children", ())) for node in nodes)


def _fill(
    dialog: NewProjectDialog, folder: Path, passphrase: str = PASSPHRASE, confirm: str | None = None
) -> None:
    dialog.name.setText("Night shift study")
    dialog.coder.setText("Morag")
    dialog.folder.setText(str(folder))
    dialog.passphrase.setText(passphrase)
    dialog.confirm.setText(passphrase if confirm is None else confirm)


def test_strength_hint_in_plain_words() -> None:
    assert strength("short")[0] == "Too short: at least 8 characters"
    assert strength("aaaaaaaaaaaa")[0].startswith("Too easy to guess. Repeats like")
    assert strength("Password1")[0] == (
        "Too easy to guess. This is a very common password. Add another word or two. Uncommon words are better."
    )
    assert strength("river candle")[0] == "Good"
    assert strength(PASSPHRASE)[0] == "Strong"


def test_new_project_invalid_inputs_keep_create_disabled(qtbot: Any, tmp_path: Path) -> None:
    dialog = NewProjectDialog()
    qtbot.addWidget(dialog)
    assert not dialog.create_button.isEnabled()
    assert dialog.template.currentData() == "jsw-study"
    assert "Empty codebook" in [dialog.template.itemText(i) for i in range(dialog.template.count())]
    dialog.name.setText("Night shift study")
    assert dialog.folder.text().endswith(str(Path("jswcoder") / "Night shift study"))
    _fill(dialog, tmp_path / "new", confirm="something else")
    assert not dialog.create_button.isEnabled()
    assert "not the same" in dialog.message.text()
    _fill(dialog, tmp_path / "new", passphrase="short")
    assert not dialog.create_button.isEnabled()
    assert "at least 8 characters" in dialog.message.text()
    assert "Too short" in dialog.strength.text()
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("x", encoding="utf-8")
    _fill(dialog, busy)
    assert not dialog.create_button.isEnabled()
    assert "not empty" in dialog.message.text()
    dialog.accept()  # forced anyway: refused inline, nothing created
    assert dialog.project is None and "not empty" in dialog.message.text()
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt"]
    in_the_way = tmp_path / "a file"
    in_the_way.write_text("x", encoding="utf-8")
    _fill(dialog, in_the_way / "study")
    dialog.accept()  # the disk refuses: said inline, not a crash
    assert (
        dialog.project is None
        and dialog.message.text().startswith("Cannot make the project folder")
        and dialog.message.text().endswith("choose another folder.")
    )
    _fill(dialog, tmp_path / "new")
    assert dialog.create_button.isEnabled() and dialog.message.text() == ""
    assert not (tmp_path / "new").exists()


def test_new_project_creates_an_encrypted_project_with_the_study_codes(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(NewProjectDialog, "kdf", FAST_KDF)
    shown: list[str] = []

    def show_key(cls: type[RecoveryKeyDialog], key: str, notices: list[str], parent: Any = None) -> None:
        key_dialog = cls(key, notices, parent)
        qtbot.addWidget(key_dialog)
        key_dialog.show()
        key_dialog.grab().save("/tmp/recovery_key.png")
        assert key_dialog.key_label.text() == key
        assert not key_dialog.continue_button.isEnabled()
        key_dialog.reject()  # Escape does not skip the only showing of the key
        assert key_dialog.isVisible()
        qtbot.mouseClick(key_dialog.copy_button, Qt.MouseButton.LeftButton)
        assert QApplication.clipboard().text() == key
        key_dialog.stored.setChecked(True)
        assert key_dialog.continue_button.isEnabled()
        qtbot.mouseClick(key_dialog.continue_button, Qt.MouseButton.LeftButton)
        assert key_dialog.result() == QDialog.DialogCode.Accepted
        assert QApplication.clipboard().text() != key  # not left on the clipboard
        shown.append(key)

    monkeypatch.setattr(RecoveryKeyDialog, "show_key", classmethod(show_key))

    def run(dialog: NewProjectDialog) -> int:
        dialog.show()
        dialog.grab().save("/tmp/new_project.png")
        _fill(dialog, tmp_path / "study")
        assert dialog.create_button.isEnabled()
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(NewProjectDialog, "exec", run)
    project = NewProjectDialog.create_project(None)
    assert project is not None and len(shown) == 1
    try:
        assert project.name == "Night shift study" and project.coder.name == "Morag"
        study = templates.by_key("jsw-study")
        assert len(project.codebook.all()) == _count(study.codes) > 0
    finally:
        project.close()
    assert (tmp_path / "study" / "project.jswc").read_bytes()[:16] != b"SQLite format 3\x00"
    with Project.open(tmp_path / "study", recovery_key=shown[0], use_keychain=False) as again:
        assert again.name == "Night shift study"


def test_new_project_cancelled_creates_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(NewProjectDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected.value)
    assert NewProjectDialog.create_project(None) is None


# -- unlocking --------------------------------------------------------------------------------------


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(
        UnlockDialog, "show_error", classmethod(lambda cls, parent, message: shown.append(message))
    )
    return shown


def _no_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(dialog: UnlockDialog) -> int:
        raise AssertionError("the unlock dialog should not have appeared")

    monkeypatch.setattr(UnlockDialog, "exec", fail)


def test_open_with_the_key_in_the_keychain_asks_nothing(
    project: Project, monkeypatch: pytest.MonkeyPatch, errors: list[str]
) -> None:
    _no_dialog(monkeypatch)
    folder = project.paths.folder
    project.close()
    assert keychain_can_unlock(folder)
    opened = open_project(folder)
    assert opened is not None and errors == []
    opened.close()


def test_open_without_the_keychain_asks_and_retries_a_wrong_passphrase(
    qtbot: Any, project: Project, monkeypatch: pytest.MonkeyPatch, errors: list[str]
) -> None:
    folder = project.paths.folder
    project.forget_key()
    project.close()
    assert not keychain_can_unlock(folder)

    def drive(dialog: UnlockDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.secret.echoMode() == QLineEdit.EchoMode.Password
        assert dialog.secret.completer() is None
        assert not dialog.unlock_button.isEnabled() and dialog.message.text() == ""
        qtbot.keyClicks(dialog.secret, "not the passphrase")
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert "does not open this project" in dialog.message.text()
        assert dialog.secret.text() == ""
        dialog.grab().save("/tmp/unlock.png")
        qtbot.keyClicks(dialog.secret, PASSPHRASE)
        qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(UnlockDialog, "exec", drive)
    opened = open_project(folder)
    assert opened is not None and errors == []
    assert keychain_can_unlock(folder)  # remembered for next time
    opened.close()


def test_recovery_key_instead_of_the_passphrase(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errors: list[str]
) -> None:
    created, recovery_key = Project.create(
        tmp_path / "study",
        name="Test study",
        coder="Ailsa",
        passphrase=PASSPHRASE,
        kdf=FAST_KDF,
        use_keychain=False,
    )
    created.close()

    def drive(dialog: UnlockDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.use_recovery.setChecked(True)
        assert dialog.secret.accessibleName() == "Recovery key"
        qtbot.keyClicks(dialog.secret, recovery_key.lower())
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(UnlockDialog, "exec", drive)
    opened = open_project(tmp_path / "study")
    assert opened is not None and errors == []
    opened.close()


def test_locked_missing_and_damaged_projects_go_to_show_error(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errors: list[str]
) -> None:
    _no_dialog(monkeypatch)
    assert open_project(project.paths.folder) is None  # the fixture holds it open
    assert open_project(tmp_path / "nowhere") is None
    folder = project.paths.folder
    project.close()
    (folder / "project.keys").write_text("{not json", encoding="utf-8")
    assert open_project(folder) is None
    assert len(errors) == 3
    assert "already open in another jswcoder window" in errors[0]
    assert errors[1].startswith("There is no jswcoder project")
    assert "damaged" in errors[2]
    assert all(message.endswith(".") for message in errors)


def test_unlock_again_tries_a_typed_passphrase_then_falls_back_to_the_dialog(
    qtbot: Any, project: Project, monkeypatch: pytest.MonkeyPatch, errors: list[str]
) -> None:
    folder = project.paths.folder
    project.forget_key()
    project.close()
    again = unlock_again(folder, None, PASSPHRASE)
    assert again is not None
    again.close()
    again.forget_key()
    seen: list[str] = []

    def cancel(dialog: UnlockDialog) -> int:
        qtbot.addWidget(dialog)
        seen.append(dialog.message.text())
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(UnlockDialog, "exec", cancel)
    assert unlock_again(folder, None, "wrong guess!") is None
    assert len(seen) == 1 and "does not open this project" in seen[0]
    assert errors == []


def test_a_re_keying_cut_short_says_which_passphrase_still_opens(
    qtbot: Any, project: Project, monkeypatch: pytest.MonkeyPatch, errors: list[str]
) -> None:
    """After `passwd --rekey` was cut short before the database changed, the new passphrase does not open
    the project yet: the unlock dialog says so, in the core's words, instead of "does not open"."""
    folder = project.paths.folder
    new_passphrase = "lantern orchard quietly"
    pending = keyfile.KeyFile(
        project.uuid,
        (keyfile.wrap(keyfile.new_data_key(), new_passphrase, "passphrase", project.uuid, FAST_KDF),),
    )
    keyfile.write(project.paths.pending_keys, pending)
    project.forget_key()
    project.close()
    said: list[str] = []

    def drive(dialog: UnlockDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.keyClicks(dialog.secret, new_passphrase)
        qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
        said.append(dialog.message.text())
        qtbot.keyClicks(dialog.secret, PASSPHRASE)
        qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(UnlockDialog, "exec", drive)
    opened = open_project(folder)
    assert opened is not None and errors == []
    assert "cut short before it began" in said[0] and "previous passphrase" in said[0]
    opened.close()
