"""The Team menu end to end in two real windows: create, join, code, sync, merge, and the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings
from jswcoder.ui.team_actions import TeamActions
from tests.conftest import make_project, write_txt


def _window(qtbot: QtBot, folder: Path, coder: str, settings: Settings) -> MainWindow:
    project, _ = make_project(folder, coder=coder)
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    return window


def _after_job(qtbot: QtBot, window: MainWindow) -> None:
    """Wait for the sync or export that runs in the background to end (and its outcome to be shown)."""
    qtbot.waitUntil(window.at_rest)


def test_lead_and_fieldworker_through_the_team_menu(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    stick, team_file = tmp_path / "stick", tmp_path / "team.jswteam"
    stick.mkdir()
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(
        TeamActions, "tell", classmethod(lambda cls, parent, title, text: told.append((title, text)))
    )
    monkeypatch.setattr(TeamActions, "ask_team_name", classmethod(lambda cls, parent: "JSW team"))
    monkeypatch.setattr(
        TeamActions, "choose_save_file", classmethod(lambda cls, parent, title, name, pattern: team_file)
    )
    monkeypatch.setattr(
        TeamActions, "choose_open_file", classmethod(lambda cls, parent, title, pattern: team_file)
    )
    monkeypatch.setattr(TeamActions, "choose_folder", classmethod(lambda cls, parent, title, start: stick))
    read_out: list[str] = []  # the fingerprint the lead reads to the fieldworker
    monkeypatch.setattr(TeamActions, "ask_fingerprint", classmethod(lambda cls, parent: read_out[-1]))

    lead = _window(qtbot, tmp_path / "lead", "Lead", settings)
    fieldworker = _window(qtbot, tmp_path / "laptop", "Ailsa", settings)
    try:
        lead.team.create_team()
        assert team_file.is_file() and "now leads the team 'JSW team'" in told[-1][1]
        assert lead.project is not None
        read_out.append(lead.project.team.fingerprint())
        fieldworker.team.join_team()
        assert fieldworker.project is not None
        her_fingerprint = fieldworker.project.team.fingerprint()
        assert f"Your own key fingerprint is {her_fingerprint}" in told[-1][1]

        project = fieldworker.project
        assert project is not None
        project.transcripts.import_file(
            write_txt(tmp_path / "in", "int_3.txt", "P1: Morag covers the island.\n")
        )
        project.register.add("Morag", "[JSW WORKER]", "PERSON")
        fieldworker.team.sync()
        _after_job(qtbot, fieldworker)
        assert told[-1] == ("Sync", "Registered with the team.\nSent package 1.")  # nothing left to review
        assert settings.exchange_folder(project.uuid) == stick

        lead.team.sync()
        _after_job(qtbot, lead)
        dialog = lead.team.report_dialog  # the lead's report: a table, not a message box
        assert dialog is not None and dialog.windowTitle() == "Sync"
        assert dialog.headline.text() == "No new packages to merge."
        rows = [row.cells() for row in dialog.model.rows()]
        asks, waits = rows[:2]  # her key to check comes first
        assert asks[0] == "Ailsa" and her_fingerprint in asks[6].replace("\u00a0", " ")
        assert waits[0] == "Ailsa" and waits[5] == "Packages wait"
        dialog.reject()
        lead.project.team.admit("Ailsa", her_fingerprint)  # (the app has no members list yet)

        lead.team.sync()
        _after_job(qtbot, lead)
        dialog = lead.team.report_dialog
        assert dialog is not None and dialog.headline.text() == "Merged 1 package from 1 member."
        rows = [row.cells() for row in dialog.model.rows()]
        assert ("Ailsa", "Package 1", "1\u00a0transcript, 1\u00a0participant") in [r[:3] for r in rows]
        dialog.reject()
        assert lead.workbench is not None
        assert lead.workbench.transcripts.model.rowCount() == 1  # the views show the merged project
        assert lead.project is not None
        (transcript,) = lead.project.transcripts.all()
        assert lead.project.transcripts.text_of(transcript.uuid) == "P1: [JSW WORKER] covers the island.\n"
    finally:
        lead.close_project()
        fieldworker.close_project()


def test_a_refused_export_points_to_the_register_without_naming_anything(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    told: list[str] = []
    monkeypatch.setattr(TeamActions, "tell", classmethod(lambda cls, parent, title, text: told.append(text)))
    monkeypatch.setattr(TeamActions, "ask_team_name", classmethod(lambda cls, parent: "Solo"))
    out = tmp_path / "export.jswpkg"
    monkeypatch.setattr(
        TeamActions, "choose_save_file", classmethod(lambda cls, parent, title, name, pattern: out)
    )
    window = _window(qtbot, tmp_path / "p", "Lead", settings)
    try:
        window.team.create_team()  # a lead can export too
        assert window.project is not None
        window.project.transcripts.import_file(write_txt(tmp_path / "in", "int_8.txt", "P1: Morag phoned.\n"))
        told.clear()
        window.team.export_package()
        _after_job(qtbot, window)
        dialog = window.team.report_dialog
        assert dialog is not None and not told  # a refusal, with what fixes it: not a message box
        said = f"{dialog.headline.text()} {dialog.detail.text()}"
        assert "1 identifying detail" in said and "Then export again." in said and "Morag" not in said
        assert dialog.action_buttons["register"].text() == "Review identifying details…"
        dialog.reject()
    finally:
        window.close_project()
