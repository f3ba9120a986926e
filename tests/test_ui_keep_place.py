"""Your place survives (issue 15, item 4): a lock and an unlock, and a sync, leave the window where it
was: the same transcript, scrolled to the same place, with the same panel tab and search; a sync keeps
the undo history too. Real windows, real keys, a real encrypted project and exchange folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from jswcoder import templates
from jswcoder.project import Project
from jswcoder.team.lead_sync import sync_lead
from jswcoder.team.merge import merge_code_into
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.place import first_in_view
from jswcoder.ui.settings import Settings
from jswcoder.ui.team_actions import TeamActions
from jswcoder.ui.transcripts_panel import UUID_ROLE
from tests import ui_drive as drive
from tests.conftest import PASSPHRASE, admit, join_team, make_project, write_txt

CTRL = Qt.KeyboardModifier.ControlModifier
SYNC = (Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
SHORT = "Interviewer: Hello.\nP1: A short one about the allotment.\n"
# A long transcript, so that there is somewhere to scroll to; the search word is near its end.
LONG = (
    "".join(
        f"Interviewer: Question {n}?\nP1: Answer {n}, about the group and the worker and the office.\n"
        for n in range(1, 120)
    )
    + "P1: At the very end the lighthouse keeper came round.\n"
)


@pytest.fixture(autouse=True)
def no_thread_left() -> Iterator[None]:
    yield
    # Every job has ended by the end of the test (closing the window waits for one): within moments.
    assert QThreadPool.globalInstance().waitForDone(2_000)


def _window(qtbot: QtBot, project: Project, tmp_path: Path) -> MainWindow:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(project, settings)
    window.resize(1200, 800)
    return drive.shown(qtbot, window)


def _click_transcript(qtbot: QtBot, window: MainWindow, name: str) -> None:
    assert window.workbench is not None
    view = window.workbench.transcripts.view
    model = view.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == name)
    rect = view.visualRect(model.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.workbench is not None and window.workbench.current is not None)
    assert window.workbench.current is not None and window.workbench.current.name == name
    assert model.index(row, 0).data(UUID_ROLE) == window.workbench.current.uuid


def _settled() -> None:
    """Let the layout that a coding or a click has set going finish (the scroll bar may come and go),
    so that what is seen is what the user sees."""
    QApplication.sendPostedEvents()
    QApplication.processEvents()


def _click_tab(qtbot: QtBot, window: MainWindow, title: str) -> None:
    assert window.workbench is not None
    tabs = window.workbench.tabs
    bar = tabs.tabBar()
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index


def test_lock_and_unlock_keep_the_transcript_its_scroll_position_the_tab_and_the_search(
    qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    project.transcripts.import_file(write_txt(tmp_path / "in", "a_short.txt", SHORT))
    project.transcripts.import_file(write_txt(tmp_path / "in", "b_long.txt", LONG))
    project.forget_key()  # the keychain does not hold it: the lock screen asks for the passphrase
    window = _window(qtbot, project, tmp_path)
    try:
        _click_transcript(qtbot, window, "b_long")
        assert window.workbench is not None
        edit = window.workbench.view.text_edit
        edit.setFocus()
        for _ in range(6):
            qtbot.keyClick(edit, Qt.Key.Key_PageDown)
        _settled()
        top = first_in_view(edit)
        caret = edit.textCursor().position()
        assert top > 0 and caret > 0
        qtbot.keyClick(window, Qt.Key.Key_F, CTRL)  # search, and leave its results on show
        query = window.workbench.search.query_edit
        qtbot.waitUntil(query.hasFocus)
        qtbot.keyClicks(query, "lighthouse")
        qtbot.keyClick(query, Qt.Key.Key_Return)
        assert window.workbench.search.model.rowCount() == 1
        _click_tab(qtbot, window, "Memos")
        tab = window.workbench.tabs.currentIndex()
        edit.setFocus()

        qtbot.keyClick(window, Qt.Key.Key_L, CTRL)
        assert window.workbench is None and window.lock_screen is not None
        # Nothing of the search stays in the window while it is locked.
        assert all("lighthouse" not in field.text() for field in window.findChildren(QLineEdit))
        field = window.lock_screen.passphrase
        qtbot.waitUntil(field.isVisible)
        field.setFocus()
        qtbot.keyClicks(field, PASSPHRASE)
        qtbot.keyClick(field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.workbench is not None)

        bench = window.workbench
        assert bench is not None and bench.current is not None
        assert bench.current.name == "b_long"
        edit = bench.view.text_edit
        assert first_in_view(edit) == top and edit.textCursor().position() == caret
        assert bench.tabs.currentIndex() == tab
        assert bench.search.query_edit.text() == "lighthouse" and bench.search.model.rowCount() == 1
        window.grab().save(str(tmp_path / "after_unlock.png"))
    finally:
        window.close_project()


def test_a_sync_keeps_the_place_and_the_undo_history(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fieldworker codes, syncs (Ctrl+Shift+S), and Ctrl+Z still undoes the coding, in place."""
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(
        TeamActions, "tell", classmethod(lambda cls, parent, title, text: told.append((title, text)))
    )
    stick = tmp_path / "stick"
    stick.mkdir()
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead.team.create("JSW team")
    templates.apply(templates.by_key("jsw-study"), lead.codebook)
    ailsa, _ = make_project(tmp_path / "ailsa", coder="Ailsa")
    join_team(ailsa, lead.team.team_file())
    lead.close()
    ailsa.transcripts.import_file(write_txt(tmp_path / "in", "a_short.txt", SHORT))
    ailsa.transcripts.import_file(write_txt(tmp_path / "in", "b_long.txt", LONG))
    ailsa.register.dismiss([c.text for c in ailsa.register.suggestions()])
    window = _window(qtbot, ailsa, tmp_path)
    window.settings.set_exchange_folder(ailsa.uuid, stick)
    try:
        _click_transcript(qtbot, window, "b_long")
        assert window.workbench is not None
        drive.select(window, LONG, "the lighthouse keeper came round")
        edit = window.workbench.view.text_edit
        qtbot.keyClick(edit, Qt.Key.Key_1)
        assert [p.text for p in ailsa.codings.passages()] == ["the lighthouse keeper came round"]
        _settled()
        window.grab().save(str(tmp_path / "before_sync.png"))
        top, caret = first_in_view(edit), edit.textCursor().position()
        assert top > 0

        qtbot.keyClick(window, *SYNC)
        qtbot.waitUntil(lambda: bool(told))  # the outcome is told once the sync has ended
        assert told[-1][0] == "Sync" and "Sent package 1." in told[-1][1]
        assert ailsa.team.membership().next_sequence == 2  # it really went

        bench = window.workbench
        assert bench is not None and bench.current is not None and bench.current.name == "b_long"
        window.grab().save(str(tmp_path / "after_sync.png"))
        assert first_in_view(edit) == top and edit.textCursor().position() == caret
        qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)
        assert ailsa.codings.passages() == []  # the coding made before the sync, undone
        assert bench.view.highlights_at(LONG.index("lighthouse")) == []
    finally:
        window.close_project()


def _code_with(qtbot: QtBot, window: MainWindow, path: str, phrase: str) -> None:
    """Click the theme *path* in the tree, select *phrase* in the text, and press Ctrl+Enter."""
    assert window.workbench is not None
    themes = window.workbench.themes
    themes.select_code(themes.project.codebook.find(path).uuid)  # scrolled into view
    view = themes.view
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.currentIndex()).center()
    )
    assert themes.current_code_uuid() == themes.project.codebook.find(path).uuid
    drive.select(window, LONG, phrase)
    qtbot.keyClick(window.workbench.view.text_edit, Qt.Key.Key_Return, CTRL)


def test_a_sync_drops_only_the_undo_steps_that_name_what_it_changed(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fieldworker codes with a team theme, then with her own theme; the lead folds her theme into a team
    theme, and her next sync takes that: the step that coded with her theme is dropped from the undo
    history (it names a theme that is gone), and Ctrl+Z undoes the one before it, which still applies."""
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(
        TeamActions, "tell", classmethod(lambda cls, parent, title, text: told.append((title, text)))
    )
    stick = tmp_path / "stick"
    stick.mkdir()
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    templates.apply(templates.by_key("jsw-study"), lead.codebook)
    lead.team.create("JSW team")
    ailsa, _ = make_project(tmp_path / "ailsa", coder="Ailsa")
    join_team(ailsa, lead.team.team_file())
    ailsa.codebook.add("Lighthouse")  # her own theme, not the team's
    ailsa.transcripts.import_file(write_txt(tmp_path / "in", "b_long.txt", LONG))
    ailsa.register.dismiss([c.text for c in ailsa.register.suggestions()])
    window = _window(qtbot, ailsa, tmp_path)
    window.settings.set_exchange_folder(ailsa.uuid, stick)
    try:
        assert window.workbench is not None
        edit = window.workbench.view.text_edit
        _code_with(qtbot, window, "Ethos and approach/Core values", "Answer 3, about the group")
        _code_with(qtbot, window, "Lighthouse", "the lighthouse keeper came round")
        assert sorted(p.code_path for p in ailsa.codings.passages()) == [
            "Ethos and approach/Core values",
            "Lighthouse",
        ]
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window, *SYNC)  # registers her, and sends both codings
        qtbot.waitUntil(lambda: bool(told))

        admit(lead, stick, ailsa)
        sync_lead(lead, stick)
        mine = ailsa.codebook.find("Lighthouse").uuid
        merge_code_into(lead, mine, lead.codebook.find("Ethos and approach/Core values").uuid)
        sync_lead(lead, stick)  # the team file now says her theme is the team's "Core values"

        told.clear()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window, *SYNC)
        qtbot.waitUntil(lambda: bool(told))
        assert [c.path for c in ailsa.codebook.all() if c.uuid == mine] == []  # folded in
        assert "Code as “Lighthouse”" in window.statusBar().currentMessage()

        edit.setFocus()
        qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)  # the step before it: the team theme's coding
        assert [p.text for p in ailsa.codings.passages()] == ["the lighthouse keeper came round"]
        assert not window.undo_stack.canUndo()
    finally:
        window.close_project()
        lead.close()
