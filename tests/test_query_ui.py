"""Analysis › Coding query in the real main window: a query built by clicks alone, its passages, one
opened in the transcript, a saved query, an error in one line, and the passages coded as a new theme in
one undo step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.query_window import QueryWindow
from jswcoder.ui.report_actions import ReportActions
from jswcoder.ui.settings import Settings
from tests.conftest import write_txt
from tests.test_ui_reports import finish

TEXTS = {
    "jsw2": "Interviewer: How is the caseload?\nWorker: Heavy, and training is thin on the ground.\n",
    "client7": "Interviewer: What helped?\nClient: My worker listened, and the group work helped me.\n",
}
CODINGS = [
    ("jsw2", "Heavy, and training is thin", "Workload/Caseload"),
    ("jsw2", "training is thin on the ground", "Support"),
    ("client7", "My worker listened, and the group work", "Support"),
    ("client7", "the group work helped me", "Workload/Training"),
]


@pytest.fixture
def window(project: Project, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    fields = {
        "jsw2": ParticipantFields("Justice social workers", 2),
        "client7": ParticipantFields("Client", 7),
    }
    ids = {}
    for name, text in TEXTS.items():
        transcript, _ = project.transcripts.import_file(
            write_txt(tmp_path / "in", f"{name}.txt", text), fields[name]
        )
        ids[name] = transcript.uuid
    for path in ("Workload/Caseload", "Workload/Training", "Support"):
        project.codebook.add(path)
    for name, phrase, theme in CODINGS:
        start = TEXTS[name].index(phrase)
        project.codings.add(ids[name], start, start + len(phrase), theme)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    shown = MainWindow(project, settings)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.close_project()


def open_query(window: MainWindow, qtbot: QtBot) -> QueryWindow:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    query = window.query_window
    assert query is not None
    qtbot.waitExposed(query)
    return query


def click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def pick_theme(qtbot: QtBot, query: QueryWindow, path: str) -> None:
    """Click the theme's row in the tree."""
    found: list[QTreeWidgetItem] = []
    for item in query.themes.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive):
        if item.data(0, Qt.ItemDataRole.UserRole) == path:
            found.append(item)
    assert len(found) == 1, path
    rect = query.themes.visualItemRect(found[0])
    qtbot.mouseClick(query.themes.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert query.themes.currentItem() is found[0]


def rows(query: QueryWindow) -> list[tuple[str, ...]]:
    table = query.table
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]


def test_a_query_built_by_clicks_finds_the_overlap_and_opens_it(window: MainWindow, qtbot: QtBot) -> None:
    query = open_query(window, qtbot)
    pick_theme(qtbot, query, "Workload")
    click(qtbot, query.add_theme_button)  # with its sub-themes (ticked by default)
    pick_theme(qtbot, query, "Support")
    click(qtbot, query.add_theme_button)  # joined with AND: picked after a theme
    assert query.expression.text() == '"Workload"/* AND "Support"'
    click(qtbot, query.run_button)
    assert rows(query) == [
        ("Client interview 7", "Ailsa", "the group work"),
        ("Justice social workers interview 2", "Ailsa", "training is thin"),
    ]
    assert query.count.text().startswith("2 passages.")
    # Only the clients: a detail, "is", a value, all from combos.
    query.filter_key.setCurrentIndex(query.filter_key.findData("participant_group"))
    assert [query.filter_value.itemText(i) for i in range(query.filter_value.count())] == [
        "Client",
        "Justice social workers",
    ]
    query.filter_value.setCurrentIndex(0)
    click(qtbot, query.add_filter_button)
    assert query.expression.text() == '"Workload"/* AND "Support" AND participant_group = "Client"'
    qtbot.keyClick(query.expression, Qt.Key.Key_Return)
    assert rows(query) == [("Client interview 7", "Ailsa", "the group work")]
    # Double-click the passage: the main window shows it selected in its transcript.
    table = query.table
    point = table.visualItemRect(table.item(0, 2)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)  # a double-click's first press
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    workbench = window.workbench
    assert workbench is not None and workbench.current is not None
    assert workbench.current.name == "client7"
    start = TEXTS["client7"].index("the group work")
    qtbot.waitUntil(lambda: workbench.view.selected_range() == (start, start + len("the group work")))


def test_operators_near_errors_and_saved_queries(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = open_query(window, qtbot)
    pick_theme(qtbot, query, "Workload/Caseload")
    click(qtbot, query.add_theme_button)
    click(qtbot, query.operator_buttons["NOT"])
    pick_theme(qtbot, query, "Support")
    click(qtbot, query.add_theme_button)
    assert query.expression.text() == '"Workload/Caseload" NOT "Support"'
    click(qtbot, query.run_button)
    assert rows(query) == [("Justice social workers interview 2", "Ailsa", "Heavy, and")]
    click(qtbot, query.clear_button)
    pick_theme(qtbot, query, "Workload/Training")
    click(qtbot, query.add_theme_button)
    query.near_scope.setCurrentIndex(1)  # in the same speaker turn
    assert not query.near_distance.isEnabled()
    click(qtbot, query.near_button)
    pick_theme(qtbot, query, "Support")
    click(qtbot, query.add_theme_button)
    assert query.expression.text() == '"Workload/Training" NEAR/TURN "Support"'
    click(qtbot, query.run_button)
    assert [r[2] for r in rows(query)] == ["My worker listened, and the group work helped me"]
    # Saved under a name, listed, and run again from the list.
    monkeypatch.setattr(QueryWindow, "ask_name", classmethod(lambda cls, *_: "Training near support"))
    click(qtbot, query.save_button)
    assert query.message.text() == "Saved as “Training near support”."
    assert [q.name for q in window.workbench.project.saved_queries.all()] == ["Training near support"]  # type: ignore[union-attr]
    click(qtbot, query.clear_button)
    query.saved.activated.emit(1)  # as a pick in the drop-down does
    assert query.saved.itemText(1) == "Training near support"
    assert query.expression.text() == '"Workload/Training" NEAR/TURN "Support"' and len(rows(query)) == 1
    # A typing slip: one line under the query, the passages left as they were.
    query.expression.clear()
    qtbot.keyClicks(query.expression, '"Support" AND ')
    qtbot.keyClick(query.expression, Qt.Key.Key_Return)
    assert query.message.text().startswith("⚠ at character 15 (the end): expected a theme path")
    assert len(rows(query)) == 1


def test_the_passages_coded_as_a_new_theme_in_one_undo_step(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = window.workbench.project  # type: ignore[union-attr]
    before = len(project.codings.passages())
    query = open_query(window, qtbot)
    qtbot.keyClicks(query.expression, '"Workload"/* OR "Support"')
    qtbot.keyClick(query.expression, Qt.Key.Key_Return)
    assert len(rows(query)) == 2  # the runs of either, one per transcript
    monkeypatch.setattr(QueryWindow, "ask_name", classmethod(lambda cls, *_: "Strain"))
    click(qtbot, query.code_button)
    assert query.message.text().startswith("Coded 2 passages as “Strain”.")
    strain = project.codebook.find("Strain")
    assert strain.origin == "emergent"
    coded = sorted((c.start, c.end) for c in project.codings.of_code(strain.uuid))
    assert coded == sorted((r.start, r.end) for r in query.found)
    assert window.undo_stack.undoText() == "Code 2 passages found by a query as “Strain”"
    click(qtbot, query.code_button)  # the same name again: refused in one line, nothing added
    assert query.message.text().startswith("⚠ there is already a theme “Strain”")
    assert window.undo_stack.undoText() == "Code 2 passages found by a query as “Strain”"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one step takes back both
    assert all(c.path != "Strain" for c in project.codebook.all())
    assert len(project.codings.passages()) == before
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(project.codings.of_code(project.codebook.find("Strain").uuid)) == 2


def test_screenshot(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    query = open_query(window, qtbot)
    pick_theme(qtbot, query, "Workload")
    click(qtbot, query.add_theme_button)
    click(qtbot, query.operator_buttons["OR"])
    pick_theme(qtbot, query, "Support")
    click(qtbot, query.add_theme_button)
    click(qtbot, query.run_button)
    assert len(rows(query)) == 2
    assert query.grab().save(str(tmp_path / "query_window.png"))  # looked at: /tmp/query_window.png


def test_the_passages_exported_from_the_window(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project = window.workbench.project  # type: ignore[union-attr]
    target = tmp_path / "found.docx"
    told: list[str] = []
    monkeypatch.setattr(ReportActions, "ask_target", classmethod(lambda cls, *args: target))
    monkeypatch.setattr(
        ReportActions, "tell", classmethod(lambda cls, parent, title, text: told.append(text))
    )
    project.register.dismiss([c.text for c in project.register.suggestions()])  # reviewed: none identify
    query = open_query(window, qtbot)
    assert not query.export_button.isEnabled()  # nothing found yet
    qtbot.keyClicks(query.expression, '"Workload"/* AND "Support"')
    qtbot.keyClick(query.expression, Qt.Key.Key_Return)
    click(qtbot, query.export_button)
    finish(window)
    assert told == []
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(target)).paragraphs]
    assert paragraphs[1:] == [
        ("Normal", '"Workload"/* AND "Support"'),
        ("Normal", "2 passages."),
        ("Quote", "the group work"),
        ("Quote attribution", "(Client interview 7)"),
        ("Quote", "training is thin"),
        ("Quote attribution", "(Justice social workers interview 2)"),
    ]
    box = window.reports.saved_message
    assert box is not None and "found.docx" in box.text()
