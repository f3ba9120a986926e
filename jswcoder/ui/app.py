"""Starting the desktop app: the start screen, or straight into a project (``jswcoder open``, the demo).

Imported lazily by the command line, so headless commands never pay for loading Qt.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFileOpenEvent, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from jswcoder import __version__, crash
from jswcoder.project import Project, ProjectPaths
from jswcoder.resources import ICONS, resource
from jswcoder.ui.join_team_dialog import JoinTeamDialog
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.new_project import NewProjectDialog
from jswcoder.ui.qdpx_import import ImportProjectDialog
from jswcoder.ui.settings import Settings
from jswcoder.ui.start_screen import StartScreen
from jswcoder.ui.unlock import open_project


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("jswcoder")
    app.setOrganizationName("jswcoder")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("jswcoder")  # Wayland and GNOME match windows to jswcoder.desktop by this
    return app


def app_icon() -> QIcon:
    icon = QIcon()
    for png in sorted(resource(ICONS).glob("jswcoder-*.png")):
        icon.addFile(str(png))
    return icon


def tell_about_crash(message: str) -> None:
    """A bug reached the top: say so, and where the report is, in a dialog (and on stderr)."""
    print(message, file=sys.stderr)
    if QApplication.instance() is not None:
        QMessageBox.critical(None, "jswcoder hit a bug", message + "\n\nYour projects are safe on disk.")


def tell_about_problem(message: str) -> None:
    """A problem the user or the machine can fix (a full disk) reached the top: say it plainly."""
    print(message, file=sys.stderr)
    if QApplication.instance() is not None:
        QMessageBox.warning(None, "jswcoder", message.removeprefix("jswcoder: "))


class Controller(QObject):
    """Moves between the start screen and project windows; one project window at a time."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.start_screen: StartScreen | None = None
        self.window: MainWindow | None = None
        application().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # macOS hands a double-clicked project.jswc to the app as an event, not on the command line.
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent) and event.file():
            path = event.file()
            QTimer.singleShot(0, lambda: self.open_handed_over(path))
            return True
        return super().eventFilter(watched, event)

    def open_handed_over(self, path: str) -> None:
        """A project the desktop handed over; one project window at a time, so an open one stays."""
        if self.window is None:
            self.open(path)
            return
        self.window.raise_()
        self.window.activateWindow()
        if self.window.project is None or ProjectPaths.of(path).folder != self.window.project.paths.folder:
            self.window.statusBar().showMessage(
                f"To open {ProjectPaths.of(path).folder.name}, close this project first (File › Close project).",
                15000,
            )

    def show_start(self) -> None:
        if self.start_screen is None:
            self.start_screen = StartScreen(self.settings)
            self.start_screen.setWindowTitle("jswcoder")
            self.start_screen.openRequested.connect(self.open)
            self.start_screen.newRequested.connect(self.new)
            self.start_screen.importRequested.connect(self.import_qdpx)
            self.start_screen.joinRequested.connect(self.join_team)
        self.start_screen.show()

    def open(self, path: str | Path) -> None:
        project = open_project(Path(path), self.start_screen)
        if project is not None:
            self.show_project(project)

    def new(self) -> None:
        project = NewProjectDialog.create_project(self.start_screen)
        if project is not None:
            self.show_project(project)

    def join_team(self) -> None:
        project = JoinTeamDialog.join(self.start_screen)
        if project is not None:
            self.show_project(project)

    def import_qdpx(self) -> None:
        project = ImportProjectDialog.import_project(self.start_screen)
        if project is not None:
            self.show_project(project)

    def show_project(self, project: Project) -> MainWindow:
        self.settings.add_recent(project.paths.folder)
        self.window = MainWindow(project, self.settings)
        self.window.closeProjectRequested.connect(self._close_project)
        self.window.show()
        if self.start_screen is not None:
            self.start_screen.hide()
        return self.window

    def _close_project(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        self.show_start()


def run(project: Project | Path | None = None) -> int:
    """Show the app; *project* may be an open project (the demo) or a folder to unlock."""
    app = application()
    crash.install(tell_about_crash, tell_about_problem)
    controller = Controller(Settings())
    if isinstance(project, Project):
        controller.show_project(project)
    elif project is not None:
        controller.open(project)
        if controller.window is None:
            controller.show_start()
    else:
        controller.show_start()
    return app.exec()
