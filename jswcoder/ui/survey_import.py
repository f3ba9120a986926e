"""File › Import survey…: a questionnaire export into the project, from the app (issue 18).

The steps, each where it belongs (see :mod:`jswcoder.ui.workers`):

1. the file dialog (``.csv``, ``.xlsx``, ``.sav``);
2. **reading** in the background, with no database: the file is read and parsed
   (:func:`~jswcoder.importing.survey_files.read_survey_file`) and its columns guessed
   (:func:`~jswcoder.importing.survey_mapping.guess_mapping`); a file that cannot be read is refused in
   one plain line, and nothing is imported;
3. the **mapping** the user confirms (:class:`~jswcoder.ui.survey_mapping_dialog.SurveyMappingDialog`);
4. **importing** on the worker's own connection, as a writing job: the window stays usable and says
   "Importing the survey" in its busy bar, changes wait until it ends, and a second job waits for it.
   The import is one transaction (:meth:`~jswcoder.services.surveys.Surveys.import_table`): a refusal
   leaves nothing half-imported;
5. the views refresh (the transcripts list, the cases) and a short **report** says what was added,
   updated and kept, in counts and question keys, never a respondent's words.

A job's outcome that ends while the window is locked is shown after the unlock. The dialogs are
classmethods: tests replace the file dialog, and the mapping dialog where a test is not about it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from jswcoder.errors import JswError
from jswcoder.importing.survey_files import SurveyTable, read_survey_file
from jswcoder.importing.survey_mapping import ColumnGuess, guess_mapping
from jswcoder.project import Project
from jswcoder.services.surveys import SurveyImport
from jswcoder.ui import workers
from jswcoder.ui.survey_mapping_dialog import MappingChoice, SurveyMappingDialog

TITLE = "Import survey"
FILTER = "Survey exports (*.csv *.xlsx *.sav);;CSV (*.csv);;Excel workbook (*.xlsx);;SPSS data (*.sav)"


@dataclass(frozen=True)
class _Read:
    """What the reading job hands back: the table and its guessed mapping, or the refusal."""

    table: SurveyTable | None
    guesses: tuple[ColumnGuess, ...]
    refused: JswError | None = None


def read_and_guess(path: Path) -> workers.Work:
    """Worker body: read the export and guess its mapping (slow for a big file; no database)."""

    def work(progress: workers.Progress, cancelled: workers.Cancelled) -> _Read:
        progress(0, 0, path.name)
        try:
            table = read_survey_file(path)
        except JswError as error:
            return _Read(None, (), error)
        return _Read(table, tuple(guess_mapping(table)))

    return work


class SurveyImportAction:
    """The menu action's steps, for the window (*changed* refreshes its views, then runs *then*)."""

    def __init__(
        self,
        parent: QWidget,
        project: Callable[[], Project | None],
        jobs: workers.Jobs,
        changed: Callable[[frozenset[str] | None, Callable[[], None] | None], None],
        when_open: Callable[[Callable[[], None]], None] = lambda show: show(),
    ) -> None:
        self._parent = parent
        self._project = project
        self._jobs = jobs
        self._changed = changed
        self._when_open = when_open

    # -- dialogs (tests replace these) ---------------------------------------------------------------

    @classmethod
    def ask_file(cls, parent: QWidget) -> Path | None:
        """The survey export to import, or None. Tests replace this."""
        name, _ = QFileDialog.getOpenFileName(parent, TITLE, "", FILTER)
        return Path(name) if name else None

    @classmethod
    def tell(cls, parent: QWidget, text: str) -> None:
        QMessageBox.information(parent, TITLE, text)

    @classmethod
    def warn(cls, parent: QWidget, text: str) -> None:
        QMessageBox.warning(parent, TITLE, text)

    # -- the steps -----------------------------------------------------------------------------------

    def run(self, path: Path | None = None) -> None:
        if self._project() is None:
            return
        if self._busy():
            return
        path = path or self.ask_file(self._parent)
        if path is None:
            return

        def read(result: _Read) -> None:
            self._when_open(lambda: self._map(path, result))

        self._jobs.start(
            "Reading the survey", read_and_guess(path), writes=False, on_done=read, on_error=_bug
        )

    def _busy(self) -> bool:
        running = self._jobs.running
        if running is not None:
            self.tell(
                self._parent, f"{running.title} is still running. Import the survey when it has finished."
            )
        return running is not None

    def _map(self, path: Path, read: _Read) -> None:
        project = self._project()
        if project is None:
            return
        if read.refused is not None or read.table is None:
            self.warn(self._parent, f"The survey was not imported: {read.refused}")
            return
        choice = SurveyMappingDialog.ask(self._parent, path, read.table, read.guesses, project.surveys.all())
        if choice is not None:
            self._import(path, read.table, choice)

    def _import(self, path: Path, table: SurveyTable, choice: MappingChoice) -> None:
        project = self._project()
        if project is None or self._busy():
            return

        def body(
            own: Project, progress: workers.Progress, cancelled: workers.Cancelled
        ) -> SurveyImport | JswError:
            progress(0, 0, f"{len(table.rows):,} responses")
            try:
                return own.surveys.import_table(path, table, choice.kinds, name=choice.name or None)
            except JswError as error:  # the environment's fault or the data's: said, nothing stored
                return error

        def done(result: SurveyImport | JswError) -> None:
            if isinstance(result, JswError):
                self._when_open(lambda: self.warn(self._parent, f"The survey was not imported: {result}"))
                return
            self._when_open(lambda: self._changed(None, lambda: self._report(result)))

        self._jobs.start(
            "Importing the survey",
            workers.on_project(project, body),
            writes=True,
            on_done=done,
            on_error=_bug,
        )

    def _report(self, report: SurveyImport) -> None:
        self.tell(self._parent, report_text(report.lines()))


def report_text(lines: Sequence[str]) -> str:
    """The report as the window shows it: the first line, then the rest as points."""
    first, *rest = lines
    return "\n".join([f"{first}.", *(f"• {line}" for line in rest)])


def _bug(error: BaseException) -> None:
    raise error  # the app's own refusals come back as data: this is a bug, for the crash handler
