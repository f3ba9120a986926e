"""The search panel with real widgets on a real encrypted project: type, press Enter, tick, code."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.services.passage_units import Unit
from jswcoder.services.search import SearchHit
from jswcoder.ui.code_hits_dialog import CodeHitsDialog
from jswcoder.ui.search_panel import HIT_ROLE, SearchPanel
from tests.conftest import write_txt

CANARY = "Quistclose"
FIRST = f"Interviewer: Was the court\norder fair?\nP1: {CANARY} said the court order was fair.\n"
SECOND = "😀 P2: No court order for us. Ùna went to court anyway.\n"


@pytest.fixture
def panel(project: Project, tmp_path: Path, qtbot: QtBot) -> SearchPanel:
    project.transcripts.import_file(write_txt(tmp_path / "inbox", "interview_1.txt", FIRST))
    project.transcripts.import_file(write_txt(tmp_path / "inbox", "interview_2.txt", SECOND))
    project.codebook.add("Justice/Courts")
    project.codebook.add("Relationships")
    shown = SearchPanel(project)
    qtbot.addWidget(shown)
    shown.resize(800, 400)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    return shown


def type_query(qtbot: QtBot, panel: SearchPanel, text: str) -> None:
    panel.query_edit.setFocus()
    qtbot.keyClicks(panel.query_edit, text)
    qtbot.keyClick(panel.query_edit, Qt.Key.Key_Return)


def shown_text(panel: SearchPanel) -> str:
    model = panel.model
    cells = [
        str(model.index(row, column).data() or "")
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    ]
    return "\n".join([*cells, panel.query_edit.text(), panel.status.text()])


def test_typing_a_query_and_enter_lists_the_hits(panel: SearchPanel, qtbot: QtBot) -> None:
    type_query(qtbot, panel, '"court order"')
    assert panel.model.rowCount() == 3
    assert panel.status.text() == "3 hits in 2 transcripts"
    first: SearchHit = panel.model.index(0, 0).data(HIT_ROLE)
    assert (first.transcript_name, first.match) == ("interview_1", "court order")
    assert panel.model.index(0, 0).data() == "interview_1"
    assert "court order" in panel.model.index(0, 1).data()
    assert panel.model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked


def test_no_hits_and_bad_queries_say_so(panel: SearchPanel, qtbot: QtBot) -> None:
    type_query(qtbot, panel, "tribunal")
    assert panel.model.rowCount() == 0 and panel.status.text() == "No hits"
    panel.search('AND ( "')
    assert panel.status.text() == "No hits"  # "and" is a word; it does not occur here
    panel.search("*")
    assert panel.model.rowCount() == 0 and panel.status.text().startswith("Type a word")


def test_the_hit_model_passes_the_model_tester(panel: SearchPanel, qtmodeltester: ModelTester) -> None:
    panel.search("court")
    qtmodeltester.check(panel.model)
    panel.model.toggle(1)
    qtmodeltester.check(panel.model)


def test_enter_and_double_click_on_a_hit_ask_to_open_it(panel: SearchPanel, qtbot: QtBot) -> None:
    panel.search("Ùna")
    hit: SearchHit = panel.model.index(0, 0).data(HIT_ROLE)
    assert SECOND[hit.start : hit.end] == "Ùna" and hit.start == SECOND.index("Ùna")
    panel.results.setFocus()
    with qtbot.waitSignal(panel.hitActivated) as opened:
        qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert opened.args == [hit.transcript_uuid, hit.start, hit.end]
    rect = panel.results.visualRect(panel.model.index(0, 1))
    # A real double-click: press and release first, as the view checks where the press was.
    qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    emitted: list[tuple[str, int, int]] = []
    panel.hitActivated.connect(lambda *args: emitted.append(args))
    with qtbot.waitSignal(panel.hitActivated) as opened:
        qtbot.mouseDClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [hit.transcript_uuid, hit.start, hit.end]
    assert emitted == [(hit.transcript_uuid, hit.start, hit.end)]  # once, not once per click


def open_preview(qtbot: QtBot, panel: SearchPanel) -> CodeHitsDialog:
    qtbot.mouseClick(panel.code_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.preview is not None and panel.preview.isActiveWindow())
    assert panel.preview is not None
    return panel.preview


def test_coding_sends_exactly_the_ticked_hits_after_the_preview(panel: SearchPanel, qtbot: QtBot) -> None:
    type_query(qtbot, panel, "court")
    assert panel.model.rowCount() == 4 and not panel.code_button.isEnabled()
    qtbot.keyClick(panel.query_edit, Qt.Key.Key_Down)
    qtbot.keyClick(panel.results, Qt.Key.Key_Down)
    qtbot.keyClick(panel.results, Qt.Key.Key_Space)  # tick from the keyboard
    qtbot.keyClick(panel.results, Qt.Key.Key_End)
    qtbot.keyClick(panel.results, Qt.Key.Key_Space)
    wanted = [panel.model.index(row, 0).data(HIT_ROLE) for row in (1, 3)]
    assert panel.model.checked_hits() == wanted
    panel.code_combo.setCurrentIndex(panel.code_combo.findText("Justice/Courts"))
    assert panel.code_button.isEnabled() and panel.code_button.text() == "&Code 2 selected hits…"
    preview = open_preview(qtbot, panel)
    qtbot.keyClick(preview, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: preview.unit() is Unit.HIT)
    with qtbot.waitSignal(panel.codeHitsRequested) as requested:
        qtbot.keyClick(preview, Qt.Key.Key_Return)
    code = panel._project.codebook.find("Justice/Courts")
    passages, code_uuid = requested.args
    assert code_uuid == code.uuid
    assert [(p.transcript_uuid, p.start, p.end, p.text) for p in passages] == [
        (h.transcript_uuid, h.start, h.end, h.match) for h in wanted
    ]
    assert panel.preview is None and panel.unit is Unit.HIT  # gone, and the choice kept for next time


def test_declining_the_preview_codes_nothing(panel: SearchPanel, qtbot: QtBot) -> None:
    panel.search("court")
    panel.select_all.click()
    preview = open_preview(qtbot, panel)
    with qtbot.assertNotEmitted(panel.codeHitsRequested):
        qtbot.keyClick(preview, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: panel.preview is None)
    assert panel.unit is Unit.SENTENCE  # a declined choice is not kept


def test_select_all_ticks_every_hit_and_then_none(panel: SearchPanel) -> None:
    panel.search("court")
    panel.select_all.click()
    assert len(panel.model.checked_hits()) == 4
    assert panel.select_all.checkState() == Qt.CheckState.Checked
    panel.model.toggle(0)
    assert panel.select_all.checkState() == Qt.CheckState.PartiallyChecked
    panel.select_all.click()
    assert len(panel.model.checked_hits()) == 4
    panel.select_all.click()
    assert panel.model.checked_hits() == []


def test_the_theme_chooser_follows_the_codebook(panel: SearchPanel) -> None:
    assert [panel.code_combo.itemText(i) for i in range(panel.code_combo.count())] == [
        "Justice",
        "Justice/Courts",
        "Relationships",
    ]
    panel.code_combo.setCurrentIndex(2)
    panel._project.codebook.add("Access/Rural")
    panel.refresh_codes()
    assert panel.code_combo.count() == 5 and panel.code_combo.currentText() == "Relationships"


def test_the_preview_lists_each_passage_under_its_transcript_in_the_theme_colour(
    panel: SearchPanel, qtbot: QtBot
) -> None:
    panel.search("court")
    for row in (0, 3):
        panel.model.toggle(row)
    panel.code_combo.setCurrentIndex(panel.code_combo.findText("Relationships"))
    preview = open_preview(qtbot, panel)
    assert preview.windowTitle() == "Code search hits"
    assert preview.heading.text() == "Code the 2 ticked hits as “Relationships”."
    assert [line for line in preview.preview.toPlainText().splitlines() if line] == [
        "interview_1",
        "Interviewer:  Was the court",  # the speaker, then the sentence (a line is a paragraph here)
        "interview_2",
        "Ùna went to court anyway.",  # its label does not open the line: no turns, no speaker
    ]
    qtbot.keyClick(preview, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: preview.unit() is Unit.HIT)
    assert [line for line in preview.preview.toPlainText().splitlines() if line] == [
        "interview_1",
        "…Interviewer: Was the court order fair? P1: Quistclose said the court order was fair.…",
        "interview_2",
        "…😀 P2: No court order for us. Ùna went to court anyway.…",
    ]
    colour = QColor(panel._project.codebook.colour_of(panel._project.codebook.find("Relationships")))
    cursor = QTextCursor(preview.preview.document())
    cursor.setPosition(preview.preview.toPlainText().index("court") + 1)
    assert cursor.charFormat().background().color().rgb() == colour.rgb()


def test_clear_leaves_no_transcript_text(panel: SearchPanel, qtbot: QtBot) -> None:
    type_query(qtbot, panel, CANARY)
    assert CANARY in shown_text(panel)
    panel.clear()
    assert CANARY not in shown_text(panel)
    assert panel.model.rowCount() == 0 and panel.status.text() == ""
    assert not panel.query_edit.isUndoAvailable()
    assert panel.model.index(0, 0) == QModelIndex()


def test_down_arrow_moves_from_the_query_to_the_hits(panel: SearchPanel, qtbot: QtBot) -> None:
    type_query(qtbot, panel, "court")
    qtbot.keyClick(panel.query_edit, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is panel.results
    assert panel.results.currentIndex().row() == 0


def test_a_theme_deleted_elsewhere_is_said_and_not_coded(panel: SearchPanel, qtbot: QtBot) -> None:
    type_query(qtbot, panel, "court")
    panel.select_all.click()
    panel.code_combo.setCurrentIndex(panel.code_combo.findText("Relationships"))
    panel._project.codebook.delete(panel._project.codebook.find("Relationships").uuid)  # e.g. by a sync
    with qtbot.assertNotEmitted(panel.codeHitsRequested):
        qtbot.mouseClick(panel.code_button, Qt.MouseButton.LeftButton)
    assert panel.preview is None
    assert panel.status.text() == "That theme is no longer in the codebook; choose another."
    assert panel.code_combo.findText("Relationships") == -1
