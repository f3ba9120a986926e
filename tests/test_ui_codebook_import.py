"""REFI-QDA in the desktop app: File › Import a REFI-QDA codebook (.qdc)… and the start screen's Import from NVivo, ATLAS.ti, MAXQDA (.qdpx)…"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.ui.codebook_import import CodebookImport
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.new_project import RecoveryKeyDialog
from jswcoder.ui.qdpx_import import ImportProjectDialog
from jswcoder.ui.settings import Settings
from jswcoder.ui.start_screen import StartScreen
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.test_refiqda_import import REFI
from tests.test_ui_matrix import study, window

__all__ = ["study", "window"]  # fixtures, used by name


def _menu_import(window: MainWindow, monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(CodebookImport, "ask_file", classmethod(lambda cls, parent: path))
    monkeypatch.setattr(
        CodebookImport, "tell", classmethod(lambda cls, parent, title, text: shown.append(text))
    )
    monkeypatch.setattr(
        CodebookImport, "warn", classmethod(lambda cls, parent, title, text: shown.append(text))
    )
    action = next(
        a for a in window._menus["File"].actions() if a.text() == "Import a REFI-QDA codebook (.qdc)…"
    )
    action.trigger()
    return shown


def test_codebook_from_the_file_menu(
    window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    (report,) = _menu_import(window, monkeypatch, REFI / "examples" / "minimal.qdc")
    assert "codes: 2" in report
    assert project.codebook.find("Barriers/Cost").uuid == "6d2f3e4a-5b6c-4d7e-8f90-a1b2c3d4e5f6"
    assert window.workbench is not None  # the theme tree was rebuilt and shows the new codes
    assert "6d2f3e4a-5b6c-4d7e-8f90-a1b2c3d4e5f6" in window.workbench.themes.model.uuids()


def test_a_refused_codebook_is_explained(
    window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.qdc"
    bad.write_text("<CodeBook><Codes>", encoding="utf-8")
    (message,) = _menu_import(window, monkeypatch, bad)
    assert "was not imported" in message and "not well-formed" in message
    assert "Barriers" not in [code.name for code in project.codebook.all()]


# -- Start screen › Import .qdpx… --------------------------------------------------------------------------


def test_a_qdpx_becomes_a_new_project_from_the_start_screen(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    keys: list[str] = []
    monkeypatch.setattr(ImportProjectDialog, "kdf", FAST_KDF)
    monkeypatch.setattr(
        ImportProjectDialog, "ask_file", classmethod(lambda cls, parent: REFI / "examples" / "minimal.qdpx")
    )
    monkeypatch.setattr(
        ImportProjectDialog, "tell", classmethod(lambda cls, parent, title, text: told.append(text))
    )
    monkeypatch.setattr(
        RecoveryKeyDialog, "show_key", classmethod(lambda cls, key, notices, parent=None: keys.append(key))
    )

    def run(dialog: ImportProjectDialog) -> int:
        qtbot.addWidget(dialog)
        assert dialog.name.text() == "Interview study"  # from the file
        assert not dialog.template.isVisible()
        dialog.coder.setText("Ana")
        dialog.folder.setText(str(tmp_path / "imported"))
        dialog.passphrase.setText(PASSPHRASE)
        dialog.confirm.setText(PASSPHRASE)
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ImportProjectDialog, "exec", run)
    screen = StartScreen(Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(screen)
    chosen: list[Project] = []
    screen.importRequested.connect(lambda: chosen.append(ImportProjectDialog.import_project(screen)))
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    (project,) = chosen
    try:
        assert project is not None and project.coder.name == "Ana" and len(keys) == 1
        assert [(p.code_path, p.text, p.coder) for p in project.codings.passages()] == [
            ("Barriers/Cost", "It costs too much.", "Ana")  # the file's user of that name is the new coder
        ]
        (report,) = told
        assert "codings: 1" in report and "codepoints" in report
    finally:
        project.close()


def test_a_refused_qdpx_asks_for_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"PK but not really")
    told: list[str] = []
    monkeypatch.setattr(ImportProjectDialog, "ask_file", classmethod(lambda cls, parent: bad))
    monkeypatch.setattr(
        ImportProjectDialog, "tell", classmethod(lambda cls, parent, title, text: told.append(text))
    )
    monkeypatch.setattr(ImportProjectDialog, "exec", lambda dialog: pytest.fail("the form was shown"))
    assert ImportProjectDialog.import_project(None) is None
    assert len(told) == 1 and "not a REFI-QDA project" in told[0]
