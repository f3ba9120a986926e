"""The cases view over 1,000 participants: opened from the main window, and one value typed into it.

Run: ``.venv/bin/python -m benchmarks.ui_cases --scale {tiny,study,stress} [--json OUT]`` (offscreen
unless QT_QPA_PLATFORM is set). The scale's study project has one participant per transcript (150 at
study scale), so this benchmark builds its own real encrypted project, on disk beside the cache, with
1,000 participants at study and stress scale (20 at tiny): each a short interview imported through
the real importer, with a group, an interview number, format, mode, council area and two attributes
of the team's own. What is timed, median of ``runs``: Ctrl+Shift+C in the real main window until the
cases view has painted; the core's listing of the cases alone; a value typed into a cell, from Enter
until it is committed (durably) and shown; and reading back the whole case sheet (CSV) with every row
changed.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from benchmarks.build import new_project
from benchmarks.common import Figure, arguments, emit, median, ms_since
from benchmarks.indirect_review import reviewed
from benchmarks.scale import Scale, scratch
from benchmarks.ui_open import main_window, painted
from jswcoder.model import INTERVIEW_FORMATS, INTERVIEW_MODES, PARTICIPANT_GROUPS
from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.ui.cases_view import CasesDialog

AREAS = ("Highland", "Fife", "Argyll and Bute", "Glasgow City", "Dumfries and Galloway", "Moray")


def participants(scale: Scale) -> int:
    return 20 if scale.name == "tiny" else 1_000


def build(folder: Path, count: int) -> Project:
    """A project with *count* interviews, each its own participant with every detail set."""
    project = new_project(folder / "project", "Cases benchmark", "Researcher")
    inbox = folder / "inbox"
    inbox.mkdir()
    with project.db.atomic():  # one commit: building is not what is measured
        for number in range(1, count + 1):
            path = inbox / f"interview_{number:04d}.txt"
            path.write_text(
                f"Interviewer: How is it going?\nP1: Fine, thanks ({number}).\n", encoding="utf-8"
            )
            project.transcripts.import_file(
                path,
                ParticipantFields(
                    PARTICIPANT_GROUPS[number % len(PARTICIPANT_GROUPS)],
                    number,
                    format=INTERVIEW_FORMATS[number % len(INTERVIEW_FORMATS)],
                    mode=INTERVIEW_MODES[number % len(INTERVIEW_MODES)],
                    council_area=AREAS[number % len(AREAS)],
                    attributes={"role": f"Role {number % 7}", "years in post": str(number % 30)},
                ),
            )
            path.unlink()
    return project


def _open(window: QWidget) -> CasesDialog:
    QTest.keyClick(
        window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )  # type: ignore[arg-type]
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, CasesDialog):
        raise SystemExit("Ctrl+Shift+C did not open the cases view")
    painted(dialog)
    return dialog


def measure(project: Project, folder: Path, runs: int) -> list[Figure]:
    window = main_window(project, folder)
    count = len(project.cases.all())
    opens, listings, edits, imports = [], [], [], []
    for run in range(runs):
        began = time.perf_counter()
        dialog = _open(window)
        opens.append(ms_since(began))
        if dialog.model.rowCount() != count:
            raise SystemExit(f"the cases view shows {dialog.model.rowCount()} cases, not {count}")

        table = dialog.table
        dialog.activateWindow()
        index = dialog.proxy.index(count // 2, [c.key for c in dialog.model.columns].index("council_area"))
        table.setCurrentIndex(index)
        table.setFocus()
        QTest.keyClick(table, Qt.Key.Key_F2)
        editor = QApplication.focusWidget()
        if editor is None or editor is table:
            raise SystemExit("F2 did not open the cell's editor")
        QTest.keyClick(editor, Qt.Key.Key_End)  # after the area already there
        QTest.keyClicks(editor, f" {run}")
        began = time.perf_counter()
        QTest.keyClick(editor, Qt.Key.Key_Return)
        while table.state() == QAbstractItemView.State.EditingState:
            QApplication.processEvents()
        painted(dialog)
        edits.append(ms_since(began))
        if not str(index.data()).endswith(f" {run}"):
            raise SystemExit("the value typed was not stored")
        dialog.reject()
        QApplication.processEvents()
        window.activateWindow()  # back to the main window, as the window manager does
        while not window.isActiveWindow():
            QApplication.processEvents()

        began = time.perf_counter()
        project.cases.all()
        listings.append(ms_since(began))

        sheet = folder / "cases.csv"
        # The area just typed is a new value: the indirect check asks about it before the sheet goes.
        reviewed(project, quotes=False)
        project.cases.export_csv(sheet)
        rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"), newline="")))
        column = rows[0].index("role")
        for row in rows[1:]:
            row[column] = f"{row[column]} (run {run})"
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        sheet.write_text(buffer.getvalue(), encoding="utf-8")
        began = time.perf_counter()
        result = project.cases.import_csv(sheet)
        imports.append(ms_since(began))
        if result.changed != count:
            raise SystemExit(f"the sheet changed {result.changed} cases, not {count}")
    window.close()
    return [
        Figure(
            "cases.open",
            f"cases view ({count} participants), Ctrl+Shift+C until painted, median of {runs}",
            median(opens),
            "ms",
            "cases.open",
        ),
        Figure("cases.list", f"  of it: listing {count} cases (core)", median(listings), "ms"),
        Figure(
            "cases.edit", "cases view: a value typed, Enter until committed and shown", median(edits), "ms"
        ),
        Figure("cases.import", f"read back a case sheet of {count} rows, all changed", median(imports), "ms"),
    ]


def run(scale: Scale) -> list[Figure]:
    app = QApplication.instance() or QApplication([])
    folder = scratch("ui-cases-")
    try:
        project = build(folder, participants(scale))
        try:
            figures = measure(project, folder, scale.runs)
        finally:
            project.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    del app
    return figures


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
