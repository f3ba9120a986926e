"""File › Deposit for an archive…: a real deposit from a real encrypted project, written in the background."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.reports.deposit import LOG_NAME
from jswcoder.reports.deposit.anonymisation_log import read_log
from jswcoder.ui.deposit_action import DepositAction, LogPassphraseDialog
from jswcoder.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE
from tests.indirect_decided import decide_all
from tests.test_deposit import LOG_PASSPHRASE, deposit_texts
from tests.test_ui_matrix import CANARY, study, window
from tests.test_ui_reports import trigger

__all__ = ["study", "window"]  # fixtures, used by name
ENTRY = "&Deposit for an archive…"


def answers(monkeypatch: pytest.MonkeyPatch, folder: Path, passphrase: str) -> list[str]:
    told: list[str] = []
    monkeypatch.setattr(DepositAction, "ask_folder", classmethod(lambda cls, parent: folder))
    monkeypatch.setattr(LogPassphraseDialog, "ask", classmethod(lambda cls, parent: passphrase))
    monkeypatch.setattr(
        DepositAction, "tell", classmethod(lambda cls, parent, title, text: told.append(text))
    )
    return told


def test_the_deposit_from_the_file_menu(
    window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project.register.add(CANARY, "[NAME OF PERSON]", "PERSON")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    decide_all(project)  # three participants: the .qdpx's modes fit fewer than k, left as they are
    told = answers(monkeypatch, tmp_path / "deposit", LOG_PASSPHRASE)
    trigger(window, ENTRY, "File")
    assert not told
    box = window.deposit.saved_message
    assert box is not None and box.text().startswith(f"Saved the deposit in {tmp_path / 'deposit'}")
    assert box.path == tmp_path / "deposit" / "README.txt"  # Open file opens the README
    texts = deposit_texts(tmp_path / "deposit")
    assert any("[NAME OF PERSON]" in t for t in texts.values())
    assert not any(CANARY in t for t in texts.values())
    log = read_log(tmp_path / "deposit" / LOG_NAME, LOG_PASSPHRASE)
    assert {e.original for e in log.entries} == {CANARY} and log.total() > 0


def test_the_projects_passphrase_and_a_taken_folder_are_refused_plainly(
    window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project.register.add(CANARY, "[NAME OF PERSON]", "PERSON")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    told = answers(monkeypatch, tmp_path / "deposit", PASSPHRASE)
    trigger(window, ENTRY, "File")
    assert told == [
        "Not written: the anonymisation log's passphrase must differ from the project's; choose another"
    ]
    assert not (tmp_path / "deposit").exists()
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x.txt").write_text("x")
    told = answers(monkeypatch, tmp_path / "taken", LOG_PASSPHRASE)
    next(a for a in window._menus["File"].actions() if a.text() == ENTRY).trigger()  # refused before any job
    assert window.jobs.running is None and len(told) == 1 and "is not empty" in told[0]


def test_an_unreviewed_name_stops_the_deposit(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    told = answers(monkeypatch, tmp_path / "deposit", LOG_PASSPHRASE)
    trigger(window, ENTRY, "File")
    assert not (tmp_path / "deposit").exists()
    assert "identifying detail" in told[0] and "Anonymisation register" in told[0] and CANARY not in told[0]


def test_the_passphrase_dialog_wants_the_same_passphrase_twice(qtbot: QtBot) -> None:
    dialog = LogPassphraseDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.first, LOG_PASSPHRASE)
    qtbot.keyClicks(dialog.second, LOG_PASSPHRASE[:-1])
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.second, LOG_PASSPHRASE[-1])
    assert ok.isEnabled()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.second, Qt.Key.Key_Return)
