"""Analysis › Crosstabs and co-occurrence… in the real window: the table by an attribute, the measure
chosen with the keyboard, a cell's passages opened in the transcript, themes × themes, the chart as it
will leave the project, and the workbook and chart written through the exports."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QImage
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.reports.charts import Bars, HeatMap
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.ui.crosstab_window import CrosstabWindow
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.report_actions import ReportActions
from jswcoder.ui.settings import Settings
from tests import ui_drive as drive
from tests.conftest import write_txt

TEXTS = {
    "c7": "Interviewer: What helped?\nP7: My worker listened, and the group work helped me.\n",
    "c3": "Interviewer: Anything else?\nP3: The waiting was long but staff were kind.\n",
    "w2": "Interviewer: How is the caseload?\nP2: Heavy, and training is thin on the ground.\n",
}


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> MainWindow:
    people = {
        "c7": ParticipantFields("Client", 7, mode="video"),
        "c3": ParticipantFields("Client", 3, mode="telephone"),
        "w2": ParticipantFields("Justice social workers", 2, mode="video"),
    }
    ids = {}
    for name, text in TEXTS.items():
        ids[name] = project.transcripts.import_file(
            write_txt(tmp_path / "in", f"{name}.txt", text), people[name]
        )[0].uuid
    for path in ("Relationships/Listening", "Relationships/Groups", "Waiting", "Workload/Training"):
        project.codebook.add(path)
    for name, phrase, path in (
        ("c7", "My worker listened", "Relationships/Listening"),
        ("c7", "listened, and the group work", "Relationships/Groups"),
        ("c3", "staff were kind", "Relationships/Listening"),
        ("c3", "The waiting was long", "Waiting"),
        ("w2", "training is thin", "Workload/Training"),
    ):
        start = TEXTS[name].index(phrase)
        project.codings.add(ids[name], start, start + len(phrase), path)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    main = MainWindow(project, settings)
    main.resize(1200, 800)
    return drive.shown(qtbot, main)


def _opened(qtbot: QtBot, main: MainWindow) -> CrosstabWindow:
    next(a for a in main.findChildren(QAction) if a.text() == "&Crosstabs and co-occurrence…").trigger()
    found = main.crosstab_window
    assert found is not None
    qtbot.waitExposed(found)
    qtbot.waitUntil(lambda: found.crosstab is not None)  # built in the background
    return found


def _cells(window: CrosstabWindow) -> list[list[str]]:
    model = window.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_a_crosstab_its_measures_and_a_cells_passages(
    qtbot: QtBot, window: MainWindow, qtmodeltester: object, tmp_path: Path
) -> None:
    crosstab = _opened(qtbot, window)
    assert crosstab.by_combo.isVisible() and not crosstab.unit_combo.isVisible()
    qtmodeltester.check(crosstab.model)  # type: ignore[attr-defined]
    model = crosstab.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Justice social workers",
        "Client",
        "Total",
    ]
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(3)] == [
        "Relationships",
        "Waiting",
        "Workload",
    ]
    assert _cells(crosstab) == [["0", "3", "3"], ["0", "1", "1"], ["1", "0", "1"]]

    crosstab.measure_combo.setFocus()
    qtbot.keyClick(crosstab.measure_combo, Qt.Key.Key_Down)  # Cases
    qtbot.keyClick(crosstab.measure_combo, Qt.Key.Key_Down)  # Row %
    assert crosstab.measure_combo.currentText() == "Row %"
    qtbot.waitUntil(lambda: _cells(crosstab)[0] == ["0.0%", "100.0%"])

    table = crosstab.table
    rect = table.visualRect(model.index(0, 1))  # Relationships · Client
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert crosstab.cell_label.text() == "Relationships · Client: 3 passages"
    texts = [crosstab.passages.item(i).text().split("\n")[1] for i in range(crosstab.passages.count())]
    assert texts == ["staff were kind", "My worker listened", "listened, and the group work"]
    crosstab.passages.setFocus()
    crosstab.passages.setCurrentRow(1)
    qtbot.keyClick(crosstab.passages, Qt.Key.Key_Return)
    bench = window.workbench
    assert bench is not None and bench.current is not None and bench.current.name == "c7"
    assert bench.view.text_edit.textCursor().selectedText() == "My worker listened"

    crosstab.tabs.setCurrentIndex(1)
    chart = crosstab.chart_view.chart
    assert isinstance(chart, Bars) and chart.series == ("Justice social workers", "Client")
    crosstab.grab().save(str(tmp_path / "crosstab_chart.png"))


def test_themes_by_themes_and_the_exports(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crosstab = _opened(qtbot, window)
    crosstab.kind_combo.setFocus()
    qtbot.keyClick(crosstab.kind_combo, Qt.Key.Key_Down)  # Themes × themes
    qtbot.waitUntil(lambda: crosstab.cooccurrence is not None)
    qtbot.waitUntil(lambda: not crosstab.by_combo.isVisible() and crosstab.unit_combo.isVisible())
    level = crosstab.level_combo
    level.setFocus()
    qtbot.keyClick(level, Qt.Key.Key_Down)  # level 2: the sub-themes
    qtbot.waitUntil(
        lambda: crosstab.model.headerData(0, Qt.Orientation.Vertical) == "1. Relationships/Listening"
    )
    assert _cells(crosstab) == [["2", "1", "0"], ["1", "1", "0"], ["0", "0", "1"]]
    rect = crosstab.table.visualRect(crosstab.model.index(0, 1))
    qtbot.mouseClick(crosstab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert crosstab.cell_label.text() == "Relationships/Listening with Relationships/Groups: 1 passage"
    assert crosstab.passages.item(0).text().split("\n")[1] == "listened"

    crosstab.tabs.setCurrentIndex(1)
    assert isinstance(crosstab.chart_view.chart, HeatMap)
    crosstab.grab().save(str(tmp_path / "cooccurrence_window.png"))

    targets = iter([tmp_path / "co.xlsx", tmp_path / "heat.png"])
    monkeypatch.setattr(
        ReportActions, "ask_target", classmethod(lambda cls, parent, title, name, kind: next(targets))
    )
    told: list[str] = []
    monkeypatch.setattr(ReportActions, "_saved", lambda self, parent, title, text, path: told.append(text))
    crosstab.export_action.trigger()
    qtbot.waitUntil(lambda: len(told) == 1, timeout=20000)
    sheet = openpyxl.load_workbook(tmp_path / "co.xlsx")["Passages coded with both"]
    assert [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))] == [
        "Relationships/Listening",
        2,
        1,
        0,
    ]
    crosstab.chart_action.trigger()
    qtbot.waitUntil(lambda: len(told) == 2, timeout=20000)
    image = QImage(str(tmp_path / "heat.png"))
    assert image.width() == 1890


def test_coding_stripes_of_the_open_transcript(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def target(cls: object, parent: object, title: str, name: str, kind: object) -> Path:
        asked.append(name)
        return tmp_path / "stripes.svg"

    monkeypatch.setattr(ReportActions, "ask_target", classmethod(target))
    told: list[str] = []
    monkeypatch.setattr(ReportActions, "_saved", lambda self, parent, title, text, path: told.append(text))
    stripes = next(a for a in window.findChildren(QAction) if a.text().startswith("Save the coding &stripes"))
    assert window.workbench is not None
    window.workbench.open_transcript(window.project.transcripts.find("c7").uuid)  # type: ignore[union-attr]
    stripes.trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=20000)
    assert asked == ["Coding stripes.png"]
    svg = (tmp_path / "stripes.svg").read_text(encoding="utf-8")
    assert "Coding stripes: Client interview 7" in svg
    assert "Relationships/Listening" in svg and "Relationships/Groups" in svg
