"""The survey grid (issue 18): a question's answers one under another, coded with the transcript view's
keys, undo and margin bars, each coding made in its respondent's own document. Real windows offscreen,
a real encrypted project with a Qualtrics export imported, real key presses and mouse drags."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QContextMenuEvent, QDragEnterEvent
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from jswcoder import templates
from jswcoder.importing.survey_files import read_survey
from jswcoder.offsets import Convention, OffsetMap
from jswcoder.project import Project
from jswcoder.store.surveys import GridAnswer
from jswcoder.ui import survey_grid
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.quick_code import QuickCodePalette
from jswcoder.ui.register_dialog import AddToRegisterDialog
from jswcoder.ui.settings import Settings
from jswcoder.ui.survey_grid import SurveyGrid
from jswcoder.ui.survey_grid_layout import SEPARATOR, GridLayout
from jswcoder.ui.transcript_view import SELECTION_MIME
from tests import ui_drive as drive
from tests.survey_fixtures import CHANGE, HELPED, qualtrics_csv

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
MENUS = pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # offscreen menus


def import_qualtrics(project: Project, folder: Path) -> None:
    fixture = qualtrics_csv(folder / "Joint working survey.csv")
    table = read_survey(fixture.path, fixture.path.read_bytes())
    project.surveys.import_table(fixture.path, table, fixture.kinds)


@pytest.fixture
def window(project: Project, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    templates.apply(templates.by_key("jsw-study"), project.codebook)  # pins themes to 1–9
    import_qualtrics(project, tmp_path)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    shown = drive.shown(qtbot, MainWindow(project, settings))
    yield shown
    shown.close_project()


def open_grid(window: MainWindow, qtbot: QtBot) -> SurveyGrid:
    """Analysis › Code survey answers…, as chosen from the menu."""
    next(a for a in window._menus["Analysis"].actions() if a.text() == "Code &survey answers…").trigger()
    grid = window.survey_grid
    assert grid is not None
    qtbot.waitUntil(grid.isActiveWindow)
    grid.view.text_edit.setFocus()
    return grid


def answer(project: Project, question: str, number: int) -> GridAnswer:
    survey = project.surveys.find("")
    return next(a for a in project.surveys.answers(survey, question) if a.number == number)


def codings_of(project: Project, number: int, question: str = "Q4") -> list[tuple[str, str]]:
    """(theme path, coded words) of one respondent's codings, read from the project."""
    document = answer(project, question, number).transcript_uuid
    text = project.transcripts.text_of(document)
    paths = {c.uuid: c.path for c in project.codebook.all()}
    return [(paths[c.code_uuid], text[c.start : c.end]) for c in project.codings.of_transcript(document)]


def test_the_grid_shows_a_questions_answers_with_who_gave_them(window: MainWindow, qtbot: QtBot) -> None:
    grid = open_grid(window, qtbot)
    assert grid.question_combo.currentData() == "Q4"
    assert grid.layout_.text == SEPARATOR.join(HELPED)  # every answer, one under another, in order
    assert "8 answers" in grid.heading.text()
    shown = grid.gutter.shown()
    assert [name for _placed, _y, name, _lines in shown[:3]] == [
        "Respondent 1",
        "Respondent 2",
        "Respondent 3",
    ]
    # Beside each answer: the first two closed answers (role, area), as the import stored them.
    assert shown[1][3] == ["Team leader · Dundee"]


def test_keys_code_answer_2_in_respondent_2s_document_and_ctrl_z_undoes(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    grid = open_grid(window, qtbot)
    edit = grid.view.text_edit
    qtbot.keyClick(edit, Qt.Key.Key_Down, CTRL)  # the next answer: respondent 2's
    for _ in range(3):
        qtbot.keyClick(edit, Qt.Key.Key_Right, CTRL | SHIFT)
    qtbot.keyClick(edit, Qt.Key.Key_Left, SHIFT)  # "The weekly group", without the space after it
    qtbot.keyClick(edit, Qt.Key.Key_1)
    care = project.codebook.get(project.pins.all()[1]).path
    assert codings_of(project, 2) == [(care, "The weekly group")]
    second = answer(project, "Q4", 2)
    (coding,) = project.codings.of_transcript(second.transcript_uuid)
    assert (coding.start, coding.end) == (second.start, second.start + len("The weekly group"))
    assert codings_of(project, 1) == [] and codings_of(project, 3) == []
    assert coding.uuid in grid.view.margin_lanes()  # its bar in the margin, named
    assert coding.uuid in grid.view.margin.labels()

    # A mouse drag over other words, then the quick-code box.
    start = grid.layout_.text.index("the lunches after it")
    drive.drag_over(qtbot, edit, grid.layout_.text, start + 1, start + len("the lunches after it") - 1)
    seen: list[str] = []

    def choose(box: QWidget) -> None:
        assert isinstance(box, QuickCodePalette)
        qtbot.keyClicks(box.query, "recruit")
        qtbot.keyClick(box.query, Qt.Key.Key_Return)
        seen.append(box.windowTitle())

    drive.when_shown(QuickCodePalette, choose)
    qtbot.keyClick(edit, Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: bool(seen))
    recruitment = "Funding and resources/Recruitment, absence and retention"
    assert sorted(codings_of(project, 2)) == sorted(
        [(care, "The weekly group"), (recruitment, "the lunches after it")]  # the drag took whole words
    )
    assert len(grid.view.margin_lanes()) == 2

    qtbot.waitUntil(lambda: grid.isActiveWindow() and edit.hasFocus())
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)
    assert codings_of(project, 2) == [(care, "The weekly group")]
    assert list(grid.view.margin_lanes()) == [coding.uuid]
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)
    assert codings_of(project, 2) == [] and grid.view.margin_lanes() == {}
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL | SHIFT)  # and redo brings it back
    assert codings_of(project, 2) == [(care, "The weekly group")]


def test_the_main_window_sees_a_coding_made_in_the_grid(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    assert window.workbench is not None
    second = answer(project, "Q4", 2)
    window.workbench.open_transcript(second.transcript_uuid)  # respondent 2's document, behind the grid
    grid = open_grid(window, qtbot)
    placed = next(p for p in grid.gutter.placed() if p.row == 1)
    qtbot.mouseDClick(  # on "Respondent 2": the whole answer selected
        grid.gutter, Qt.MouseButton.LeftButton, pos=QPoint(30, int(placed.top) + 6)
    )
    assert grid.view.text_edit.textCursor().selectedText() == HELPED[1].replace("\n", "\u2029")
    qtbot.keyClick(grid.view.text_edit, Qt.Key.Key_2)
    (coding,) = project.codings.of_transcript(second.transcript_uuid)
    assert (coding.start, coding.end) == (second.start, second.end)
    assert [h.coding_uuid for h in window.workbench.view.highlights_at(second.start)] == [coding.uuid]


def test_a_selection_across_two_answers_codes_only_the_first(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    grid = open_grid(window, qtbot)
    text = grid.layout_.text
    start, end = text.index("kept me going"), text.index("and the lunches")  # into respondent 2's answer
    drive.drag_over(qtbot, grid.view.text_edit, text, start, end)
    qtbot.keyClick(grid.view.text_edit, Qt.Key.Key_3)
    core = project.codebook.get(project.pins.all()[3]).path
    assert codings_of(project, 1) == [(core, "kept me going.")]  # cut at the end of respondent 1's answer
    assert codings_of(project, 2) == []
    assert "only respondent 1's answer was coded" in grid.statusBar().currentMessage()
    assert grid.view.text_edit.textCursor().selectedText() == "kept me going."  # what was coded, shown


def test_choosing_another_question_shows_its_answers(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    grid = open_grid(window, qtbot)
    qtbot.keyClick(grid, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)  # "&Question:"
    assert grid.question_combo.hasFocus()
    qtbot.keyClick(grid.question_combo, Qt.Key.Key_Down)
    assert grid.question_combo.currentData() == "Q5"
    assert grid.layout_.text == SEPARATOR.join(CHANGE)
    assert HELPED[0] not in grid.view.text_edit.toPlainText()
    assert CHANGE[1] in grid.view.text_edit.toPlainText()


@MENUS
def test_ticking_an_attribute_shows_it_beside_each_answer(window: MainWindow, qtbot: QtBot) -> None:
    grid = open_grid(window, qtbot)
    names = [a.text() for a in grid.attributes_menu.actions()]
    assert len(names) == 3  # role, area, satisfaction: the export's closed answers

    def tick(menu: QMenu) -> None:
        action = menu.actions()[2]
        menu.setActiveAction(action)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    drive.when_popup(tick)
    qtbot.mouseClick(grid.attributes_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    grid.gutter.repaint()
    shown = {name: lines for _placed, _y, name, lines in grid.gutter.shown()}
    assert " · ".join(shown["Respondent 1"]).startswith("Justice social worker · Fife · ")


def test_a_coding_made_in_the_main_window_shows_when_the_grid_is_back(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    assert window.workbench is not None
    grid = open_grid(window, qtbot)
    first = answer(project, "Q4", 1)
    window.workbench.open_transcript(first.transcript_uuid, first.start, first.start + 6)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.workbench.view.text_edit, Qt.Key.Key_4)
    (coding,) = project.codings.of_transcript(first.transcript_uuid)
    grid.activateWindow()
    qtbot.waitUntil(lambda: coding.uuid in grid.view.margin_lanes())
    assert [h.coding_uuid for h in grid.view.highlights_at(0)] == [coding.uuid]


@given(
    st.lists(
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12), min_size=1, max_size=6
    ),
    st.integers(0, 100),
    st.integers(1, 40),
)
def test_a_grid_range_becomes_the_same_words_in_one_document(texts: list[str], at: int, length: int) -> None:
    # Each answer sits at offset 7 of its own document ("Title\n\n" before it).
    documents = {f"d{i}": f"Title\n\n{t}\n\nmore" for i, t in enumerate(texts)}
    answers = [GridAnswer(f"d{i}", f"p{i}", i + 1, 7, 7 + len(t), t) for i, t in enumerate(texts)]
    layout = GridLayout.of(answers)
    start = min(at, len(layout.text))
    end = min(start + length, len(layout.text))
    picked = layout.pick(start, end)
    if picked is None:
        return
    row = picked.index
    first, last = layout.span(row)
    assert (
        documents[picked.answer.transcript_uuid][picked.start : picked.end]
        == layout.text[max(start, first) : min(end, last)]
    )
    assert 7 <= picked.start < picked.end <= 7 + len(texts[row])  # never beyond its own answer
    assert picked.clipped == (row + 1 < len(answers) and layout.starts[row + 1] < end)
    assert layout.to_grid(picked.answer.transcript_uuid, picked.start, picked.end) == (
        max(start, first),
        min(end, last),
    )
    assert sum(len(t) for t in texts) + len(SEPARATOR) * (len(texts) - 1) == len(layout.text)
    units = OffsetMap(layout.text)  # where Qt's document has each answer (a character past U+FFFF counts 2)
    assert list(layout.starts_u16) == [units.to_units(at, Convention.UTF16) for at in layout.starts]


def test_a_large_question_shows_its_first_answers_then_the_rest(
    window: MainWindow, qtbot: QtBot, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(survey_grid, "FIRST_PAGE", 3)  # as 150 of 5,000: the first page, then the rest
    grid = open_grid(window, qtbot)
    qtbot.waitUntil(lambda: grid.complete)
    grid.question_combo.setFocus()
    qtbot.keyClick(grid.question_combo, Qt.Key.Key_Down)  # Q5: its first three answers at once
    assert not grid.complete and grid.layout_.text == SEPARATOR.join(CHANGE[:3])
    assert "Reading the answers" in grid.heading.text()
    edit = grid.view.text_edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Down, CTRL)
    qtbot.keyClick(edit, Qt.Key.Key_Right, CTRL | SHIFT)
    qtbot.keyClick(edit, Qt.Key.Key_2)  # coded while the rest is still being read
    qtbot.waitUntil(lambda: grid.complete)
    assert grid.layout_.text == SEPARATOR.join(CHANGE) and "8 answers" in grid.heading.text()
    (coding,) = project.codings.of_transcript(answer(project, "Q5", 2).transcript_uuid)
    assert list(grid.view.margin_lanes()) == [coding.uuid]  # still drawn with every answer in
    assert edit.textCursor().selectedText() == "A "  # the selection kept


def test_answers_read_a_page_at_a_time_are_all_the_answers_in_order(project: Project, tmp_path: Path) -> None:
    import_qualtrics(project, tmp_path)
    survey = project.surveys.find("")
    every = project.surveys.answers(survey, "Q5")
    assert [a.text for a in every] == list(CHANGE)
    assert project.surveys.answers_from(survey, "Q5") == every
    first = project.surveys.answers_from(survey, "Q5", limit=3)
    assert first + project.surveys.answers_from(survey, "Q5", after=first[-1].number) == every


def test_locking_empties_and_closes_the_grid(window: MainWindow, qtbot: QtBot) -> None:
    grid = open_grid(window, qtbot)
    assert HELPED[0] in grid.view.text_edit.toPlainText()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL)
    assert window.survey_grid is None and not grid.isVisible()
    assert grid.view.text_edit.toPlainText() == "" and grid.layout_.text == ""  # no answer left in memory


def test_recode_and_remove_with_the_transcript_views_keys(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    grid = open_grid(window, qtbot)
    edit = grid.view.text_edit
    qtbot.keyClick(edit, Qt.Key.Key_Right, CTRL | SHIFT)
    qtbot.keyClick(edit, Qt.Key.Key_1)
    titles: list[str] = []

    def choose(box: QWidget) -> None:
        assert isinstance(box, QuickCodePalette)
        titles.append(box.windowTitle())
        qtbot.keyClicks(box.query, "train")
        qtbot.keyClick(box.query, Qt.Key.Key_Return)

    drive.when_shown(QuickCodePalette, choose)
    qtbot.keyClick(edit, Qt.Key.Key_K, CTRL | SHIFT)
    qtbot.waitUntil(lambda: bool(titles))
    assert titles == ["Recode “Care and control” as…"]
    assert codings_of(project, 1) == [("Funding and resources/Training", "Having ")]
    qtbot.waitUntil(lambda: grid.isActiveWindow() and edit.hasFocus())
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert codings_of(project, 1) == [] and grid.view.margin_lanes() == {}
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)  # brings it back, as it was
    assert codings_of(project, 1) == [("Funding and resources/Training", "Having ")]
    assert len(grid.view.margin_lanes()) == 1


def test_ctrl_r_registers_a_name_found_in_an_answer(
    window: MainWindow, qtbot: QtBot, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered: list[str] = []

    def ask(
        cls: object, text: str, known: list[str], parent: object = None
    ) -> tuple[str, str, str, list[str]]:
        offered.append(text)
        return text, "[JSW WORKER]", "PERSON", []

    monkeypatch.setattr(AddToRegisterDialog, "ask", classmethod(ask))  # the dialog's own test is elsewhere
    grid = open_grid(window, qtbot)
    start = grid.layout_.text.index("Morag Smith")
    drive.drag_over(qtbot, grid.view.text_edit, grid.layout_.text, start, start + len("Morag Smit"))
    qtbot.keyClick(grid.view.text_edit, Qt.Key.Key_R, CTRL)
    assert offered == ["Morag Smith"]  # the drag took whole words
    assert [(e.text, e.replacement) for e in project.register.entries()] == [("Morag Smith", "[JSW WORKER]")]


def test_without_a_survey_the_grid_says_how_to_get_one(
    project: Project, tmp_path: Path, qtbot: QtBot
) -> None:
    templates.apply(templates.by_key("jsw-study"), project.codebook)  # digits are pinned
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = drive.shown(qtbot, MainWindow(project, settings))
    try:
        grid = open_grid(window, qtbot)
        assert grid.view.text_edit.placeholderText().startswith("No survey yet: import")
        assert grid.survey_combo.count() == 0 and not grid.attributes_button.isEnabled()
        qtbot.keyClick(grid.view.text_edit, Qt.Key.Key_1)  # nothing to code: said, nothing stored
        assert grid.statusBar().currentMessage() == "Select words in an answer first."
        assert project.codings.passages() == []
    finally:
        window.close_project()


def test_a_drag_from_the_grid_cannot_code_in_the_main_window(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    assert window.workbench is not None
    grid = open_grid(window, qtbot)
    text = grid.layout_.text
    start = text.index("weekly group")
    drive.drag_over(qtbot, grid.view.text_edit, text, start, start + len("weekly group"))
    mime = grid.view.text_edit.createMimeDataFromSelection()  # what dragging the selection carries
    assert mime.text() == "weekly group" and not mime.hasFormat(SELECTION_MIME)
    themes = window.workbench.themes
    index = themes.proxy.mapFromSource(themes.model.index_of(project.pins.all()[1]))
    point = themes.view.visualRect(index).center()
    enter = QDragEnterEvent(
        point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(themes.view.viewport(), enter)
    assert not enter.isAccepted()  # the tree refuses it: it would have coded the main window's text
    assert project.codings.passages() == []


@MENUS
def test_a_theme_pinned_in_the_main_window_codes_in_the_grid_and_shows_in_its_strip(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    assert window.workbench is not None
    grid = open_grid(window, qtbot)
    training = project.codebook.find("Funding and resources/Training")
    themes = window.workbench.themes
    index = themes.proxy.mapFromSource(themes.model.index_of(training.uuid))
    themes.view.scrollTo(index)
    viewport, rect = themes.view.viewport(), themes.view.visualRect(index)
    point = QPoint(rect.left() + 12, rect.center().y())

    def pin_to_three(menu: QMenu) -> None:
        qtbot.keyClick(menu, Qt.Key.Key_P)  # &Pin to key, then 3
        item = menu.activeAction()
        if item is None or item.menu() is None:
            menu.close()  # no such item: close the menu so that the test fails, not hangs
            return
        drive.when_popup(lambda keys: qtbot.keyClick(keys, Qt.Key.Key_3))

    window.activateWindow()  # back in the main window, as a click there does
    qtbot.waitUntil(window.isActiveWindow)
    drive.when_popup(pin_to_three)
    QApplication.sendEvent(  # what a right click on the theme sends
        viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point))
    )
    qtbot.waitUntil(lambda: project.pins.all().get(3) == training.uuid)
    assert "3 Training" in grid.pin_strip.accessibleDescription()
    grid.activateWindow()
    qtbot.waitUntil(grid.isActiveWindow)
    grid.view.text_edit.setFocus()
    qtbot.keyClick(grid.view.text_edit, Qt.Key.Key_Right, CTRL | SHIFT)
    qtbot.keyClick(grid.view.text_edit, Qt.Key.Key_3)
    assert codings_of(project, 1) == [("Funding and resources/Training", "Having ")]
