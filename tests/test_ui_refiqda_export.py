"""File › Export to REFI-QDA (.qdpx)… and Export codebook (.qdc)…: real files from a real encrypted project."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from jswcoder.project import Project
from jswcoder.refiqda import namespaces
from jswcoder.ui.main_window import MainWindow
from tests.indirect_decided import decide_all
from tests.test_ui_matrix import CANARY, study, window
from tests.test_ui_reports import answers, saved, trigger

__all__ = ["study", "window"]  # fixtures, used by name


def test_an_unreviewed_name_stops_the_export_plainly(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    told = answers(monkeypatch, tmp_path / "study.qdpx")
    trigger(window, "Export to REFI-QDA (.qdpx)…", "File")
    assert not (tmp_path / "study.qdpx").exists()
    assert "identifying detail" in told[0] and "Anonymisation register" in told[0] and CANARY not in told[0]


def test_the_project_and_the_codebook_from_the_file_menu(
    window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project.register.add(CANARY, "[NAME OF PERSON]", "PERSON")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    decide_all(project)  # three participants: their modes fit fewer than k, left as they are
    told = answers(monkeypatch, tmp_path / "study.qdpx")
    trigger(window, "Export to REFI-QDA (.qdpx)…", "File")
    assert saved(window).startswith("Saved study.qdpx") and "register was applied" in saved(window)
    with zipfile.ZipFile(tmp_path / "study.qdpx") as archive:
        namespaces.validate("project", archive.read("project.qde"))
        texts = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/")]
    assert len(texts) == 3 and any("[NAME OF PERSON] staff were kind" in t for t in texts)
    assert not any(CANARY in t for t in texts)
    told = answers(monkeypatch, tmp_path / "codes.qdc")
    trigger(window, "Export codebook (.qdc)…", "File")
    assert saved(window).startswith("Saved codes.qdc") and not told
    namespaces.validate("codebook", (tmp_path / "codes.qdc").read_bytes())
