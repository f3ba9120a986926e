"""The study's retention period ended, from the app: the lead ends it (Team › End the retention period…),
a fieldworker's next sync in the app destroys her project and the window goes back to the start, and the
lead, once every member has confirmed, writes the certificate and destroys the lead's own project."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from jswcoder.project import Project, ProjectPaths
from jswcoder.reports.docx_common import texts
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.team import teamfile
from jswcoder.team.exchange import TEAM_FILE, sync_fieldworker
from jswcoder.team.lead_sync import sync_lead
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.retention_actions import RetentionActions
from jswcoder.ui.settings import Settings
from jswcoder.ui.team_actions import TeamActions
from tests import ui_drive as drive
from tests.conftest import admit, join_team, make_project, write_txt

CTRL = Qt.KeyboardModifier.ControlModifier
SYNC = (Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
CANARY = "Quillfeather"


def _window(qtbot: QtBot, project: Project, tmp_path: Path, name: str) -> MainWindow:
    settings = Settings(QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat))
    window = MainWindow(project, settings)
    window.resize(1200, 800)
    return drive.shown(qtbot, window)


def _menu_action(window: MainWindow, text: str) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.text() == text)


def _team(tmp_path: Path) -> tuple[Project, Project, Path]:
    stick = tmp_path / "stick"
    stick.mkdir()
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead.team.create("JSW team")
    ailsa, _ = make_project(tmp_path / "ailsa", coder="Ailsa")
    join_team(ailsa, lead.team.team_file())
    source = write_txt(tmp_path / "in", "int_1.txt", f"P1: {CANARY} came round.\n")
    ailsa.transcripts.import_file(source, ParticipantFields("Client", 1))
    ailsa.register.dismiss([c.text for c in ailsa.register.suggestions()])
    sync_fieldworker(ailsa, stick)
    admit(lead, stick, ailsa)
    sync_lead(lead, stick)
    return lead, ailsa, stick


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    said: list[tuple[str, str]] = []
    for kind in (TeamActions, RetentionActions):
        monkeypatch.setattr(
            kind, "tell", classmethod(lambda cls, parent, title, text: said.append((title, text)))
        )
    return said


def test_a_fieldworkers_sync_in_the_app_destroys_her_project_and_closes_it(
    qtbot: QtBot, tmp_path: Path, told: list[tuple[str, str]]
) -> None:
    lead, ailsa, stick = _team(tmp_path)
    lead.withdrawals.end_retention()
    assert sync_lead(lead, stick).team_file_written
    assert teamfile.decode((stick / TEAM_FILE).read_bytes()).retention_ended
    folder = ailsa.paths.folder
    window = _window(qtbot, ailsa, tmp_path, "ailsa")
    window.settings.set_exchange_folder(ailsa.uuid, stick)

    with qtbot.waitSignal(window.closeProjectRequested, timeout=20000):
        qtbot.keyClick(window, *SYNC)
    assert told[-1][0] == "Sync" and "ended the study's retention period" in told[-1][1]
    assert "destroyed" in told[-1][1]
    assert window.workbench is None and window.project is None
    paths = ProjectPaths.of(folder)
    assert not paths.database.exists() and not paths.keys.exists()
    assert sync_lead(lead, stick).destroyed == ["Ailsa"]


def test_the_lead_ends_retention_then_destroys_with_a_certificate(
    qtbot: QtBot, tmp_path: Path, told: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    lead, ailsa, stick = _team(tmp_path)
    confirmations: list[str] = []
    answers = iter([False, True, False, True])  # first asked: No (the default) leaves the study as it was
    monkeypatch.setattr(
        RetentionActions,
        "confirm",
        classmethod(lambda cls, parent, text: confirmations.append(text) or next(answers)),
    )
    certificate = tmp_path / "retention certificate.docx"
    monkeypatch.setattr(
        RetentionActions, "choose_save_file", classmethod(lambda cls, parent, name: certificate)
    )
    window = _window(qtbot, lead, tmp_path, "lead")
    window.settings.set_exchange_folder(lead.uuid, stick)
    end = _menu_action(window, "End the &retention period…")

    end.trigger()
    assert "Every project of the study" in confirmations[0]
    assert lead.withdrawals.retention() is None
    end.trigger()
    retention = lead.withdrawals.retention()
    assert retention is not None and retention.waiting == ("Ailsa",)
    assert "next sync" in told[-1][1]

    qtbot.keyClick(window, *SYNC)  # publishes the order
    qtbot.waitUntil(window.at_rest, timeout=20000)
    assert teamfile.decode((stick / TEAM_FILE).read_bytes()).retention_ended
    end.trigger()  # Ailsa has not confirmed: asked to destroy anyway, No keeps the lead's project
    assert "waiting for Ailsa" in confirmations[-1] and lead.paths.database.exists()

    assert sync_fieldworker(ailsa, stick).destroyed
    assert window.team.report_dialog is not None
    window.team.report_dialog.close()  # the first sync's report, read
    _menu_action(window, "&Sync with the exchange folder").trigger()  # her receipt arrives
    qtbot.waitUntil(window.at_rest, timeout=20000)
    retention = lead.withdrawals.retention()
    assert retention is not None and retention.waiting == ()
    folder = lead.paths.folder
    with qtbot.waitSignal(window.closeProjectRequested, timeout=20000):
        end.trigger()
    assert "Destroy this project" in confirmations[-1]
    assert not ProjectPaths.of(folder).database.exists()
    words = "\n".join(texts(docx.Document(str(certificate))))
    assert "Ailsa" in words and CANARY not in words
    assert "destroyed" in told[-1][1] and certificate.name in told[-1][1]
