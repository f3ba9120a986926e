"""Team › What packages include… in a real window (issue 18, item 4): a fieldworker ticks a survey's closed
answer in the real dialog with the mouse, and the package the app then exports carries it, and nothing
else beyond the attribution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from jswcoder.services.indirect import IndirectCheck
from jswcoder.team import envelope, keys
from jswcoder.team.package_writer import package_attributes
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.package_attributes_dialog import PackageAttributesDialog
from jswcoder.ui.settings import Settings
from jswcoder.ui.team_actions import TeamActions
from tests.conftest import make_project
from tests.test_survey_team import KINDS, ROWS, _export
from tests.ui_drive import when_shown

ROLE = "Role"


def test_a_closed_answer_ticked_in_the_app_goes_in_the_exported_package(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead.team.create("JSW team")
    project, _ = make_project(tmp_path / "laptop", coder="Ailsa")
    project.team.join(
        lead.team.team_file(), fingerprint=keys.fingerprint(lead.team.membership().signing_public)
    )
    export = _export(tmp_path / "staff.csv", list(ROWS.values()))
    from jswcoder.importing.survey_files import read_survey

    project.surveys.import_table(export, read_survey(export, export.read_bytes()), KINDS, name="Staff survey")
    project.register.dismiss([c.text for c in project.register.suggestions()])

    told: list[tuple[str, str]] = []
    monkeypatch.setattr(
        TeamActions, "tell", classmethod(lambda cls, parent, title, text: told.append((title, text)))
    )
    package = tmp_path / "out.jswpkg"
    monkeypatch.setattr(
        TeamActions, "choose_save_file", classmethod(lambda cls, parent, title, name, pattern: package)
    )
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    seen: dict[str, object] = {}

    def tick_the_role(dialog: QWidget) -> None:
        assert isinstance(dialog, PackageAttributesDialog)
        seen["boxes"] = [box.text() for box in dialog.boxes.values()]
        seen["ticked"] = dialog.chosen()
        dialog.grab().save(str(tmp_path / "include.png"))
        box = dialog.boxes[ROLE]
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))  # its tick box
        seen["after"] = dialog.chosen()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    try:
        when_shown(PackageAttributesDialog, tick_the_role)
        menu = window._menus["Team"]
        [action] = [a for a in menu.actions() if a.text() == "What packages &include…"]
        action.trigger()

        assert seen == {
            "boxes": ["Interview format", "Interview mode", "Council area", ROLE],
            "ticked": [],
            "after": [ROLE],
        }
        assert package_attributes(project) == [ROLE]
        assert told[-1][0] == "What packages include" and "Packages now also carry: Role" in told[-1][1]

        # Two team leaders: fewer than k share the role. The sync sends nothing and says where to decide.
        stick = tmp_path / "stick"
        stick.mkdir()
        monkeypatch.setattr(
            TeamActions, "choose_folder", classmethod(lambda cls, parent, title, start: stick)
        )
        [sync_action] = [a for a in menu.actions() if a.text() == "&Sync with the exchange folder"]
        sync_action.trigger()
        qtbot.waitUntil(window.at_rest)
        assert told[-1] == (
            "Sync",
            "Nothing was sent: 1 combination of details fits fewer than 3 participants. Review them in "
            "Edit › Indirect identification… with “Role” ticked, or send fewer details "
            "(Team › What packages include…). Then sync again.",
        )
        check = IndirectCheck(project.db, project.coder.uuid)
        findings = check.findings([ROLE])
        for finding in check.undecided(findings):
            check.dismiss(findings, finding.id)  # as the review window does (tested with it)

        [export_action] = [a for a in menu.actions() if a.text() == "&Export a package…"]
        export_action.trigger()
        qtbot.waitUntil(window.at_rest)
        qtbot.waitUntil(package.is_file)
        row = lead.team.membership()
        assert row.encryption_private is not None
        member = project.team.membership()
        opened = envelope.open_sealed(
            package.read_bytes(),
            recipient_id=row.member_id,
            recipient_key=row.encryption_private,
            senders={member.member_id: member.signing_public},
        )
        document = json.loads(opened.payload)
        assert {json.dumps(p.get("attributes"), sort_keys=True) for p in document["participants"]} == {
            json.dumps({ROLE: "Social worker"}),
            json.dumps({ROLE: "Team leader"}),
        }
        assert all(
            set(p) == {"uuid", "participant_group", "interview_number", "attributes"}
            for p in document["participants"]
        )
    finally:
        window.close()
        lead.close()
