"""The new-project dialog judges the passphrase as it is typed, with the core's estimate and reasons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from jswcoder.ui.new_project import NewProjectDialog
from tests.conftest import PASSPHRASE


def _retype(qtbot: Any, dialog: NewProjectDialog, passphrase: str) -> None:
    for field in (dialog.passphrase, dialog.confirm):
        field.clear()
        qtbot.keyClicks(field, passphrase)


def test_a_weak_passphrase_shows_why_and_keeps_create_disabled(qtbot: Any, tmp_path: Path) -> None:
    dialog = NewProjectDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Night shift study")
    qtbot.keyClicks(dialog.coder, "Morag")
    dialog.folder.setText(str(tmp_path / "study"))

    _retype(qtbot, dialog, "12345678")
    assert not dialog.create_button.isEnabled()
    shown = dialog.strength.text()
    assert "Too easy to guess. This is a top-10 common password." in shown
    assert "Add another word or two" in shown and "12345678" not in shown
    assert dialog.message.text() == "Choose a passphrase that is harder to guess."
    dialog.grab().save("/tmp/new_project_weak_passphrase.png")
    dialog.accept()  # forced anyway: refused, nothing created
    assert dialog.project is None and not (tmp_path / "study").exists()

    _retype(qtbot, dialog, "Night shift study")  # the project's own name
    assert not dialog.create_button.isEnabled()
    assert "It is made from the project's name or yours." in dialog.strength.text()

    _retype(qtbot, dialog, PASSPHRASE)
    assert dialog.create_button.isEnabled() and dialog.message.text() == ""
    assert "Strong" in dialog.strength.text()
    dialog.grab().save("/tmp/new_project_strong_passphrase.png")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Backspace)
    assert not dialog.create_button.isEnabled()  # the two no longer match
