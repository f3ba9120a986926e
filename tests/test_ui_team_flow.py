"""Issue 14's "done when", in the app: a lead and two fieldworkers, one team codebook, admission.

Everything a person does here is a key press or a click in shown windows: the Team menu by its
mnemonics, the start screen's Join a team… button, coding with a pinned theme's digit key, sync with
Ctrl+Shift+S, and the lead admitting each member from the sync report's button, typing the fingerprint
each reads out. Only what stands for the world outside is replaced: the file dialogs (the files are
real) and the people reading fingerprints to each other.

- The lead's project starts from the study template; Team › Create a team.
- Ailsa's project was made from the same template before she joined; Team › Join a team… adopts the
  team codebook.
- Hamish's project is made by joining, from the start screen.
- Both code a passage with the digit key 1 and sync; the lead's first sync only shows who asks to join;
  after admission the next one merges both, onto the team's own themes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from jswcoder import templates
from jswcoder.project import Project
from jswcoder.ui.app import Controller
from jswcoder.ui.join_team_dialog import JoinTeamDialog
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.members_dialog import MembersDialog
from jswcoder.ui.new_project import NewProjectDialog, RecoveryKeyDialog
from jswcoder.ui.settings import Settings
from jswcoder.ui.sync_report_dialog import SyncReportDialog
from jswcoder.ui.team_actions import TeamActions
from tests import ui_drive as drive
from tests.conftest import FAST_KDF, PASSPHRASE, make_project, write_txt

SYNC = (Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
AILSA_TEXT = (
    "Interviewer: What helped?\nP1: My worker never gave up on me, even when I missed appointments.\n"
)
HAMISH_TEXT = "Interviewer: And the office?\nP1: The office is shared with the police now, which helps.\n"


def _team_menu(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    """Open the Team menu and press an item's mnemonic."""
    window.activateWindow()
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Team"]
    assert isinstance(menu, QMenu)
    menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menu)
    qtbot.keyClick(menu, key)


def _code_first_passage(qtbot: QtBot, window: MainWindow, text: str, phrase: str) -> None:
    """Select *phrase* in the open transcript and press 1, the first pinned theme."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    drive.select(window, text, phrase)
    assert window.workbench is not None
    edit = window.workbench.view.text_edit
    qtbot.keyClick(edit, Qt.Key.Key_1)


def _sync(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, *SYNC)


def _when_shown(kind: type[QWidget], handle: Callable[[QWidget], None]) -> None:
    """Hand the next window of *kind* to *handle* once it is up (it may block its opener)."""

    def look(tries: int = 0) -> None:
        shown = QApplication.activeModalWidget()
        if isinstance(shown, kind):
            handle(shown)
        elif tries < 500:
            QTimer.singleShot(10, lambda: look(tries + 1))

    QTimer.singleShot(0, look)


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # menus, offscreen
def test_a_lead_and_two_fieldworkers_through_the_app(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = templates.by_key("jsw-study")
    stick, team_file = tmp_path / "stick", tmp_path / "team.jswteam"
    stick.mkdir()
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(
        TeamActions, "tell", classmethod(lambda cls, parent, title, text: told.append((title, text)))
    )
    monkeypatch.setattr(TeamActions, "ask_team_name", classmethod(lambda cls, parent: "JSW team"))
    monkeypatch.setattr(
        TeamActions, "choose_save_file", classmethod(lambda cls, parent, title, name, pattern: team_file)
    )
    monkeypatch.setattr(
        TeamActions, "choose_open_file", classmethod(lambda cls, parent, title, pattern: team_file)
    )
    monkeypatch.setattr(TeamActions, "choose_folder", classmethod(lambda cls, parent, title, start: stick))
    read_out: dict[str, str] = {}  # what each person reads to the other over the phone
    monkeypatch.setattr(TeamActions, "ask_fingerprint", classmethod(lambda cls, parent: read_out["Lead"]))
    monkeypatch.setattr(
        MembersDialog, "ask_fingerprint", classmethod(lambda cls, parent, name: read_out[name])
    )

    # The lead: a project from the study template, then Team › Create a team.
    lead_project, _ = make_project(tmp_path / "lead", coder="Lead")
    templates.apply(template, lead_project.codebook)
    lead = drive.shown(qtbot, MainWindow(lead_project, settings))
    _team_menu(qtbot, lead, Qt.Key.Key_C)
    qtbot.waitUntil(team_file.is_file)
    read_out["Lead"] = lead_project.team.fingerprint()
    assert read_out["Lead"] in told[-1][1]
    team_paths = {c.path: c.uuid for c in lead_project.codebook.all() if c.path != "Emergent themes"}

    # Ailsa's own project, from the same template, made before she joined: Team › Join a team….
    ailsa_project, _ = make_project(tmp_path / "ailsa", coder="Ailsa")
    templates.apply(template, ailsa_project.codebook)
    ailsa_project.transcripts.import_file(write_txt(tmp_path / "in_a", "int_1.txt", AILSA_TEXT))
    ailsa_project.register.dismiss([c.text for c in ailsa_project.register.suggestions()])
    ailsa = drive.shown(qtbot, MainWindow(ailsa_project, settings))
    _team_menu(qtbot, ailsa, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: ailsa_project.team.role() == "fieldworker")
    assert {c.path: c.uuid for c in ailsa_project.codebook.all() if c.path in team_paths} == team_paths
    read_out["Ailsa"] = ailsa_project.team.fingerprint()

    # Hamish makes his project by joining, from the start screen, typing what the lead reads out.
    monkeypatch.setattr(NewProjectDialog, "kdf", FAST_KDF)
    monkeypatch.setattr(JoinTeamDialog, "ask_file", classmethod(lambda cls, parent: team_file))
    monkeypatch.setattr(
        JoinTeamDialog, "tell", classmethod(lambda cls, parent, title, text: told.append((title, text)))
    )
    monkeypatch.setattr(
        RecoveryKeyDialog, "show_key", classmethod(lambda cls, key, notices, parent=None: None)
    )

    def fill_in(dialog: JoinTeamDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.keyClicks(dialog.fingerprint, read_out["Lead"])
        qtbot.keyClicks(dialog.coder, "Hamish")
        dialog.folder.clear()
        qtbot.keyClicks(dialog.folder, str(tmp_path / "hamish"))
        qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
        qtbot.keyClicks(dialog.confirm, PASSPHRASE)
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(JoinTeamDialog, "exec", fill_in)
    controller = Controller(settings)
    controller.show_start()
    assert controller.start_screen is not None
    qtbot.addWidget(controller.start_screen)
    qtbot.mouseClick(controller.start_screen.join_button, Qt.MouseButton.LeftButton)
    assert controller.window is not None and controller.window.project is not None
    hamish = drive.shown(qtbot, controller.window)
    hamish_project: Project = controller.window.project
    assert {c.uuid for c in hamish_project.codebook.all()} == set(team_paths.values())
    read_out["Hamish"] = hamish_project.team.fingerprint()
    hamish.import_transcripts([write_txt(tmp_path / "in_h", "int_2.txt", HAMISH_TEXT)])
    qtbot.waitUntil(
        lambda: hamish.workbench is not None and hamish.workbench.transcripts.model.rowCount() == 1
    )
    hamish_project.register.dismiss([c.text for c in hamish_project.register.suggestions()])

    try:
        # Each codes a passage with the key 1 and syncs.
        _code_first_passage(qtbot, ailsa, AILSA_TEXT, "My worker never gave up on me")
        _code_first_passage(qtbot, hamish, HAMISH_TEXT, "The office is shared with the police now")
        for window, project in ((ailsa, ailsa_project), (hamish, hamish_project)):
            assert len(project.codings.passages()) == 1
            _sync(qtbot, window)
            qtbot.waitUntil(lambda project=project: project.team.membership().next_sequence == 2)

        # The lead's first sync: two people ask to join, nothing is merged.
        _sync(qtbot, lead)
        qtbot.waitUntil(lambda: lead.team.report_dialog is not None)
        report = lead.team.report_dialog
        assert isinstance(report, SyncReportDialog)
        assert lead_project.transcripts.all() == []

        # From the report's button, the members list: each admitted with what they read out.
        def admit_both(shown: QWidget) -> None:
            assert isinstance(shown, MembersDialog)
            for name in ("Ailsa", "Hamish"):
                row = next(r for r in range(shown.table.rowCount()) if shown.table.item(r, 0).text() == name)
                shown.table.selectRow(row)
                assert shown.fingerprint.text() == read_out[name]
                qtbot.mouseClick(shown.admit_button, Qt.MouseButton.LeftButton)
            qtbot.keyClick(shown, Qt.Key.Key_Escape)

        _when_shown(MembersDialog, admit_both)
        qtbot.mouseClick(report.action_buttons["members"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: {m.state for m in lead_project.team.members()} == {"admitted"})
        qtbot.waitUntil(lambda: lead.team.report_dialog is None)  # the report gave way to the list

        # The next sync merges both packages, onto the team's own themes: nothing emergent, no clash.
        _sync(qtbot, lead)
        qtbot.waitUntil(lambda: lead.at_rest() and lead.team.report_dialog is not None)
        assert len(lead_project.transcripts.all()) == 2
        passages = lead_project.codings.passages()
        assert sorted(p.coder for p in passages) == ["Ailsa", "Hamish"]
        assert all(p.code_path in team_paths for p in passages)
        assert {c.path for c in lead_project.codebook.all()} == set(team_paths) | {"Emergent themes"}
        merged = lead.team.report_dialog
        assert merged is not None and merged.headline.text() == "Merged 2 packages from 2 members."
        merged.grab().save(str(tmp_path / "merged.png"))
        merged.reject()
    finally:
        for window in (lead, ailsa, hamish):
            window.close_project()
