"""File › Export to REFI-QDA (.qdpx)…: which program will open it, chosen by keys in the real dialog,
remembered in the settings file; real .qdpx files from a real encrypted project, read back here with
zipfile and ElementTree as the chosen program reads them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.refiqda import namespaces
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.qdpx_export_dialog import QdpxExportDialog
from jswcoder.ui.report_actions import ReportActions
from jswcoder.ui.settings import Settings
from tests import ui_drive as drive
from tests.conftest import PASSPHRASE
from tests.indirect_decided import decide_all
from tests.test_ui_matrix import CANARY, CODINGS, study, window
from tests.test_ui_reports import finish, saved

__all__ = ["study", "window"]  # fixtures, used by name

MENU_ENTRY = "Export to REFI-QDA (.qdpx)…"
SHOT = Path("/tmp/qdpx_dialog.png")  # the dialog as a fieldworker sees it (no project text in it)
_NS = {"q": namespaces.PROJECT_NS}
Keys = Callable[[QdpxExportDialog], None]


def _reviewed(project: Project) -> None:
    """The register and the indirect review decided, so that a fieldworker's export may go."""
    project.register.add(CANARY, "[NAME OF PERSON]", "PERSON")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    decide_all(project)


def _press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the keyboard focus is, as on a real keyboard."""
    focus = QApplication.focusWidget()
    assert focus is not None
    QTest.keyClick(focus, key, modifier)


def _checked(dialog: QWidget) -> str:
    """The program ticked in the dialog, as the user reads it (the radio button's text)."""
    ticked = [b for b in dialog.findChildren(QRadioButton) if b.isChecked()]
    assert len(ticked) == 1
    return ticked[0].text().replace("&", "")


def _export(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, target: Path, keys: Keys
) -> list[str]:
    """File › Export to REFI-QDA: the real dialog, answered by *keys*; the save dialog answers
    *target*. Returns the file names the save dialog was offered (none if it was never reached)."""
    offered: list[str] = []

    def ask_target(cls: type, parent: QWidget, title: str, name: str, kind: object) -> Path:
        offered.append(name)
        return target

    monkeypatch.setattr(ReportActions, "ask_target", classmethod(ask_target))
    seen: list[QWidget] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QdpxExportDialog)
        seen.append(dialog)
        try:
            qtbot.waitUntil(dialog.isActiveWindow)  # it takes the keys as it comes up
            keys(dialog)
        finally:
            if dialog.isVisible():  # the keys failed to answer it: do not leave the test waiting
                dialog.reject()

    drive.when_shown(QdpxExportDialog, answer)
    next(a for a in window._menus["File"].actions() if a.text() == MENU_ENTRY).trigger()
    assert seen, "the dialog was not shown"
    if offered:
        finish(window)
    return offered


def test_maxqda_chosen_with_the_arrow_keys_writes_crlf_sources_and_document_variables(
    window: MainWindow, project: Project, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _reviewed(project)
    explained: dict[str, str] = {}

    def keys(dialog: QdpxExportDialog) -> None:
        assert _checked(dialog).startswith("REFI-QDA standard")  # the default, ticked and with the keys
        assert isinstance(QApplication.focusWidget(), QRadioButton)
        explained["standard"] = _explanation(dialog)
        for _ in range(3):  # NVivo, ATLAS.ti, MAXQDA
            _press(Qt.Key.Key_Down)
        assert _checked(dialog) == "MAXQDA"
        explained["maxqda"] = _explanation(dialog)
        dialog.grab().save(str(SHOT))
        _press(Qt.Key.Key_Return)

    offered = _export(window, qtbot, monkeypatch, tmp_path / "study.qdpx", keys)
    assert offered == [f"{project.name} (MAXQDA).qdpx"]
    # What the dialog said changes: the line ends, and the participants' details as document variables.
    assert "standard" in explained["standard"] and "Windows line ends" not in explained["standard"]
    assert "Windows line ends" in explained["maxqda"] and "MAXQDA will not keep" in explained["maxqda"]

    with zipfile.ZipFile(tmp_path / "study.qdpx") as archive:
        root = ET.fromstring(archive.read("project.qde"))
        raw = {n: archive.read(n) for n in archive.namelist() if n.startswith("sources/")}
    assert len(raw) == 3
    for data in raw.values():  # every line end is CR LF, and no byte order mark
        assert data.count(b"\r\n") >= 2 and data.count(b"\n") == data.count(b"\r\n")
        assert not data.startswith(b"\xef\xbb\xbf")
    # MAXQDA's document variables: no cases; each source holds its participant's details itself.
    assert root.find("q:Cases", _NS) is None
    numbers = [
        [value.text for value in source.iterfind("q:VariableValue/q:IntegerValue", _NS)]
        for source in root.iter(f"{{{namespaces.PROJECT_NS}}}TextSource")
    ]
    assert sorted(numbers) == [["2"], ["3"], ["7"]]  # the interview numbers the study gave
    # Read as MAXQDA reads it: CR LF is one character. Every coding lands on its own words.
    found = set()
    for source in root.iter(f"{{{namespaces.PROJECT_NS}}}TextSource"):
        text = raw[f"sources/{source.get('plainTextPath', '').removeprefix('internal://')}"]
        read = text.decode("utf-8").replace("\r\n", "\n")
        for selection in source.findall("q:PlainTextSelection", _NS):
            found.add(read[int(selection.get("startPosition", "")) : int(selection.get("endPosition", ""))])
    assert found == {phrase.replace(CANARY, "[NAME OF PERSON]") for _, phrase, _ in CODINGS}


def _explanation(dialog: QWidget) -> str:
    """The text shown under the choice (the label whose accessible name says what it is)."""
    labels = [w for w in dialog.findChildren(QLabel) if w.accessibleName() == "What changes for this program"]
    assert len(labels) == 1
    return labels[0].text()


def test_the_choice_is_remembered_for_a_new_window_on_the_same_settings(
    window: MainWindow, project: Project, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _reviewed(project)

    def nvivo(dialog: QdpxExportDialog) -> None:
        _press(Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # NVivo's Alt letter
        assert _checked(dialog) == "NVivo"
        _press(Qt.Key.Key_Return)

    name = project.name
    assert _export(window, qtbot, monkeypatch, tmp_path / "first.qdpx", nvivo) == [f"{name} (NVivo).qdpx"]
    with zipfile.ZipFile(tmp_path / "first.qdpx") as archive:
        sources = [archive.read(n) for n in archive.namelist() if n.startswith("sources/")]
    assert sources and all(s.startswith(b"\xef\xbb\xbf") and b"\r\n" in s for s in sources)  # as NVivo writes
    folder = project.paths.folder
    window.close_project()

    reopened = Project.open(folder, passphrase=PASSPHRASE)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    again = drive.shown(qtbot, MainWindow(reopened, settings))
    preselected: list[str] = []

    def enter(dialog: QdpxExportDialog) -> None:
        preselected.append(_checked(dialog))
        _press(Qt.Key.Key_Return)  # straight on: the remembered program

    try:
        offered = _export(again, qtbot, monkeypatch, tmp_path / "second.qdpx", enter)
    finally:
        again.close_project()
    assert preselected == ["NVivo"] and offered == [f"{name} (NVivo).qdpx"]
    with zipfile.ZipFile(tmp_path / "second.qdpx") as archive:
        assert all(archive.read(n).startswith(b"\xef\xbb\xbf") for n in archive.namelist() if "sources/" in n)


def test_esc_writes_nothing_and_asks_nothing_more(
    window: MainWindow, project: Project, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _reviewed(project)

    def escape(dialog: QdpxExportDialog) -> None:
        _press(Qt.Key.Key_Down)  # moved to NVivo, then changed their mind
        _press(Qt.Key.Key_Escape)

    assert _export(window, qtbot, monkeypatch, tmp_path / "study.qdpx", escape) == []
    assert window.jobs.running is None and not (tmp_path / "study.qdpx").exists()
    assert list(tmp_path.glob("*.qdpx")) == []
    # Cancelled: the next export still starts from the standard.
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert settings.qdpx_profile() == "standard"


def test_what_the_program_will_not_keep_is_in_the_message_after_the_export(
    window: MainWindow, project: Project, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """QualCoder keeps one theme per name: with a "Listening" at the top, the one under Relationships
    is renamed, and the message after the export says so, with the new name, beside where the file went."""
    _reviewed(project)
    project.codebook.add("Listening")

    def qualcoder(dialog: QdpxExportDialog) -> None:
        _press(Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
        assert _checked(dialog) == "QualCoder"
        _press(Qt.Key.Key_Return)

    _export(window, qtbot, monkeypatch, tmp_path / "study.qdpx", qualcoder)
    message = saved(window)
    assert message.startswith("Saved study.qdpx")
    assert "renamed" in message and "Listening (Relationships)" in message and "QualCoder" in message
    with zipfile.ZipFile(tmp_path / "study.qdpx") as archive:
        root = ET.fromstring(archive.read("project.qde"))
    names = [code.get("name") for code in root.iter(f"{{{namespaces.PROJECT_NS}}}Code")]
    assert names.count("Listening") == 1 and "Listening (Relationships)" in names


def test_a_standard_export_says_nothing_more(
    window: MainWindow, project: Project, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _reviewed(project)
    offered = _export(
        window, qtbot, monkeypatch, tmp_path / "study.qdpx", lambda dialog: _press(Qt.Key.Key_Return)
    )
    assert offered == [f"{project.name}.qdpx"]
    assert saved(window).endswith("The anonymisation register was applied to everything in it.")
