"""The reconciliation window, driven by real keys and clicks on a real project: opened from the agreement
dialog's Reconcile… button, decided with 1/2/3/0, moved with the arrows, undone with Ctrl+Z."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from jswcoder.analysis.reconcile import reconciliation
from jswcoder.project import Project
from jswcoder.store import reconciliations as store
from jswcoder.ui.agreement_dialog import AgreementDialog
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.matrix_model import COUNT_ROLE
from jswcoder.ui.reconcile_window import ReconcileWindow
from jswcoder.ui.settings import Settings
from tests.test_reconcile import _agreed, code_two
from tests.ui_drive import when_shown


def test_opened_from_the_agreement_dialog(qtbot: QtBot, project: Project, tmp_path: Path) -> None:
    code_two(project, tmp_path)
    dialog = AgreementDialog(project)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.reconcile.text() == "&Reconcile…"  # not started
    seen: list[str] = []

    def look(window: QWidget) -> None:
        assert isinstance(window, ReconcileWindow)
        seen.append(window.progress_label.text())
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window, Qt.Key.Key_3)
        seen.append(window.progress_label.text())
        window.close()

    when_shown(ReconcileWindow, look)
    qtbot.mouseClick(dialog.reconcile, Qt.MouseButton.LeftButton)
    assert seen == ["0 of 3 decided", "1 of 3 decided"]
    assert dialog.reconcile.text() == "&Reconcile… (1 of 3 decided)"
    assert [i.choice for i in reconciliation(project, "int_1").items] == ["both", None, None]


def test_keys_decide_move_and_undo(qtbot: QtBot, project: Project, tmp_path: Path) -> None:
    transcript = code_two(project, tmp_path)
    window = ReconcileWindow(project, transcript.uuid)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.progress_label.text() == "0 of 3 decided"
    assert "Funding" in window.heading.text() and "disagreement 1 of 3" in window.heading.text()
    assert window.sides[0].toPlainText().startswith(TEXT_START)

    qtbot.keyClick(window, Qt.Key.Key_1)  # keep A's Funding: on to Training (2)
    assert (window.current, window.progress_label.text()) == (1, "1 of 3 decided")
    qtbot.keyClick(window, Qt.Key.Key_0)  # neither for 2: on to 3
    assert window.current == 2
    assert "did not code this theme here" in window.sides[0].toPlainText()  # A did not code 62-70
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.current == 1 and window.decision.text() == "Decided: <b>keep neither</b>"
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_2)  # keep B for 3: all decided
    assert window.progress_label.text() == "3 of 3 decided"
    assert window.progress.value() == window.progress.maximum() == 3
    assert "now use the agreed coding of int_1" in window.note.text()
    assert store.complete(project.db) == {transcript.uuid: _agreed_uuid(project)}
    assert _agreed(project, transcript) == [("Funding", 0, 20), ("Funding", 30, 40), ("Training", 62, 70)]

    window.grab().save(str(tmp_path / "reconcile.png"))
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo "keep B" on 3
    assert (window.current, window.progress_label.text()) == (2, "2 of 3 decided")
    assert store.complete(project.db) == {}
    assert _agreed(project, transcript) == [("Funding", 0, 20), ("Funding", 30, 40)]
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo "neither" on 2
    assert [i.choice for i in reconciliation(project, "int_1").items] == ["A", None, None]
    qtbot.mouseClick(window.buttons["both"], Qt.MouseButton.LeftButton)  # a click does the same as 3
    assert [i.choice for i in reconciliation(project, "int_1").items] == ["A", "both", None]


TEXT_START = "Lead: so what about"


def _agreed_uuid(project: Project) -> str:
    from jswcoder.store import people

    coder = people.coder_by_name(project.db, store.AGREED_CODER)
    assert coder is not None
    return coder.uuid


def test_the_open_matrix_follows_a_reconciliation(
    qtbot: QtBot, project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    transcript = code_two(project, tmp_path)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    matrix = window.matrix_window
    assert matrix is not None

    def counts() -> list[int]:
        model = matrix.model
        return [model.index(0, c).data(COUNT_ROLE) for c in range(model.columnCount())]

    assert counts() == [2, 1]  # Ailsa's Funding and Training

    def reconcile(cls: type[AgreementDialog], opened: Project, parent: QWidget | None = None) -> None:
        reconciling = ReconcileWindow(opened, transcript.uuid, parent)
        qtbot.addWidget(reconciling)
        reconciling.show()
        reconciling.activateWindow()
        qtbot.waitUntil(reconciling.isActiveWindow)
        for key in (Qt.Key.Key_0, Qt.Key.Key_0, Qt.Key.Key_2):  # neither, neither, B
            qtbot.keyClick(reconciling, key)
        reconciling.close()

    monkeypatch.setattr(AgreementDialog, "show_for", classmethod(reconcile))
    window.activateWindow()
    next(a for a in window._menus["Analysis"].actions() if a.text() == "Coder &agreement…").trigger()
    matrix.activateWindow()
    qtbot.waitUntil(lambda: counts() == [1, 1])  # Agreed: Funding 30-40, Bryce's Training
    window.close_project()
