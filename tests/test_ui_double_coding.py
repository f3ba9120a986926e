"""Team › Assign for double coding… in the lead's window, and the fieldworker's sync report of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from jswcoder.services.transcripts import ParticipantFields
from jswcoder.store import assignments
from jswcoder.team.exchange import sync_fieldworker
from jswcoder.team.lead_sync import sync_lead
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings
from jswcoder.ui.team_actions import TeamActions
from tests.conftest import admit, join_team, make_project, write_txt


def _assign_from_the_team_menu(window: MainWindow) -> None:
    (action,) = [a for a in window.menuBar().actions() if a.text() == "&Team"]
    menu = action.menu()
    assert isinstance(menu, QMenu)
    (assign,) = [a for a in menu.actions() if a.text() == "&Assign for double coding…"]
    assign.trigger()


def test_the_lead_assigns_and_the_fieldworker_hears_of_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    stick = tmp_path / "stick"
    stick.mkdir()
    told: list[tuple[str, str]] = []
    asked: list[list[str]] = []
    monkeypatch.setattr(
        TeamActions, "tell", classmethod(lambda cls, parent, title, text: told.append((title, text)))
    )

    def ask_choice(cls: type, parent: object, title: str, label: str, items: list[str]) -> str:
        asked.append(items)
        return items[-1]

    monkeypatch.setattr(TeamActions, "ask_choice", classmethod(ask_choice))
    monkeypatch.setattr(TeamActions, "choose_folder", classmethod(lambda cls, parent, title, start: stick))

    lead_project, _ = make_project(tmp_path / "lead", coder="Lead")
    lead_project.team.create("JSW team")
    lead = MainWindow(lead_project, settings)
    qtbot.addWidget(lead)
    ailsa, _ = make_project(tmp_path / "ailsa", coder="Ailsa")
    hamish, _ = make_project(tmp_path / "hamish", coder="Hamish")
    try:
        lead.team.assign_for_double_coding()
        assert told[-1][1].startswith("There is no transcript to assign")
        for member in (ailsa, hamish):
            join_team(member, lead_project.team.team_file())
        ailsa.transcripts.import_file(
            write_txt(tmp_path / "in", "int_7.txt", "P1: The groupwork helped.\n"),
            ParticipantFields("Client", 7),
        )
        ailsa.register.dismiss([c.text for c in ailsa.register.suggestions()])
        sync_fieldworker(ailsa, stick)
        sync_fieldworker(hamish, stick)
        admit(lead_project, stick, ailsa, hamish)
        sync_lead(lead_project, stick)

        _assign_from_the_team_menu(lead)
        assert asked[-2:] == [["Client interview 7 (from Ailsa)"], ["Hamish"]]  # not Ailsa herself
        title, text = told[-1]
        assert title == "Assign for double coding"
        assert text.startswith("Assigned 'Client interview 7' to Hamish. It goes out")
        (row,) = assignments.all_assignments(lead_project.db)
        assert (row.member_id, row.status) == (hamish.coder.uuid, "open")
        lead.team.sync()  # the team file goes out with it
        qtbot.waitUntil(lead.at_rest)  # it runs in the background
        second = MainWindow(hamish, settings)
        qtbot.addWidget(second)
        second.team.sync()
        qtbot.waitUntil(second.at_rest)
        assert told[-1] == (
            "Sync",
            "Received for double coding: Double coding: Client interview 7 "
            "(code it as usual).\nSent package 1.",
        )
        second.close_project()

        fieldworker = MainWindow(ailsa, settings)  # a fieldworker's window: the action explains itself
        qtbot.addWidget(fieldworker)
        fieldworker.team.assign_for_double_coding()
        assert told[-1][1] == "Only the team's lead assigns transcripts for double coding."
        fieldworker.close_project()
    finally:
        lead.close_project()
        ailsa.close()
        hamish.close()
