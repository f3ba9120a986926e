"""The survey grid over a large survey: open it on one question of 5,000 answers, switch question, code.

Run: ``.venv/bin/python -m benchmarks.survey_grid --scale {tiny,study,stress} [--json OUT]`` (offscreen
unless QT_QPA_PLATFORM is set). A real encrypted project on disk is given a survey of 5,000 respondents ×
40 columns (10 open; :func:`tests.survey_fixtures.large_csv`, seeded) through
``project.surveys.import_table``, as the app imports it, and one answer in five to the first question
is coded. Then, each time on the project opened afresh (nothing cached from the last run) in the real
main window, Analysis › Code survey answers… is triggered and timed until the grid is painted with the
question's first answers (a page more than a screen holds, respondents named beside them, codings'
highlights and margin bars in place: readable and codable), which is the target's figure, and on
until all its answers are in (read in the event loop's next turn; every answer's document page must be
decrypted, which is most of that time). Also timed: choosing the next question with the keyboard, a
digit key coding a selection in an answer (keypress to highlight shown, durable commit included) and
Ctrl+Z taking it back. The tiny scale uses 50 respondents: a smoke run.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from benchmarks.build import new_project, open_project
from benchmarks.common import Figure, arguments, emit, median, ms_since
from benchmarks.scale import Scale, scratch
from benchmarks.ui_open import main_window
from jswcoder import templates
from jswcoder.importing.survey_files import read_survey
from jswcoder.project import Project
from jswcoder.ui.survey_grid import FIRST_PAGE, SurveyGrid
from tests.survey_fixtures import large_csv

RESPONDENTS = {"tiny": 50, "study": 5_000, "stress": 5_000}
OPENS = 5  # fresh opens timed; the median is the figure
KEYPRESSES = 20


def _build(folder: Path, respondents: int) -> None:
    fixture = large_csv(folder / "Staff survey.csv", respondents=respondents)
    project = new_project(folder / "project", "Survey grid benchmark", "Researcher")
    try:
        templates.apply(templates.by_key("jsw-study"), project.codebook)
        table = read_survey(fixture.path, fixture.path.read_bytes())
        project.surveys.import_table(fixture.path, table, fixture.kinds)
        survey = project.surveys.find("")
        pins = project.pins.all()
        rng = random.Random(18)
        with project.db.atomic():  # building is not what is measured: one commit
            for answer in project.surveys.answers(survey, survey.open_questions[0].key)[::5]:
                length = min(len(answer.text), rng.randint(15, 60))
                project.codings.add(
                    answer.transcript_uuid,
                    answer.start,
                    answer.start + length,
                    pins[rng.choice(sorted(pins))],
                )
    finally:
        project.close()
    fixture.path.unlink()  # the export's plaintext goes once it is in the project


def _until_complete(grid: SurveyGrid) -> None:
    """Let the event loop run until every answer is in, then paint."""
    while not grid.complete:
        QApplication.processEvents()
        time.sleep(0.001)
    grid.repaint()


def _open_grid(project: Project, folder: Path) -> tuple[float, float, SurveyGrid, object]:
    """The grid opened from the menu: milliseconds to its first answers painted, and to all of them."""
    window = main_window(project, folder)
    QApplication.processEvents()
    action = next(a for a in window._menus["Analysis"].actions() if a.text() == "Code &survey answers…")
    began = time.perf_counter()
    action.trigger()
    grid = window.survey_grid
    assert grid is not None
    grid.repaint()  # the window on screen with the first page: readable, codable
    first = ms_since(began)
    _until_complete(grid)
    return first, ms_since(began), grid, window


def run(scale: Scale) -> list[Figure]:
    app = QApplication.instance() or QApplication([])
    respondents = RESPONDENTS[scale.name]
    folder = scratch("survey-grid-")
    try:
        _build(folder, respondents)
        opens: list[float] = []
        wholes: list[float] = []
        answers = coded = named = 0
        for _ in range(OPENS):
            project = open_project(folder / "project")
            first, whole, grid, window = _open_grid(project, folder)
            opens.append(first)
            wholes.append(whole)
            answers, coded = len(grid.layout_), len(grid.view.margin_lanes())
            named = len(grid.gutter.shown())
            window.close()  # type: ignore[attr-defined]
        project = open_project(folder / "project")
        _first, _whole, grid, window = _open_grid(project, folder)
        edit = grid.view.text_edit
        switches: list[float] = []
        switched: list[float] = []
        for _ in range(5):
            grid.question_combo.setFocus()
            began = time.perf_counter()
            QTest.keyClick(grid.question_combo, Qt.Key.Key_Down)
            grid.repaint()
            switches.append(ms_since(began))
            _until_complete(grid)
            switched.append(ms_since(began))
        rng = random.Random(3)
        applies: list[float] = []
        undos: list[float] = []
        missed = 0
        for _ in range(KEYPRESSES):
            row = rng.randrange(len(grid.layout_))
            first, last = grid.layout_.span(row)
            cursor = QTextCursor(edit.document())
            cursor.setPosition(grid.layout_.starts_u16[row])
            cursor.setPosition(
                grid.layout_.starts_u16[row] + min(last - first, 12), QTextCursor.MoveMode.KeepAnchor
            )
            edit.setTextCursor(cursor)
            edit.setFocus()
            QApplication.processEvents()
            began = time.perf_counter()
            QTest.keyClick(edit, Qt.Key.Key_1)
            QApplication.processEvents()
            applies.append(ms_since(began))
            shown = bool(grid.view.highlights_at(first))
            began = time.perf_counter()
            QTest.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
            QApplication.processEvents()
            undos.append(ms_since(began))
            missed += not shown or bool(grid.view.highlights_at(first))
        window.close()  # type: ignore[attr-defined]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    del app
    if answers < respondents * 0.8 or not named or not coded or missed:
        raise SystemExit(
            f"the grid showed {answers} answers, named {named} rows, drew {coded} codings; {missed} missed"
        )
    return [
        Figure(
            "survey.grid",
            f"open the survey grid on one question of {answers:,} answers ({coded:,} coded): its first "
            f"{min(FIRST_PAGE, answers)} on screen, codable; median of {OPENS}",
            median(opens),
            "ms",
            "survey.grid",
        ),
        Figure("survey.grid.slowest", f"  the same, slowest of {OPENS}", max(opens), "ms"),
        Figure(
            "survey.grid.all",
            f"  and until all {answers:,} answers are in the grid, median",
            median(wholes),
            "ms",
        ),
        Figure(
            "survey.grid.switch",
            "choose the next question (Down in the box): its first answers on screen, median of 5",
            median(switches),
            "ms",
        ),
        Figure(
            "survey.grid.switch.all",
            "  and until all its answers are in, median of 5",
            median(switched),
            "ms",
        ),
        Figure(
            "survey.grid.apply",
            f"code a selection in the grid, keypress to highlight shown and committed, median of {KEYPRESSES}",
            median(applies),
            "ms",
        ),
        Figure("survey.grid.undo", f"Ctrl+Z in the grid, median of {KEYPRESSES}", median(undos), "ms"),
    ]


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
