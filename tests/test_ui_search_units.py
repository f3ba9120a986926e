"""Search hits coded by sentence and by speaker turn in the real window, by keys: what the preview
highlights is exactly what is coded, two hits in one sentence code it once, and Ctrl+Z undoes it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QBrush, QFont, QTextDocument
from PySide6.QtWidgets import QApplication, QTextBrowser
from pytestqt.qtbot import QtBot

from jswcoder import templates
from jswcoder.project import Project
from jswcoder.services.passage_units import Unit
from jswcoder.ui.code_hits_dialog import LINE_SEPARATOR, CodeHitsDialog
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.search_panel import SearchPanel
from jswcoder.ui.settings import Settings
from tests import ui_drive as drive
from tests.conftest import write_txt

CANARY = "Quistclose"
TEXT = (
    "Interviewer: What worries you about the order?\n"
    f"P1: Mr. Reid said the risk was low, a low risk. I wasn't sure… the risk felt real to me.\n"
    f"{CANARY} phoned my worker.\n"
    "Interviewer: And now?\n"
    "P1: Now it's fine. The risk, e.g. of losing the flat, has gone.\n"
)
THEME = "Risk"  # typed into the theme chooser: its keyboard search stops at a space
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(project: Project, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    templates.apply(templates.by_key("jsw-study"), project.codebook)
    project.codebook.add(THEME)
    project.transcripts.import_file(write_txt(tmp_path / "inbox", "interview_3.txt", TEXT))
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    shown = drive.shown(qtbot, MainWindow(project, settings))
    yield shown
    shown.close_project()


def highlighted(preview: QTextBrowser) -> list[tuple[str, list[str]]]:
    """Each highlighted run of the preview (what it says will be coded), with its bold words."""
    runs: list[tuple[str, list[str]]] = []
    document: QTextDocument = preview.document()
    block = document.begin()
    while block.isValid():
        run: tuple[str, list[str]] | None = None
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            text = fragment.text().replace(LINE_SEPARATOR, "\n")
            marked = fragment.charFormat().background() != QBrush()
            if marked:
                bold = fragment.charFormat().fontWeight() == QFont.Weight.Bold
                run = (
                    (run[0] + text, run[1] + ([text] if bold else []))
                    if run
                    else (text, [text] if bold else [])
                )
            elif run is not None:
                runs.append(run)
                run = None
            it += 1
        if run is not None:
            runs.append(run)
        block = block.next()
    return runs


def coded(project: Project) -> list[str]:
    return sorted(p.text for p in project.codings.passages() if p.code_path == THEME)


def search_and_tick_all(qtbot: QtBot, window: MainWindow, query: str) -> SearchPanel:
    """Ctrl+F, type the query, Enter; Down into the hits and Space on each; choose the theme by typing."""
    assert window.workbench is not None
    panel = window.workbench.search
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is panel.query_edit
    qtbot.keyClicks(panel.query_edit, query)
    qtbot.keyClick(panel.query_edit, Qt.Key.Key_Return)
    qtbot.keyClick(panel.query_edit, Qt.Key.Key_Down)
    for row in range(panel.model.rowCount()):
        if row:
            qtbot.keyClick(panel.results, Qt.Key.Key_Down)
        qtbot.keyClick(panel.results, Qt.Key.Key_Space)
    qtbot.keyClicks(panel.code_combo, THEME)
    assert panel.code_combo.currentText() == THEME
    return panel


def open_preview(qtbot: QtBot, panel: SearchPanel) -> CodeHitsDialog:
    qtbot.keyClick(panel.code_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: panel.preview is not None and panel.preview.isVisible())
    assert panel.preview is not None
    preview = panel.preview
    qtbot.waitUntil(preview.isActiveWindow)
    return preview


def closed(qtbot: QtBot, window: MainWindow, panel: SearchPanel) -> None:
    """The preview gone, and the window active again (a window manager's work; offscreen has none)."""
    qtbot.waitUntil(lambda: panel.preview is None)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def pick(qtbot: QtBot, preview: CodeHitsDialog, key: Qt.Key, unit: Unit) -> None:
    """Alt and the unit's access key; a button's access key clicks it a moment later."""
    qtbot.keyClick(preview, key, ALT)
    qtbot.waitUntil(lambda: preview.unit() is unit)


def test_hits_coded_by_sentence_code_what_the_preview_showed_once_each(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    panel = search_and_tick_all(qtbot, window, "risk")
    assert len(panel.model.checked_hits()) == 4
    preview = open_preview(qtbot, panel)
    assert preview.unit() is Unit.SENTENCE  # the sentence at first
    pick(qtbot, preview, Qt.Key.Key_P, Unit.PARAGRAPH)  # look at the paragraphs, then the sentences
    assert [text for text, _ in highlighted(preview.preview)] == [
        "Mr. Reid said the risk was low, a low risk. I wasn't sure… the risk felt real to me.",
        "Now it's fine. The risk, e.g. of losing the flat, has gone.",
    ]
    pick(qtbot, preview, Qt.Key.Key_S, Unit.SENTENCE)
    shown = highlighted(preview.preview)
    assert shown == [
        ("Mr. Reid said the risk was low, a low risk.", ["risk", "risk"]),
        ("I wasn't sure… the risk felt real to me.", ["risk"]),
        ("The risk, e.g. of losing the flat, has gone.", ["risk"]),
    ]
    assert preview.code_button.text() == "Code 3 sentences"
    assert "4 hits: 3 sentences to code; hits that share a sentence code it once" in preview.summary.text()
    qtbot.keyClick(preview, Qt.Key.Key_Return)
    closed(qtbot, window, panel)
    assert coded(project) == sorted(text for text, _ in shown)
    assert len(project.codings.passages()) == 3
    status = window.statusBar().currentMessage()
    assert "Coded 3 passages" in status and "Ctrl+Z" in status
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)  # one step undoes them all
    assert coded(project) == []


def test_hits_coded_by_speaker_turn_leave_out_the_label(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    panel = search_and_tick_all(qtbot, window, "risk")
    preview = open_preview(qtbot, panel)
    pick(qtbot, preview, Qt.Key.Key_T, Unit.TURN)
    shown = [text for text, _ in highlighted(preview.preview)]
    assert shown == [
        "Mr. Reid said the risk was low, a low risk. I wasn't sure… the risk felt real to me.\n"
        f"{CANARY} phoned my worker.",
        "Now it's fine. The risk, e.g. of losing the flat, has gone.",
    ]
    assert "P1" in preview.preview.toPlainText()  # the speaker is named above each turn
    assert preview.code_button.text() == "Code 2 speaker turns"
    qtbot.keyClick(preview, Qt.Key.Key_Return)
    closed(qtbot, window, panel)
    assert coded(project) == sorted(shown)
    # The choice is remembered: the next preview opens at the speaker turn.
    panel = search_and_tick_all(qtbot, window, "worker")
    preview = open_preview(qtbot, panel)
    assert [text for text, _ in highlighted(preview.preview)] == [shown[0]]
    pick(qtbot, preview, Qt.Key.Key_W, Unit.HIT)
    assert highlighted(preview.preview) == [("worker", ["worker"])]
    assert "phoned my" in preview.preview.toPlainText()  # the words found are shown in their context
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    closed(qtbot, window, panel)
    assert coded(project) == sorted(shown)  # declined: nothing more


def test_the_idle_lock_takes_the_preview_and_its_text(window: MainWindow, qtbot: QtBot) -> None:
    panel = search_and_tick_all(qtbot, window, CANARY)
    preview = open_preview(qtbot, panel)
    assert CANARY in preview.preview.toPlainText()
    window.idle.set_interval_ms(200)  # the idle lock, after 0.2 s without input
    qtbot.waitUntil(lambda: window.workbench is None, timeout=5000)
    assert QApplication.activeModalWidget() is None
    texts = [
        w.toPlainText() if isinstance(w, QTextBrowser) else getattr(w, "text", lambda: "")()
        for w in QApplication.allWidgets()
        if w.isVisible()
    ]
    assert texts and not any(CANARY in str(text) for text in texts)
