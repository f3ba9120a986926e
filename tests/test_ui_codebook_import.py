"""File > Import a REFI-QDA codebook (.qdc)…: the codes arrive in the theme tree and the report is shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from jswcoder.project import Project
from jswcoder.ui.codebook_import import CodebookImport
from jswcoder.ui.main_window import MainWindow
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
