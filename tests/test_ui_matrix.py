"""The Framework matrix window on a real encrypted project: the grid, summaries with undo, seeding,
passages opening in the workbench, grouping and filtering, and the lock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QListWidget, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from jswcoder.analysis.matrix import build_matrix
from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.ui import main_window as main_window_module
from jswcoder.ui.agreement_dialog import AgreementDialog
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.matrix_model import COUNT_ROLE, EMERGENT_MARK, SUMMARY_ROLE, MatrixModel
from jswcoder.ui.matrix_themes import ThemesDialog
from jswcoder.ui.matrix_window import MatrixWindow
from jswcoder.ui.settings import Settings
from tests.conftest import PASSPHRASE, write_txt

CANARY = "Quistclose"
TEXTS = {
    "jsw2": "Interviewer: How is the caseload?\nWorker: Heavy, and training is thin on the ground.\n",
    "client7": "Interviewer: What helped?\nClient: My worker listened, and the group work helped me.\n",
    "client3": f"Interviewer: Anything else?\nClient: The waiting was long but {CANARY} staff were kind.\n",
}
# (transcript, phrase, theme path): two client interviews and a social worker's.
CODINGS = [
    ("jsw2", "Heavy", "Workload/Caseload"),
    ("jsw2", "training is thin on the ground", "Workload/Training"),
    ("client7", "My worker listened", "Relationships/Listening"),
    ("client7", "the group work helped me", "Relationships"),
    ("client3", f"{CANARY} staff were kind", "Relationships/Listening"),
    ("client3", "The waiting was long", "Waiting"),
]
ROWS = ["Justice social workers interview 2", "Client interview 3", "Client interview 7"]
COLUMNS = ["Workload", "Relationships", f"Waiting {EMERGENT_MARK}"]
# Passages per cell at the top level, counted by hand from CODINGS (a sub-theme counts in its column).
COUNTS = [[2, 0, 0], [0, 1, 1], [0, 2, 0]]


@pytest.fixture
def study(project: Project, tmp_path: Path) -> dict[str, str]:
    fields = {
        "jsw2": ParticipantFields("Justice social workers", 2, mode="video"),
        "client7": ParticipantFields("Client", 7, mode="telephone"),
        "client3": ParticipantFields("Client", 3, mode="video"),
    }
    ids = {}
    for name, text in TEXTS.items():
        transcript, _ = project.transcripts.import_file(
            write_txt(tmp_path / "in", f"{name}.txt", text), fields[name]
        )
        ids[name] = transcript.uuid
    for path in ("Workload/Caseload", "Workload/Training", "Relationships/Listening"):
        project.codebook.add(path)
    project.codebook.add("Waiting", origin="emergent")
    for name, phrase, theme in CODINGS:
        start = TEXTS[name].index(phrase)
        project.codings.add(ids[name], start, start + len(phrase), theme)
    return ids


@pytest.fixture
def window(project: Project, study: dict[str, str], tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    shown = MainWindow(project, settings)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.close_project()


def open_matrix(window: MainWindow, qtbot: QtBot) -> MatrixWindow:
    window.activateWindow()
    qtbot.keyClick(
        window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    matrix = window.matrix_window
    assert matrix is not None
    qtbot.waitExposed(matrix)
    matrix.activateWindow()
    qtbot.waitUntil(matrix.isActiveWindow)
    assert matrix.table.hasFocus()
    return matrix


def go_to(matrix: MatrixWindow, qtbot: QtBot, row: str, column: str) -> None:
    """Click the cell, as a user would."""
    model = matrix.model
    index = model.index(
        [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())].index(row),
        [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index(column),
    )
    rect = matrix.table.visualRect(index)
    qtbot.mouseClick(matrix.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert matrix.table.currentIndex() == index


def summary_of(project: Project, row: str, column: str) -> str:
    case = next(c for c in build_matrix(project).cases if c.label == row)
    return project.summaries.get(
        case.uuid, project.codebook.find(column.removesuffix(f" {EMERGENT_MARK}")).uuid
    )


def test_the_model_shows_the_cores_counts_and_summaries(
    project: Project, study: dict[str, str], qtmodeltester
) -> None:
    matrix = build_matrix(project)
    matrix.save_summary(2, 1, "Felt heard by the worker.\nGroup work helped too.")
    model = MatrixModel()
    model.set_matrix(matrix)
    qtmodeltester.check(model)
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())] == ROWS
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == COLUMNS
    assert model.headerData(2, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole).startswith(
        "Waiting\nEmergent theme"
    )
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ForegroundRole) is None  # pre-set
    assert model.headerData(2, Qt.Orientation.Horizontal, Qt.ItemDataRole.ForegroundRole) is not None
    for row in range(3):
        for column in range(3):
            index = model.index(row, column)
            assert index.data(COUNT_ROLE) == COUNTS[row][column], (row, column)
            shown = index.data(Qt.ItemDataRole.DisplayRole)
            if (row, column) == (2, 1):
                assert index.data(SUMMARY_ROLE) == "Felt heard by the worker.\nGroup work helped too."
                assert shown == "Felt heard by the worker."  # the first line; the tooltip has it all
                assert "Group work helped too." in index.data(Qt.ItemDataRole.ToolTipRole)
            else:
                assert index.data(SUMMARY_ROLE) == ""
                assert shown == (str(COUNTS[row][column]) if COUNTS[row][column] else "")
    model.set_matrix(build_matrix(project, by="mode"), "mode")
    qtmodeltester.check(model)
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())] == [
        "video · Justice social workers interview 2",
        "video · Client interview 3",
        "telephone · Client interview 7",
    ]
    model.set_matrix(None)
    assert (model.rowCount(), model.columnCount()) == (0, 0)


def test_the_analysis_menu_sits_between_team_and_help(window: MainWindow) -> None:
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles[titles.index("&Team") + 1 : titles.index("&Team") + 3] == ["&Analysis", "&Help"]
    assert [a.text() for a in window._menus["Analysis"].actions()][:4] == [
        "Framework &matrix",
        "Coding &query…",
        "&Crosstabs and co-occurrence…",
        "Coder &agreement…",
    ]


def test_redo_answers_to_every_platform_key(window: MainWindow) -> None:
    redo = next(a for a in window._menus["Edit"].actions() if a.text().startswith("&Redo"))
    keys = {s.toString() for s in redo.shortcuts()}
    assert {"Ctrl+Y", "Ctrl+Shift+Z"} <= keys


def test_coder_agreement_opens_for_the_open_project(
    window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[Project] = []
    monkeypatch.setattr(AgreementDialog, "show_for", classmethod(lambda cls, p, parent=None: shown.append(p)))
    next(a for a in window._menus["Analysis"].actions() if a.text() == "Coder &agreement…").trigger()
    assert shown == [project]


def test_typing_saves_each_pause_as_one_undo_step(
    window: MainWindow, qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    matrix = open_matrix(window, qtbot)
    assert matrix.windowTitle() == "Framework matrix — Test study"
    go_to(matrix, qtbot, "Client interview 7", "Relationships")
    qtbot.keyClick(matrix.table, Qt.Key.Key_Return)
    qtbot.waitUntil(matrix.pane.editor.hasFocus)
    qtbot.keyClicks(matrix.pane.editor, "Felt heard.")
    qtbot.keyClick(matrix.pane.editor, Qt.Key.Key_Escape)  # saves, back to the grid
    assert matrix.table.hasFocus()
    assert summary_of(project, "Client interview 7", "Relationships") == "Felt heard."
    qtbot.keyClick(matrix.table, Qt.Key.Key_F2)
    qtbot.keyClicks(matrix.pane.editor, " Group work helped.")
    qtbot.waitUntil(
        lambda: summary_of(project, "Client interview 7", "Relationships") != "Felt heard."
    )  # autosaved
    assert summary_of(project, "Client interview 7", "Relationships") == "Felt heard. Group work helped."
    assert matrix.undo_action.text() == "&Undo Edit summary"
    assert matrix.table.currentIndex().data(Qt.ItemDataRole.DisplayRole) == "Felt heard. Group work helped."
    qtbot.keyClick(matrix.pane.editor, Qt.Key.Key_Escape)
    qtbot.keyClick(matrix.table, Qt.Key.Key_Right)  # another cell; Ctrl+Z brings the edited one back
    qtbot.keyClick(matrix.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert summary_of(project, "Client interview 7", "Relationships") == "Felt heard."
    assert matrix.pane.editor.toPlainText() == "Felt heard."
    assert matrix.table.currentIndex().data(SUMMARY_ROLE) == "Felt heard."
    qtbot.keyClick(matrix.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert summary_of(project, "Client interview 7", "Relationships") == ""
    assert project.summaries.all() == {}
    qtbot.keyClick(
        matrix.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert summary_of(project, "Client interview 7", "Relationships") == "Felt heard."
    # A coding undone in the main window is not on the matrix's stack, and the other way round.
    assert window.undo_stack.count() == 0 and matrix.undo_stack.count() == 2
    folder = project.paths.folder
    window.close_project()
    with Project.open(folder, passphrase=PASSPHRASE) as reopened:
        assert summary_of(reopened, "Client interview 7", "Relationships") == "Felt heard."


def test_arrows_move_the_pane_with_the_current_cell(window: MainWindow, qtbot: QtBot) -> None:
    matrix = open_matrix(window, qtbot)
    go_to(matrix, qtbot, "Justice social workers interview 2", "Workload")
    assert (
        "Justice social workers interview 2" in matrix.pane.heading.text()
        and "Workload" in matrix.pane.heading.text()
    )
    assert matrix.pane.passages.count() == 2
    qtbot.keyClick(matrix.table, Qt.Key.Key_Down)
    assert "Client interview 3" in matrix.pane.heading.text()
    assert (
        matrix.pane.passages.count() == 0
        and matrix.pane.passages_label.text() == "No passages behind this cell"
    )
    qtbot.keyClick(matrix.table, Qt.Key.Key_Right)
    assert "Relationships" in matrix.pane.heading.text()
    assert [
        matrix.pane.passages.item(i).text().split("\n")[0] for i in range(matrix.pane.passages.count())
    ] == [f"{CANARY} staff were kind"]
    assert matrix.pane.passages.item(0).text().split("\n")[1] == "— client3 · Listening"


def test_seeding_fills_the_summary_from_the_passages(
    window: MainWindow, qtbot: QtBot, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    matrix = open_matrix(window, qtbot)
    seed = (Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    go_to(matrix, qtbot, "Client interview 7", "Relationships")
    qtbot.keyClick(matrix.table, *seed)
    expected = "- My worker listened\n- the group work helped me"  # both passages, in reading order
    assert summary_of(project, "Client interview 7", "Relationships") == expected
    assert matrix.pane.editor.toPlainText() == expected and matrix.pane.editor.hasFocus()
    qtbot.keyClick(matrix.pane.editor, Qt.Key.Key_Escape)
    asked: list[bool] = []
    monkeypatch.setattr(
        MatrixWindow, "ask_replace", classmethod(lambda cls, parent: asked.append(True) or False)
    )
    matrix.pane.editor.setPlainText("Listened to.")
    matrix.flush()
    qtbot.keyClick(matrix.table, *seed)
    assert asked == [True] and summary_of(project, "Client interview 7", "Relationships") == "Listened to."
    monkeypatch.setattr(MatrixWindow, "ask_replace", classmethod(lambda cls, parent: True))
    qtbot.keyClick(matrix.table, *seed)
    assert summary_of(project, "Client interview 7", "Relationships") == expected
    qtbot.keyClick(matrix.pane.editor, Qt.Key.Key_Escape)
    qtbot.keyClick(matrix.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert summary_of(project, "Client interview 7", "Relationships") == "Listened to."
    go_to(matrix, qtbot, "Client interview 7", "Workload")  # nothing behind it: nothing to seed
    qtbot.keyClick(matrix.table, *seed)
    assert summary_of(project, "Client interview 7", "Workload") == ""


def test_a_passage_opens_in_the_workbench_with_its_range_selected(
    window: MainWindow, qtbot: QtBot, study: dict[str, str]
) -> None:
    matrix = open_matrix(window, qtbot)
    go_to(matrix, qtbot, "Client interview 7", "Relationships")
    matrix.pane.passages.setFocus()
    matrix.pane.passages.setCurrentRow(1)
    qtbot.keyClick(matrix.pane.passages, Qt.Key.Key_Return)
    workbench = window.workbench
    assert workbench is not None and workbench.current is not None
    assert workbench.current.uuid == study["client7"]
    start = TEXTS["client7"].index("the group work helped me")
    assert workbench.view.selected_range() == (start, start + len("the group work helped me"))


def test_grouping_and_filtering_change_the_rows(window: MainWindow, qtbot: QtBot) -> None:
    matrix = open_matrix(window, qtbot)

    def rows() -> list[str]:
        return [matrix.model.headerData(r, Qt.Orientation.Vertical) for r in range(matrix.model.rowCount())]

    assert rows() == ROWS
    assert not matrix.filter_combo.isEnabled()
    matrix.group_combo.setCurrentIndex(matrix.group_combo.findData("mode"))
    matrix.group_combo.activated.emit(matrix.group_combo.currentIndex())
    assert rows() == [
        "video · Justice social workers interview 2",
        "video · Client interview 3",
        "telephone · Client interview 7",
    ]
    options = [matrix.filter_combo.itemText(i) for i in range(matrix.filter_combo.count())]
    assert options == ["All groups", "video", "telephone"]
    matrix.filter_combo.setCurrentIndex(2)
    matrix.filter_combo.activated.emit(2)
    assert rows() == ["telephone · Client interview 7"]
    assert matrix.filter_combo.count() == 3  # the other groups stay on offer
    matrix.group_combo.setCurrentIndex(0)
    matrix.group_combo.activated.emit(0)
    assert rows() == ROWS


def test_columns_at_a_level_or_chosen_by_hand(
    window: MainWindow, qtbot: QtBot, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    matrix = open_matrix(window, qtbot)

    def columns() -> list[str]:
        return [
            matrix.model.headerData(c, Qt.Orientation.Horizontal) for c in range(matrix.model.columnCount())
        ]

    assert [matrix.level_combo.itemText(i) for i in range(matrix.level_combo.count())] == [
        "Top-level themes",
        "Themes at level 2",
    ]
    matrix.level_combo.setCurrentIndex(1)
    matrix.level_combo.activated.emit(1)
    assert columns() == ["Caseload", "Training", "Listening"]
    monkeypatch.setattr(
        ThemesDialog,
        "choose",
        classmethod(lambda cls, codes, chosen, parent: ["Waiting", "Workload/Training"]),
    )
    matrix.choose_themes()
    assert columns() == [f"Waiting {EMERGENT_MARK}", "Training"]
    assert matrix.level_combo.currentText() == "Chosen themes (2)"
    # Coding in the main window shows in the matrix on F5, and when it is opened again.
    start = TEXTS["client7"].index("My worker listened")
    project.codings.add(project.transcripts.find("client7").uuid, start, start + 5, "Workload/Training")
    qtbot.keyClick(matrix.table, Qt.Key.Key_F5)
    assert matrix.model.index(2, 1).data(COUNT_ROLE) == 1  # Client interview 7, Training
    matrix.level_combo.setCurrentIndex(0)
    matrix.level_combo.activated.emit(0)
    assert columns() == COLUMNS


def _visible_text() -> str:
    parts = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        for widget in [top, *top.findChildren(QWidget)]:
            if isinstance(widget, QLabel):
                parts.append(widget.text())
            elif isinstance(widget, QPlainTextEdit):
                parts.append(widget.toPlainText())
            elif isinstance(widget, QListWidget):
                parts += [widget.item(i).text() for i in range(widget.count())]
    return "\n".join(parts)


def test_lock_saves_the_summary_and_closes_the_matrix(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    matrix = open_matrix(window, qtbot)
    go_to(matrix, qtbot, "Client interview 3", "Relationships")
    qtbot.keyClick(matrix.table, Qt.Key.Key_Return)
    qtbot.keyClicks(matrix.pane.editor, "Kind staff.")  # locked before the autosave fires
    assert CANARY in _visible_text()
    window.lock()
    assert window.matrix_window is None and not matrix.isVisible()
    assert (
        matrix.model.rowCount() == 0
        and matrix.pane.passages.count() == 0
        and matrix.pane.editor.toPlainText() == ""
    )
    assert CANARY not in _visible_text()
    monkeypatch.setattr(
        main_window_module,
        "unlock_again",
        lambda path, parent, passphrase=None, held=None: Project.open(path, passphrase=PASSPHRASE, held=held),
    )
    window.unlock()
    assert window.project is not None
    assert summary_of(window.project, "Client interview 3", "Relationships") == "Kind staff."


def test_an_empty_project_says_what_to_do(project: Project, qtbot: QtBot) -> None:
    opened: list[tuple[str, int, int]] = []
    matrix = MatrixWindow(project, lambda uuid, start, end: opened.append((uuid, start, end)))
    qtbot.addWidget(matrix)
    assert (matrix.model.rowCount(), matrix.model.columnCount()) == (0, 0)
    assert "import some" in matrix.pane.heading.text()
    assert not matrix.pane.editor.isEnabled()
    matrix.seed()  # nothing to seed, nothing saved
    assert project.summaries.all() == {} and opened == []


def test_coding_in_the_main_window_shows_when_the_matrix_is_next_active(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    matrix = open_matrix(window, qtbot)
    cell = matrix.model.index(ROWS.index("Client interview 7"), COLUMNS.index("Workload"))
    assert cell.data(COUNT_ROLE) == 0
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.workbench is not None
    window.workbench.open_transcript(project.transcripts.find("client7").uuid)
    start = TEXTS["client7"].index("My worker listened")
    window.workbench.view.select_range(start, start + len("My worker listened"))
    assert window.workbench.code_selection(project.codebook.find("Workload/Caseload").uuid)
    matrix.activateWindow()
    qtbot.waitUntil(lambda: matrix.model.index(cell.row(), cell.column()).data(COUNT_ROLE) == 1)
