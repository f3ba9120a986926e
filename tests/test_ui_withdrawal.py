"""Team › Withdraw a participant… and Team › Withdrawals… in the real window: the participant chosen,
the reason typed, No by default; the purge runs in the background, the transcripts list refreshes in
place, Undo cannot bring a purged coding back; the list and the certificate."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from jswcoder.reports.docx_common import texts
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings
from jswcoder.ui.team_actions import TeamActions
from jswcoder.ui.withdrawal_actions import WithdrawalActions
from tests.conftest import make_project, write_txt
from tests.withdrawal_scan import values_holding

CANARY = "Quillfeather"


def _names(window: MainWindow) -> list[str]:
    assert window.workbench is not None
    model = window.workbench.transcripts.model
    return sorted(model.item(row, 0).text() for row in range(model.rowCount()))


def _menu_action(window: MainWindow, text: str) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.text() == text)


def test_withdraw_from_the_team_menu(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, _ = make_project(tmp_path / "study")
    inbox = tmp_path / "inbox"
    project.transcripts.import_file(
        write_txt(inbox, "C7.txt", f"P7: {CANARY} runs the team.\n"), ParticipantFields("Client", 7)
    )
    project.transcripts.import_file(
        write_txt(inbox, "C2.txt", "P2: The van broke.\n"), ParticipantFields("Client", 2)
    )
    theme = project.codebook.add("Partnership working")
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    told: list[tuple[str, str]] = []
    asked: list[str] = []
    answers = iter(["Client interview 7", "Client interview 7"])

    def choose(cls: object, parent: object, title: str, label: str, items: list[str]) -> str:
        asked.append(label)
        assert "Client interview 7" in items
        return next(answers)

    monkeypatch.setattr(WithdrawalActions, "ask_choice", classmethod(choose))
    monkeypatch.setattr(WithdrawalActions, "ask_reason", classmethod(lambda cls, parent: "Phoned the office"))
    confirmations: list[str] = []
    monkeypatch.setattr(
        WithdrawalActions,
        "confirm",
        classmethod(lambda cls, parent, text: confirmations.append(text) or True),
    )
    monkeypatch.setattr(
        WithdrawalActions, "tell", classmethod(lambda cls, parent, title, text: told.append((title, text)))
    )
    monkeypatch.setattr(  # the outcome of the background job is told by the team actions
        TeamActions, "tell", classmethod(lambda cls, parent, title, text: told.append((title, text)))
    )
    out = tmp_path / "certificate.docx"
    monkeypatch.setattr(WithdrawalActions, "choose_save_file", classmethod(lambda cls, parent, name: out))
    # A coding on the participant's transcript, made in the window: on the undo stack.
    c7 = project.transcripts.find("C7")
    assert window.workbench is not None
    window.workbench.open_transcript(c7.uuid, 4, 16)  # the canary's name selected
    assert window.workbench.code_selection(theme.uuid)
    assert window.undo_stack.canUndo()
    assert len(project.codings.of_transcript(c7.uuid)) == 1
    assert _names(window) == ["C2", "C7"]

    _menu_action(window, "&Withdraw a participant…").trigger()
    qtbot.waitUntil(window.at_rest)
    assert "1 transcript(s)" in confirmations[0]
    assert told[-1] == ("Withdraw a participant", "Withdrew Client interview 7: 1 transcript(s) purged.")
    qtbot.waitUntil(lambda: _names(window) == ["C2"])
    assert window.project is not None and values_holding(window.project, CANARY) == []
    window.undo_stack.undo()  # the coding's step was dropped: nothing comes back
    assert values_holding(window.project, CANARY) == []
    assert project.codings.of_transcript(c7.uuid) == []

    _menu_action(window, "With&drawals…").trigger()
    assert told[-2][0] == "Withdrawals" and told[-2][1].startswith("Client interview 7: withdrawn ")
    assert "Phoned" not in told[-2][1]
    assert told[-1][1] == "Wrote the destruction certificate to certificate.docx."
    assert "Participant: Client interview 7" in "\n".join(texts(docx.Document(str(out))))
