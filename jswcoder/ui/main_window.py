"""The window shell: menus, the status bar, importing, and locking.

The shell outlives a lock; the :class:`Workbench` inside it does not. Locking (on demand or after the
idle time) clears every widget of transcript text, closes the project (which drops the key) and
shows the lock screen; unlocking opens the project again and builds a fresh workbench.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
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
    QProgressDialog,
    QStackedWidget,
    QTableWidget,
    QTextEdit,
    QWidget,
)

from jswcoder import __version__
from jswcoder.logs import log_dir
from jswcoder.project import Project
from jswcoder.services.transcripts import ReadFile
from jswcoder.ui import workers
from jswcoder.ui.agreement_dialog import AgreementDialog
from jswcoder.ui.codebook_import import CodebookImport
from jswcoder.ui.idle_lock import IdleWatcher, LockScreen
from jswcoder.ui.matrix_window import MatrixWindow
from jswcoder.ui.report_actions import ReportActions
from jswcoder.ui.settings import Settings
from jswcoder.ui.team_actions import TeamActions
from jswcoder.ui.unlock import keychain_can_unlock, unlock_again
from jswcoder.ui.workbench import Workbench

SHORTCUTS = """<table cellpadding=3>
<tr><td><b>1</b> … <b>9</b></td><td>code the selection with a pinned theme</td></tr>
<tr><td><b>Ctrl+K</b></td><td>quick code: type part of a theme's name</td></tr>
<tr><td><b>Ctrl+Enter</b></td><td>code the selection with the theme chosen in the tree</td></tr>
<tr><td><b>Ctrl+I</b></td><td>new emergent theme named from the selected words</td></tr>
<tr><td><b>Del</b></td><td>remove the coding under the cursor</td></tr>
<tr><td><b>Ctrl+Shift+K</b></td><td>give the coding under the cursor another theme</td></tr>
<tr><td><b>Ctrl+Shift+B</b></td><td>fit the overlapping coding to the selection</td></tr>
<tr><td>click a theme</td><td>code the selection with it</td></tr>
<tr><td><b>Ctrl+Z</b>, <b>Ctrl+Shift+Z</b></td><td>undo, redo</td></tr>
<tr><td><b>Ctrl+F</b></td><td>search all transcripts</td></tr>
<tr><td><b>Ctrl+R</b></td><td>add the selected words to the anonymisation register</td></tr>
<tr><td><b>Ctrl+Shift+P</b></td><td>the transcript as it would leave this computer, beside the original</td></tr>
<tr><td><b>Ctrl+1</b>, <b>Ctrl+2</b>, <b>Ctrl+3</b></td><td>go to transcripts, text, themes</td></tr>
<tr><td><b>Ctrl+Shift+M</b></td><td>the Framework matrix: cases by themes, with summaries</td></tr>
<tr><td><b>Ctrl+L</b></td><td>lock now</td></tr>
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
        self._import_task: workers.Task | None = None
        self.team = TeamActions(
            self,
            settings,
            lambda: self.project,
            self._reload_workbench,
            open_register=lambda: self._on_workbench("show_register"),
            show_theme=self.show_theme,
        )
        self.reports = ReportActions(self, lambda: self.project)
        self.codebook_import = CodebookImport(self, lambda: self.project, self._reload_workbench)
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
            name: bar.addMenu(f"&{name}") for name in ("File", "Edit", "View", "Team", "Analysis", "Help")
        }
        self._action("Team", "&Sync with the exchange folder", self.team.sync, "Ctrl+Shift+S")
        self._action("Team", "&Export a package…", self.team.export_package)
        self._action("Team", "&Assign for double coding…", self.team.assign_for_double_coding)
        self._action("Team", "&Members…", self.team.members)
        self._action("Team", "My &key fingerprint…", self.team.own_fingerprint)
        self._menus["Team"].addSeparator()
        self._action("Team", "&Join a team…", self.team.join_team)
        self._action("Team", "&Create a team (this project leads it)…", self.team.create_team)
        self._action("File", "&Import transcripts…", self.import_transcripts, "Ctrl+Shift+I")
        self._action("File", "Import a REFI-QDA codebook (.qdc)…", self.codebook_import.run)
        self._action("File", "Export to REFI-QDA (.qdpx)…", self.reports.export_qdpx)
        self._action("File", "Export codebook (.qdc)…", self.reports.export_qdc)
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
        self._action("View", "Zoom &in", lambda: self._on_view("zoom_in"), QKeySequence.StandardKey.ZoomIn)
        self._action("View", "Zoom &out", lambda: self._on_view("zoom_out"), QKeySequence.StandardKey.ZoomOut)
        self._action("View", "&Actual size", lambda: self._on_view("reset_zoom"), "Ctrl+0")
        snap = self._action("View", "&Snap selections to whole words", self._toggle_snap)
        snap.setCheckable(True)
        snap.setChecked(self.settings.snap_to_words())
        self._snap_action = snap
        self._action("View", "&Lock after idle time…", self._choose_idle_minutes)
        self._menus["View"].addSeparator()
        self._action("View", "Go to &transcripts", lambda: self._focus("transcripts"), "Ctrl+1")
        self._action("View", "Go to t&ext", lambda: self._focus("text"), "Ctrl+2")
        self._action("View", "Go to t&hemes", lambda: self._focus("themes"), "Ctrl+3")
        self._action("Analysis", "Framework &matrix", self.show_matrix, "Ctrl+Shift+M")
        self._action("Analysis", "Coder &agreement…", self.show_agreement)
        self._menus["Analysis"].addSeparator()
        self._action("Analysis", "Export the &matrix…", self.reports.export_matrix)
        self._action("Analysis", "Export the theme &report…", self.reports.export_report)
        self._action(
            "Analysis",
            "Export the theme report with a Word &template…",
            lambda: self.reports.export_report(with_template=True),
        )
        self._action("Analysis", "Export the coding &summary…", self.reports.export_summary)
        self._action("Help", "&Keyboard shortcuts", self._show_shortcuts, "F1")
        self._action("Help", "&About jswcoder", self._show_about)

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
            self.workbench.tabs.setCurrentWidget(self.workbench.search)
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
        self.matrix_window.showNormal()
        self.matrix_window.raise_()
        self.matrix_window.activateWindow()

    def show_agreement(self) -> None:
        """The agreement report for a transcript coded by two coders."""
        if self.workbench is not None:
            AgreementDialog.show_for(self.workbench.project, self)

    def _open_passage(self, transcript_uuid: str, start: int, end: int) -> None:
        if self.workbench is not None:
            self.workbench.open_transcript(transcript_uuid, start, end)
            self.raise_()
            self.activateWindow()

    def _close_matrix(self) -> None:
        """Save and empty the matrix window, then drop it (before a lock or closing the project)."""
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
        QMessageBox.information(self, "Keyboard shortcuts", SHORTCUTS)

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
        self.workbench.status.connect(lambda message: self.statusBar().showMessage(message, 8000))
        self.pages.addWidget(self.workbench)
        self.pages.setCurrentWidget(self.workbench)
        self.setWindowTitle(f"{project.name} — jswcoder")
        self.statusBar().showMessage(
            "Select a passage, then press 1–9, Ctrl+K, or click a theme. F1 lists the keys."
        )

    def _reload_workbench(self) -> None:
        """Show the project afresh after a team action changed it from outside the views."""
        if self.workbench is None:
            return
        project = self.workbench.project
        self.workbench.clear()  # saves memos first
        self.undo_stack.clear()  # its commands refer to the views' old state
        self.pages.removeWidget(self.workbench)
        self.workbench.deleteLater()
        self._show_workbench(project)
        if self.matrix_window is not None:
            self.matrix_window.refresh()

    def lock(self) -> None:
        """Hide all text, close the database and drop the key; the lock screen stays."""
        if self.workbench is None:
            return
        if self._import_task is not None:
            self._import_task.cancel()
        # A dialog left open (a preview, the register, a palette) must not show text over the lock.
        while (modal := QApplication.activeModalWidget()) is not None and modal is not self:
            _scrub(modal)
            if isinstance(modal, QDialog):
                modal.reject()
            modal.hide()
        self._close_matrix()
        self.workbench.clear()
        self.undo_stack.clear()  # its commands hold the closed project
        project = self.workbench.project
        self.pages.removeWidget(self.workbench)
        self.workbench.deleteLater()
        self.workbench = None
        project.close()
        self.idle.pause()
        needs_passphrase = not keychain_can_unlock(self._project_path)
        self.lock_screen = LockScreen(self._project_name, self, needs_passphrase=needs_passphrase)
        self.lock_screen.unlockRequested.connect(self.unlock)
        self.pages.addWidget(self.lock_screen)
        self.pages.setCurrentWidget(self.lock_screen)
        self.setWindowTitle("Locked — jswcoder")
        self.statusBar().clearMessage()

    def unlock(self) -> None:
        typed = self.lock_screen.typed_passphrase() if self.lock_screen is not None else None
        project = unlock_again(self._project_path, self, passphrase=typed or None)
        if project is None:
            return
        self.idle.resume()
        if self.lock_screen is not None:
            self.pages.removeWidget(self.lock_screen)
            self.lock_screen.deleteLater()
            self.lock_screen = None
        self._show_workbench(project)

    # -- importing ---------------------------------------------------------------------------------

    @classmethod
    def ask_files(cls, parent: QWidget) -> list[Path]:
        """The transcript files to import. Tests replace this."""
        names, _ = QFileDialog.getOpenFileNames(
            parent, "Import transcripts", "", "Transcripts (*.docx *.txt)"
        )
        return [Path(name) for name in names]

    def import_transcripts(self, paths: list[Path] | None = None) -> None:
        if self.workbench is None or self._import_task is not None:
            return
        paths = paths if paths else self.ask_files(self)
        if not paths:
            return
        progress = QProgressDialog("Reading transcripts…", "Cancel", 0, len(paths), self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)

        def advance(done: int, total: int, name: str) -> None:
            progress.setMaximum(total)
            progress.setValue(done)
            progress.setLabelText(f"Reading {name}…")

        def finished(read: list[ReadFile]) -> None:
            self._import_task = None
            progress.close()
            if self.workbench is None:
                return  # locked meanwhile: nothing is stored
            report = self.workbench.project.transcripts.store_read(read)
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
            self._import_task = None
            progress.close()
            QMessageBox.critical(
                self, "Import", f"The import stopped because of a bug ({type(error).__name__})."
            )

        self._import_task = workers.start(
            workers.read_files(paths), on_done=finished, on_error=failed, on_progress=advance
        )
        progress.canceled.connect(self._import_task.cancel)

    # -- closing -----------------------------------------------------------------------------------

    def close_project(self) -> None:
        self._close_matrix()
        if self.workbench is not None:
            self.workbench.clear()
            self.undo_stack.clear()
            self.workbench.project.close()
            self.pages.removeWidget(self.workbench)
            self.workbench.deleteLater()
            self.workbench = None

    def closeEvent(self, event: QCloseEvent) -> None:
        self.close_project()
        super().closeEvent(event)
