"""File › Audit trail… on a real encrypted project, driven by clicks and keys: the events newest first
in words, a filter by action, a line saying the trail checks out, and Export… writing a workbook that
holds the same rows (and is then an event of its own)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.ui.audit_window import AuditWindow
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings
from tests import ui_drive as drive
from tests.conftest import write_txt

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester

CANARY = "Quillfeather"


def _trail(project: Project, tmp_path: Path) -> None:
    """A few real events: a register entry, a dismissal, a withdrawal, a case sheet."""
    for number in (7, 8):
        path = write_txt(
            tmp_path / "in", f"int_{number}.txt", f"P1: Morag {CANARY} came by, case {number}.\n"
        )
        project.transcripts.import_file(path, ParticipantFields("Client", number))
    project.register.add(f"Morag {CANARY}", "[WORKER]", "PERSON")
    project.register.dismiss(["case"])
    project.withdrawals.withdraw(project.withdrawals.find("Client interview 8").participant_uuid, "asked")
    (tmp_path / "out").mkdir()
    project.cases.export_csv(tmp_path / "out" / "cases.csv")


def _column(window: AuditWindow, column: int) -> list[str]:
    return [str(window.model.data(window.model.index(r, column))) for r in range(window.model.rowCount())]


def test_the_trail_filters_by_action_and_exports_what_it_shows(
    project: Project,
    tmp_path: Path,
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _trail(project, tmp_path)
    window = drive.shown(qtbot, AuditWindow(project))
    qtmodeltester.check(window.model)
    assert _column(window, 2) == [
        "Export",
        "Participant withdrawn",
        "Suggestion dismissed",
        "Register entry added",
    ]
    assert set(_column(window, 1)) == {"Ailsa"}
    assert _column(window, 3)[0] == "case sheet; file: cases.csv; cases: 1"
    assert _column(window, 3)[1] == "participant: Client interview 8; transcripts purged: 1; again: no"
    assert _column(window, 0)[0].endswith(" UTC")
    assert "4 event(s); the trail checks out" in window.checked.text()
    window.grab().save(str(tmp_path / "audit.png"))

    # The filter, by keyboard: the actions recorded, in words, in the order of services.audit.ACTIONS.
    window.filter.setFocus()
    qtbot.keyClick(window.filter, Qt.Key.Key_Down)
    assert window.filter.currentText() == "Export"
    assert _column(window, 2) == ["Export"]
    qtbot.keyClick(window.filter, Qt.Key.Key_Down)
    assert window.filter.currentText() == "Register entry added"
    assert _column(window, 3) == ["entries: 1; categories: Person"]
    qtmodeltester.check(window.model)
    qtbot.keyClick(window.filter, Qt.Key.Key_Home)
    assert window.model.rowCount() == 4

    out = tmp_path / "out" / "audit trail.xlsx"
    monkeypatch.setattr(AuditWindow, "choose_save_file", classmethod(lambda cls, parent: out))
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    assert window.checked.text() == "Exported 4 event(s) to audit trail.xlsx."
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Event", "When (UTC)", "Who", "What", "Details")
    assert [row[3] for row in rows[1:]] == [
        "Register entry added",
        "Suggestion dismissed",
        "Participant withdrawn",
        "Export",
    ]
    assert _column(window, 3)[0] == "audit trail; file: audit trail.xlsx; events: 4"  # noted, and shown
    assert all(CANARY not in str(cell) and "asked" not in str(cell) for row in rows for cell in row)

    # Changed behind the program's back: the window says so.
    project.db.execute("DROP TRIGGER audit_events_no_update")
    project.db.execute("UPDATE audit_events SET actor = 'Someone' WHERE seq = 2")
    window.filter.setFocus()
    qtbot.keyClick(window.filter, Qt.Key.Key_Down)
    assert window.checked.text() == "The trail does not check out: event 2 was changed after it was recorded."
    window.reject()


def test_file_menu_opens_the_audit_trail(project: Project, tmp_path: Path, qtbot: QtBot) -> None:
    _trail(project, tmp_path)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = drive.shown(qtbot, MainWindow(project, settings))
    seen: list[int] = []

    def look_and_close(shown: QWidget) -> None:
        assert isinstance(shown, AuditWindow)
        seen.append(shown.model.rowCount())
        shown.grab().save(str(tmp_path / "audit-from-menu.png"))
        qtbot.keyClick(shown, Qt.Key.Key_Escape)

    drive.when_shown(AuditWindow, look_and_close)
    [action] = [a for a in window.menuBar().actions() if a.text() == "&File"]
    menu = action.menu()
    assert isinstance(menu, QMenu)
    [entry] = [a for a in menu.actions() if a.text() == "Audit &trail…"]
    entry.trigger()
    qtbot.waitUntil(lambda: bool(seen) and QApplication.activeModalWidget() is None)
    assert seen == [4]
    window.close_project()
