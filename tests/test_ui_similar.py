"""Passages like this in the Search tab (issue 20, item 2): the demo project in the real window, the real model,
real keys. Select words, press Ctrl+Shift+F, the passage they paraphrase comes near the top; Enter opens it;
Space ticks two, a digit codes both in one step that one Ctrl+Z takes back; the filters change what is
found; without the assistance part the pane says what to install."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from jswcoder import demo
from jswcoder.assist import model
from jswcoder.project import Project
from jswcoder.services.assistance import SimilarPassage
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.quick_code import QuickCodePalette
from jswcoder.ui.settings import Settings
from jswcoder.ui.similar_model import PASSAGE_ROLE
from jswcoder.ui.similar_panel import SimilarPanel
from jswcoder.ui.workbench import Workbench
from tests import ui_drive as drive
from tests.conftest import FAST_KDF

pytestmark = pytest.mark.skipif(bool(model.missing()), reason="the assistance part is not installed")

LIKE = (Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
# Words of the team leader's interview (demo 02) that paraphrase what the client (demo 04) says of his worker.
CLIENT = "Client interview 4"
EXPECTED = "he moved my appointments to a Friday afternoon so I wouldn't lose shifts"
PARAPHRASE = "My worker changed our meeting times so that I could keep my job on the building site"


@pytest.fixture(autouse=True)
def no_thread_left() -> Iterator[None]:
    yield
    assert QThreadPool.globalInstance().waitForDone(5_000)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    project = demo.create(tmp_path / "demo", kdf=FAST_KDF)
    project.assistance.update()  # indexed as the keeper would have (its own tests show it doing so)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    shown = MainWindow(project, settings)
    shown.resize(1400, 860)
    drive.shown(qtbot, shown)
    qtbot.waitUntil(lambda: not shown.index_keeper.running and not shown.index_keeper._timer.isActive())
    yield shown
    shown.close_project()


def bench(window: MainWindow) -> Workbench:
    assert window.workbench is not None
    return window.workbench


def results(panel: SimilarPanel) -> list[SimilarPassage]:
    return [panel.model.index(row).data(PASSAGE_ROLE) for row in range(panel.model.rowCount())]


def wait_results(qtbot: QtBot, panel: SimilarPanel) -> list[SimilarPassage]:
    qtbot.waitUntil(lambda: not panel.busy and panel.model.rowCount() > 0, timeout=20_000)
    return results(panel)


def open_named(window: MainWindow, name: str) -> tuple[str, str]:
    """Open the transcript whose participant is *name* (or whose name it is): its UUID and text."""
    project = bench(window).project
    for transcript in project.transcripts.all():
        participant = project.transcripts.participant(transcript)
        if name in (transcript.name, participant.attribution if participant else None):
            bench(window).open_transcript(transcript.uuid)
            return transcript.uuid, project.transcripts.text_of(transcript.uuid)
    raise AssertionError(name)


def type_like(qtbot: QtBot, window: MainWindow, words: str) -> SimilarPanel:
    """Ctrl+Shift+F with nothing selected: the Like box takes the typed words; Enter finds."""
    work = bench(window)
    work.view.text_edit.setFocus()
    work.view.text_edit.moveCursor(work.view.text_edit.textCursor().MoveOperation.Start)
    qtbot.keyClick(work.view.text_edit, *LIKE)
    panel = work.similar
    qtbot.waitUntil(panel.query_edit.hasFocus)
    qtbot.keyClicks(panel.query_edit, words)
    qtbot.keyClick(panel.query_edit, Qt.Key.Key_Return)
    return panel


def test_a_selection_and_ctrl_shift_f_find_its_paraphrase_near_the_top(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    work = bench(window)
    project = work.project
    # The paraphrase, in a transcript of its own, selected in the text as a person would.
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes.txt").write_text(f"Interviewer: And then?\nP1: {PARAPHRASE}.\n", encoding="utf-8")
    window.import_transcripts([folder / "notes.txt"])
    qtbot.waitUntil(lambda: window.jobs.running is None and len(project.transcripts.all()) == 5)
    notes = next(t for t in project.transcripts.all() if t.name == "notes")
    work.open_transcript(notes.uuid)
    text = project.transcripts.text_of(notes.uuid)
    drive.select(window, text, PARAPHRASE)
    qtbot.keyClick(work.view.text_edit, *LIKE)
    found = wait_results(qtbot, work.similar)
    assert (
        work.tabs.currentWidget() is work.search_tab and work.search_tab.stack.currentWidget() is work.similar
    )
    top3 = [p.text for p in found[:3]]
    assert any(EXPECTED in passage for passage in top3), top3
    first = next(p for p in found if EXPECTED in p.text)
    assert first.attribution == CLIENT
    assert 0.3 < first.score <= 1.0
    assert all(p.transcript_uuid != notes.uuid or p.start >= len(text) for p in found)  # itself left out
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)
    assert work.similar.status.text().startswith(f"{len(found)} passages like the selection in notes")
    window.grab().save("/tmp/similar_selection.png")

    # The keys are in the results now: Down to the expected one, Enter opens it, selected, in the text.
    results_view = work.similar.results
    qtbot.waitUntil(results_view.hasFocus)
    for _ in range(found.index(first)):
        qtbot.keyClick(results_view, Qt.Key.Key_Down)
    qtbot.keyClick(results_view, Qt.Key.Key_Return)
    assert work.current is not None and work.current.uuid == first.transcript_uuid
    assert work.view.selected_range() == (first.start, first.end)
    assert EXPECTED in work.view.text_edit.textCursor().selectedText()


def test_tick_two_with_space_code_with_a_digit_and_one_undo_takes_both_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    work = bench(window)
    project = work.project
    panel = type_like(qtbot, window, "being treated as a person, not a case")
    found = wait_results(qtbot, panel)
    assert len(found) >= 3
    before = {(c.transcript_uuid, c.start, c.end, c.code_uuid) for c in _all_codings(project)}
    panel.results.setFocus()
    panel.results.setCurrentIndex(panel.model.index(0))
    qtbot.keyClick(panel.results, Qt.Key.Key_Space)
    qtbot.keyClick(panel.results, Qt.Key.Key_Down)
    qtbot.keyClick(panel.results, Qt.Key.Key_Down)
    qtbot.keyClick(panel.results, Qt.Key.Key_Space)
    ticked = panel.model.checked()
    assert ticked == [found[0], found[2]]
    pinned = project.pins.all()[3]
    qtbot.keyClick(panel.results, Qt.Key.Key_3)
    after = {(c.transcript_uuid, c.start, c.end, c.code_uuid) for c in _all_codings(project)}
    new = after - before
    assert new == {(p.transcript_uuid, p.start, p.end, pinned) for p in ticked} - before
    assert len(new) >= 1 and panel.model.checked() == []  # the ticks go once they are coded
    assert window.undo_stack.count() == 1
    assert "like this" in window.undo_stack.text(0)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert {(c.transcript_uuid, c.start, c.end, c.code_uuid) for c in _all_codings(project)} == before


def _all_codings(project: Project) -> list:  # type: ignore[type-arg]
    return [c for t in project.transcripts.all() for c in project.codings.of_transcript(t.uuid)]


def test_filters_change_what_is_found(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    work = bench(window)
    project = work.project
    panel = type_like(qtbot, window, "support from the worker when things were hard")
    everywhere = wait_results(qtbot, panel)
    assert len({p.transcript_uuid for p in everywhere}) > 1

    # One transcript.
    client = next(
        t
        for t in project.transcripts.all()
        if (p := project.transcripts.participant(t)) and p.attribution == CLIENT
    )
    combo = panel.transcript_combo
    combo.setCurrentIndex(combo.findData(client.uuid))
    combo.activated.emit(combo.currentIndex())  # what choosing it in the open list sends
    qtbot.waitUntil(lambda: not panel.busy and {p.transcript_uuid for p in results(panel)} == {client.uuid})

    # A participant detail: the group's transcripts only.
    combo.setCurrentIndex(0)
    people = panel.people_combo
    index = people.findText("Group: Justice social workers")
    assert index > 0
    people.setCurrentIndex(index)
    people.activated.emit(index)
    group = {
        t.uuid
        for t in project.transcripts.all()
        if (p := project.transcripts.participant(t)) and p.participant_group == "Justice social workers"
    }
    qtbot.waitUntil(
        lambda: not panel.busy and results(panel) and {p.transcript_uuid for p in results(panel)} <= group
    )
    assert {p.transcript_uuid for p in results(panel)} != {p.transcript_uuid for p in everywhere}
    # Words and back: the filter is still the one chosen.
    tab = bench(window).search_tab
    qtbot.mouseClick(tab.words_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.like_button, Qt.MouseButton.LeftButton)
    assert tab.stack.currentWidget() is panel and people.currentText() == "Group: Justice social workers"

    # Not coded yet: no passage found overlaps a coding over most of it; coded with a theme: each does.
    people.setCurrentIndex(0)
    coded = panel.coded_combo
    coded.setCurrentIndex(coded.findData("uncoded"))
    coded.activated.emit(coded.currentIndex())
    qtbot.waitUntil(lambda: not panel.busy)
    uncoded = results(panel)
    assert uncoded and all(not _mostly_coded(project, p) for p in uncoded)
    theme = next(c for c in project.codebook.all() if project.codings.of_code(c.uuid))
    coded.setCurrentIndex(coded.findData(theme.uuid))
    coded.activated.emit(coded.currentIndex())
    qtbot.waitUntil(lambda: not panel.busy and results(panel) != uncoded)
    assert results(panel) and all(_mostly_coded(project, p, theme.uuid) for p in results(panel))
    window.grab().save("/tmp/similar_filters.png")


def _mostly_coded(project: Project, passage: SimilarPassage, code_uuid: str | None = None) -> bool:
    """Some coding (with the theme) covers the passage by over half, or the passage is one a short coding sits in."""
    for coding in project.codings.of_transcript(passage.transcript_uuid):
        if code_uuid is not None and coding.code_uuid != code_uuid:
            continue
        overlap = min(coding.end, passage.end) - max(coding.start, passage.start)
        if overlap > 0 and (
            2 * overlap > passage.end - passage.start
            or coding.end - coding.start < passage.end - passage.start
        ):
            return True
    return False


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # the menu, offscreen
def test_a_coded_passage_finds_passages_like_it_from_its_context_menu(
    qtbot: QtBot, window: MainWindow
) -> None:
    work = bench(window)
    theme = next(c for c in work.project.codebook.all() if work.project.codings.of_code(c.uuid))
    work.themes.select_code(theme.uuid)
    work.tabs.setCurrentWidget(work.segments)
    qtbot.waitUntil(lambda: work.segments.model.rowCount() > 0)
    view = work.segments.view
    point = view.visualRect(work.segments.model.index(0, 0)).center()

    def choose(menu: QMenu) -> None:
        action = next(a for a in menu.actions() if a.text().startswith("Find passages &like this"))
        menu.hide()
        action.trigger()

    drive.when_popup(choose)
    view.customContextMenuRequested.emit(point)  # what a right-click there sends
    found = wait_results(qtbot, work.similar)
    assert work.search_tab.stack.currentWidget() is work.similar
    assert found and work.similar.status.text().startswith(f"{len(found)} passages like the selection in")


def test_the_model_passes_the_model_tester(
    qtbot: QtBot, window: MainWindow, qtmodeltester: ModelTester
) -> None:
    panel = type_like(qtbot, window, "housing forms")
    wait_results(qtbot, panel)
    qtmodeltester.check(panel.model)


def test_a_lock_drops_the_results_and_the_query(qtbot: QtBot, window: MainWindow) -> None:
    panel = type_like(qtbot, window, "unpaid work in the community hall")
    wait_results(qtbot, panel)
    window.lock()
    assert window.workbench is None
    assert panel.model.rowCount() == 0 and panel.query_edit.text() == "" and panel._index is None


def test_without_the_assistance_part_the_pane_says_what_to_install(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(model, "missing", lambda: ["onnxruntime"])
    window.lock()
    window.unlock()
    qtbot.waitUntil(lambda: window.workbench is not None)
    work = bench(window)
    assert not window.index_keeper.running and not window.index_keeper._timer.isActive()
    qtbot.keyClick(work.view.text_edit, *LIKE)
    panel = work.similar
    assert work.search_tab.stack.currentWidget() is panel
    assert panel.note.isVisible()
    assert "onnxruntime missing" in panel.note.text() and model.INSTALL_HINT in panel.note.text()
    assert not panel.query_edit.isEnabled() and not panel.find_button.isEnabled()
    window.grab().save("/tmp/similar_not_installed.png")


def test_ctrl_k_codes_the_ticked_passages_with_the_theme_typed(qtbot: QtBot, window: MainWindow) -> None:
    work = bench(window)
    project = work.project
    panel = type_like(qtbot, window, "the van to the unpaid work placement")
    found = wait_results(qtbot, panel)
    panel.results.setFocus()
    panel.results.setCurrentIndex(panel.model.index(1))
    qtbot.keyClick(panel.results, Qt.Key.Key_Space)
    theme = project.codebook.find("Funding and resources/Training")
    before = {c.uuid for c in _all_codings(project)}
    seen: list[str] = []

    def answer(box: QWidget) -> None:
        assert isinstance(box, QuickCodePalette)
        seen.append(box.windowTitle())
        qtbot.keyClicks(box.query, "train")
        qtbot.keyClick(box.query, Qt.Key.Key_Return)

    drive.when_shown(QuickCodePalette, answer)
    qtbot.keyClick(panel.results, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(seen))
    new = [c for c in _all_codings(project) if c.uuid not in before]
    assert [(c.transcript_uuid, c.start, c.end, c.code_uuid) for c in new] == [
        (found[1].transcript_uuid, found[1].start, found[1].end, theme.uuid)
    ]
    qtbot.waitUntil(panel.results.hasFocus)  # back in the list, to go on
    assert window.undo_stack.count() == 1


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # the menu, offscreen
def test_the_texts_context_menu_finds_passages_like_the_selection(qtbot: QtBot, window: MainWindow) -> None:
    work = bench(window)
    uuid, text = open_named(window, CLIENT)
    phrase = "She helped with my housing forms and all."
    start, end = drive.select(window, text, phrase)
    edit = work.view.text_edit
    offered: list[bool] = []

    def choose(menu: QMenu) -> None:
        action = next(a for a in menu.actions() if a.text().startswith("Find passages &like this"))
        offered.append(action.isEnabled())
        menu.hide()
        action.trigger()

    drive.when_popup(choose)
    edit.customContextMenuRequested.emit(drive.point_of(edit, text, start + 3))  # what a right-click sends
    found = wait_results(qtbot, work.similar)
    assert offered == [True]
    assert work.similar.status.text().startswith(
        f"{len(found)} passages like the selection in {work.current.name}"
    )
    assert all(not (p.transcript_uuid == uuid and p.start < end and p.end > start) for p in found)


def test_a_result_whose_transcript_went_since_says_so(qtbot: QtBot, window: MainWindow) -> None:
    work = bench(window)
    panel = type_like(qtbot, window, "the supervisor showed me how to hang doors")
    found = wait_results(qtbot, panel)
    gone = next(p for p in found if p.transcript_uuid != work.current.uuid) if work.current else found[0]
    work.project.transcripts.delete(gone.transcript_uuid)  # elsewhere (a withdrawal, a sync)
    before = work.current.uuid if work.current else None
    panel.results.setFocus()
    panel.results.setCurrentIndex(panel.model.index(found.index(gone)))
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert panel.status.text().startswith("That passage's transcript is no longer in the project")
    assert (work.current.uuid if work.current else None) == before


def test_ctrl_f_goes_back_to_words_and_ctrl_shift_f_to_like_this(qtbot: QtBot, window: MainWindow) -> None:
    work = bench(window)
    tab = work.search_tab
    qtbot.keyClick(work.view.text_edit, *LIKE)  # nothing selected: the box for words like these
    assert work.tabs.currentWidget() is tab and tab.stack.currentWidget() is work.similar
    assert work.similar.query_edit.hasFocus()
    qtbot.keyClick(work.similar.query_edit, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.stack.currentWidget() is work.search and work.search.query_edit.hasFocus()
    assert tab.words_button.isChecked() and not tab.like_button.isChecked()
