"""The register review on a real encrypted project, driven by key presses and clicks.

A fieldworker decides candidate by candidate with the words around each one in view: a descriptor
typed into the list stays while other rows are added or dismissed, the list keeps its place after each
action, a whole category can be added or dismissed at once, categories read as words, and an
occurrence opens in the workbench at its place (the review comes back where it was left).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.register_window import RegisterWindow
from jswcoder.ui.settings import Settings
from tests import ui_drive as drive
from tests.conftest import write_txt

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester

# Forty-eight made-up names, each said once mid-sentence: more rows than the list shows at once.
NAMES = [f"{a}{b}" for a in ("Tor", "Mal", "Ves", "Quin", "Bram", "Kel") for b in ("wen", "dric", "lan", "mora", "thas", "vik", "rin", "gan")]  # fmt: skip
CASE_REFS = ["CR-2023-0412-B", "SW/2291/KX"]
PHONES = ["07700 900 086", "07700 900 123"]
FIRST = (
    "Interviewer: Who did you speak to?\n"
    + "".join(f"P1: On Monday I phoned {name} about the rota.\n" for name in NAMES)
    + f"P1: Her case, {CASE_REFS[0]}, went to the panel.\n"
    + f"P1: The other one was {CASE_REFS[1]} and it was closed.\n"
    + f"P1: I called {PHONES[0]} twice, then {PHONES[1]}.\n"
)
SECOND = (
    "Interviewer: And after that?\n"
    "P2: The panel met again.\n"
    "P2: Later I told Torwen that the hearing had moved to Friday.\n"
    f"P2: The case {CASE_REFS[0]} was closed in the end.\n"
)


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_1.txt", FIRST))
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_2.txt", SECOND))
    return project


@pytest.fixture
def review(study: Project, qtbot: QtBot) -> Iterator[RegisterWindow]:
    window = RegisterWindow(study)
    window.resize(900, 600)
    yield drive.shown(qtbot, window)
    window.close()


# -- finding things as a person does: by what they are called -------------------------------------------


def _view(window: QWidget, name: str) -> QAbstractItemView:
    (found,) = [v for v in window.findChildren(QAbstractItemView) if v.accessibleName() == name]
    return found


def _button(window: QWidget, starts: str) -> QPushButton:
    (found,) = [b for b in window.findChildren(QPushButton) if b.text().replace("&", "").startswith(starts)]
    return found


def _column(view: QAbstractItemView, starts: str) -> int:
    model = view.model()
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
    return next(c for c, header in enumerate(headers) if header.startswith(starts))


def _cell(view: QAbstractItemView, row: int, column: int) -> str:
    return str(view.model().index(row, column).data())


def _texts(view: QAbstractItemView) -> list[str]:
    return [_cell(view, r, 0) for r in range(view.model().rowCount())]


def _row(view: QAbstractItemView, text: str) -> int:
    return _texts(view).index(text)


def _click(qtbot: QtBot, view: QAbstractItemView, index: QModelIndex) -> None:
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def _click_row(qtbot: QtBot, view: QAbstractItemView, text: str) -> None:
    _click(qtbot, view, view.model().index(_row(view, text), 0))


def _press(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _current_text(view: QAbstractItemView) -> str:
    return str(view.currentIndex().siblingAtColumn(0).data())


def _closing_on_failure(handle: Callable[[QWidget], None]) -> Callable[[QWidget], None]:
    """A modal window's handler that closes the window if it fails, so the test fails instead of hanging."""

    def run(shown: QWidget) -> None:
        try:
            handle(shown)
        except BaseException:
            if isinstance(shown, QDialog):
                shown.reject()
            raise

    return run


# -- the tests ---------------------------------------------------------------------------------------------


def test_a_typed_descriptor_survives_adding_and_dismissing_other_rows(
    review: RegisterWindow, study: Project, qtbot: QtBot
) -> None:
    candidates = _view(review, "Candidates")
    descriptor = _column(candidates, "Replace")
    typed, added, dismissed = "Kelvik", "Bramlan", "Maldric"

    _click(qtbot, candidates, candidates.model().index(_row(candidates, typed), descriptor))
    qtbot.keyClick(candidates, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not candidates  # the cell's editor has the keys now
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "[YOUTH WORKER]")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: candidates.state() != QAbstractItemView.State.EditingState)

    _click_row(qtbot, candidates, added)
    _press(qtbot, _button(review, "Add to register"))
    _click_row(qtbot, candidates, dismissed)
    _press(qtbot, _button(review, "Dismiss: not identifying"))

    assert added not in _texts(candidates) and dismissed not in _texts(candidates)
    assert _cell(candidates, _row(candidates, typed), descriptor) == "[YOUTH WORKER]"
    assert dismissed in study.register.dismissed()
    _click_row(qtbot, candidates, typed)
    _press(qtbot, _button(review, "Add to register"))
    saved = {e.text: e.replacement for e in study.register.entries()}
    assert saved == {added: "[PERSON]", typed: "[YOUTH WORKER]"}


def test_the_list_keeps_its_place_after_each_action(review: RegisterWindow, qtbot: QtBot) -> None:
    candidates = _view(review, "Candidates")
    bar = candidates.verticalScrollBar()
    _click(qtbot, candidates, candidates.model().index(0, 0))
    for _ in range(30):
        qtbot.keyClick(candidates, Qt.Key.Key_Down)
    assert bar.value() > 0  # scrolled down the list
    for action in ("Add to register", "Dismiss: not identifying"):
        row, scrolled = candidates.currentIndex().row(), bar.value()
        after = _cell(candidates, row + 1, 0)
        _press(qtbot, _button(review, action))
        assert (candidates.currentIndex().row(), _current_text(candidates)) == (row, after)
        assert bar.value() == scrolled
        assert candidates.selectionModel().isRowSelected(row, QModelIndex())  # the next one, ready


def test_categories_read_as_words(review: RegisterWindow, study: Project, qtbot: QtBot) -> None:
    candidates = _view(review, "Candidates")
    category = _column(candidates, "Category")
    shown = {_cell(candidates, r, 0): _cell(candidates, r, category) for r in range(len(_texts(candidates)))}
    assert shown[CASE_REFS[0]] == "Case reference" and shown[PHONES[0]] == "Phone number"
    assert shown[NAMES[0]] == "Person"
    _click_row(qtbot, candidates, CASE_REFS[0])
    _press(qtbot, _button(review, "Add to register"))
    review.tabs.setCurrentIndex(1)
    entries = _view(review, "Register entries")
    assert _cell(entries, 0, _column(entries, "Category")) == "Case reference"


def test_a_whole_category_is_added_or_dismissed_at_once(
    review: RegisterWindow, study: Project, qtbot: QtBot
) -> None:
    candidates = _view(review, "Candidates")
    _click_row(qtbot, candidates, CASE_REFS[1])
    add_all = _button(review, "Add all")
    assert "Case reference" in add_all.text() and "(2)" in add_all.text()
    _press(qtbot, add_all)
    assert {(e.text, e.category, e.replacement) for e in study.register.entries()} == {
        (ref, "CASE_REF", "[CASE REFERENCE]") for ref in CASE_REFS
    }

    _click_row(qtbot, candidates, PHONES[1])
    dismiss_all = _button(review, "Dismiss all")
    assert "Phone number" in dismiss_all.text()
    asked: list[str] = []

    def answer(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        qtbot.mouseClick(_button(box, "Dismiss 2"), Qt.MouseButton.LeftButton)

    drive.when_shown(QMessageBox, _closing_on_failure(answer))
    _press(qtbot, dismiss_all)
    assert asked == ["Dismiss all 2 candidates in “Phone number” as not identifying?"]
    assert sorted(study.register.dismissed()) == sorted(PHONES)
    left = _texts(candidates)
    assert not set(PHONES + CASE_REFS) & set(left) and set(NAMES) <= set(left)
    assert _current_text(candidates) in left  # the list still has a current row to go on from


def test_dismissing_a_whole_category_can_be_called_off(
    review: RegisterWindow, study: Project, qtbot: QtBot
) -> None:
    candidates = _view(review, "Candidates")
    _click_row(qtbot, candidates, NAMES[3])
    asked: list[str] = []

    def call_off(box: QWidget) -> None:
        asked.append(box.windowTitle())
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the careful answer is the default one

    drive.when_shown(QMessageBox, _closing_on_failure(call_off))
    _press(qtbot, _button(review, "Dismiss all"))
    assert asked == ["Dismiss a whole category"]
    assert study.register.dismissed() == [] and set(NAMES) <= set(_texts(candidates))


def test_each_candidate_shows_the_words_around_it_and_where_it_occurs(
    review: RegisterWindow, qtbot: QtBot
) -> None:
    candidates = _view(review, "Candidates")
    where = _column(candidates, "Transcripts")
    assert _cell(candidates, _row(candidates, "Torwen"), where) == "int_1, int_2"
    assert _cell(candidates, _row(candidates, "Malwen"), where) == "int_1"
    _click_row(qtbot, candidates, "Torwen")
    occurrences = _view(review, "Where it occurs")
    rows = [
        tuple(_cell(occurrences, r, c) for c in range(occurrences.model().columnCount()))
        for r in range(occurrences.model().rowCount())
    ]
    assert rows == [  # six words either side at most, within the turn
        ("int_1", "P1: On Monday I phoned", "Torwen", "about the rota."),
        ("int_2", "P2: Later I told", "Torwen", "that the hearing had moved to"),
    ]
    assert "2 times in 2 transcripts" in review.context_label.text()


def test_an_occurrence_opens_in_the_workbench_and_the_review_comes_back(
    study: Project, tmp_path: Path, qtbot: QtBot
) -> None:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = drive.shown(qtbot, MainWindow(study, settings))
    assert window.workbench is not None
    seen: list[str] = []

    def choose_the_second_occurrence(shown: QWidget) -> None:
        assert isinstance(shown, RegisterWindow)
        candidates = _view(shown, "Candidates")
        _click_row(qtbot, candidates, "Torwen")
        occurrences = _view(shown, "Where it occurs")
        _click(qtbot, occurrences, occurrences.model().index(1, 0))
        seen.append(_current_text(candidates))
        qtbot.keyClick(occurrences, Qt.Key.Key_Return)

    drive.when_shown(RegisterWindow, _closing_on_failure(choose_the_second_occurrence))
    qtbot.keyClick(
        window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: bool(seen) and QApplication.activeModalWidget() is None)

    workbench = window.workbench
    assert workbench.current is not None and workbench.current.name == "int_2"
    start = SECOND.index("Torwen")
    assert workbench.view.selected_range() == (start, start + len("Torwen"))

    def look_and_close(shown: QWidget) -> None:
        assert isinstance(shown, RegisterWindow)
        seen.append(_current_text(_view(shown, "Candidates")))
        qtbot.keyClick(shown, Qt.Key.Key_Escape)

    drive.when_shown(RegisterWindow, _closing_on_failure(look_and_close))
    window.activateWindow()  # as the window manager does when a dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: len(seen) == 2 and QApplication.activeModalWidget() is None)
    assert seen == ["Torwen", "Torwen"]  # back where it was left
    window.close_project()


def test_an_entry_is_removed_from_the_register_tab(
    review: RegisterWindow, study: Project, qtbot: QtBot
) -> None:
    candidates = _view(review, "Candidates")
    for name in ("Malwen", "Veswen"):
        _click_row(qtbot, candidates, name)
        _press(qtbot, _button(review, "Add to register"))
    qtbot.mouseClick(
        review.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=review.tabs.tabBar().tabRect(1).center()
    )
    entries = _view(review, "Register entries")
    assert not entries.selectionModel().hasSelection()  # nothing is removed by an Alt+R alone
    _click_row(qtbot, entries, "Malwen")
    _press(qtbot, _button(review, "Remove"))
    assert [e.text for e in study.register.entries()] == ["Veswen"] and _texts(entries) == ["Veswen"]
    assert "Malwen" in _texts(candidates)  # a candidate again
    assert review.tabs.tabText(1) == "Register (1)"


def test_a_lock_leaves_no_text_in_the_review(study: Project, tmp_path: Path, qtbot: QtBot) -> None:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = drive.shown(qtbot, MainWindow(study, settings))
    opened: list[RegisterWindow] = []

    def lock_while_open(shown: QWidget) -> None:
        assert isinstance(shown, RegisterWindow) and _texts(_view(shown, "Candidates"))
        opened.append(shown)
        window.idle.set_interval_ms(200)  # and then no input: the idle lock comes

    drive.when_shown(RegisterWindow, _closing_on_failure(lock_while_open))
    qtbot.keyClick(
        window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: bool(opened) and window.workbench is None, timeout=10_000)
    assert (
        QApplication.activeModalWidget() is None
        and window.workbench is None
        and window.lock_screen is not None
    )
    for model in (opened[0].candidates_model, opened[0].occurrences_model, opened[0].entries_model):
        assert model.rowCount() == 0
    assert opened[0].candidates_model.typed == {} and not opened[0].isVisible()


def test_the_models_keep_to_qts_rules_through_every_change(
    review: RegisterWindow, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    for model in (review.candidates_model, review.occurrences_model, review.entries_model):
        qtmodeltester.check(model)  # and it keeps watching the changes below
    candidates = _view(review, "Candidates")
    before = len(_texts(candidates))
    _click_row(qtbot, candidates, "Torwen")
    _press(qtbot, _button(review, "Add to register"))
    _press(qtbot, _button(review, "Dismiss: not identifying"))
    _click_row(qtbot, candidates, CASE_REFS[0])
    _press(qtbot, _button(review, "Add all"))
    assert len(_texts(candidates)) == before - 4


def test_after_several_rows_go_the_one_below_them_is_current(review: RegisterWindow, qtbot: QtBot) -> None:
    candidates = _view(review, "Candidates")
    _click_row(qtbot, candidates, "Kelwen")
    for _ in range(2):
        qtbot.keyClick(candidates, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    chosen = [_cell(candidates, i.row(), 0) for i in candidates.selectionModel().selectedRows()]
    first = _row(candidates, "Kelwen")
    below = _cell(candidates, first + 3, 0)
    _press(qtbot, _button(review, "Dismiss: not identifying"))
    assert len(chosen) == 3 and not set(chosen) & set(_texts(candidates))
    assert (candidates.currentIndex().row(), _current_text(candidates)) == (first, below)
