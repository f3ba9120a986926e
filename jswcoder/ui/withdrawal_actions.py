"""Team › Withdraw a participant… and Team › Withdrawals…: consent withdrawn, from the app.

The withdrawal runs in the background on the worker's own connection (the purge rebuilds the file),
through the team actions' helper, so the views are refreshed in place afterwards and every undo step
naming a purged record is dropped. The withdrawals list says who in the team has confirmed each, and
writes a destruction certificate (:mod:`jswcoder.reports.withdrawal_certificate`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.services.withdrawal import Confirmations, Withdrawn
from jswcoder.ui import workers

TITLE = "Withdraw a participant"
LIST_TITLE = "Withdrawals"
Background = Callable[
    [str, Callable[[Project, workers.Progress, workers.Cancelled], object], Callable[[object], str | None]],
    None,
]


def summary(rows: list[Confirmations]) -> str:
    """The withdrawals in words: who, when, who confirmed, who is awaited (no reason: it is the user's)."""
    if not rows:
        return "No participant has been withdrawn."
    lines = []
    for row in rows:
        r = row.record
        lines.append(f"{r.attribution or 'A participant with no attribution'}: withdrawn {r.withdrawn_on}")
        lines += [
            f"    confirmed by {c.member}, {c.applied_at[:16].replace('T', ' ')}" for c in row.confirmed
        ]
        if row.waiting:
            lines.append(f"    waiting for {', '.join(row.waiting)}")
    return "\n".join(lines)


class CertificateQuestions:
    """What the withdrawal and retention actions ask: Yes or No (No by default), where to save a
    destruction certificate, and a message. Tests replace them."""

    TITLE = TITLE

    @classmethod
    def confirm(cls, parent: QWidget, text: str) -> bool:
        answer = QMessageBox.question(
            parent,
            cls.TITLE,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    @classmethod
    def choose_save_file(cls, parent: QWidget, name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "Save the destruction certificate", str(Path.home() / name), "Word (*.docx)"
        )
        return Path(chosen) if chosen else None

    @classmethod
    def tell(cls, parent: QWidget, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)


class WithdrawalActions(CertificateQuestions):
    def __init__(
        self, parent: QWidget, project: Callable[[], Project | None], in_background: Background
    ) -> None:
        self._parent = parent
        self._project = project
        self._in_background = in_background

    # -- dialogs that tests replace ----------------------------------------------------------------

    @classmethod
    def ask_choice(cls, parent: QWidget, title: str, label: str, items: list[str]) -> str | None:
        chosen, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
        return chosen if ok and chosen in items else None

    @classmethod
    def ask_reason(cls, parent: QWidget) -> str | None:
        typed, ok = QInputDialog.getText(
            parent, TITLE, "Reason (kept in this project only; it never travels):"
        )
        return typed if ok and typed.strip() else None

    # -- the actions --------------------------------------------------------------------------------

    def withdraw(self) -> None:
        project = self._project()
        if project is None:
            return
        cases = {case.label: case for case in project.cases.all()}
        if not cases:
            self.tell(self._parent, TITLE, "There is no participant in this project.")
            return
        picked = self.ask_choice(self._parent, TITLE, "Participant who withdrew consent:", list(cases))
        if picked is None:
            return
        case = cases[picked]
        reason = self.ask_reason(self._parent)
        if reason is None:
            return
        if not self.confirm(
            self._parent,
            f"Purge everything of {picked}'s for good: {len(case.transcripts)} transcript(s), with their "
            "codings, memos and summaries? This cannot be undone.",
        ):
            return
        lead = project.team.role() == "lead"

        def body(own: Project, _progress: workers.Progress, _cancelled: workers.Cancelled) -> Withdrawn:
            return own.withdrawals.withdraw(case.uuid, reason)

        def outcome(done: object) -> str:
            assert isinstance(done, Withdrawn)
            told = " Your next sync orders the team to purge them too." if lead else ""
            return f"Withdrew {picked}: {done.transcripts_purged} transcript(s) purged.{told}"

        self._in_background(TITLE, body, outcome)

    def withdrawals(self) -> None:
        project = self._project()
        if project is None:
            return
        rows = project.withdrawals.status()
        self.tell(self._parent, LIST_TITLE, summary(rows))
        named = {r.record.attribution or r.record.participant_uuid: r for r in rows}
        if not named:
            return
        picked = self.ask_choice(
            self._parent, LIST_TITLE, "Write a destruction certificate for:", list(named)
        )
        if picked is None:
            return
        out = self.choose_save_file(self._parent, "destruction certificate.docx")
        if out is None:
            return
        try:
            from jswcoder.reports.withdrawal_certificate import write_certificate  # noqa: PLC0415  (exports load when used)

            write_certificate(project, named[picked].record.participant_uuid, out)
        except (JswError, OSError) as error:
            self.tell(self._parent, LIST_TITLE, f"The certificate was not written: {error}")
            return
        self.tell(self._parent, LIST_TITLE, f"Wrote the destruction certificate to {out.name}.")
