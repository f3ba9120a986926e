"""Speaker cases in the app's cases view (View › Cases…, Ctrl+Shift+C): listed after their group with the
group's transcript and the speaker, their details typed in place like any case's; their interview number
is the group's and cannot be typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings
from tests import ui_drive as drive
from tests.speaker_group import import_group
from tests.test_ui_cases import _cell, _open_cases, _type_in


@pytest.fixture
def window(project: Project, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    group = import_group(project, tmp_path / "in")
    project.speakers.make_cases(group.uuid)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    shown = drive.shown(qtbot, MainWindow(project, settings))
    yield shown
    shown.close_project()


def test_speaker_cases_listed_under_their_group_and_edited(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    dialog = _open_cases(qtbot, window)
    model = dialog.proxy
    rows = [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]
    assert rows == [
        ("Justice social workers interview 3", "fg_office_move"),
        ("Focus group 3, participant 1", "fg_office_move, speaker P1"),
        ("Focus group 3, participant 2", "fg_office_move, speaker P2"),
        ("Focus group 3, participant 3", "fg_office_move, speaker P3"),
    ]
    dialog.resize(1100, 300)
    dialog.grab().save("/tmp/g/speaker_cases.png")

    _type_in(qtbot, dialog.table, _cell(dialog, "speaker P2", "council_area"), "Dundee")

    assert project.cases.find("Focus group 3, participant 2").participant.council_area == "Dundee"
    assert project.cases.find("Focus group 3, participant 1").participant.council_area == "Fife"
    assert project.cases.find("fg_office_move").participant.council_area == "Fife"
    number = _cell(dialog, "speaker P2", "interview_number")
    assert not number.flags() & Qt.ItemFlag.ItemIsEditable
    assert _cell(dialog, "fg_office_move", "interview_number").flags() & Qt.ItemFlag.ItemIsEditable
