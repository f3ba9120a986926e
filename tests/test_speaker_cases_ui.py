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
from jswcoder.ui.cases_view import CasesDialog
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings
from tests import ui_drive as drive
from tests.speaker_group import code_group, import_group
from tests.test_ui_cases import _cell, _open_cases, _type_in
from tests.test_ui_crosstab import _opened as open_crosstab
from tests.test_ui_matrix import open_matrix


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

    _type_in(qtbot, dialog.table, _cell(dialog, "speaker P2", "council_area"), "Dundee")

    assert project.cases.find("Focus group 3, participant 2").participant.council_area == "Dundee"
    assert project.cases.find("Focus group 3, participant 1").participant.council_area == "Fife"
    assert project.cases.find("fg_office_move").participant.council_area == "Fife"
    number = _cell(dialog, "speaker P2", "interview_number")
    assert not number.flags() & Qt.ItemFlag.ItemIsEditable
    assert _cell(dialog, "fg_office_move", "interview_number").flags() & Qt.ItemFlag.ItemIsEditable


def test_the_matrix_window_shows_a_row_per_speaker_when_asked(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    code_group(project, project.transcripts.find("fg_office_move"))
    matrix = open_matrix(window, qtbot)

    def rows() -> list[str]:
        return [matrix.model.headerData(r, Qt.Orientation.Vertical) for r in range(matrix.model.rowCount())]

    assert rows() == ["Justice social workers interview 3"]
    box = matrix.speakers_box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())

    assert rows() == [
        "Justice social workers interview 3",
        "Focus group 3, participant 1",
        "Focus group 3, participant 2",
        "Focus group 3, participant 3",
    ]
    office = [matrix.model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)].index("Office")
    assert [matrix.model.matrix.count(r, office) for r in range(4)] == [0, 2, 1, 0]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    assert rows() == ["Justice social workers interview 3"]


def test_the_crosstab_window_counts_speakers_as_cases_when_asked(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    group = project.transcripts.find("fg_office_move")
    code_group(project, group)
    project.cases.set(
        project.cases.find("Focus group 3, participant 2").uuid, {"participant_group": "Client"}
    )
    crosstab = open_crosstab(qtbot, window)
    model = crosstab.model

    def columns() -> list[str]:
        return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]

    assert columns() == ["Justice social workers", "Total"]
    box = crosstab.speakers_box
    assert box.isVisible()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    qtbot.waitUntil(
        lambda: columns() == ["Justice social workers", "Client", "Total"]
    )  # built in the background

    office = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())].index("Office")
    assert [model.index(office, c).data() for c in range(3)] == ["2", "1", "3"]  # P1's two; P2's one


def test_speaker_cases_made_from_the_cases_view_and_undone(
    project: Project, tmp_path: Path, qtbot: QtBot
) -> None:
    import_group(project, tmp_path / "in")
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    main = drive.shown(qtbot, MainWindow(project, settings))
    try:
        dialog = _open_cases(qtbot, main)
        table = dialog.table

        def labels() -> list[str]:
            return [dialog.proxy.index(r, 0).data() for r in range(dialog.proxy.rowCount())]

        assert labels() == ["Justice social workers interview 3"]
        cell = _cell(dialog, "fg_office_move", "council_area")
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(cell).center())
        qtbot.mouseClick(dialog.speakers_button, Qt.MouseButton.LeftButton)

        assert labels()[1:] == [f"Focus group 3, participant {n}" for n in (1, 2, 3)]
        assert dialog.message.text().startswith("3 speakers of fg_office_move are cases now")
        qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert labels() == ["Justice social workers interview 3"] and project.speakers.cases() == []
        qtbot.keyClick(
            table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
        assert len(labels()) == 4 and len(project.speakers.cases()) == 3

        cell = _cell(dialog, "speaker P2", "council_area")  # a speaker's row: not a group
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(cell).center())
        qtbot.mouseClick(dialog.speakers_button, Qt.MouseButton.LeftButton)
        assert dialog.message.text().startswith("Choose a focus group's row first")
    finally:
        main.close_project()


def test_the_speaker_attribution_typed_in_the_cases_view(
    window: MainWindow, qtbot: QtBot, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _open_cases(qtbot, window)
    asked: list[str] = []
    answers = iter(["FG{number} P{speaker}", "Group {name}"])

    def ask(cls: type, parent: object, title: str, label: str, text: str = "") -> str:
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(CasesDialog, "ask_text", classmethod(ask))
    qtbot.mouseClick(dialog.attribution_button, Qt.MouseButton.LeftButton)

    assert asked == ["Focus group {number}, participant {speaker}"]  # the current one, to edit
    assert [dialog.proxy.index(r, 0).data() for r in range(1, 4)] == ["FG3 P1", "FG3 P2", "FG3 P3"]
    assert dialog.message.text() == 'Speaker cases are attributed like "FG3 P2".'
    qtbot.mouseClick(dialog.attribution_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("Not changed: the speaker attribution may use")
    assert project.speakers.template() == "FG{number} P{speaker}"
