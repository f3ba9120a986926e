"""The coder agreement dialog on a real project coded by three coders."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.ui.agreement_dialog import NOTHING_TO_SHOW, AgreementDialog
from tests.test_agreement import TEXT_10, TEXT_50, _code, _coder, _import


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    project.codebook.add("Funding and resources/Training")
    project.codebook.add("Partnership working")
    bryce, cara = _coder(project, "Bryce"), _coder(project, "Cara")
    first = _import(project, tmp_path, "int_1", TEXT_50)
    _code(project.codings, first, "Funding and resources/Training", (0, 25))  # Wikipedia's kappa example
    _code(bryce, first, "Funding and resources/Training", (5, 35))
    _code(project.codings, first, "Partnership working", (35, 45))
    _code(bryce, first, "Partnership working", (35, 45))
    _code(cara, first, "Partnership working", (0, 50))
    single = _import(project, tmp_path, "int_2", TEXT_10)
    _code(project.codings, single, "Partnership working", (0, 5))  # one coder only: not offered
    return project


def _row(dialog: AgreementDialog, row: int) -> list[str]:
    return [dialog.themes.item(row, column).text() for column in range(dialog.themes.columnCount())]


def test_the_table_and_the_disagreements_side_by_side(qtbot: QtBot, coded: Project) -> None:
    dialog = AgreementDialog(coded)
    qtbot.addWidget(dialog)
    dialog.show()
    assert [dialog.transcript.itemText(i) for i in range(dialog.transcript.count())] == ["int_1"]
    assert [dialog.coder_a.itemText(i) for i in range(dialog.coder_a.count())] == ["Ailsa", "Bryce", "Cara"]
    assert (dialog.coder_a.currentText(), dialog.coder_b.currentText()) == ("Ailsa", "Bryce")

    assert dialog.unit.text().startswith("Unit: one character of the transcript text (50 characters)")
    # Training: the Wikipedia table (20/5/10/15, 70%, kappa 0.4); Partnership working: identical (1.0).
    assert _row(dialog, 0) == [
        "Funding and resources/Training",
        "70.0%",
        "0.400",
        "0.400",
        "20",
        "5",
        "10",
        "15",
    ]
    assert _row(dialog, 1) == ["Partnership working", "100.0%", "1.000", "1.000", "10", "0", "0", "40"]
    assert _row(dialog, 2)[0] == "All themes (pooled)" and dialog.themes.item(2, 0).font().bold()
    assert dialog.note.isHidden()

    shown = dialog.disagreements.toPlainText()
    assert "A: Ailsa" in shown and "B: Bryce" in shown
    assert f"[0–25] {TEXT_50[:25]}" in shown and f"[5–35] {TEXT_50[5:35]}" in shown
    assert "Partnership working" not in shown  # they agree there
    dialog.grab().save("/tmp/agreement.png")

    # Cara coded the whole text as Partnership working and nothing as Training. By hand, Training against
    # Ailsa: table 0/25/0/25, p_o = 0.5, p_e = 0.5·0 + 0.5·1 = 0.5, kappa 0;
    # alpha = 1 - 99·25/(75·25) = -0.32.
    dialog.coder_b.setCurrentIndex(2)
    assert dialog.report is not None and dialog.report.coder_b.name == "Cara"
    assert _row(dialog, 0)[1:5] == ["50.0%", "0.000", "-0.320", "0"]  # A only: 25 of 50 characters
    assert _row(dialog, 1)[4:8] == ["10", "0", "40", "0"]
    shown = dialog.disagreements.toPlainText()
    assert "(not coded)" in shown and f"[0–50] {TEXT_50}" in shown

    dialog.coder_a.setCurrentIndex(2)
    assert dialog.report is None and dialog.unit.text() == "Choose two different coders."
    assert dialog.themes.rowCount() == 0


def test_undefined_figures_show_n_a_with_the_reason(qtbot: QtBot, project: Project, tmp_path: Path) -> None:
    project.codebook.add("Funding")
    transcript = _import(project, tmp_path, "int_2", TEXT_10)
    _code(project.codings, transcript, "Funding", (0, 10))
    _code(_coder(project, "Bryce"), transcript, "Funding", (0, 10))
    dialog = AgreementDialog(project)
    qtbot.addWidget(dialog)
    assert _row(dialog, 0)[1:4] == ["100.0%", "n/a", "n/a"]
    assert "no variation" in dialog.themes.item(0, 2).toolTip()
    assert not dialog.note.isHidden() and "no variation" in dialog.note.text()


def test_nothing_double_coded(qtbot: QtBot, project: Project) -> None:
    dialog = AgreementDialog(project)
    qtbot.addWidget(dialog)
    assert dialog.unit.text() == NOTHING_TO_SHOW
    assert not dialog.transcript.isEnabled() and dialog.themes.rowCount() == 0


def test_show_for_opens_it_modally(qtbot: QtBot, coded: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[AgreementDialog] = []
    monkeypatch.setattr(AgreementDialog, "exec", lambda self: shown.append(self) or 0)
    AgreementDialog.show_for(coded)
    [dialog] = shown
    assert dialog.report is not None and dialog.report.transcript.name == "int_1"
    dialog.deleteLater()
