"""The window shell: menus, the status bar, importing, long work, and locking.

The shell outlives a lock; the :class:`Workbench` inside it does not. Locking (on demand or after the
idle time) clears every widget of transcript text, closes the project (which drops the key, while the
window keeps the project's file lock, so nothing else opens it meanwhile) and shows the lock screen;
unlocking opens the project again, builds a fresh workbench and puts it back at your place (the
transcript, its scroll position and selection, the panel tabs, the theme, the search: see
:mod:`jswcoder.ui.place`). The undo history does not survive a lock: its steps hold text, and a lock
drops text from memory. It does survive a sync, which refreshes the workbench in place.

Long work (import, sync, exports, reports) runs through :class:`jswcoder.ui.workers.Jobs`, shown in the
status bar's :class:`BusyBar`; while a job writes to the project, the window is read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QStandardItemModel, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QStackedWidget,
    QTableWidget,
    QTextEdit,
    QWidget,
)

from jswcoder import __version__
from jswcoder.errors import JswError
from jswcoder.logs import log_dir
from jswcoder.project import Project
from jswcoder.security.lock import ProjectLock
from jswcoder.services.transcripts import ReadFile
from jswcoder.ui import workers
from jswcoder.ui.agreement_dialog import AgreementDialog
from jswcoder.ui.audit_window import AuditWindow
from jswcoder.ui.busy_bar import BusyBar
from jswcoder.ui.codebook_import import CodebookImport
from jswcoder.ui.deposit_action import DepositAction
from jswcoder.ui.idle_lock import IdleWatcher, LockScreen
from jswcoder.ui.index_keeper import IndexKeeper
from jswcoder.ui.indirect_window import IndirectWindow
from jswcoder.ui.matrix_window import MatrixWindow
from jswcoder.ui.pin_keys import pins_table
from jswcoder.ui.place import Place, go_to, place_of
from jswcoder.ui.query_window import QueryWindow
from jswcoder.ui.recording_actions import RecordingActions
from jswcoder.ui.report_actions import ReportActions
from jswcoder.ui.retention_actions import RetentionActions
from jswcoder.ui.settings import Settings
from jswcoder.ui.survey_grid import SurveyGrid
from jswcoder.ui.survey_import import SurveyImportAction
from jswcoder.ui.team_actions import TeamActions
from jswcoder.ui.undo_history import drop_steps_naming
from jswcoder.ui.unlock import keychain_can_unlock, unlock_again
from jswcoder.ui.withdrawal_actions import WithdrawalActions
from jswcoder.ui.workbench import Workbench

if TYPE_CHECKING:
    from jswcoder.ui.crosstab_window import CrosstabWindow

SHORTCUTS = """<table cellpadding=3>
<tr><td><b>1</b> … <b>9</b></td><td>code the selection with a pinned theme</td></tr>
<tr><td><b>Ctrl+K</b></td><td>quick code: type part of a theme's name, then Enter</td></tr>
<tr><td><b>Ctrl+Enter</b></td><td>code the selection with the theme chosen in the tree</td></tr>
<tr><td><b>Ctrl+I</b></td><td>new emergent theme named from the selected words</td></tr>
<tr><td><b>Del</b></td><td>remove the coding under the cursor</td></tr>
<tr><td><b>Ctrl+Shift+K</b></td><td>give the coding under the cursor another theme</td></tr>
<tr><td><b>Ctrl+Shift+B</b></td><td>fit the overlapping coding to the selection</td></tr>
<tr><td><b>Enter</b> on a theme, its <b>Code</b> button, or a drop on it</td><td>code the selection with it
(a click only shows its passages)</td></tr>
<tr><td><b>Alt</b>+drag</td><td>select by characters (a drag selects whole words)</td></tr>
<tr><td><b>Ctrl+Z</b>, <b>Ctrl+Shift+Z</b></td><td>undo, redo</td></tr>
<tr><td><b>Ctrl+F</b></td><td>search all transcripts</td></tr>
<tr><td><b>Ctrl+Shift+F</b></td><td>find passages like the selection (or a coded passage) across the
project; in the list, <b>Space</b> ticks, a digit or <b>Ctrl+K</b> codes the ticked</td></tr>
<tr><td><b>Ctrl+R</b></td><td>add the selected words to the anonymisation register</td></tr>
<tr><td><b>Ctrl+Shift+P</b></td><td>the transcript as it would leave this computer, beside the original</td></tr>
<tr><td><b>Ctrl+1</b>, <b>Ctrl+2</b>, <b>Ctrl+3</b></td><td>go to transcripts, text, themes</td></tr>
<tr><td><b>Ctrl+Shift+M</b></td><td>the Framework matrix: cases by themes, with summaries</td></tr>
<tr><td><b>Ctrl+Shift+Q</b></td><td>a coding query: passages coded A and B, A but not B, A near B…</td></tr>
<tr><td><b>Ctrl+Shift+T</b></td><td>suggest themes for the open transcript; in the list, <b>Enter</b> or
<b>A</b> accepts, <b>R</b> or <b>Del</b> rejects, <b>Esc</b> goes back to the text</td></tr>
<tr><td><b>Ctrl+Shift+D</b> in the matrix</td><td>start the cell's summary from its passages</td></tr>
<tr><td><b>Ctrl+Shift+S</b></td><td>sync with the team's exchange folder</td></tr>
<tr><td><b>Ctrl+L</b></td><td>lock now (unlocking brings you back to the same place)</td></tr>
<tr><td><b>Ctrl+Space</b> or <b>F9</b></td><td>play or pause a transcript's recording
(<b>Ctrl</b>+click in the text plays from there)</td></tr>
<tr><td><b>Ctrl+Shift+Space</b></td><td>hear the selection, or from the cursor on</td></tr>
<tr><td><b>Ctrl+Alt+Left</b> or <b>F7</b>, <b>Ctrl+Alt+Right</b></td><td>back, forward 3 seconds</td></tr>
<tr><td><b>Ctrl+Alt+Down</b>, <b>Ctrl+Alt+Up</b></td><td>slower, faster (0.5× to 1.5×)</td></tr>
<tr><td><b>Space</b> in Coded passages</td><td>hear the chosen passage</td></tr>
</table>"""


def _scrub(widget: QWidget) -> None:
    """Empty every text-holding widget inside *widget*: a dialog hidden by the lock keeps no text."""
    for child in [widget, *widget.findChildren(QWidget)]:
        if isinstance(child, QPlainTextEdit | QTextEdit | QLineEdit | QLabel | QListWidget):
            child.clear()
        elif isinstance(child, QTableWidget):
            child.setRowCount(0)
        elif isinstance(child, QAbstractItemView) and isinstance(child.model(), QStandardItemModel):
            child.model().removeRows(0, child.model().rowCount())


class MainWindow(QMainWindow):
    closeProjectRequested = Signal()

    def __init__(self, project: Project, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._project_path = project.paths.folder
        self._project_name = project.name
        self.undo_stack = QUndoStack(self)
        self.pages = QStackedWidget(self)
        self.setCentralWidget(self.pages)
        self.workbench: Workbench | None = None
        self.lock_screen: LockScreen | None = None
        self.matrix_window: MatrixWindow | None = None
        self.query_window: QueryWindow | None = None
        self.crosstab_window: CrosstabWindow | None = None
        self.survey_grid: SurveyGrid | None = None
        self._held_lock: ProjectLock | None = None  # the project's file lock, kept while locked
        self._place: Place | None = None  # where you were, when it could not go into the project
        self._after_unlock: list[Callable[[], None]] = []  # outcomes of jobs that ended while locked
        self._stepping = 0  # refreshes going a step per event-loop turn (after a sync)
        self.jobs = workers.Jobs(self)
        # What is running, at the right of the menu bar: showing it moves nothing in the window (a strip
        # above the workbench made the 80,000-character text lay itself out again, a stall of 175 ms).
        self.busy_bar = BusyBar(self)
        self.menuBar().setCornerWidget(self.busy_bar, Qt.Corner.TopRightCorner)
        self.jobs.changed.connect(self._job_changed)
        self.jobs.progressed.connect(self.busy_bar.progress)
        self.busy_bar.cancelRequested.connect(self.jobs.cancel)
        # The passage index, kept up to date beside the jobs (giving way to them), quietly in the status bar.
        self.index_keeper = IndexKeeper(self)
        self.statusBar().addPermanentWidget(self.index_keeper.strip)
        self.index_keeper.changed.connect(self._index_changed)
        self.index_keeper.said.connect(lambda line: self.statusBar().showMessage(line, 8000))
        self.team = TeamActions(
            self,
            settings,
            lambda: self.project,
            self._refresh,
            self.jobs,
            when_open=self._when_open,
            open_register=lambda: self._on_workbench("show_register"),
            show_theme=self.show_theme,
            destroy_project=self.destroy_project,
        )
        self.reports = ReportActions(self, lambda: self.project, self.jobs, self._when_open, settings)
        self.deposit = DepositAction(self, lambda: self.project, self.jobs, self._when_open)
        self.withdrawal = WithdrawalActions(self, lambda: self.project, self.team.in_background)
        self.retention = RetentionActions(self, lambda: self.project, self.destroy_project)
        self.codebook_import = CodebookImport(self, lambda: self.project, self._refresh)
        self.survey_import = SurveyImportAction(
            self, lambda: self.project, self.jobs, self._refresh, self._when_open
        )
        self.recordings = RecordingActions(
            self,
            lambda: self.project,
            self.jobs,
            lambda: None if self.workbench is None else self.workbench.transcripts,
            lambda line: self.statusBar().showMessage(line, 15000),
            lambda label: self.busy_bar.progress(0, 0, label),
            self._open_finished_transcript,
            self._when_open,
        )
        self._writing_actions: list[QAction] = []  # wait while a job writes to the project
        self._build_menus()
        self._show_workbench(project)
        self.idle = IdleWatcher(self, minutes=settings.idle_minutes())
        self.idle.idle.connect(self.lock)
        self.resize(1400, 860)

    @property
    def project(self) -> Project | None:
        return None if self.workbench is None else self.workbench.project

    # -- menus -------------------------------------------------------------------------------------

    def _action(
        self,
        menu_name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self._menus[menu_name].addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menus = {
            name: bar.addMenu(f"&{name}")
            for name in ("File", "Edit", "View", "Audio", "Team", "Analysis", "Help")
        }
        writing = self._writing_actions
        self._action("Team", "&Sync with the exchange folder", self.team.sync, "Ctrl+Shift+S")
        self._action("Team", "&Export a package…", self.team.export_package)
        writing.append(self._action("Team", "What packages &include…", self.team.what_packages_include))
        writing.append(self._action("Team", "&Assign for double coding…", self.team.assign_for_double_coding))
        writing.append(self._action("Team", "&Members…", self.team.members))
        self._action("Team", "My &key fingerprint…", self.team.own_fingerprint)
        self._menus["Team"].addSeparator()
        writing.append(self._action("Team", "&Withdraw a participant…", self.withdrawal.withdraw))
        self._action("Team", "With&drawals…", self.withdrawal.withdrawals)
        writing.append(self._action("Team", "End the &retention period…", self.retention.end_retention))
        self._menus["Team"].addSeparator()
        writing.append(self._action("Team", "&Join a team…", self.team.join_team))
        writing.append(self._action("Team", "&Create a team (this project leads it)…", self.team.create_team))
        self._action("File", "&Import transcripts…", self.import_transcripts, "Ctrl+Shift+I")
        writing.append(self._action("File", "Import &recording…", self.recordings.import_recording))
        writing.append(self._action("File", "Import &survey…", self.survey_import.run))
        writing.append(self._action("File", "Import a REFI-QDA codebook (.qdc)…", self.codebook_import.run))
        self._action("File", "Export to REFI-QDA (.qdpx)…", self.reports.export_qdpx)
        self._action("File", "Export codebook (.qdc)…", self.reports.export_qdc)
        self._action("File", "&Deposit for an archive…", self.deposit.run)
        self._action("File", "Audit &trail…", self.show_audit)
        self._menus["File"].addSeparator()
        self._action("File", "&Lock", self.lock, "Ctrl+L")
        self._action(
            "File", "&Close project", self.closeProjectRequested.emit, QKeySequence.StandardKey.Close
        )
        self._action("File", "&Quit", self.close, QKeySequence.StandardKey.Quit)
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts(QKeySequence.StandardKey.Redo)  # Ctrl+Y and Ctrl+Shift+Z
        self._undo_actions = (undo, redo)
        self._menus["Edit"].addActions([undo, redo])
        self._menus["Edit"].addSeparator()
        self._action("Edit", "&Quick code…", lambda: self._on_workbench("quick_code"), "Ctrl+K")
        self._action(
            "Edit",
            "Code with &chosen theme",
            lambda: self._on_workbench("code_with_current_theme"),
            "Ctrl+Return",
        )
        self._action("Edit", "&In-vivo theme from selection", lambda: self._on_workbench("in_vivo"), "Ctrl+I")
        self._action(
            "Edit", "&Remove coding under cursor", lambda: self._on_workbench("remove_coding_at_cursor")
        )
        self._action(
            "Edit",
            "Change &theme of coding…",
            lambda: self._on_workbench("change_theme_at_cursor"),
            "Ctrl+Shift+K",
        )
        self._action(
            "Edit",
            "Fit coding to &selection",
            lambda: self._on_workbench("fit_coding_to_selection"),
            "Ctrl+Shift+B",
        )
        self._action("Edit", "&Find in transcripts…", self._focus_search, QKeySequence.StandardKey.Find)
        self._action(
            "Edit", "Find passages &like this", lambda: self._on_workbench("find_like_this"), "Ctrl+Shift+F"
        )
        self._menus["Edit"].addSeparator()
        self._action(
            "Edit",
            "Add selection to the &register…",
            lambda: self._on_workbench("add_selection_to_register"),
            "Ctrl+R",
        )
        self._action(
            "Edit", "Anonymised &preview…", lambda: self._on_workbench("show_preview"), "Ctrl+Shift+P"
        )
        self._action(
            "Edit", "Anonymisation re&gister…", lambda: self._on_workbench("show_register"), "Ctrl+Shift+R"
        )
        self._action("Edit", "&Indirect identification…", self.show_indirect)
        self._action("View", "Zoom &in", lambda: self._on_view("zoom_in"), QKeySequence.StandardKey.ZoomIn)
        self._action("View", "Zoom &out", lambda: self._on_view("zoom_out"), QKeySequence.StandardKey.ZoomOut)
        self._action("View", "&Actual size", lambda: self._on_view("reset_zoom"), "Ctrl+0")
        snap = self._action("View", "Drag selects &whole words (Alt-drag: characters)", self._toggle_snap)
        snap.setCheckable(True)
        snap.setChecked(self.settings.snap_to_words())
        self._snap_action = snap
        self._action("View", "&Lock after idle time…", self._choose_idle_minutes)
        self._menus["View"].addSeparator()
        self._action("View", "Go to &transcripts", lambda: self._focus("transcripts"), "Ctrl+1")
        self._action("View", "Go to t&ext", lambda: self._focus("text"), "Ctrl+2")
        self._action("View", "Go to t&hemes", lambda: self._focus("themes"), "Ctrl+3")
        self._menus["View"].addSeparator()
        self._action("View", "&Cases…", lambda: self._on_workbench("show_cases"), "Ctrl+Shift+C")
        self._build_audio_menu()
        self._action("Analysis", "Framework &matrix", self.show_matrix, "Ctrl+Shift+M")
        self._action("Analysis", "Coding &query…", self.show_query, "Ctrl+Shift+Q")
        self._action("Analysis", "&Crosstabs and co-occurrence…", self.show_crosstab)
        self._action("Analysis", "Coder &agreement…", self.show_agreement)
        self._action("Analysis", "Code &survey answers…", self.show_survey_grid)
        self._menus["Analysis"].addSeparator()
        self._action("Analysis", "Su&ggest themes for this transcript", self._suggest_themes, "Ctrl+Shift+T")
        keep = self._action("Analysis", "&Keep suggesting themes as transcripts open", self._keep_suggesting)
        keep.setCheckable(True)
        keep.setChecked(self.settings.keep_suggesting())
        self._keep_action = keep
        self._menus["Analysis"].addSeparator()
        self._action("Analysis", "Export the &matrix…", self.reports.export_matrix)
        self._action("Analysis", "Export the theme &report…", self.reports.export_report)
        self._action(
            "Analysis",
            "Export the theme report with a Word &template…",
            lambda: self.reports.export_report(with_template=True),
        )
        self._action("Analysis", "Export the coding &summary…", self.reports.export_summary)
        self._action("Analysis", "Save the coding &stripes of this transcript…", self.save_stripes)
        self._action("Help", "&Keyboard shortcuts", self._show_shortcuts, "F1")
        self._action("Help", "&About jswcoder", self._show_about)

    def _build_audio_menu(self) -> None:
        """Playing the open transcript's recording (see :mod:`jswcoder.ui.playback_bar`)."""
        audio: list[tuple[str, Callable[[], None], tuple[str, ...]]] = [
            ("&Play or pause", lambda: self._on_audio("toggle"), ("Ctrl+Space", "F9")),
            ("Play from &cursor or selection", lambda: self._on_audio("here"), ("Ctrl+Shift+Space",)),
            ("&Back 3 seconds", lambda: self._on_audio("back"), ("Ctrl+Alt+Left", "F7")),
            ("&Forward 3 seconds", lambda: self._on_audio("forward"), ("Ctrl+Alt+Right",)),
            ("S&lower", lambda: self._on_audio("slower"), ("Ctrl+Alt+Down",)),
            ("F&aster", lambda: self._on_audio("faster"), ("Ctrl+Alt+Up",)),
        ]
        for text, slot, keys in audio:
            self._action("Audio", text, slot).setShortcuts([QKeySequence(key) for key in keys])

    def _suggest_themes(self) -> None:
        if self.workbench is not None:
            self.workbench.suggestions.suggest()

    def _keep_suggesting(self) -> None:
        self.settings.set_keep_suggesting(self._keep_action.isChecked())
        if self.workbench is not None:
            self.workbench.suggestions.set_keep_suggesting(self._keep_action.isChecked())

    def _on_audio(self, command: str) -> None:
        if self.workbench is not None:
            self.workbench.audio(command)

    def _on_workbench(self, method: str) -> None:
        if self.workbench is not None:
            getattr(self.workbench, method)()

    def _on_view(self, method: str) -> None:
        if self.workbench is not None:
            getattr(self.workbench.view, method)()

    def _focus(self, where: str) -> None:
        if self.workbench is None:
            return
        target = {
            "transcripts": self.workbench.transcripts.view,
            "text": self.workbench.view.text_edit,
            "themes": self.workbench.themes.view,
        }[where]
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_theme(self, uuid: str) -> None:
        """The theme tree, focused, at the theme *uuid* when it is there (a report's same-name theme)."""
        if self.workbench is None:
            return
        if uuid:
            self.workbench.themes.select_code(uuid)
        self.activateWindow()  # back from the report
        self._focus("themes")

    def _focus_search(self) -> None:
        if self.workbench is not None:
            self.workbench.tabs.setCurrentWidget(self.workbench.search_tab)
            self.workbench.search_tab.show_words()
            self.workbench.search.query_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_matrix(self) -> None:
        """Open the Framework matrix window, or rebuild and raise the one already open."""
        if self.workbench is None:
            return
        if self.matrix_window is None:
            self.matrix_window = MatrixWindow(
                self.workbench.project, self._open_passage, self, export=self.reports.export_matrix
            )
            self.undo_stack.indexChanged.connect(self.matrix_window.mark_stale)  # every coding goes there
        else:
            self.matrix_window.refresh()
        self.matrix_window.setEnabled(not self._writing())
        self.matrix_window.showNormal()
        self.matrix_window.raise_()
        self.matrix_window.activateWindow()

    def show_indirect(self) -> None:
        """Details, and quotes, that fit fewer than k participants: to accept, edit or dismiss."""
        if self.workbench is not None and not self.workbench.refuses_changes():
            IndirectWindow.show_for(self.workbench.project, self)

    def show_audit(self) -> None:
        """Who exported, deposited, changed the register, admitted or withdrew, and when."""
        if self.workbench is not None:
            AuditWindow.show_for(self.workbench.project, self)

    def show_agreement(self) -> None:
        """The agreement report for a transcript coded by two coders."""
        if self.workbench is not None:
            AgreementDialog.show_for(self.workbench.project, self)
            for window in (self.matrix_window, self.crosstab_window):  # a reconciliation changes them
                if window is not None:
                    window.mark_stale()

    def show_crosstab(self) -> None:
        """Open the crosstabs and co-occurrence window (issue 17), or rebuild and raise the one open."""
        if self.workbench is None:
            return
        if self.crosstab_window is None:
            # The exports' modules (charts, python-docx, openpyxl) load with this window, not at start-up.
            from jswcoder.ui.crosstab_window import CrosstabWindow, TableActions  # noqa: PLC0415

            actions = TableActions(
                self.reports.export_crosstab, self.reports.export_cooccurrence, self.reports.save_chart
            )
            self.crosstab_window = CrosstabWindow(
                self.workbench.project, self._open_passage, self, actions, self.jobs
            )
            self.undo_stack.indexChanged.connect(self.crosstab_window.mark_stale)
        else:
            self.crosstab_window.refresh()
        self.crosstab_window.showNormal()
        self.crosstab_window.raise_()
        self.crosstab_window.activateWindow()

    def save_stripes(self) -> None:
        """A chart of where each coder coded each theme along the open transcript (PNG or SVG)."""
        bench = self.workbench
        if bench is None:
            return
        if bench.current is None:
            self.statusBar().showMessage("Open a transcript first: the stripes are drawn along it.", 8000)
            return
        transcript = bench.current.uuid
        from jswcoder.reports.charts import stripes_chart  # noqa: PLC0415  (the exports load when used)

        self.reports.save_chart(
            lambda own, text: stripes_chart(own, transcript, text), "Coding stripes"
        )  # not the transcript's name in the file's: it may name someone

    def show_query(self) -> None:
        """Open the coding query builder (issue 17), or bring back the one already open, its themes read
        afresh."""
        if self.workbench is None:
            return
        if self.query_window is None:
            workbench = self.workbench
            self.query_window = QueryWindow(
                workbench.project,
                self._open_passage,
                workbench.code_as_new_theme,
                self,
                export=self.reports.export_query,
            )
        else:
            self.query_window.refresh()
        self.query_window.showNormal()
        self.query_window.raise_()
        self.query_window.activateWindow()

    def show_survey_grid(self) -> None:
        """Open the survey grid (issue 18: a question's answers one under another, coded as turns are),
        or bring back the one already open, read afresh."""
        if self.workbench is None:
            return
        if self.survey_grid is None:
            self.survey_grid = SurveyGrid(self.workbench, self._open_passage, self)
        else:
            self.survey_grid.refresh()
        self.survey_grid.setEnabled(not self._writing())
        self.survey_grid.showNormal()
        self.survey_grid.raise_()
        self.survey_grid.activateWindow()

    def show_survey(self, survey_uuid: str) -> None:
        """The survey grid on one survey: its entry in the transcripts list was chosen (Enter)."""
        self.show_survey_grid()
        grid = self.survey_grid
        if grid is not None:
            index = grid.survey_combo.findData(survey_uuid)
            if index >= 0 and index != grid.survey_combo.currentIndex():
                grid.survey_combo.setCurrentIndex(index)
                grid.refresh()

    def _open_finished_transcript(self, transcript_uuid: str) -> None:
        """A recording's transcript, finished: opened to code, and indexed."""
        self.index_keeper.nudge()
        self._open_passage(transcript_uuid, -1, -1)

    def _index_changed(self) -> None:
        """The index keeper started, progressed, ended or stopped: the Search tab says how far it is."""
        if self.workbench is not None:
            keeper = self.index_keeper
            self.workbench.similar.set_index_note(keeper.note(), keeper.stopped_by_user)
            self.workbench.suggestions.index_changed(keeper.running)

    def _open_passage(self, transcript_uuid: str, start: int, end: int) -> None:
        if self.workbench is not None:
            self.workbench.open_transcript(transcript_uuid, start, end)
            self.raise_()
            self.activateWindow()

    def _close_matrix(self) -> None:
        """Save and empty the matrix window, then drop it (before a lock or closing the project); the
        query and crosstab windows go too, and the survey grid, and the recordings' windows."""
        self.recordings.close_windows()
        if self.survey_grid is not None:
            self.survey_grid.clear()
            self.survey_grid.hide()
            self.survey_grid.deleteLater()
            self.survey_grid = None
        if self.crosstab_window is not None:
            self.crosstab_window.hide()
            self.crosstab_window.deleteLater()
            self.crosstab_window = None
        if self.query_window is not None:
            self.query_window.hide()
            self.query_window.deleteLater()
            self.query_window = None
        if self.matrix_window is not None:
            self.matrix_window.clear()
            self.matrix_window.hide()
            self.matrix_window.deleteLater()
            self.matrix_window = None

    def _toggle_snap(self) -> None:
        self.settings.set_snap_to_words(self._snap_action.isChecked())
        if self.workbench is not None:
            self.workbench.view.snap_to_words = self._snap_action.isChecked()

    @classmethod
    def ask_minutes(cls, parent: QWidget, current: int) -> int | None:
        """Minutes of inactivity before locking (0 = never). Tests replace this."""
        minutes, ok = QInputDialog.getInt(
            parent, "Idle lock", "Lock after this many minutes without input (0 = never):", current, 0, 240
        )
        return minutes if ok else None

    def _choose_idle_minutes(self) -> None:
        minutes = self.ask_minutes(self, self.settings.idle_minutes())
        if minutes is not None:
            self.settings.set_idle_minutes(minutes)
            self.idle.set_minutes(minutes)

    def _show_shortcuts(self) -> None:
        pinned = pins_table(self.workbench.pinned_names()) if self.workbench is not None else ""
        QMessageBox.information(self, "Keyboard shortcuts", SHORTCUTS + pinned)

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            "About jswcoder",
            f"<b>jswcoder {__version__}</b><p>Encrypted, offline qualitative coding for research teams.</p>"
            f"<p>Logs and crash reports (they never hold your data):<br>{log_dir()}</p>",
        )

    # -- workbench and lock ------------------------------------------------------------------------

    def _show_workbench(self, project: Project) -> None:
        self.workbench = Workbench(project, self.undo_stack, self)
        self.workbench.view.snap_to_words = self.settings.snap_to_words()
        self.workbench.suggestions.set_keep_suggesting(self._keep_action.isChecked())
        self.workbench.status.connect(lambda message: self.statusBar().showMessage(message, 8000))
        self.workbench.transcripts.surveyActivated.connect(self.show_survey)
        self.workbench.transcripts.recordingActivated.connect(self.recordings.next_step)
        self.workbench.transcripts.importRecordingRequested.connect(self.recordings.import_recording)
        self.pages.addWidget(self.workbench)
        self.pages.setCurrentWidget(self.workbench)
        self.workbench.similar.indexRequested.connect(self.index_keeper.resume)
        self.workbench.transcripts.transcriptsChanged.connect(self.index_keeper.nudge)
        self.index_keeper.start(project)  # opened or unlocked: what is new or changed is indexed
        self._job_changed(self.jobs.running)  # unlocked while a job still writes: still read-only
        self.setWindowTitle(f"{project.name} — jswcoder")
        self.statusBar().addPermanentWidget(self.workbench.pin_strip)  # which theme each digit codes
        self.statusBar().showMessage(
            "Select a passage, then press a digit key, Ctrl+K, or drag it onto a theme. F1 lists the keys."
        )

    def _refresh(self, changed: frozenset[str] | None = None, then: Callable[[], None] | None = None) -> None:
        """Show what a team action changed, in place: your place and the undo history stay, except the
        undo steps that name a theme, coding or transcript in *changed* (the records it changed; None
        when not known): those are dropped, and the status bar says which.

        With *then* (what to show afterwards, after a sync), the refresh goes one short step per turn
        of the event loop, so the window keeps answering; *then* comes last. Without it, at once.
        """
        if self.workbench is None:
            if then is not None:
                self._when_open(then)
            return
        self.index_keeper.nudge()  # a sync, a merge or an import may have brought or changed transcripts
        dropped = drop_steps_naming(self.undo_stack, changed or frozenset())
        steps = self.workbench.refresh_steps(changed)
        if self.matrix_window is not None:
            self.matrix_window.mark_stale()  # built afresh when next looked at
        if self.crosstab_window is not None:
            self.crosstab_window.mark_stale()
        if self.survey_grid is not None:
            self.survey_grid.mark_stale()
        if dropped:
            steps.append(lambda: self._say_dropped(dropped))
        if then is None:
            for step in steps:
                step()
            if self.matrix_window is not None and self.matrix_window.isVisible():
                self.matrix_window.refresh()
            return
        self._in_turns(self.workbench, steps, then)

    def _in_turns(self, bench: Workbench, steps: list[Callable[[], None]], then: Callable[[], None]) -> None:
        """Run *steps* one per event-loop turn, then *then*; a lock meanwhile skips the rest of the
        steps (the unlock builds everything afresh) and keeps *then* for after the unlock."""

        def turn() -> None:
            if self.workbench is not bench:
                self._stepping -= 1
                self._when_open(then)
            elif steps:
                steps.pop(0)()
                # A real timer (not 0 ms, which Qt posts ahead of everything): input and other timers
                # due meanwhile go first.
                QTimer.singleShot(1, turn)
            else:
                self._stepping -= 1
                then()

        self._stepping += 1
        turn()

    def at_rest(self) -> bool:
        """No job runs, and no refresh after one is still going: what a job brought is all on show."""
        return self.jobs.running is None and self._stepping == 0

    def _say_dropped(self, dropped: list[str]) -> None:
        self.statusBar().showMessage(
            f"The sync changed what {len(dropped)} undo step(s) worked on, so Undo leaves them out: "
            + "; ".join(dropped),
            15000,
        )

    def _writing(self) -> bool:
        return self.jobs.running is not None and self.jobs.running.writes

    def _job_changed(self, job: workers.Job | None) -> None:
        """A job started or ended: the busy bar says so, and while it writes, changes wait. The passage
        index gives way to a job while it runs."""
        self.busy_bar.show_job(job)
        self.index_keeper.pause(job is not None)
        writing = self._writing()
        if self.workbench is not None:
            self.workbench.set_read_only(
                f"{self.jobs.running.title} is writing to the project: changes wait until it ends."
                if writing and self.jobs.running is not None
                else None
            )
        for action in self._writing_actions:
            action.setEnabled(not writing)
        undo, redo = self._undo_actions
        undo.setEnabled(not writing and self.undo_stack.canUndo())
        redo.setEnabled(not writing and self.undo_stack.canRedo())
        if self.matrix_window is not None:
            self.matrix_window.setEnabled(not writing)
        if self.survey_grid is not None:
            self.survey_grid.setEnabled(not writing)

    def _when_open(self, show: Callable[[], None]) -> None:
        """Show a job's outcome now, or after the unlock if the window locked while it ran."""
        if self.workbench is not None:
            show()
        else:
            self._after_unlock.append(show)

    def lock(self) -> None:
        """Hide all text, close the database and drop the key; the lock screen stays.

        A job still running is asked to stop at its next clean step; its own connection (and its copy
        of the key) goes when it does, and its outcome is shown after the unlock. The window keeps the
        project's file lock, so the project cannot be opened elsewhere while it is locked here.
        """
        if self.workbench is None:
            return
        self.jobs.cancel()
        self.index_keeper.stop()  # started again by the unlock
        # A dialog left open (a preview, the register, a palette) must not show text over the lock.
        while (modal := QApplication.activeModalWidget()) is not None and modal is not self:
            _scrub(modal)
            if isinstance(modal, QDialog):
                modal.reject()
            modal.hide()
        self._close_matrix()
        place = place_of(self.workbench)
        bench_busy = self.workbench.similar.busy  # a query for passages like this, on its own connection
        self.workbench.clear()
        self.undo_stack.clear()  # its commands hold the closed project and the text of what they did
        project = self.workbench.project
        self._keep_place(project, place)
        self.pages.removeWidget(self.workbench)
        self.workbench.deleteLater()
        self.workbench = None
        # With a job still running, the log is folded in at the next close: never wait for the worker.
        quiet = self.jobs.running is None and not self.index_keeper.running and not bench_busy
        self._held_lock = project.close(keep_lock=True, fold_log=quiet)
        self.idle.pause()
        needs_passphrase = not keychain_can_unlock(self._project_path)
        self.lock_screen = LockScreen(self._project_name, self, needs_passphrase=needs_passphrase)
        self.lock_screen.unlockRequested.connect(self.unlock)
        self.pages.addWidget(self.lock_screen)
        self.pages.setCurrentWidget(self.lock_screen)
        self.setWindowTitle("Locked — jswcoder")
        self.statusBar().clearMessage()

    def _keep_place(self, project: Project, place: Place) -> None:
        """Your place goes into the (encrypted) project; only if it cannot (a job is writing, the disk
        is full) does a part of it that names nothing stay in memory: no search words."""
        self._place = None
        if not self._writing():
            try:
                project.last_place.keep(place.to_json())
                return
            except JswError:
                pass
        self._place = replace(place, query="")

    def _taken_place(self, project: Project) -> Place | None:
        kept, self._place = self._place, None
        try:
            stored = project.last_place.take()
        except JswError:
            stored = None
        return Place.from_json(stored) if stored is not None else kept

    def unlock(self) -> None:
        typed = self.lock_screen.typed_passphrase() if self.lock_screen is not None else None
        project = unlock_again(self._project_path, self, passphrase=typed or None, held=self._held_lock)
        if project is None:
            return
        self._held_lock = None  # the project holds it again
        self.idle.resume()
        if self.lock_screen is not None:
            self.pages.removeWidget(self.lock_screen)
            self.lock_screen.deleteLater()
            self.lock_screen = None
        self._show_workbench(project)
        place = self._taken_place(project)
        if place is not None and self.workbench is not None:
            # Laid out at its full size first: the scroll position counts lines, which depend on the width.
            QApplication.sendPostedEvents()
            go_to(self.workbench, place)
        shows, self._after_unlock = self._after_unlock, []
        for show in shows:
            show()

    # -- importing ---------------------------------------------------------------------------------

    @classmethod
    def ask_files(cls, parent: QWidget) -> list[Path]:
        """The transcript files to import. Tests replace this."""
        names, _ = QFileDialog.getOpenFileNames(
            parent, "Import transcripts", "", "Transcripts (*.docx *.txt)"
        )
        return [Path(name) for name in names]

    def import_transcripts(self, paths: list[Path] | None = None) -> None:
        """Read the files in the background (Cancel stops between files), then store them here."""
        if self.workbench is None:
            return
        if self.jobs.running is not None:
            self.statusBar().showMessage(
                f"{self.jobs.running.title} is still running: import after it.", 8000
            )
            return
        paths = paths if paths else self.ask_files(self)
        if not paths:
            return

        def finished(read: list[ReadFile]) -> None:
            if self.workbench is None:
                return  # locked meanwhile: nothing is stored
            report = self.workbench.project.transcripts.store_read(read)
            self.workbench.project.transcription.link_namesakes()  # stamped, beside its recording
            self.index_keeper.nudge()
            self.workbench.transcripts.reload()
            self.workbench.search.refresh_codes()
            lines = [f"Imported {len(report.imported)} of {len(paths)} files."]
            lines += [f"• {name}: {note}" for name, notes in report.warnings.items() for note in notes]
            lines += [f"• Not imported: {rejected}" for rejected in report.rejected]
            if report.rejected or report.warnings:
                QMessageBox.information(self, "Import", "\n".join(lines))
            self.statusBar().showMessage(lines[0], 8000)
            if report.imported:
                self.workbench.open_transcript(report.imported[0].uuid)

        def failed(error: BaseException) -> None:
            QMessageBox.critical(
                self, "Import", f"The import stopped because of a bug ({type(error).__name__})."
            )

        self.jobs.start(
            "Reading transcripts",
            workers.read_files(paths),
            writes=False,
            cancellable=True,
            on_done=finished,
            on_error=failed,
        )

    # -- closing -----------------------------------------------------------------------------------

    def close_project(self) -> None:
        """Close the project (or let go of a locked one), once the running job's current step is done."""
        self.jobs.wait()
        self.index_keeper.wait()
        self._close_matrix()
        if self.workbench is not None:
            self.workbench.similar.wait()
            self.workbench.clear()
            self.undo_stack.clear()
            self.workbench.project.close()
            self.pages.removeWidget(self.workbench)
            self.workbench.deleteLater()
            self.workbench = None
        if self._held_lock is not None:
            self._held_lock.release()
            self._held_lock = None
        self._after_unlock.clear()

    def destroy_project(self, destroy: Callable[[Project], None], then: Callable[[], None]) -> str | None:
        """Destroy the open project with *destroy* (the study's retention period has ended): the views
        let go of it first, since only the project's own connection may delete its keys and database.
        Then *then* (the message), and the window goes back to the start. If *destroy* refuses before
        anything is gone, the project is shown again and the reason returned."""
        if self.workbench is None:
            return "the project is locked"
        self.jobs.wait()
        self.index_keeper.wait()
        self.workbench.similar.wait()
        self._close_matrix()
        project = self.workbench.project
        self.workbench.clear()
        self.undo_stack.clear()
        self.pages.removeWidget(self.workbench)
        self.workbench.deleteLater()
        self.workbench = None
        folder = project.paths.folder
        try:
            destroy(project)
        except (JswError, OSError) as error:
            if project.destroyable:  # refused before anything went: the project is as it was
                self._show_workbench(project)
                return str(error) if isinstance(error, JswError) else error.strerror
            self.closeProjectRequested.emit()
            return f"it was not destroyed completely; delete the folder {folder}"
        then()
        self.closeProjectRequested.emit()
        return None

    def closeEvent(self, event: QCloseEvent) -> None:
        self.close_project()
        super().closeEvent(event)
