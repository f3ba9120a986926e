"""The coding workbench end to end: real selections and keypresses, checked in the encrypted store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from jswcoder import templates
from jswcoder.errors import ProjectLocked
from jswcoder.project import Project
from jswcoder.ui import main_window as main_window_module
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.preview_dialog import PreviewDialog
from jswcoder.ui.quick_code import matches
from jswcoder.ui.register_dialog import AddToRegisterDialog
from jswcoder.ui.settings import Settings
from jswcoder.ui.transcripts_panel import COUNT_ROLE
from jswcoder.ui.workbench import in_vivo_name
from tests import ui_drive as drive
from tests.conftest import PASSPHRASE, write_txt

CANARY = "Quistclose"
TEXT = (
    "Interviewer: What helps most? 😀\n"
    f"P1: Keeping the same worker. {CANARY} was there every week, rain or shine.\n"
    "Interviewer: And the office?\n"
    "P1: The office is shared with the police now.\n"
)


@pytest.fixture
def window(project: Project, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    templates.apply(templates.by_key("jsw-study"), project.codebook)
    project.transcripts.import_file(write_txt(tmp_path / "inbox", "interview_7.txt", TEXT))
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    shown = MainWindow(project, settings)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    yield shown
    shown.close_project()


def select(window: MainWindow, phrase: str) -> tuple[int, int]:
    return drive.select(window, TEXT, phrase)


def passages(project: Project) -> list[tuple[str, str]]:
    return [(p.code_path, p.text) for p in project.codings.passages()]


def test_pinned_digit_codes_the_selection_and_undo_redo(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    assert window.workbench is not None
    phrase = "Keeping the same worker."
    select(window, phrase)
    qtbot.keyClick(window.workbench.view.text_edit, Qt.Key.Key_1)
    pinned = project.codebook.find(project.pins.all()[1]).path
    assert passages(project) == [(pinned, phrase)]
    (coding,) = project.codings.passages()
    assert [h.coding_uuid for h in window.workbench.view.highlights_at(coding.coding.start)] == [
        coding.coding.uuid
    ]
    qtbot.keyClick(window.workbench.view.text_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert passages(project) == []
    assert window.workbench.view.highlights_at(coding.coding.start) == []
    window.undo_stack.redo()
    assert project.codings.get(coding.coding.uuid) == coding.coding  # the same coding comes back


def test_quick_code_box_and_drop_on_a_theme(window: MainWindow, qtbot: QtBot, project: Project) -> None:
    assert window.workbench is not None
    select(window, "The office is shared with the police now.")
    drive.quick_code(qtbot, window, "train", Qt.KeyboardModifier.ControlModifier)
    select(window, "shared with the police")
    drive.drop_selection_on(qtbot, window, "Partnership working/Co-location")
    assert sorted(passages(project)) == [
        ("Funding and resources/Training", "The office is shared with the police now."),
        ("Partnership working/Co-location", "shared with the police"),
    ]
    qtbot.waitUntil(lambda: window.workbench is not None and not window.workbench._counts_timer.isActive())
    progress = window.workbench.transcripts.model.item(0, 2)
    covered = len("The office is shared with the police now.") / len(TEXT)
    assert progress.data(COUNT_ROLE) == 2
    assert progress.text() == f"{covered:.0%} · 2"


def test_in_vivo_theme_is_one_undo_step(window: MainWindow, qtbot: QtBot, project: Project) -> None:
    assert window.workbench is not None
    select(window, "rain or shine")
    before = len(project.codebook.all())
    qtbot.keyClick(window.workbench.view.text_edit, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    new = project.codebook.find("Emergent themes/rain or shine")
    assert new.origin == "emergent"
    assert passages(project) == [("Emergent themes/rain or shine", "rain or shine")]
    window.undo_stack.undo()
    assert passages(project) == [] and len(project.codebook.all()) == before


def test_delete_removes_the_coding_under_the_cursor(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    assert window.workbench is not None
    start, _end = select(window, "Keeping the same worker.")
    qtbot.keyClick(window.workbench.view.text_edit, Qt.Key.Key_2)
    window.workbench.view.select_range(start + 3, start + 3 + 1)
    qtbot.keyClick(window.workbench.view.text_edit, Qt.Key.Key_Delete)
    assert passages(project) == []
    window.undo_stack.undo()
    assert [t for _, t in passages(project)] == ["Keeping the same worker."]


def test_without_a_selection_nothing_is_coded(window: MainWindow, qtbot: QtBot, project: Project) -> None:
    assert window.workbench is not None
    edit = window.workbench.view.text_edit
    edit.setTextCursor(QTextCursor(edit.document()))
    qtbot.keyClick(edit, Qt.Key.Key_1)
    assert passages(project) == []
    assert "Select a passage" in window.statusBar().currentMessage()


def _visible_text(root: QWidget) -> str:
    parts = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLabel):
            parts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            parts.append(widget.toPlainText())
        elif isinstance(widget, QLineEdit):
            parts.append(widget.text())
        parts.append(widget.toolTip())
    return "\n".join(parts)


def test_lock_hides_all_text_closes_the_project_and_unlocks(
    window: MainWindow, qtbot: QtBot, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.workbench is not None
    select(window, "Keeping the same worker.")
    qtbot.keyClick(window.workbench.view.text_edit, Qt.Key.Key_1)
    assert CANARY in _visible_text(window)
    folder = project.paths.folder
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.workbench is None and window.lock_screen is not None
    qtbot.waitUntil(lambda: CANARY not in _visible_text(window))
    # The project is closed (the key dropped), but the locked window keeps it: another opener is told.
    with pytest.raises(ProjectLocked):
        Project.open(folder, passphrase=PASSPHRASE)
    monkeypatch.setattr(
        main_window_module,
        "unlock_again",
        lambda path, parent, passphrase=None, held=None: Project.open(path, passphrase=PASSPHRASE, held=held),
    )
    window.unlock()
    assert window.workbench is not None and window.project is not None
    assert [t for _, t in passages(window.project)] == ["Keeping the same worker."]


def test_import_runs_in_a_worker_and_reports(
    window: MainWindow, qtbot: QtBot, project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = write_txt(tmp_path / "more", "interview_8.txt", "Interviewer: Hello.\nP1: Hi there.\n")
    empty = write_txt(tmp_path / "more", "empty.txt", "")
    shown: list[str] = []
    monkeypatch.setattr(
        main_window_module.QMessageBox, "information", lambda parent, title, text: shown.append(text)
    )
    window.import_transcripts([good, empty])
    qtbot.waitUntil(lambda: project.counts()["transcripts"] == 2 and bool(shown))
    assert "Imported 1 of 2 files." in shown[0] and "empty.txt" in shown[0]
    assert window.workbench is not None and window.workbench.transcripts.model.rowCount() == 2


def test_palette_matching_and_in_vivo_names() -> None:
    assert matches("fund train", "Funding and resources/Training")
    assert not matches("fund police", "Funding and resources/Training")
    assert (
        in_vivo_name("  “Rain or shine, she came round every single week.”")
        == "Rain or shine, she came round"
    )
    assert in_vivo_name("a/b") == "a-b"


def test_change_theme_and_fit_boundaries_are_undoable(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    assert window.workbench is not None
    edit = window.workbench.view.text_edit
    select(window, "Keeping the same worker.")
    qtbot.keyClick(edit, Qt.Key.Key_1)
    select(window, "same worker")
    control_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    drive.quick_code(qtbot, window, "train", control_shift)
    assert passages(project) == [("Funding and resources/Training", "Keeping the same worker.")]
    select(window, f"Keeping the same worker. {CANARY}")
    qtbot.keyClick(
        edit, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert passages(project) == [("Funding and resources/Training", f"Keeping the same worker. {CANARY}")]
    window.undo_stack.undo()
    window.undo_stack.undo()
    pinned = project.codebook.find(project.pins.all()[1]).path
    assert passages(project) == [(pinned, "Keeping the same worker.")]
    assert [h.code_name for h in window.workbench.view.highlights_at(TEXT.index("Keeping"))] == [
        pinned.split("/")[-1]
    ]


def test_idle_minutes_are_chosen_and_kept(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MainWindow, "ask_minutes", classmethod(lambda cls, parent, current: 3))
    window._choose_idle_minutes()
    assert window.settings.idle_minutes() == 3
    assert 0 < window.idle.remaining_ms() <= 3 * 60_000


def test_memos_follow_the_transcript_and_are_saved_on_lock(
    window: MainWindow, qtbot: QtBot, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.workbench is not None
    memos = window.workbench.memos
    labels = [memos.target_combo.itemText(i) for i in range(memos.target_combo.count())]
    assert "Transcript: interview_7" in labels
    memos.target_combo.setCurrentIndex(labels.index("Transcript: interview_7"))
    memos.editor.setPlainText("Follow up on the rural travel point.")
    transcript = project.transcripts.find("interview_7")
    qtbot.keyClick(
        window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
    )  # lock before the autosave fires
    monkeypatch.setattr(
        main_window_module,
        "unlock_again",
        lambda path, parent, passphrase=None, held=None: Project.open(path, passphrase=PASSPHRASE, held=held),
    )
    window.unlock()
    assert window.project is not None
    memo = window.project.memos.for_target("transcript", transcript.uuid)
    assert memo is not None and memo.text == "Follow up on the rural travel point."


def test_selection_goes_into_the_register(
    window: MainWindow, qtbot: QtBot, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.workbench is not None
    offered: list[tuple[str, list[str]]] = []

    def ask(
        cls: object, text: str, known: list[str], parent: object = None
    ) -> tuple[str, str, str, list[str]]:
        offered.append((text, known))
        return text, "[JSW WORKER]", "PERSON", []

    monkeypatch.setattr(AddToRegisterDialog, "ask", classmethod(ask))
    select(window, CANARY)
    qtbot.keyClick(window.workbench.view.text_edit, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert offered == [(CANARY, [])]
    assert [(e.text, e.replacement, e.category) for e in project.register.entries()] == [
        (CANARY, "[JSW WORKER]", "PERSON")
    ]


def test_lock_closes_an_open_dialog_first(window: MainWindow, qtbot: QtBot, project: Project) -> None:
    assert window.workbench is not None
    preview = PreviewDialog("interview_7", project.anonymiser.preview("interview_7"), window)
    preview.open()  # window-modal, like every dialog the app shows
    qtbot.waitUntil(preview.isVisible)
    window.lock()
    assert not preview.isVisible()
    assert CANARY not in _visible_text(window)
