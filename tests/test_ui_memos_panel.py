"""The memo panel with real widgets on a real encrypted project: type, switch, empty, flush, clear."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.ui.memos_panel import MemosPanel
from tests.conftest import write_txt

CANARY = "Quistclose"
TEXT = f"Interviewer: Was it fair?\nP1: {CANARY} said the court order was fair in the end.\n"


class Setup:
    def __init__(self, project: Project, panel: MemosPanel, ids: dict[str, str]) -> None:
        self.project = project
        self.panel = panel
        self.ids = ids

    def memo_text(self, kind: str, uuid: str | None) -> str | None:
        memo = self.project.memos.for_target(kind, uuid)  # type: ignore[arg-type]
        return None if memo is None else memo.text

    def choose(self, label_start: str) -> None:
        combo = self.panel.target_combo
        labels = [combo.itemText(i) for i in range(combo.count())]
        index = next(i for i, label in enumerate(labels) if label.startswith(label_start))
        combo.setCurrentIndex(index)


@pytest.fixture
def setup(project: Project, tmp_path: Path, qtbot: QtBot) -> Setup:
    first, _ = project.transcripts.import_file(write_txt(tmp_path / "inbox", "interview_1.txt", TEXT))
    second, _ = project.transcripts.import_file(write_txt(tmp_path / "inbox", "interview_2.txt", "P2: No.\n"))
    code = project.codebook.add("Justice/Courts")
    start = TEXT.index(CANARY)
    coding, _ = project.codings.add(first.uuid, start, start + 50, code.uuid)
    panel = MemosPanel(project)
    qtbot.addWidget(panel)
    panel.resize(360, 300)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    panel.set_targets(transcript_uuid=first.uuid, code_uuid=code.uuid, coding_uuid=coding.uuid)
    ids = {"transcript": first.uuid, "second": second.uuid, "code": code.uuid, "coding": coding.uuid}
    return Setup(project, panel, ids)


def type_memo(qtbot: QtBot, panel: MemosPanel, text: str) -> None:
    panel.editor.setFocus()
    qtbot.keyClicks(panel.editor, text)


def test_lists_the_targets_that_are_set(setup: Setup) -> None:
    combo = setup.panel.target_combo
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels == [
        "Project",
        "Transcript: interview_1",
        "Theme: Justice/Courts",
        f"Coding: “{CANARY} said the court order was fai…”",
    ]
    assert combo.currentText() == "Project"
    setup.panel.set_targets(transcript_uuid=setup.ids["second"], code_uuid=None, coding_uuid=None)
    assert [combo.itemText(i) for i in range(combo.count())] == ["Project", "Transcript: interview_2"]


def test_typing_autosaves_after_a_pause(setup: Setup, qtbot: QtBot) -> None:
    panel = setup.panel
    type_memo(qtbot, panel, "Sampling: four councils")
    assert panel.status_label.text() == "Saving…"
    assert setup.memo_text("project", None) is None  # not yet: it waits for a pause
    qtbot.waitUntil(lambda: setup.memo_text("project", None) == "Sampling: four councils")
    assert panel.status_label.text() == "Saved"


def test_switching_target_saves_at_once_and_loads_the_other_memo(setup: Setup, qtbot: QtBot) -> None:
    setup.project.memos.save("code", setup.ids["code"], "Courts: a theme to watch")
    panel = setup.panel
    setup.choose("Transcript:")
    type_memo(qtbot, panel, "Long pauses here")
    setup.choose("Theme:")  # straight away, before the autosave timer
    assert setup.memo_text("transcript", setup.ids["transcript"]) == "Long pauses here"
    assert panel.editor.toPlainText() == "Courts: a theme to watch"
    assert panel.status_label.text() == "Saved"

    setup.choose("Transcript:")
    assert panel.editor.toPlainText() == "Long pauses here"
    assert setup.memo_text("project", None) is None


def test_each_target_keeps_its_own_memo(setup: Setup, qtbot: QtBot) -> None:
    panel = setup.panel
    for label in ("Project", "Transcript:", "Theme:", "Coding:"):
        setup.choose(label)
        type_memo(qtbot, panel, f"about {label}")
    panel.flush()
    assert setup.memo_text("project", None) == "about Project"
    assert setup.memo_text("transcript", setup.ids["transcript"]) == "about Transcript:"
    assert setup.memo_text("code", setup.ids["code"]) == "about Theme:"
    assert setup.memo_text("coding", setup.ids["coding"]) == "about Coding:"


def test_emptying_the_text_deletes_the_memo(setup: Setup, qtbot: QtBot) -> None:
    setup.project.memos.save("coding", setup.ids["coding"], "Check this quote")
    panel = setup.panel
    setup.choose("Coding:")
    assert panel.editor.toPlainText() == "Check this quote"
    panel.editor.setFocus()
    qtbot.keyClick(panel.editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.editor, Qt.Key.Key_Delete)
    assert panel.editor.toPlainText() == ""
    qtbot.waitUntil(lambda: setup.memo_text("coding", setup.ids["coding"]) is None)
    assert setup.project.memos.all() == []


def test_flush_saves_pending_text_at_once(setup: Setup, qtbot: QtBot) -> None:
    type_memo(qtbot, setup.panel, "Before the lock")
    assert setup.memo_text("project", None) is None
    setup.panel.flush()
    assert setup.memo_text("project", None) == "Before the lock"
    assert setup.panel.status_label.text() == "Saved"


def test_leaving_the_editor_saves(setup: Setup, qtbot: QtBot) -> None:
    type_memo(qtbot, setup.panel, "Then I clicked away")
    assert setup.memo_text("project", None) is None
    setup.panel.target_combo.setFocus()
    qtbot.waitUntil(lambda: setup.memo_text("project", None) == "Then I clicked away", timeout=500)


def test_loading_a_memo_does_not_count_as_an_edit(setup: Setup, qtbot: QtBot) -> None:
    before = setup.project.memos.save("code", setup.ids["code"], "Unchanged")
    setup.choose("Theme:")
    assert setup.panel.status_label.text() == "Saved"
    setup.panel.flush()
    assert setup.project.memos.for_target("code", setup.ids["code"]) == before


def test_when_the_target_goes_away_it_falls_back_to_the_project(setup: Setup, qtbot: QtBot) -> None:
    setup.project.memos.save("project", None, "Project memo")
    panel = setup.panel
    setup.choose("Transcript:")
    type_memo(qtbot, panel, "About interview 1")
    panel.set_targets(transcript_uuid=setup.ids["second"], code_uuid=setup.ids["code"], coding_uuid=None)
    assert setup.memo_text("transcript", setup.ids["transcript"]) == "About interview 1"
    assert panel.target_combo.currentText() == "Project"
    assert panel.editor.toPlainText() == "Project memo"


def test_a_target_still_set_stays_chosen(setup: Setup, qtbot: QtBot) -> None:
    panel = setup.panel
    setup.choose("Theme:")
    type_memo(qtbot, panel, "Still here")
    panel.set_targets(transcript_uuid=None, code_uuid=setup.ids["code"], coding_uuid=None)
    assert panel.target_combo.currentText() == "Theme: Justice/Courts"
    assert panel.editor.toPlainText() == "Still here"
    assert setup.memo_text("code", setup.ids["code"]) == "Still here"


def test_a_deleted_target_is_not_offered(setup: Setup) -> None:
    setup.project.codings.remove(setup.ids["coding"])
    setup.panel.set_targets(
        transcript_uuid=setup.ids["transcript"], code_uuid=None, coding_uuid=setup.ids["coding"]
    )
    combo = setup.panel.target_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Project", "Transcript: interview_1"]


def test_clear_saves_then_leaves_no_memo_text_in_the_widgets(setup: Setup, qtbot: QtBot) -> None:
    panel = setup.panel
    setup.choose("Coding:")
    type_memo(qtbot, panel, "Private thought")
    panel.clear()
    assert setup.memo_text("coding", setup.ids["coding"]) == "Private thought"  # saved, not lost
    shown = [panel.editor.toPlainText(), panel.status_label.text()]
    shown += [panel.target_combo.itemText(i) for i in range(panel.target_combo.count())]
    assert all("Private" not in text and CANARY not in text for text in shown)
    assert panel.editor.toPlainText() == ""
    assert not panel.editor.isEnabled()
    # Clearing must not count as emptying the memo.
    qtbot.wait(50)
    assert setup.memo_text("coding", setup.ids["coding"]) == "Private thought"
    panel.set_targets(transcript_uuid=None, code_uuid=None, coding_uuid=setup.ids["coding"])
    assert panel.editor.isEnabled()
    assert panel.target_combo.currentText() == "Project"


def test_accessible_names_and_tab_order(setup: Setup, qtbot: QtBot) -> None:
    panel = setup.panel
    assert panel.target_combo.accessibleName() == "Memo about"
    assert panel.editor.accessibleName() == "Memo text"
    panel.target_combo.setFocus()
    qtbot.waitUntil(panel.target_combo.hasFocus)
    qtbot.keyClick(panel.target_combo, Qt.Key.Key_Tab)
    qtbot.waitUntil(panel.editor.hasFocus)


def test_keyboard_switches_target(setup: Setup, qtbot: QtBot) -> None:
    panel = setup.panel
    type_memo(qtbot, panel, "Typed then switched by keyboard")
    panel.target_combo.setFocus()
    qtbot.keyClick(panel.target_combo, Qt.Key.Key_Down)
    assert panel.target_combo.currentText() == "Transcript: interview_1"
    assert setup.memo_text("project", None) == "Typed then switched by keyboard"
    assert panel.editor.toPlainText() == ""


def test_screenshot(setup: Setup, qtbot: QtBot, tmp_path: Path) -> None:
    setup.choose("Coding:")
    type_memo(qtbot, setup.panel, "Strong quote for the report.")
    qtbot.keyClick(setup.panel.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(setup.panel.editor, "Ask the team whether it identifies him.")
    qtbot.waitUntil(lambda: setup.panel.status_label.text() == "Saved")
    image = setup.panel.grab()
    assert not image.isNull()
    image.save(str(tmp_path / "memos_panel.png"))
