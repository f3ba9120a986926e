"""Start screen › Join a team…: a fieldworker's project made from the lead's team file, in the app.

Driven as a fieldworker would: a click on the start screen's button, the lead's fingerprint and her
details typed with real key events (a wrong fingerprint first: nothing can be created), then Join.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from jswcoder.atomic_file import write_atomically
from jswcoder.ui.app import Controller
from jswcoder.ui.join_team_dialog import JoinTeamDialog
from jswcoder.ui.new_project import NewProjectDialog, RecoveryKeyDialog
from jswcoder.ui.settings import Settings
from jswcoder.ui.team_actions import TeamActions
from tests.conftest import FAST_KDF, PASSPHRASE, make_project


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # the menu, offscreen
def test_join_a_team_from_the_start_screen(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead.codebook.add("Partnership working/Co-location")
    lead.codebook.add("Funding and resources")
    lead.team.create("JSW team")
    team_file = tmp_path / "team.jswteam"
    write_atomically(team_file, lead.team.team_file())
    fingerprint = lead.team.fingerprint()
    team_codes = {c.uuid for c in lead.codebook.all()}
    lead.close()

    told: list[tuple[str, str]] = []
    keys_shown: list[str] = []
    monkeypatch.setattr(NewProjectDialog, "kdf", FAST_KDF)
    monkeypatch.setattr(JoinTeamDialog, "ask_file", classmethod(lambda cls, parent: team_file))
    monkeypatch.setattr(
        JoinTeamDialog, "tell", classmethod(lambda cls, parent, title, text: told.append((title, text)))
    )
    monkeypatch.setattr(
        RecoveryKeyDialog,
        "show_key",
        classmethod(lambda cls, key, notices, parent=None: keys_shown.append(key)),
    )

    def fill_in(dialog: JoinTeamDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        assert (
            not dialog.name.isVisible()
            and not dialog.template.isVisible()
            and not dialog.for_team.isVisible()
        )
        qtbot.keyClicks(dialog.fingerprint, "0000-1111-2222-3333")
        qtbot.keyClicks(dialog.coder, "Ailsa")
        dialog.folder.clear()
        qtbot.keyClicks(dialog.folder, str(tmp_path / "ailsa"))
        qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
        qtbot.keyClicks(dialog.confirm, PASSPHRASE)
        assert not dialog.create_button.isEnabled()
        assert "not the fingerprint of this team file's lead" in dialog.message.text()
        dialog.grab().save(str(tmp_path / "join_wrong.png"))
        dialog.fingerprint.selectAll()
        qtbot.keyClicks(dialog.fingerprint, fingerprint.lower().replace("-", " "))
        assert dialog.create_button.isEnabled(), dialog.message.text()
        dialog.grab().save(str(tmp_path / "join.png"))
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(JoinTeamDialog, "exec", fill_in)
    controller = Controller(Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    controller.show_start()
    assert controller.start_screen is not None
    qtbot.addWidget(controller.start_screen)
    assert controller.start_screen.join_button.text() == "&Join a team…"
    qtbot.mouseClick(controller.start_screen.join_button, Qt.MouseButton.LeftButton)

    window = controller.window
    assert window is not None and window.project is not None
    qtbot.addWidget(window)
    project = window.project
    assert project.name == "JSW team" and project.coder.name == "Ailsa"
    assert project.team.role() == "fieldworker"
    assert {c.uuid for c in project.codebook.all()} == team_codes
    assert len(keys_shown) == 1
    assert told[-1][0] == "Join a team" and project.team.fingerprint() in told[-1][1]

    # Later, from the Team menu with the keyboard: her own fingerprint, to read to the lead.
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        TeamActions, "tell", classmethod(lambda cls, parent, title, text: shown.append((title, text)))
    )
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    (team_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Team"]
    assert isinstance(team_menu, QMenu)
    team_menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is team_menu)
    qtbot.keyClick(team_menu, Qt.Key.Key_K)  # My &key fingerprint…
    qtbot.waitUntil(lambda: bool(shown))
    assert shown[0][0] == "My key fingerprint" and project.team.fingerprint() in shown[0][1]


def test_a_damaged_team_file_is_said_in_one_line(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "team.jswteam"
    bad.write_bytes(b"\x00not json")
    told: list[str] = []
    monkeypatch.setattr(JoinTeamDialog, "ask_file", classmethod(lambda cls, parent: bad))
    monkeypatch.setattr(
        JoinTeamDialog, "tell", classmethod(lambda cls, parent, title, text: told.append(text))
    )
    opened: list[Any] = []
    monkeypatch.setattr(JoinTeamDialog, "exec", opened.append)
    assert JoinTeamDialog.join(None) is None
    assert opened == [] and len(told) == 1 and "\n" not in told[0] and "team file" in told[0]
