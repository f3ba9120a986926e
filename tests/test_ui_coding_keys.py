"""Coding by keyboard that works and shows itself (issue 15): the real quick-code box with Enter, the
digit keys' badges, pinning from the theme's menu, browsing that never codes, and whole-word drags."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from jswcoder import templates
from jswcoder.analysis.matrix import build_matrix
from jswcoder.project import Project
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.pin_keys import PinStrip
from jswcoder.ui.settings import Settings
from jswcoder.ui.theme_model import PIN_ROLE
from tests import ui_drive as drive
from tests.conftest import write_txt

TEXT = (
    "Interviewer: What did the worker do?\n"
    "P2: Like you say, it gets better when you don't throw the baby out with the bathwater.\n"
    "Interviewer: And recruitment?\n"
    "P2: Nobody applies. We cannae recruit for love nor money.\n"
)
CARE = "Ethos and approach/Care and control"
TRAINING = "Funding and resources/Training"
RECRUITMENT = "Funding and resources/Recruitment, absence and retention"
MENUS = pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # offscreen menus


@pytest.fixture
def window(project: Project, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    templates.apply(templates.by_key("jsw-study"), project.codebook)
    project.transcripts.import_file(write_txt(tmp_path / "inbox", "interview_3.txt", TEXT))
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    shown = drive.shown(qtbot, MainWindow(project, settings))
    yield shown
    shown.close_project()


def passages(project: Project) -> list[tuple[str, str]]:
    return [(p.code_path, p.text) for p in project.codings.passages()]


def theme_rect(window: MainWindow, path: str) -> tuple[QWidget, QPoint]:
    """The tree's viewport and a point on the theme's name (left of anything drawn at the row's end)."""
    assert window.workbench is not None
    themes = window.workbench.themes
    index = themes.proxy.mapFromSource(themes.model.index_of(themes.project.codebook.find(path).uuid))
    themes.view.scrollTo(index)
    rect = themes.view.visualRect(index)
    return themes.view.viewport(), QPoint(rect.left() + 12, rect.center().y())


def test_enter_in_the_quick_code_box_codes_the_selection(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    drive.select(window, TEXT, "We cannae recruit for love nor money.")
    title, open_after_enter = drive.quick_code(qtbot, window, "recruit", Qt.KeyboardModifier.ControlModifier)
    assert not open_after_enter
    assert title == "Code the selection as…"
    assert passages(project) == [(RECRUITMENT, "We cannae recruit for love nor money.")]
    assert window.workbench is not None and window.workbench.view.text_edit.hasFocus()  # to go on coding


def test_enter_in_the_recode_box_recodes_and_its_title_says_which(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    assert window.workbench is not None
    drive.select(window, TEXT, "Nobody applies.")
    qtbot.keyClick(window.workbench.view.text_edit, Qt.Key.Key_1)
    (before,) = project.codings.passages()
    assert before.code_path == CARE
    drive.select(window, TEXT, "applies")  # the cursor in the coded passage
    control_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    title, open_after_enter = drive.quick_code(qtbot, window, "train", control_shift)
    assert not open_after_enter
    assert title == "Recode “Care and control” as…"
    (after,) = project.codings.passages()
    assert (after.coding.uuid, after.code_path, after.text) == (
        before.coding.uuid,
        TRAINING,
        "Nobody applies.",
    )


def test_each_pinned_theme_wears_its_digit_in_the_tree_the_status_bar_and_f1(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    assert window.workbench is not None
    pins = project.pins.all()
    themes = window.workbench.themes
    for digit, uuid in pins.items():
        index = themes.model.index_of(uuid)
        assert index.data(PIN_ROLE) == digit
        assert f"key {digit}" in index.data(Qt.ItemDataRole.AccessibleTextRole)
        assert f"Press {digit} to code" in index.data(Qt.ItemDataRole.ToolTipRole)
    unpinned = next(u for u in themes.model.uuids() if u not in pins.values())
    assert themes.model.index_of(unpinned).data(PIN_ROLE) is None
    names = {digit: project.codebook.get(uuid).name for digit, uuid in pins.items()}
    strip = window.workbench.pin_strip
    assert strip.isVisible() and strip.window() is window
    assert strip.accessibleDescription() == "; ".join(f"{d} {n}" for d, n in sorted(names.items()))
    shown: list[str] = []

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        shown.append(box.text())
        box.accept()

    drive.when_shown(QMessageBox, read)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(shown))
    assert "<td><b>1</b></td><td>Care and control</td>" in shown[0]
    assert all(f"<td>{name}</td>" in shown[0] for name in names.values())
    assert "Pin to key" in shown[0]  # and how to change them


@MENUS
def test_pin_to_a_key_from_the_themes_menu(window: MainWindow, qtbot: QtBot, project: Project) -> None:
    assert window.workbench is not None
    training = project.codebook.find(TRAINING)
    was_three = project.pins.all()[3]
    viewport, point = theme_rect(window, TRAINING)

    def pin_to_three(menu: QMenu) -> None:
        qtbot.keyClick(menu, Qt.Key.Key_P)  # &Pin to key
        item = menu.activeAction()
        if item is None or item.menu() is None:
            menu.close()  # there is no such item: close the menu so that the test fails, not hangs
            return
        drive.when_popup(lambda keys: qtbot.keyClick(keys, Qt.Key.Key_3))

    drive.when_popup(pin_to_three)
    QApplication.sendEvent(  # what a right click sends
        viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point))
    )
    qtbot.waitUntil(lambda: project.pins.all().get(3) == training.uuid)
    model = window.workbench.themes.model
    assert model.index_of(training.uuid).data(PIN_ROLE) == 3
    assert model.index_of(was_three).data(PIN_ROLE) is None
    assert "3 Training" in window.workbench.pin_strip.accessibleDescription()
    drive.select(window, TEXT, "Nobody applies.")
    qtbot.keyClick(window.workbench.view.text_edit, Qt.Key.Key_3)
    assert passages(project) == [(TRAINING, "Nobody applies.")]
    assert "(key 3)" in window.statusBar().currentMessage()


def test_browsing_a_theme_never_codes_and_its_code_button_does(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    assert window.workbench is not None
    workbench = window.workbench
    drive.select(window, TEXT, "Nobody applies.")
    viewport, point = theme_rect(window, TRAINING)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=point)
    assert passages(project) == []
    assert workbench.segments.heading.text().startswith(TRAINING)  # browsing shows its passages
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=point)
    assert passages(project) == []
    assert workbench.view.selected_range() is not None  # the selection is still there to code
    index = workbench.themes.view.indexAt(point)
    button = workbench.themes.code_button_rect(index)
    assert button.isValid() and not button.contains(point)
    qtbot.mouseMove(viewport, button.center())
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=button.center())
    assert passages(project) == [(TRAINING, "Nobody applies.")]


def test_enter_on_a_theme_codes_the_selection(window: MainWindow, qtbot: QtBot, project: Project) -> None:
    assert window.workbench is not None
    drive.select(window, TEXT, "Nobody applies.")
    window.workbench.themes.select_code(project.codebook.find(TRAINING).uuid)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # go to themes
    assert window.workbench.themes.view.hasFocus()
    qtbot.keyClick(window.workbench.themes.view, Qt.Key.Key_Return)
    assert passages(project) == [(TRAINING, "Nobody applies.")]


def test_a_drag_codes_whole_words_and_alt_drag_keeps_characters(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    assert window.workbench is not None
    edit = window.workbench.view.text_edit
    start = TEXT.index("you say")
    drive.drag_over(qtbot, edit, TEXT, start + 1, TEXT.index("gets") + 2)  # "ou say, it ge"
    qtbot.keyClick(edit, Qt.Key.Key_1)
    assert passages(project) == [(CARE, "you say, it gets")]
    drive.drag_over(qtbot, edit, TEXT, TEXT.index("baby"), TEXT.index("bathwater") + 4)  # "baby … bath"
    qtbot.keyClick(edit, Qt.Key.Key_2)
    drive.drag_over(
        qtbot, edit, TEXT, start + 1, TEXT.index("gets") + 2, modifiers=Qt.KeyboardModifier.AltModifier
    )
    qtbot.keyClick(edit, Qt.Key.Key_3)
    second, third = (project.codebook.get(project.pins.all()[d]).path for d in (2, 3))
    assert sorted(passages(project)) == sorted(
        [(CARE, "you say, it gets"), (second, "baby out with the bathwater"), (third, "ou say, it ge")]
    )
    seeded = build_matrix(project, themes=[CARE, second]).seed
    assert seeded(0, 0) == "- you say, it gets" and seeded(0, 1) == "- baby out with the bathwater"


@MENUS
def test_whole_words_can_be_turned_off_in_the_view_menu(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    assert window.workbench is not None and window.settings.snap_to_words()
    drive.when_popup(lambda view_menu: qtbot.keyClick(view_menu, Qt.Key.Key_W))  # &Whole words…
    qtbot.keyClick(window, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not window.settings.snap_to_words())
    window.activateWindow()  # as the window manager does when a menu closes (offscreen does not)
    qtbot.waitUntil(window.isActiveWindow)
    edit = window.workbench.view.text_edit
    drive.drag_over(qtbot, edit, TEXT, TEXT.index("you say") + 1, TEXT.index("gets") + 2)
    qtbot.keyClick(edit, Qt.Key.Key_1)
    assert passages(project) == [(CARE, "ou say, it ge")]


def test_locking_takes_the_pinned_names_out_of_the_status_bar(window: MainWindow, qtbot: QtBot) -> None:
    assert window.workbench is not None
    strip = window.workbench.pin_strip
    assert "Care and control" in strip.toolTip()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.workbench is None
    assert "Care and control" not in strip.toolTip() and strip.accessibleDescription() == ""
    qtbot.waitUntil(lambda: not window.statusBar().findChildren(PinStrip))  # and the strip goes
