"""File › Export to REFI-QDA (.qdpx)… and Export codebook (.qdc)…: real files from a real encrypted project."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from jswcoder.project import Project
from jswcoder.refiqda import namespaces
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.report_actions import ReportActions
from tests.test_ui_matrix import CANARY, study, window

__all__ = ["study", "window"]  # fixtures, used by name


def _answers(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    told: list[str] = []
    monkeypatch.setattr(ReportActions, "ask_target", classmethod(lambda cls, *args: target))
    monkeypatch.setattr(
        ReportActions, "tell", classmethod(lambda cls, parent, title, text: told.append(text))
    )
    return told


def _trigger(window: MainWindow, text: str) -> None:
    next(a for a in window._menus["File"].actions() if a.text() == text).trigger()


def test_an_unreviewed_name_stops_the_export_plainly(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    told = _answers(monkeypatch, tmp_path / "study.qdpx")
    _trigger(window, "Export to REFI-QDA (.qdpx)…")
    assert not (tmp_path / "study.qdpx").exists()
    assert "identifying detail" in told[0] and "Anonymisation register" in told[0] and CANARY not in told[0]


def test_the_project_and_the_codebook_from_the_file_menu(
    window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project.register.add(CANARY, "[NAME OF PERSON]", "PERSON")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    told = _answers(monkeypatch, tmp_path / "study.qdpx")
    _trigger(window, "Export to REFI-QDA (.qdpx)…")
    assert told[-1].startswith("Saved study.qdpx") and "register was applied" in told[-1]
    with zipfile.ZipFile(tmp_path / "study.qdpx") as archive:
        namespaces.validate("project", archive.read("project.qde"))
        texts = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/")]
    assert len(texts) == 3 and any("[NAME OF PERSON] staff were kind" in t for t in texts)
    assert not any(CANARY in t for t in texts)
    told = _answers(monkeypatch, tmp_path / "codes.qdc")
    _trigger(window, "Export codebook (.qdc)…")
    assert told[-1].startswith("Saved codes.qdc")
    namespaces.validate("codebook", (tmp_path / "codes.qdc").read_bytes())
