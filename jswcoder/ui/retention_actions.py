"""Team › End the retention period…: the study's data destroyed when its retention period ends.

At the lead it comes in two steps, as on the command line (``jswcoder retention-ended``): first the
period is ended (the lead's next sync orders every member's project destroyed, and each member's sync
does it and sends a signed receipt); then, chosen again, the menu says who has confirmed and, once the
lead agrees, writes the destruction certificate and destroys the lead's own project. A project outside a
team is ended and destroyed in one go, with its certificate. A fieldworker's project is destroyed by
the sync that brings the lead's order, not from here. No is the default of every question.

Destroying closes the window's project first (:meth:`MainWindow.destroy_project`): the project's own
connection is the only one that may delete its keys and database.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from jswcoder.project import Project
from jswcoder.services.withdrawal import Retention
from jswcoder.ui.withdrawal_actions import CertificateQuestions

TITLE = "End the retention period"
CERTIFICATE = "retention certificate.docx"
# Destroys the window's project with the given step; None when done, else why not (in words).
Destroy = Callable[[Callable[[Project], None], Callable[[], None]], str | None]


def status_words(retention: Retention) -> str:
    """Who has destroyed their project, and who is awaited (names of members only)."""
    lines = [f"The retention period was ended on {retention.ended_at[:10]}."]
    lines += [f"{c.member} destroyed their project on {c.applied_at[:10]}." for c in retention.destroyed]
    if retention.waiting:
        lines.append(f"We are waiting for {', '.join(retention.waiting)}.")
    return "\n".join(lines)


class RetentionActions(CertificateQuestions):
    TITLE = TITLE

    def __init__(self, parent: QWidget, project: Callable[[], Project | None], destroy: Destroy) -> None:
        self._parent = parent
        self._project = project
        self._destroy = destroy

    # -- the action ---------------------------------------------------------------------------------

    def end_retention(self) -> None:
        project = self._project()
        if project is None:
            return
        role = project.team.role()
        if role == "fieldworker":
            self.tell(
                self._parent,
                TITLE,
                "Only the team's lead ends the retention period. Once the lead has, your next sync "
                "destroys this project and tells the lead.",
            )
            return
        retention = project.withdrawals.retention()
        if role == "lead" and retention is None:
            if self.confirm(
                self._parent,
                "End the study's retention period? Every project of the study will be destroyed: "
                "each fieldworker's at their next sync after yours, then this one. This cannot be undone.",
            ):
                project.withdrawals.end_retention()
                self.tell(
                    self._parent,
                    TITLE,
                    "The retention period has ended. Your next sync (Team › Sync with the exchange folder) "
                    "tells the team. When they have confirmed, choose End the retention period… again to "
                    "write the certificate and destroy this project.",
                )
            return
        if retention is None:
            question = (
                "End the retention period and destroy this project now? Its keys and its database are "
                "deleted for good; a certificate saying so is written first. This cannot be undone."
            )
        elif retention.waiting:
            question = (
                f"{status_words(retention)}\n\nDestroy this project now anyway? The certificate says who "
                "has not confirmed. This cannot be undone."
            )
        else:
            question = f"{status_words(retention)}\n\nDestroy this project now? This cannot be undone."
        if not self.confirm(self._parent, question):
            return
        out = self.choose_save_file(self._parent, CERTIFICATE)
        if out is None:
            return

        def destroy(own: Project) -> None:
            if own.withdrawals.retention() is None:
                own.withdrawals.end_retention()  # outside a team: ended and destroyed at once
            from jswcoder.reports.withdrawal_certificate import destroy_with_certificate  # noqa: PLC0415

            destroy_with_certificate(own, out)

        refused = self._destroy(
            destroy,
            lambda: self.tell(
                self._parent, TITLE, f"This project was destroyed. The certificate is in {out.name}."
            ),
        )
        if refused is not None:
            self.tell(self._parent, TITLE, f"Nothing was destroyed: {refused}")
