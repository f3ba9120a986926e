"""Who coded a passage, and theme names in full (issue 15): a lead sees the coder in the transcript's
tooltips and in Coded passages; the margin names a theme whole where there is room, wraps it down a
tall coding, and shortens it (with the full name in the tooltip) only where it must."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QSettings, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from jswcoder import templates
from jswcoder.project import Project
from jswcoder.services.codings import Codings
from jswcoder.store import people
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings
from jswcoder.ui.transcript_view import Highlight, TranscriptView
from tests import ui_drive as drive
from tests.conftest import write_txt

LONG = (
    "P4: We have had three posts empty since the spring, and two of the team off sick for months, so "
    "the ones that are left carry the caseload between them and then they leave as well, and every "
    "advert we put out brings in nobody at all, not one application from the whole of the region."
)
TEXT = f"Interviewer: How are you staffed?\n{LONG}\nInterviewer: Thanks.\nP4: Aye.\n"
RECRUITMENT = "Funding and resources/Recruitment, absence and retention"
IDENTITY = "Ethos and approach/Professional identity"


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    """Ailsa's project with a passage she coded and one a second coder, Bryce, coded in it."""
    templates.apply(templates.by_key("jsw-study"), project.codebook)
    transcript, _ = project.transcripts.import_file(write_txt(tmp_path / "inbox", "interview_4.txt", TEXT))
    start = TEXT.index(LONG)
    project.codings.add(transcript.uuid, start, start + len(LONG), RECRUITMENT)
    with project.db.atomic():
        bryce = people.ensure_coder(project.db, "Bryce")
    as_bryce = Codings(project.db, bryce, project.transcripts, project.codebook)
    thanks = TEXT.index("Thanks.")
    as_bryce.add(transcript.uuid, thanks, thanks + len("Thanks."), IDENTITY)
    return project


@pytest.fixture
def window(coded: Project, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    shown = drive.shown(qtbot, MainWindow(coded, settings))
    yield shown
    shown.close_project()


def hover(widget: QWidget, point: QPoint) -> str:
    """What the tooltip says when the mouse rests at *point* over *widget*."""
    QToolTip.hideText()
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, point, widget.mapToGlobal(point)))
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_the_tooltips_name_the_theme_in_full_and_who_coded(window: MainWindow, qtbot: QtBot) -> None:
    assert window.workbench is not None
    view = window.workbench.view
    edit = view.text_edit
    at_thanks = drive.point_of(edit, TEXT, TEXT.index("Thanks") + 2)
    assert (
        hover(edit.viewport(), at_thanks)
        == "Coded as: Ethos and approach › Professional identity · coded by Bryce"
    )
    at_posts = drive.point_of(edit, TEXT, TEXT.index("posts empty") + 1)
    assert (
        hover(edit.viewport(), at_posts)
        == "Coded as: Funding and resources › Recruitment, absence and retention · coded by Ailsa"
    )
    bars = {bar.code_name: rect for bar, rect, _label in view.margin.placed()}
    on_bar = bars["Professional identity"].center().toPoint()
    assert hover(view.margin, on_bar).endswith("Professional identity · coded by Bryce")


def test_coded_passages_say_who_coded_each(window: MainWindow, qtbot: QtBot, coded: Project) -> None:
    assert window.workbench is not None
    themes = window.workbench.themes
    segments = window.workbench.segments
    themes.select_code(coded.codebook.find(IDENTITY).uuid)
    header = [
        segments.model.headerData(c, Qt.Orientation.Horizontal) for c in range(segments.model.columnCount())
    ]
    coder = header.index("Coded by")
    assert coder == 1  # beside the words
    assert [segments.model.item(r, coder).text() for r in range(segments.model.rowCount())] == ["Bryce"]
    assert segments.model.item(0, 0).toolTip().endswith("Coded by Bryce")
    themes.select_code(coded.codebook.find(RECRUITMENT).uuid)
    assert [segments.model.item(r, coder).text() for r in range(segments.model.rowCount())] == ["Ailsa"]


def test_margin_names_are_whole_where_there_is_room(window: MainWindow, qtbot: QtBot) -> None:
    assert window.workbench is not None
    margin = window.workbench.view.margin
    labels = {bar.code_name: margin.labels()[bar.coding_uuid] for bar, _rect, _label in margin.placed()}
    # Each name whole (it was cut at about 12 characters), on as many lines as it needs.
    for name in ("Professional identity", "Recruitment, absence and retention"):
        assert " ".join(labels[name]) == name


@pytest.fixture
def narrow(qtbot: QtBot) -> TranscriptView:
    view = TranscriptView()
    qtbot.addWidget(view)
    view.resize(520, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_name_too_long_for_its_room_is_shortened_and_the_tooltip_says_it_whole(
    narrow: TranscriptView,
) -> None:
    name = "Recruitment, absence and retention"
    thanks, aye = TEXT.index("Thanks."), TEXT.index("Aye.")
    one_line = Highlight("c1", thanks, thanks + 7, "k1", name, "#cc6677", coder="Ailsa", path=RECRUITMENT)
    next_line = Highlight("c2", aye, aye + 4, "k2", "Training", "#4477aa", coder="Ailsa")
    narrow.set_label_names([name, "Training"])
    narrow.set_document(TEXT, [], [one_line, next_line])
    labels = narrow.margin.labels()
    assert labels["c2"] == ["Training"]
    assert len(labels["c1"]) == 1 and labels["c1"][0].endswith("…")  # the next coding's name is below
    assert name.startswith(labels["c1"][0][:-1])
    rect = next(r for bar, r, _label in narrow.margin.placed() if bar.coding_uuid == "c1")
    tip = hover(narrow.margin, rect.center().toPoint())
    assert tip == "Coded as: Funding and resources › Recruitment, absence and retention · coded by Ailsa"
