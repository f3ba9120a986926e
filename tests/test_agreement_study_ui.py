"""The agreement dialog's study-wide tab on a real project coded by three coders, driven by clicks and
keys; the figures computed in the background through the worker helper."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QTableWidget
from pytestqt.qtbot import QtBot

from jswcoder.analysis.agreement_study import NO_DOUBLE_CODING, study_agreement
from jswcoder.analysis.agreement_units import AgreementUnit
from jswcoder.project import Project
from jswcoder.ui.agreement_dialog import AgreementDialog
from jswcoder.ui.agreement_study_view import StudyAgreementView
from tests.test_agreement import TEXT_50, _code, _import
from tests.test_agreement_study import code_three
from tests.ui_drive import shown


def _rows(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def _computed(qtbot: QtBot, view: StudyAgreementView) -> None:
    qtbot.waitUntil(lambda: not view.computing and view.study is not None, timeout=10_000)


def _open_study_tab(qtbot: QtBot, dialog: AgreementDialog) -> StudyAgreementView:
    bar = dialog.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert dialog.tabs.currentWidget() is dialog.study_view
    return dialog.study_view


def test_the_study_tab_by_unit_and_pair(qtbot: QtBot, project: Project, tmp_path: Path) -> None:
    code_three(project, tmp_path)
    dialog = shown(qtbot, AgreementDialog(project))
    view = dialog.study_view
    assert view.study is None and not view.computing  # nothing computed until the tab is opened

    _open_study_tab(qtbot, dialog)
    _computed(qtbot, view)
    expected = study_agreement(project)  # by character, nothing left out
    assert view.description.text() == expected.description
    assert _rows(view.everyone)[0] == [
        "Funding",
        f"{expected.units:,}",
        f"{expected.themes[0].percent:.1f}%",
        "n/a",  # two coders on int_1, three on int_2
        f"{expected.themes[0].alpha:.3f}",
    ]
    assert "different numbers of coders" in view.everyone.item(0, 3).toolTip()
    assert view.everyone.item(1, 0).text() == "All themes (pooled)" and view.everyone.item(1, 0).font().bold()
    assert [view.pair.itemText(i) for i in range(view.pair.count())] == [
        "A: Ailsa  and  B: Bryce  (2 transcripts coded by both)",
        "A: Ailsa  and  B: Cara  (1 transcript coded by both)",
        "A: Bryce  and  B: Cara  (1 transcript coded by both)",
    ]

    # Alt+U to the unit, Down to "Sentence": the figures of the sentence test (see the command line's test).
    qtbot.keyClick(dialog, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    assert view.unit.hasFocus()
    qtbot.keyClick(view.unit, Qt.Key.Key_Down)
    assert view.computing
    _computed(qtbot, view)
    assert view.unit.currentData() is AgreementUnit.SENTENCE
    assert view.description.text().startswith("Unit: one sentence (5 units in 2 transcripts")
    funding = _rows(view.pairs)[0]
    assert funding == ["Funding", "5", "80.0%", funding[3], funding[4], "2", "0", "1", "2"]

    # Alt+P to the pair, Down to Ailsa and Cara: over int_2 only, both 1, only Cara 2, neither 1.
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(view.pair, Qt.Key.Key_Down)
    assert _rows(view.pairs)[0][5:] == ["1", "0", "2", "1"] and _rows(view.pairs)[0][1] == "4"

    # Leave out text nobody coded, ticked and at once unticked while that computes: the figures shown
    # are for the last choice, not the first.
    box = view.skip_uncoded
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    assert view.computing
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    _computed(qtbot, view)
    assert not box.isChecked() and view.study is not None and not view.study.skip_uncoded
    assert "leaving out" not in view.description.text()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    _computed(qtbot, view)
    assert view.study is not None and view.study.skip_uncoded
    assert "leaving out those no coder coded with any theme" in view.description.text()
    assert view.pair.currentIndex() == 1  # the pair chosen stays chosen
    dialog.resize(1000, 720)
    dialog.grab().save("/tmp/agreement_study.png")

    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and not view.computing


def test_nothing_double_coded_says_so(qtbot: QtBot, project: Project, tmp_path: Path) -> None:
    project.codebook.add("Funding")
    _code(project.codings, _import(project, tmp_path, "int_1", TEXT_50), "Funding", (0, 10))
    dialog = shown(qtbot, AgreementDialog(project))
    view = _open_study_tab(qtbot, dialog)
    qtbot.waitUntil(lambda: not view.computing)
    assert view.description.text() == NO_DOUBLE_CODING
    assert view.everyone.rowCount() == 0 and view.pairs.rowCount() == 0
