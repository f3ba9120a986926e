"""The Team menu: create or join a team, export a package, sync through the exchange folder, and (the
lead) assign a transcript to a second fieldworker for double coding.

Sync (at the lead it merges the members' packages: a second or two at study scale) and exporting a
package run in the background through :mod:`jswcoder.ui.workers`, on the worker's own connection; the
window stays usable but read-only meanwhile, and a lead's sync shows each package and can stop between
them. Afterwards the views are refreshed in place: the open transcript, its scroll position, the panel
tabs and the undo history stay. Creating, joining and assigning are quick and run at once. Every outcome ends in a plain report the user can read: what was
sent or merged, who joined (with the key fingerprint to check), and what was refused and why. A lead's
sync, and a fieldworker's that brings more than a few lines, open the report dialog (a table that
scrolls, in a window that fits the screen); a fieldworker's usual sync is a line or two in a message box.
Errors are said in the app's words, never as command lines. Nothing here shows identifying strings: a
refused sync or export says how many details remain and offers a button to the register's review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget
from shiboken6 import isValid

from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.services import record_states
from jswcoder.services.egress import LeaksFound
from jswcoder.team import double_coding, exchange
from jswcoder.team.lead_sync import LeadSyncReport, sync_lead, write_team_file
from jswcoder.team.package_writer import choose_package_attributes, package_attributes, releasable
from jswcoder.ui import workers
from jswcoder.ui.members_dialog import MembersDialog
from jswcoder.ui.package_attributes_dialog import TITLE as INCLUDE_TITLE
from jswcoder.ui.package_attributes_dialog import PackageAttributesDialog
from jswcoder.ui.retention_actions import Destroy
from jswcoder.ui.saved_message import SavedMessage
from jswcoder.ui.settings import Settings
from jswcoder.ui.sync_report import (
    MEMBERS,
    REGISTER,
    THEMES,
    ReportView,
    fieldworker_summary,
    fieldworker_view,
    in_app_words,
    lead_view,
    refusal_view,
)
from jswcoder.ui.sync_report_dialog import SyncReportDialog

FINGERPRINT_TITLE = "My key fingerprint"

# What an action comes to: a sentence or two for a message box, or a report for the report dialog.
Outcome: TypeAlias = str | ReportView


@dataclass(frozen=True)
class _Done:
    """What a background team action hands the UI thread: its result or the app's refusal (plain data),
    and the themes and codings it changed."""

    value: object
    refused: JswError | None
    changed: frozenset[str]


def _changed_since(project: Project, before: record_states.RecordStates) -> frozenset[str]:
    return record_states.changed(before, record_states.record_states(project.db))


class TeamActions:
    def __init__(
        self,
        parent: QWidget,
        settings: Settings,
        project: Callable[[], Project | None],
        changed: Callable[[frozenset[str] | None, Callable[[], None] | None], None],
        jobs: workers.Jobs,
        *,
        when_open: Callable[[Callable[[], None]], None] = lambda show: show(),
        open_register: Callable[[], None] | None = None,
        show_theme: Callable[[str], None] | None = None,
        destroy_project: Destroy | None = None,
    ) -> None:
        self._parent = parent
        self._destroy_project = destroy_project  # the window's project, when the retention period ended
        self._settings = settings
        self._project = project
        # The views show the project afresh (undo steps that name a record in the set are dropped), then
        # the outcome, if one is given, is shown.
        self._changed = changed
        self._jobs = jobs
        self._when_open = when_open  # now, or after an unlock if the window locked during the job
        self.saved_message: SavedMessage | None = None  # the message after a package was written
        self.open_register = open_register
        self.show_theme = show_theme  # the theme tree, at a theme's UUID ("" for the tree alone)
        # The team's members list, at a member waiting for admission (the report's button opens it).
        self.show_members: Callable[[str], None] | None = self._show_members
        self.report_dialog: SyncReportDialog | None = None  # the report on screen, if any

    # -- dialogs that tests replace ----------------------------------------------------------------

    @classmethod
    def choose_folder(cls, parent: QWidget, title: str, start: Path | None) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(parent, title, str(start or Path.home()))
        return Path(chosen) if chosen else None

    @classmethod
    def choose_open_file(cls, parent: QWidget, title: str, pattern: str) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(parent, title, str(Path.home()), pattern)
        return Path(chosen) if chosen else None

    @classmethod
    def choose_save_file(cls, parent: QWidget, title: str, name: str, pattern: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / name), pattern)
        return Path(chosen) if chosen else None

    @classmethod
    def ask_team_name(cls, parent: QWidget) -> str | None:
        name, ok = QInputDialog.getText(parent, "Create a team", "Team name:")
        return name.strip() if ok and name.strip() else None

    @classmethod
    def ask_fingerprint(cls, parent: QWidget) -> str | None:
        """The lead's key fingerprint, as the lead reads it out; None when cancelled. Tests replace this."""
        typed, ok = QInputDialog.getText(
            parent,
            "Join a team",
            "Ask the lead to read you their key fingerprint, and type it here:",
            text="",
        )
        return typed.strip() if ok and typed.strip() else None

    @classmethod
    def ask_choice(cls, parent: QWidget, title: str, label: str, items: list[str]) -> str | None:
        chosen, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
        return chosen if ok and chosen in items else None

    @classmethod
    def ask_package_attributes(cls, parent: QWidget, names: list[str], ticked: list[str]) -> list[str] | None:
        return PackageAttributesDialog.ask(parent, names, ticked)

    @classmethod
    def tell(cls, parent: QWidget, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def show_report(self, title: str, view: ReportView) -> SyncReportDialog:
        """The report dialog, window-modal and not blocking; the one shown before is closed."""
        if self.report_dialog is not None:
            self.report_dialog.reject()
        opens: dict[str, Callable[[str], None]] = {}
        if self.open_register is not None:
            open_register = self.open_register
            opens[REGISTER] = lambda _target: open_register()
        if self.show_theme is not None:
            opens[THEMES] = self.show_theme
        if self.show_members is not None:
            opens[MEMBERS] = self.show_members
        dialog = SyncReportDialog(title, view, opens, self._parent)
        dialog.finished.connect(lambda _result: self._report_closed(dialog))
        self.report_dialog = dialog
        dialog.open()
        return dialog

    def _report_closed(self, dialog: SyncReportDialog) -> None:
        if self.report_dialog is dialog:
            self.report_dialog = None
        dialog.deleteLater()

    # -- actions -------------------------------------------------------------------------------------

    def _run(
        self, title: str, action: Callable[[Project], Outcome], *, again: str = "sync", tracked: bool = False
    ) -> None:
        """A quick action, at once on the UI thread's connection (creating, joining, assigning).
        *tracked*: it may change themes or codings an undo step names (joining folds local themes)."""
        project = self._project()
        if project is None:
            return
        outcome: Outcome
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        before = record_states.record_states(project.db) if tracked else {}
        try:
            outcome = action(project)
        except LeaksFound as refused:  # the count only: the details are for the register's review
            outcome = refusal_view(refused, again)
        except JswError as error:
            outcome = in_app_words(error)
        finally:
            after = record_states.record_states(project.db) if tracked else {}
            QGuiApplication.restoreOverrideCursor()
        self._changed(record_states.changed(before, after) if tracked else frozenset(), None)
        self._show(title, outcome)

    def _in_background(
        self,
        title: str,
        body: Callable[[Project, workers.Progress, workers.Cancelled], object],
        outcome: Callable[[object], Outcome | None],
        *,
        again: str = "sync",
        cancellable: bool = False,
    ) -> None:
        """Long work on the worker's own connection; *outcome* turns its plain result into words on the
        UI thread (None: it showed its own message), and the views are refreshed in place."""
        project = self._project()
        if project is None:
            return
        running = self._jobs.running
        if running is not None:
            self.tell(
                self._parent, title, f"{running.title} is still running. Try again when it has finished."
            )
            return

        def work(own: Project, progress: workers.Progress, cancelled: workers.Cancelled) -> _Done:
            """In the worker: the body, and which records it changed (even when it was refused partway:
            a fieldworker's sync takes the team codebook before the package is checked)."""
            before = record_states.record_states(own.db)
            try:
                return _Done(body(own, progress, cancelled), None, _changed_since(own, before))
            except JswError as error:
                return _Done(None, error, _changed_since(own, before))

        def done(result: _Done) -> None:
            if result.refused is None:
                self._when_open(lambda: self._finish(title, outcome(result.value), result.changed))
                return
            refused = result.refused
            shown = refusal_view(refused, again) if isinstance(refused, LeaksFound) else in_app_words(refused)
            self._when_open(lambda: self._finish(title, shown, result.changed))

        def failed(error: BaseException) -> None:
            raise error  # a bug (the app's own errors come back in _Done): the crash handler reports it

        self._jobs.start(
            title,
            workers.on_project(project, work),
            writes=True,
            on_done=done,
            on_error=failed,
            cancellable=cancellable,
        )

    def in_background(
        self,
        title: str,
        body: Callable[[Project, workers.Progress, workers.Cancelled], object],
        outcome: Callable[[object], str | None],
    ) -> None:
        """Other writing actions of the Team menu (withdrawals) run the same way as a sync."""
        self._in_background(title, body, outcome)

    def _finish(self, title: str, outcome: Outcome | None, changed: frozenset[str]) -> None:
        """The views refreshed in short steps (the window answers in between), then the outcome."""
        shown = outcome
        self._changed(changed, lambda: self._show(title, shown) if shown is not None else None)

    def _show(self, title: str, outcome: Outcome) -> None:
        if isinstance(outcome, ReportView):
            self.show_report(title, outcome)
        else:
            self.tell(self._parent, title, outcome)

    def members(self) -> None:
        self._show_members("")

    def _show_members(self, name: str) -> None:
        project = self._project()
        if project is None:
            return
        if project.team.role() != "lead":
            self.tell(
                self._parent, "Team members", "Only the team's lead admits members; you sync with them."
            )
            return
        MembersDialog.show_for(project, self._parent, name)

    def own_fingerprint(self) -> None:
        project = self._project()
        if project is None:
            return
        if project.team.role() is None:
            self.tell(
                self._parent,
                FINGERPRINT_TITLE,
                "This project is not in a team yet: Team › Join a team… first.",
            )
            return
        fingerprint = project.team.fingerprint()
        whom = "each fieldworker as they join" if project.team.role() == "lead" else "the lead"
        self.tell(
            self._parent,
            FINGERPRINT_TITLE,
            f"<p>Read your key fingerprint to {whom}:</p>"
            f'<p style="font-family: monospace; font-size: 20pt">{fingerprint}</p>'
            "<p>It tells them that what arrives in the exchange folder under your name is yours.</p>",
        )

    def create_team(self) -> None:
        name = self.ask_team_name(self._parent)
        if name is None:
            return
        target = self.choose_save_file(
            self._parent, "Save the team file", "team.jswteam", "Team files (*.jswteam)"
        )
        if target is None:
            return

        def create(project: Project) -> str:
            created = project.team.create(name)
            write_team_file(project, target)
            return (
                f"This project now leads the team {name!r}. Give {target.name} to each fieldworker, and read "
                f"them your key fingerprint, {created.fingerprint}, as they join (Team › My key fingerprint…)."
            )

        self._run("Create a team", create)

    def join_team(self) -> None:
        source = self.choose_open_file(self._parent, "Join a team", "Team files (*.jswteam)")
        if source is None:
            return

        fingerprint = self.ask_fingerprint(self._parent)
        if fingerprint is None:
            return

        def join(project: Project) -> str:
            joined = project.team.join(
                exchange.read_limited(source, 4 * 1024 * 1024), fingerprint=fingerprint
            )
            return (
                f"Joined the team {joined.team_name!r}. Your own key fingerprint is {project.team.fingerprint()}: "
                "read it to the lead, who admits you with it. Then sync (Team › Sync with the exchange folder)."
            )

        self._run("Join a team", join, tracked=True)

    def export_package(self) -> None:
        target = self.choose_save_file(
            self._parent, "Export a package", "export.jswpkg", "Packages (*.jswpkg)"
        )
        if target is None:
            return

        def export(project: Project, _progress: workers.Progress, _cancelled: workers.Cancelled) -> Path:
            return exchange.export_package(project, target, attributes=package_attributes(project))

        self._in_background("Export a package", export, self._package_written, again="export")

    def what_packages_include(self) -> None:
        """Choose the details this project's packages carry beyond the attribution (none by default)."""
        project = self._project()
        if project is None:
            return
        chosen = self.ask_package_attributes(self._parent, releasable(project), package_attributes(project))
        if chosen is None:
            return

        def choose(project: Project) -> str:
            stored = choose_package_attributes(project, chosen)
            if not stored:
                return "Packages say only whose each passage is: no other detail goes."
            return (
                f"Packages now also carry: {', '.join(stored)}. Each is checked at the next sync; "
                "a combination that fits too few participants stops it until you review it."
            )

        self._run(INCLUDE_TITLE, choose)

    def _package_written(self, path: object) -> None:
        assert isinstance(path, Path)
        text = f"Wrote {path.name}: anonymised, and only the team's lead can open it."
        if isValid(self._parent):
            self.saved_message = SavedMessage.show_for(
                self._parent, "Export a package", text, path, file_button=False
            )

    def assign_for_double_coding(self) -> None:
        title = "Assign for double coding"
        project = self._project()
        if project is None:
            return
        if project.team.role() != "lead":
            self.tell(self._parent, title, "Only the team's lead assigns transcripts for double coding.")
            return
        choices = {f"{a.transcript} (from {a.contributor})": a for a in double_coding.assignable(project)}
        if not choices:
            self.tell(
                self._parent,
                title,
                "There is no transcript to assign: each one from a fieldworker's package is already "
                "assigned, or the team has no other member yet.",
            )
            return
        picked = self.ask_choice(self._parent, title, "Transcript:", list(choices))
        if picked is None:
            return
        chosen = choices[picked]
        member = self.ask_choice(self._parent, title, "Second coder (codes it blind):", chosen.members)
        if member is None:
            return

        def assign(project: Project) -> str:
            done = double_coding.assign(project, chosen.transcript, member)
            if done.waiting:
                return (
                    f"Assigned {done.transcript!r} to {done.member_name}. It waits until "
                    f"{done.member_name} has synced with this version of jswcoder, then goes out at your next sync."
                )
            return (
                f"Assigned {done.transcript!r} to {done.member_name}. It goes out, sealed for them alone, "
                "the next time you sync; they code it without the first coder's codings."
            )

        self._run(title, assign)

    def sync(self) -> None:
        project = self._project()
        if project is None:
            return
        folder = self._settings.exchange_folder(project.uuid)
        if folder is None or not folder.is_dir():
            folder = self.choose_folder(self._parent, "Choose the exchange folder", folder)
            if folder is None:
                return
            self._settings.set_exchange_folder(project.uuid, folder)

        def sync(project: Project, progress: workers.Progress, cancelled: workers.Cancelled) -> object:
            if project.team.role() == "lead":
                return sync_lead(project, folder, progress=progress, cancelled=cancelled)
            return exchange.sync_fieldworker(project, folder)

        def outcome(report: object) -> Outcome | None:
            if isinstance(report, exchange.SyncReport) and report.to_destroy:
                self._destroyed_by_sync()
                return None
            return _sync_outcome(report)

        lead = project.team.role() == "lead"  # only a lead's sync can stop cleanly: between packages
        self._in_background("Sync", sync, outcome, cancellable=lead)

    def _destroyed_by_sync(self) -> None:
        """The lead ended the retention period; the receipt went: destroy the project here and say so."""
        assert self._destroy_project is not None, "the window destroys its project"
        refused = self._destroy_project(
            lambda own: own.destroy(),
            lambda: self.tell(
                self._parent,
                "Sync",
                "The lead has ended the study's retention period: this project was destroyed, and the "
                "lead has been told.",
            ),
        )
        if refused is not None:
            self.tell(
                self._parent,
                "Sync",
                f"The lead has ended the study's retention period, but this project could not be "
                f"destroyed: {refused}. Close it and delete its folder.",
            )


def _sync_outcome(report: object) -> Outcome:
    if isinstance(report, LeadSyncReport):
        return lead_view(report)
    assert isinstance(report, exchange.SyncReport)
    # The usual sync is a line or two; one that brings many assignments, or notes on them, a table.
    return fieldworker_summary(report) or fieldworker_view(report)
