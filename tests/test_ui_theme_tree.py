"""The theme tree panel: its model stays in step with the core through every edit, undo and redo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from jswcoder.project import Project
from jswcoder.ui.theme_model import CODE_MIME, SELECTION_MIME, ThemeModel
from jswcoder.ui.theme_panel import ThemePanel
from tests.conftest import write_txt

TEXT = "P1: The grant is ring-fenced, but we still lose staff every winter.\n"


@pytest.fixture
def panel(project: Project, tmp_path: Path, qtbot) -> ThemePanel:
    project.transcripts.import_file(write_txt(tmp_path / "inbox", "int_1.txt", TEXT))
    t = project.transcripts.all()[0].uuid
    project.codebook.add("Funding/Training", description="Courses and CPD")
    project.codebook.add("Funding/Training/Online")
    project.codebook.add("Funding/Training/Shadowing")
    project.codebook.add("Funding/Staffing")
    project.codebook.add("Ethos/Care and control")
    project.codebook.add("Emergent/Same worker", origin="emergent")
    for start in (0, 5, 10):
        project.codings.add(t, start, start + 4, "Funding/Training")
    project.codings.add(t, 20, 30, "Funding/Training/Online")
    project.codings.add(t, 0, 4, "Funding/Staffing")
    widget = ThemePanel(project, QUndoStack(), None)
    qtbot.addWidget(widget)
    widget.resize(360, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def model_paths(model: ThemeModel, parent: QModelIndex | None = None, prefix: str = "") -> list[str]:
    """The tree as the model shows it, as paths in display order."""
    parent = parent or QModelIndex()
    found = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        path = prefix + model.data(index, Qt.ItemDataRole.EditRole)
        found += [path, *model_paths(model, index, path + "/")]
    return found


def core_state(project: Project) -> tuple[list, dict[str, int]]:
    return project.codebook.all(), project.codebook.coding_counts()


def check(panel: ThemePanel, qtmodeltester) -> None:
    qtmodeltester.check(panel.model)
    assert model_paths(panel.model) == [c.path for c in panel.project.codebook.all()]
    counts = panel.project.codebook.coding_counts()
    for uuid in panel.model.uuids():
        shown = panel.model.data(panel.model.index_of(uuid, 1), Qt.ItemDataRole.DisplayRole)
        assert shown == (str(counts[uuid]) if uuid in counts else "")


def uuid_of(panel: ThemePanel, path: str) -> str:
    return panel.project.codebook.find(path).uuid


def test_model_stays_in_step_through_every_kind_of_change(
    panel: ThemePanel, qtmodeltester, monkeypatch
) -> None:
    stack, book = panel.undo_stack, panel.project.codebook
    check(panel, qtmodeltester)
    states = [core_state(panel.project)]
    panel.add_theme("Ethos/Relationships/Trust")
    assert panel.rename_theme(uuid_of(panel, "Funding/Staffing"), "Workforce")
    assert panel.move_theme(uuid_of(panel, "Ethos"), None, 0)
    assert panel.move_theme(uuid_of(panel, "Funding/Workforce"), uuid_of(panel, "Ethos"), 1)
    panel.select_code(uuid_of(panel, "Funding/Training"))
    monkeypatch.setattr(ThemePanel, "ask", classmethod(lambda cls, parent, title, text: True))
    panel.delete_current()
    panel.select_code(uuid_of(panel, "Ethos/Workforce"))
    monkeypatch.setattr(
        ThemePanel, "choose_target", classmethod(lambda cls, p, t, choices: choices.index("Emergent"))
    )
    panel.merge_into()
    assert book.coding_counts()[uuid_of(panel, "Emergent")] == 1
    assert stack.count() == 6
    for _ in range(6):
        check(panel, qtmodeltester)
        states.insert(0, core_state(panel.project))
        stack.undo()
    check(panel, qtmodeltester)
    assert core_state(panel.project) == states[-1]  # all the way back, codings included
    for expected in states[:-1]:  # S1 .. S6
        stack.redo()
        check(panel, qtmodeltester)
        assert core_state(panel.project) == expected


def test_filter_keeps_the_ancestors_of_a_match_and_expands_them(panel: ThemePanel, qtbot) -> None:
    qtbot.keyClicks(panel.filter_edit, "shadow")
    proxy, view = panel.proxy, panel.view
    assert proxy.rowCount() == 1
    funding = proxy.index(0, 0)
    training = proxy.index(0, 0, funding)
    assert proxy.rowCount(funding) == 1 and proxy.rowCount(training) == 1
    assert proxy.index(0, 0, training).data(Qt.ItemDataRole.EditRole) == "Shadowing"
    assert view.isExpanded(funding) and view.isExpanded(training)
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Return)  # Enter in the filter goes to the first match
    assert panel.current_code_uuid() == uuid_of(panel, "Funding/Training/Shadowing")
    assert panel.view.hasFocus()
    panel.select_code(uuid_of(panel, "Ethos/Care and control"))  # hidden by the filter: the filter clears
    assert panel.filter_edit.text() == ""
    assert panel.current_code_uuid() == uuid_of(panel, "Ethos/Care and control")


def test_f2_renames_through_the_delegate_and_undo_brings_the_name_back(panel: ThemePanel, qtbot) -> None:
    panel.select_code(uuid_of(panel, "Funding/Staffing"))
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "Staffing"
    editor.selectAll()
    qtbot.keyClicks(editor, "Workforce")
    with qtbot.waitSignal(panel.codebookChanged):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert [c.path for c in panel.project.codebook.all()][-5] == "Funding/Workforce"
    panel.undo_stack.undo()
    assert panel.project.codebook.find("Funding/Staffing").name == "Staffing"
    assert model_paths(panel.model) == [c.path for c in panel.project.codebook.all()]


def test_a_clashing_name_is_refused_with_a_message_and_nothing_is_stacked(
    panel: ThemePanel, monkeypatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        ThemePanel, "show_error", classmethod(lambda cls, parent, message: shown.append(message))
    )
    index = panel.model.index_of(uuid_of(panel, "Funding/Staffing"))
    assert not panel.model.setData(index, "Training")
    assert shown == ["there is already a theme called 'Training' at that level"]
    assert panel.undo_stack.count() == 0


@pytest.mark.parametrize("accept", [True, False])
def test_delete_key_asks_with_the_numbers_first(panel: ThemePanel, qtbot, monkeypatch, accept: bool) -> None:
    asked: list[str] = []

    def ask(cls: type, parent: QWidget, title: str, text: str) -> bool:
        asked.append(text)
        return accept

    monkeypatch.setattr(ThemePanel, "ask", classmethod(ask))
    before = core_state(panel.project)
    panel.select_code(uuid_of(panel, "Funding/Training"))
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert asked == ["Delete 'Training' and its 2 sub-themes? 4 codings will be removed. You can undo this."]
    paths = [c.path for c in panel.project.codebook.all()]
    assert ("Funding/Training" in paths) is not accept
    assert panel.undo_stack.count() == int(accept)
    if accept:
        panel.undo_stack.undo()
    assert core_state(panel.project) == before
    assert model_paths(panel.model) == [c.path for c in panel.project.codebook.all()]


def test_dragging_a_theme_moves_it_and_never_under_itself(panel: ThemePanel, qtmodeltester) -> None:
    model = panel.model
    training = model.index_of(uuid_of(panel, "Funding/Training"))
    data = model.mimeData([training])
    assert bytes(data.data(CODE_MIME).data()).decode() == uuid_of(panel, "Funding/Training")
    online = model.index_of(uuid_of(panel, "Funding/Training/Online"))
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, online)
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, training)
    ethos = model.index_of(uuid_of(panel, "Ethos"))
    model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, ethos)
    assert panel.project.codebook.find("Ethos/Training/Online").position == 0
    assert panel.project.codebook.find("Ethos/Training").position == 0
    check(panel, qtmodeltester)
    staffing = model.index_of(uuid_of(panel, "Funding/Staffing"))
    model.dropMimeData(model.mimeData([staffing]), Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert [c.path for c in panel.project.codebook.all() if c.parent_uuid is None][-1] == "Staffing"
    check(panel, qtmodeltester)
    panel.undo_stack.undo()
    panel.undo_stack.undo()
    assert [c.path for c in panel.project.codebook.all()][:5] == [
        "Funding", "Funding/Training", "Funding/Training/Online", "Funding/Training/Shadowing", "Funding/Staffing",
    ]  # fmt: skip
    check(panel, qtmodeltester)


def test_a_dropped_transcript_selection_codes_instead_of_moving(panel: ThemePanel, qtbot) -> None:
    data = QMimeData()
    data.setData(SELECTION_MIME, QByteArray(b"3,9"))
    staffing = panel.model.index_of(uuid_of(panel, "Funding/Staffing"))
    assert not panel.model.canDropMimeData(data, Qt.DropAction.CopyAction, 0, 0, QModelIndex())
    before = core_state(panel.project)
    with qtbot.waitSignal(panel.selectionDropped) as dropped:
        assert panel.model.dropMimeData(data, Qt.DropAction.CopyAction, -1, -1, staffing)
    assert dropped.args == [uuid_of(panel, "Funding/Staffing")]
    assert core_state(panel.project) == before and panel.undo_stack.count() == 0


def test_enter_asks_to_code_and_moving_the_cursor_reports_the_current_theme(panel: ThemePanel, qtbot) -> None:
    with qtbot.waitSignal(panel.currentThemeChanged) as changed:
        panel.select_code(uuid_of(panel, "Ethos/Care and control"))
    assert changed.args == [uuid_of(panel, "Ethos/Care and control")]
    panel.view.setFocus()
    with qtbot.waitSignal(panel.codeRequested) as requested:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert requested.args == [uuid_of(panel, "Ethos/Care and control")]


def test_colour_and_description_dialogs_go_through_the_undo_stack(
    panel: ThemePanel, qtbot, monkeypatch
) -> None:
    staffing = uuid_of(panel, "Funding/Staffing")
    monkeypatch.setattr(ThemePanel, "choose_colour", classmethod(lambda cls, parent, initial: "#0072B2"))
    monkeypatch.setattr(ThemePanel, "ask_text", classmethod(lambda cls, *args: "People and posts"))
    panel.select_code(staffing)
    with qtbot.waitSignal(panel.codebookChanged):
        panel.actions_by_name["colour"].trigger()
    panel.actions_by_name["describe"].trigger()
    index = panel.model.index_of(staffing)
    assert panel.model.data(index, Qt.ItemDataRole.DecorationRole).name().upper() == "#0072B2"
    tip = panel.model.data(index, Qt.ItemDataRole.ToolTipRole)
    key = {uuid: digit for digit, uuid in panel.project.pins.all().items()}[staffing]
    assert tip == f"People and posts\nPre-set theme\n1 coding\nPress {key} to code a selection with it"
    panel.undo_stack.undo()
    panel.undo_stack.undo()
    code = panel.project.codebook.get(staffing)
    assert (code.colour, code.description) == (None, "")
    inherited = panel.project.codebook.colour_of(code)
    assert panel.model.data(index, Qt.ItemDataRole.DecorationRole).name().upper() == inherited


def test_new_themes_and_emergent_ones_are_marked_in_words_too(panel: ThemePanel, monkeypatch) -> None:
    monkeypatch.setattr(ThemePanel, "ask_text", classmethod(lambda cls, *args: "Rural areas"))
    panel.select_code(uuid_of(panel, "Funding"))
    panel.actions_by_name["new_sub"].trigger()
    assert panel.current_code_uuid() == uuid_of(panel, "Funding/Rural areas")
    emergent = panel.model.index_of(uuid_of(panel, "Emergent/Same worker"))
    assert panel.model.data(emergent, Qt.ItemDataRole.DisplayRole) == "Same worker  (emergent)"
    assert panel.model.data(emergent, Qt.ItemDataRole.FontRole).italic()
    assert panel.view.accessibleName() == "Themes" and panel.filter_edit.accessibleName() == "Filter themes"
