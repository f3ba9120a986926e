"""The anonymised preview: the register applied to a transcript and its notes, in the core, CLI and app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from jswcoder.cli import main
from jswcoder.project import Project
from jswcoder.ui.preview_dialog import PreviewDialog
from tests.conftest import PASSPHRASE, corpus_files, write_txt

TEXT = "Interviewer: Where is the office?\nP1: In Oban. Siobhan’s team covers Mull and Oban Sheriff Court.\n"


@pytest.fixture
def registered(project: Project, tmp_path: Path) -> Project:
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_4.txt", TEXT))
    project.register.add("Oban", "[NAME OF TOWN]", "PLACE")
    project.register.add("Oban Sheriff Court", "[NAME OF COURT]", "COURT")
    project.register.add("Siobhan", "[TEAM LEADER]", "PERSON")
    project.register.add("Mull", "[NAME OF ISLAND]", "PLACE")
    return project


def test_preview_replaces_whole_words_longest_first(registered: Project) -> None:
    shown = registered.anonymiser.preview("int_4")
    assert shown.original == TEXT
    assert shown.anonymised.text == (
        "Interviewer: Where is the office?\n"
        "P1: In [NAME OF TOWN]. [TEAM LEADER]’s team covers [NAME OF ISLAND] and [NAME OF COURT].\n"
    )
    assert len(shown.anonymised.replacements) == 4


def test_a_corpus_transcript_previewed_with_its_answer_key_keeps_no_identifier(
    project: Project, corpus: Path
) -> None:
    source = next(p for p in corpus_files(corpus) if p.name.startswith("A5"))
    project.transcripts.import_file(source)
    key = json.loads(source.with_name(source.stem + ".identifiers.json").read_text(encoding="utf-8"))
    for item in key:
        project.register.add(item["text"], item["replacement"], item["category"])
    shown = project.anonymiser.preview(source.stem)
    outgoing = shown.anonymised.text + "".join(a.text for _, a in shown.notes)
    assert shown.notes  # A5 has a header, a footer and footnotes
    leaked = [item["text"] for item in key if item["text"] in outgoing]
    assert leaked == []


def test_preview_cli(
    registered: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = str(registered.paths.folder)
    registered.close()
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    assert main(["--no-keychain", "preview", folder, "int_4"]) == 0
    out, err = capsys.readouterr()
    assert "Oban" not in out and "[NAME OF COURT]" in out and "4 replacements" in err


def test_preview_dialog_highlights_both_sides(registered: Project, qtbot: QtBot) -> None:
    dialog = PreviewDialog("int_4", registered.anonymiser.preview("int_4"))
    qtbot.addWidget(dialog)
    assert dialog.original.toPlainText() == TEXT
    assert "[TEAM LEADER]" in dialog.anonymised.toPlainText()
    assert len(dialog.original.extraSelections()) == len(dialog.anonymised.extraSelections()) == 4
    selections = dialog.anonymised.extraSelections()
    assert selections[0].cursor.selectedText() == "[NAME OF TOWN]"
    dialog.clear()
    assert all(not w.toPlainText() for w in (dialog.original, dialog.anonymised))
    assert isinstance(dialog, QWidget)
