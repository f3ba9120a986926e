"""The Team menu: create or join a team, export a package, sync through the exchange folder, and (the
lead) assign a transcript to a second fieldworker for double coding.

Sync writes to the project, so it runs on the database's (UI) thread; at study scale it takes a
second or two, under a wait cursor. Every outcome ends in a plain report the user can read: what was
sent or merged, who joined (with the key fingerprint to check), and what was refused and why. Nothing
here shows identifying strings in an error; a refused export points to the register window instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from jswcoder.atomic_file import write_atomically
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.services.package_contents import LeaksFound
from jswcoder.team import double_coding, exchange
from jswcoder.team.lead_sync import LeadSyncReport, sync_lead
from jswcoder.ui.settings import Settings


def lead_report_text(report: LeadSyncReport) -> str:
    lines = [f"New member {name}: key fingerprint {fp} (check it with them)." for name, fp in report.admitted]
    for merged in report.merged:
        added = ", ".join(f"{n} {kind}" for kind, n in merged.added.items() if n) or "nothing"
        removed = ", ".join(f"{n} {kind}" for kind, n in merged.removed.items() if n) or "nothing"
        lines.append(
            f"Package {merged.sequence} from {merged.member_name}: added {added}; removed {removed}."
        )
        lines += [f"    Not taken: {reason}" for reason in merged.refused]
        lines += [f"    Same name, different theme: {c.get('path', '?')}" for c in merged.name_collisions]
    lines += [f"Not merged: {file}: {reason}" for file, reason in report.refused]
    lines += [
        f"{name}'s encryption key arrived: assignments for them go out now." for name in report.keys_learned
    ]
    if report.team_file_written:
        lines.append("Published the team codebook to the exchange folder.")
    return "\n".join(lines) or "Nothing new in the exchange folder."


class TeamActions:
    def __init__(
        self,
        parent: QWidget,
        settings: Settings,
        project: Callable[[], Project | None],
        changed: Callable[[], None],
    ) -> None:
        self._parent = parent
        self._settings = settings
        self._project = project
        self._changed = changed  # the views show the project afresh (a sync can bring codings and themes)

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
    def ask_choice(cls, parent: QWidget, title: str, label: str, items: list[str]) -> str | None:
        chosen, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
        return chosen if ok and chosen in items else None

    @classmethod
    def tell(cls, parent: QWidget, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    # -- actions -------------------------------------------------------------------------------------

    def _run(self, title: str, action: Callable[[Project], str]) -> None:
        project = self._project()
        if project is None:
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            message = action(project)
        except LeaksFound as refused:
            message = (
                f"{refused}\n\nOpen Edit › Anonymisation register… to review the "
                f"{len(refused.remaining)} detail(s) still found."
            )
        except JswError as error:
            message = str(error)
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._changed()
        self.tell(self._parent, title, message)

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
            project.team.create(name)
            write_atomically(target, project.team.team_file(), mode=exchange.SHARED_MODE)
            return f"This project now leads the team {name!r}. Give {target.name} to each fieldworker."

        self._run("Create a team", create)

    def join_team(self) -> None:
        source = self.choose_open_file(self._parent, "Join a team", "Team files (*.jswteam)")
        if source is None:
            return

        def join(project: Project) -> str:
            joined = project.team.join(exchange.read_limited(source, 4 * 1024 * 1024))
            return (
                f"Joined the team {joined.team_name!r}. The lead's key fingerprint is {joined.fingerprint}: "
                "check it with the lead (for example over the phone) before you sync."
            )

        self._run("Join a team", join)

    def export_package(self) -> None:
        target = self.choose_save_file(
            self._parent, "Export a package", "export.jswpkg", "Packages (*.jswpkg)"
        )
        if target is None:
            return

        def export(project: Project) -> str:
            path = exchange.export_package(project, target)
            return f"Wrote {path.name}: anonymised, and only the team's lead can open it."

        self._run("Export a package", export)

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

        def sync(project: Project) -> str:
            if project.team.role() == "lead":
                return lead_report_text(sync_lead(project, folder))
            report = exchange.sync_fieldworker(project, folder)
            lines = []
            if report.codebook is not None:
                lines.append("The team codebook was updated.")
            lines += [
                f"Received for double coding: {name} (code it as usual)." for name in report.received.added
            ]
            lines += [f"Note: {note}" for note in report.received.notes]
            if report.request_written is not None:
                lines.append("Registered with the team.")
            lines.append(
                f"Sent package {report.sequence}." if report.package else report.note.capitalize() + "."
            )
            return "\n".join(lines)

        self._run("Sync", sync)
